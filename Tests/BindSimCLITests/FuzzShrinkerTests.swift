import BindModel
import ScenarioLanguage
import Testing

@testable import BindSimCLI

/// The shrinker, against fake oracles (no kernel).
struct FuzzShrinkerTests {
  static let noisy = """
    interface eth0 192.0.2.1/24 2001:db8::1/64
    sysctl net.ipv4.ip_nonlocal_bind 1
    socket a udp4 SO_REUSEADDR SO_BROADCAST uid=1000
    socket noise tcp6 SO_REUSEPORT
    bind noise [::]:8000
    listen noise
    accept noise child
    close child
    bind a 127.0.0.1:7000 => ok
    socket b udp4 SO_BROADCAST   # a comment
    send b 127.0.0.1:@a
    bind b 127.0.0.1:7000
    close noise

    """

  /// "The disagreement": b binds a's address and port after a bound it with SO_REUSEADDR.
  static func persists(_ text: String) -> Bool {
    let lines = text.split(separator: "\n").map(String.init)
    return lines.contains { $0.hasPrefix("socket a ") && $0.contains("SO_REUSEADDR") }
      && lines.contains("bind a 127.0.0.1:7000") && lines.contains("bind b 127.0.0.1:7000")
  }

  static let minimal = """
    socket a udp4 SO_REUSEADDR
    bind a 127.0.0.1:7000
    socket b udp4
    bind b 127.0.0.1:7000

    """

  @Test(arguments: [1, 3, 16])
  func `what does not matter is removed`(parallelism: Int) {
    var shrinker = ScenarioShrinker(parallelism: parallelism) { $0.map(Self.persists) }
    #expect(shrinker.shrink(Self.noisy) == Self.minimal)
    #expect(shrinker.tested > 0)
  }

  @Test func `the focus line cuts everything after it first`() {
    var asked: [String] = []
    var shrinker = ScenarioShrinker { candidates in
      asked += candidates
      return candidates.map(Self.persists)
    }
    #expect(shrinker.shrink(Self.noisy, focusLine: 12) == Self.minimal)
    #expect(asked.first?.contains("close noise") == false)
  }

  @Test func `the oracle only sees valid scenarios`() {
    var shrinker = ScenarioShrinker(parallelism: 4) { candidates in
      candidates.map { text in
        #expect(ScenarioShrinker.isValid(text), "\(text)")
        return Self.persists(text)
      }
    }
    _ = shrinker.shrink(Self.noisy)
  }

  @Test func `a disagreement that needs everything keeps everything`() {
    let text = "socket a tcp4\nbind a 127.0.0.1:7000\n"
    var shrinker = ScenarioShrinker { $0.map { $0 == text } }
    #expect(shrinker.shrink(text) == text)
  }

  @Test func `removing a socket removes its statements and the sockets it accepted`() {
    let lines = [
      "socket l tcp4", "socket x udp4", "listen l", "accept l c", "send x 127.0.0.1:@l",
      "close c", "bind x 127.0.0.1:9",
    ]
    #expect(
      ScenarioShrinker.removingStatement(at: 0, from: lines) == [
        "socket x udp4", "bind x 127.0.0.1:9",
      ])
    #expect(ScenarioShrinker.removingStatement(at: 3, from: lines).count == 5)
  }

  @Test func `options, addresses and join interfaces are removed one word at a time`() {
    let lines = [
      "interface eth0 192.0.2.1/24 2001:db8::1/64", "socket a udp4 SO_REUSEADDR uid=1000",
      "join a 239.1.1.1 eth0",
    ]
    let candidates = ScenarioShrinker.candidates(lines).map { $0.joined(separator: "\n") }
    #expect(candidates.contains { $0.contains("interface eth0 2001:db8::1/64\n") })
    #expect(candidates.contains { $0.contains("interface eth0 192.0.2.1/24\n") })
    #expect(candidates.contains { $0.contains("socket a udp4 uid=1000\n") })
    #expect(candidates.contains { $0.contains("socket a udp4 SO_REUSEADDR\n") })
    #expect(candidates.contains { $0.hasSuffix("join a 239.1.1.1") })
  }

  @Test func `a disagreement's class does not depend on socket names`() {
    func disagreement(kernel: String, model: String) -> Disagreement {
      Disagreement(
        keyword: "send", kernel: kernel, model: model, port: nil, rule: "delivery.score",
        explanation: "", line: 1, statement: "")
    }
    let one = disagreement(kernel: "s1", model: "s2|s3")
    let two = disagreement(kernel: "a", model: "b|c")
    #expect(one.classKey == two.classKey)
    #expect(one.classKey == "delivery.score send: kernel S1, model S2|S3")
    #expect(disagreement(kernel: "a", model: "a|b").classKey != one.classKey)
    #expect(
      disagreement(kernel: "EINVAL", model: "nobody").classKey.hasSuffix("EINVAL, model nobody"))
  }
}
