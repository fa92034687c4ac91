import BindModel
import Testing

/// The kernel selftest `bind_wildcard.c` (2024 version), reference §12.1: 44 address pairs,
/// each in three modes, for TCP and UDP. The expectation strings are the selftest's, re-run on
/// 6.18: one character per socket, `0` bind succeeded, `E` EADDRINUSE.
struct BindWildcardRow: Sendable, CustomTestStringConvertible {
  var number: Int
  var first: String
  var firstV6Only: Bool
  var second: String
  var secondV6Only: Bool
  var plain: String
  var reuse: String

  var testDescription: String {
    "#\(number) \(first)\(firstV6Only ? " v6only" : "") + \(second)\(secondV6Only ? " v6only" : "")"
  }

  static let table: [BindWildcardRow] = {
    let rows: [(String, String, String, String)] = [
      ("0.0.0.0", "127.0.0.1", "0EEEE0EE", "00EEE0EE"),
      ("127.0.0.1", "0.0.0.0", "0EEEE0EE", "00EEE0EE"),
      ("0.0.0.0", "::", "0EEEE0EE", "00EEEEEE"),
      ("0.0.0.0", ":: v6only", "00EEEEEE", "00EEEEEE"),
      ("0.0.0.0", "::1", "00EEEEEE", "00EEEEEE"),
      ("0.0.0.0", "::ffff:0.0.0.0", "0EEEE0EE", "00EEE0EE"),
      ("0.0.0.0", "::ffff:127.0.0.1", "0EEEE0EE", "00EEE0EE"),
      ("127.0.0.1", "::", "0EEEE0EE", "00EEEEEE"),
      ("127.0.0.1", ":: v6only", "00EEEEEE", "00EEEEEE"),
      ("127.0.0.1", "::1", "00EEEEEE", "00EEEEEE"),
      ("127.0.0.1", "::ffff:0.0.0.0", "0EEEE0EE", "00EEE0EE"),
      ("127.0.0.1", "::ffff:127.0.0.1", "0EEEE0EE", "00EEE0EE"),
      ("::", "0.0.0.0", "0EEEEEEE", "00EEEEEE"),
      (":: v6only", "0.0.0.0", "00EEEEEE", "00EEEEEE"),
      ("::", "127.0.0.1", "0EEEEEEE", "00EEEEEE"),
      (":: v6only", "127.0.0.1", "00EEEEEE", "00EEEEEE"),
      ("::1", "0.0.0.0", "00EEEEEE", "00EEEEEE"),
      ("::1", "127.0.0.1", "00EEEEEE", "00EEEEEE"),
      ("::ffff:0.0.0.0", "0.0.0.0", "0EEEE0EE", "00EEE0EE"),
      ("::ffff:0.0.0.0", "127.0.0.1", "0EEEE0EE", "00EEE0EE"),
      ("::ffff:127.0.0.1", "0.0.0.0", "0EEEE0EE", "00EEE0EE"),
      ("::ffff:127.0.0.1", "127.0.0.1", "0EEEE0EE", "00EEE0EE"),
      ("::", "::", "0EEEEEEE", "00EEEEEE"),
      (":: v6only", "::", "0E0EEEEE", "00EEEEEE"),
      ("::", ":: v6only", "0EEEEEEE", "00EEEEEE"),
      (":: v6only", ":: v6only", "0E0EEEEE", "000EEEEE"),
      ("::", "::1", "0EEEEEEE", "00EEEEEE"),
      (":: v6only", "::1", "0E0EEEEE", "000EEEEE"),
      ("::", "::ffff:0.0.0.0", "0EEEEEEE", "00EEEEEE"),
      (":: v6only", "::ffff:0.0.0.0", "00EEEEEE", "00EEEEEE"),
      ("::", "::ffff:127.0.0.1", "0EEEEEEE", "00EEEEEE"),
      (":: v6only", "::ffff:127.0.0.1", "00EEEEEE", "00EEEEEE"),
      ("::1", "::", "0E0EEEEE", "00EEEEEE"),
      ("::1", ":: v6only", "0E0EEEEE", "000EEEEE"),
      ("::1", "::ffff:0.0.0.0", "00EEEEEE", "00EEEEEE"),
      ("::1", "::ffff:127.0.0.1", "00EEEEEE", "00EEEEEE"),
      ("::ffff:0.0.0.0", "::", "0EEEE0EE", "00EEEEEE"),
      ("::ffff:0.0.0.0", ":: v6only", "00EEEEEE", "00EEEEEE"),
      ("::ffff:0.0.0.0", "::1", "00EEEEEE", "00EEEEEE"),
      ("::ffff:0.0.0.0", "::ffff:127.0.0.1", "0EEEE0EE", "00EEE0EE"),
      ("::ffff:127.0.0.1", "::", "0EEEE0EE", "00EEEEEE"),
      ("::ffff:127.0.0.1", ":: v6only", "00EEEEEE", "00EEEEEE"),
      ("::ffff:127.0.0.1", "::1", "00EEEEEE", "00EEEEEE"),
      ("::ffff:127.0.0.1", "::ffff:0.0.0.0", "0EEEE0EE", "00EEE0EE"),
    ]
    return rows.enumerated().map { i, row in
      let (a, b, plain, reuse) = row
      return BindWildcardRow(
        number: i + 1, first: a.replacingV6Only(), firstV6Only: a.hasSuffix("v6only"),
        second: b.replacingV6Only(), secondV6Only: b.hasSuffix("v6only"), plain: plain,
        reuse: reuse)
    }
  }()
}

