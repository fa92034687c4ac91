import BindModel
import Testing

/// The overlap examples of reference §3 (verified on 6.18 for TCP and UDP): an existing
/// binding, a new one on the same port, no options.
struct OverlapCase: Sendable, CustomTestStringConvertible {
  var existing: String
  var existingV6Only = false
  var new: String
  var newV6Only = false
  var conflicts: Bool
  var testDescription: String {
    "\(existing)\(existingV6Only ? " v6only" : "") then \(new)\(newV6Only ? " v6only" : "")"
  }
}

struct ConflictTests {
  static let overlaps: [OverlapCase] = [
    OverlapCase(existing: "0.0.0.0", new: "127.0.0.1", conflicts: true),
    OverlapCase(existing: "127.0.0.1", new: "0.0.0.0", conflicts: true),
    OverlapCase(existing: "127.0.0.1", new: "127.0.0.2", conflicts: false),
    OverlapCase(existing: "0.0.0.0", new: "::", conflicts: true),
    OverlapCase(existing: "0.0.0.0", new: "::", newV6Only: true, conflicts: false),
    OverlapCase(existing: "::", existingV6Only: true, new: "::", conflicts: true),
    OverlapCase(existing: "::", existingV6Only: true, new: "0.0.0.0", conflicts: false),
    OverlapCase(existing: "::ffff:0.0.0.0", new: "127.0.0.1", conflicts: true),
    OverlapCase(existing: "::ffff:0.0.0.0", new: "::", newV6Only: true, conflicts: false),
    OverlapCase(existing: "::ffff:0.0.0.0", new: "::1", conflicts: false),
    OverlapCase(existing: "::ffff:127.0.0.1", new: "127.0.0.1", conflicts: true),
    OverlapCase(existing: "::1", new: "::", conflicts: true),
    OverlapCase(existing: "::1", new: "::", newV6Only: true, conflicts: true),
    OverlapCase(existing: "::1", new: "127.0.0.1", conflicts: false),
  ]

  @Test(arguments: overlaps, [TransportProtocol.tcp, .udp])
  func `overlapping names conflict, disjoint ones coexist`(c: OverlapCase, proto: TransportProtocol)
  {
    var m = ModelHarness()
    func kind(_ a: String) -> SocketKind {
      a.contains(":") ? (proto == .tcp ? .tcp6 : .udp6) : (proto == .tcp ? .tcp4 : .udp4)
    }
    m.socket("e", kind(c.existing), c.existingV6Only ? [.ipv6V6Only(true)] : [])
    #expect(m.bind("e", c.existing, 7000) == .ok)
    m.socket("n", kind(c.new), c.newV6Only ? [.ipv6V6Only(true)] : [])
    #expect(m.bind("n", c.new, 7000) == (c.conflicts ? .inUse : .ok))
  }

  @Test func `the explanation names the wildcard, the address and the holder`() {
    var m = ModelHarness()
    m.socket("first", .udp4)
    m.bind("first", "127.0.0.1", 1060)
    m.socket("second", .udp4)
    #expect(m.bind("second", "0.0.0.0", 1060) == .inUse)
    #expect(m.last?.rule == .udpFirstMatch)
    #expect(
      m.last?.explanation
        == "0.0.0.0:1060 covers 127.0.0.1:1060, held by 'first'; neither socket set SO_REUSEADDR")
  }

  @Test func `TCP SO_REUSEADDR lets both bind but only one listen`() {
    var m = ModelHarness()
    m.socket("a", .tcp4, [.reuseAddress(true)])
    m.socket("b", .tcp4, [.reuseAddress(true)])
    #expect(m.bind("a", "127.0.0.1", 8000) == .ok)
    #expect(m.bind("b", "127.0.0.1", 8000) == .ok)
    #expect(m.last?.rule == .bindSharedReuseAddress)
    #expect(m.perform(.listen(name: "a")) == .ok)
    #expect(m.perform(.listen(name: "b")) == .inUse)
    #expect(m.last?.rule == .listenConflict)
  }

  @Test func `SO_REUSEADDR never binds over a listener`() {
    var m = ModelHarness()
    m.socket("a", .tcp4, [.reuseAddress(true)])
    m.bind("a", "0.0.0.0", 8000)
    m.perform(.listen(name: "a"))
    m.socket("b", .tcp4, [.reuseAddress(true)])
    #expect(m.bind("b", "127.0.0.1", 8000) == .inUse)
    #expect(m.last?.rule == .tcpListenerBlocksReuseAddress)
  }

  @Test(arguments: [TransportProtocol.tcp, .udp])
  func `SO_REUSEPORT shares only within one owner uid`(proto: TransportProtocol) {
    var m = ModelHarness()
    let kind: SocketKind = proto == .tcp ? .tcp4 : .udp4
    m.socket("a", kind, [.reusePort(true)])
    m.socket("b", kind, [.reusePort(true)])
    m.socket("c", kind, [.reusePort(true)], uid: 1000)
    #expect(m.bind("a", "127.0.0.1", 8001) == .ok)
    #expect(m.bind("b", "127.0.0.1", 8001) == .ok)
    #expect(m.bind("c", "127.0.0.1", 8001) == .inUse)
  }

  @Test func `UDP SO_REUSEADDR shares even across uids`() {
    var m = ModelHarness()
    m.socket("a", .udp4, [.reuseAddress(true)])
    m.socket("b", .udp4, [.reuseAddress(true)], uid: 1000)
    #expect(m.bind("a", "127.0.0.1", 8002) == .ok)
    #expect(m.bind("b", "127.0.0.1", 8002) == .ok)
  }

  @Test func `UDP first match decides: the order of earlier binds matters`() {
    // A(REUSEADDR); B(REUSEADDR+REUSEPORT); C(REUSEPORT) → C ok (reference §5.2).
    var m = ModelHarness()
    m.socket("a", .udp4, [.reuseAddress(true)])
    m.socket("b", .udp4, [.reuseAddress(true), .reusePort(true)])
    m.socket("c", .udp4, [.reusePort(true)])
    m.bind("a", "127.0.0.1", 8003)
    m.bind("b", "127.0.0.1", 8003)
    #expect(m.bind("c", "127.0.0.1", 8003) == .ok)
    // B; A; C → C EADDRINUSE.
    var n = ModelHarness()
    n.socket("a", .udp4, [.reuseAddress(true)])
    n.socket("b", .udp4, [.reuseAddress(true), .reusePort(true)])
    n.socket("c", .udp4, [.reusePort(true)])
    n.bind("b", "127.0.0.1", 8003)
    n.bind("a", "127.0.0.1", 8003)
    #expect(n.bind("c", "127.0.0.1", 8003) == .inUse)
  }

  @Test(arguments: [TransportProtocol.tcp, .udp])
  func `different devices coexist, an unbound socket conflicts with every device`(
    proto: TransportProtocol
  ) {
    var m = ModelHarness()
    m.perform(.interface(name: "v0", addresses: []))
    m.perform(.interface(name: "v1", addresses: []))
    let kind: SocketKind = proto == .tcp ? .tcp4 : .udp4
    m.socket("a", kind, [.bindToDevice("v0")])
    m.socket("b", kind, [.bindToDevice("v1")])
    m.socket("c", kind)
    #expect(m.bind("a", "0.0.0.0", 8004) == .ok)
    #expect(m.bind("b", "0.0.0.0", 8004) == .ok)
    #expect(m.bind("c", "0.0.0.0", 8004) == .inUse)
  }

  @Test func `TCP and UDP port spaces are independent`() {
    var m = ModelHarness()
    m.socket("t", .tcp4)
    m.socket("u", .udp4)
    #expect(m.bind("t", "127.0.0.1", 8005) == .ok)
    #expect(m.bind("u", "127.0.0.1", 8005) == .ok)
  }
}