enum ReuseMode: String, Sendable, CaseIterable {
  case plain, reuseAddress, reusePort
}

extension String {
  fileprivate func replacingV6Only() -> String {
    hasSuffix(" v6only") ? String(dropLast(7)) : self
  }
}

struct BindWildcardTests {
  static let followers = [
    "0.0.0.0", "127.0.0.1", "::", "::1", "::ffff:0.0.0.0", "::ffff:127.0.0.1",
  ]

  /// Runs one row as the selftest does and returns its `0`/`E` string.
  static func run(
    _ row: BindWildcardRow, mode: ReuseMode, transport: TransportProtocol
  ) -> String {
    var m = ModelHarness()
    func kind(_ address: String) -> SocketKind {
      let v6 = address.contains(":")
      switch transport {
      case .tcp: return v6 ? .tcp6 : .tcp4
      case .udp: return v6 ? .udp6 : .udp4
      }
    }
    let options: [SocketOption] =
      switch mode {
      case .plain: []
      case .reuseAddress: [.reuseAddress(true)]
      case .reusePort: [.reusePort(true)]
      }
    var result = ""
    m.socket("s0", kind(row.first), options + (row.firstV6Only ? [.ipv6V6Only(true)] : []))
    result += m.bind("s0", row.first, 0) == .ok ? "0" : "E"
    let port = m.port("s0")
    m.socket("s1", kind(row.second), options + (row.secondV6Only ? [.ipv6V6Only(true)] : []))
    result += m.bind("s1", row.second, port) == .ok ? "0" : "E"
    for (i, address) in followers.enumerated() {
      m.socket("f\(i)", kind(address))
      let outcome = m.bind("f\(i)", address, port)
      result += outcome == .ok ? "0" : (outcome == .inUse ? "E" : "?")
    }
    return result
  }

  @Test(arguments: BindWildcardRow.table, ReuseMode.allCases)
  func `TCP bind_wildcard row matches the selftest`(row: BindWildcardRow, mode: ReuseMode) {
    let expected = mode == .plain ? row.plain : row.reuse
    #expect(Self.run(row, mode: mode, transport: .tcp) == expected)
  }

  @Test(arguments: BindWildcardRow.table, ReuseMode.allCases)
  func `UDP bind_wildcard row matches the TCP table`(row: BindWildcardRow, mode: ReuseMode) {
    let expected = mode == .plain ? row.plain : row.reuse
    #expect(Self.run(row, mode: mode, transport: .udp) == expected)
  }
}
