import BindModel
import ScenarioLanguage
import Testing

/// Every shape of `=> OUTCOME`, after sockets `a`, `b` and `c` are defined.
struct OutcomeParsingTests {
  static let prelude = "socket a udp4\nsocket b udp4\nsocket c udp4\nsend a 127.0.0.1:9"

  static let cases: [(String, OutcomeSet)] = [
    ("ok", OutcomeSet(.ok)),
    ("EADDRINUSE", OutcomeSet(.failed(.EADDRINUSE))),
    ("EWOULDBLOCK", OutcomeSet(.failed(.EAGAIN))),
    ("ENOTSUP", OutcomeSet(.failed(.EOPNOTSUPP))),
    ("EINVAL|EAFNOSUPPORT", OutcomeSet([.failed(.EINVAL), .failed(.EAFNOSUPPORT)])),
    ("ok|EADDRINUSE", OutcomeSet([.ok, .failed(.EADDRINUSE)])),
    ("nobody", OutcomeSet(.nobody)),
    ("a", OutcomeSet(.delivered(["a"]))),
    ("c+a+b", OutcomeSet(.delivered(["a", "b", "c"]))),
    ("b+a", OutcomeSet(.receivers(["a", "b"]))),
    ("a|b|c", OutcomeSet([.delivered(["a"]), .delivered(["b"]), .delivered(["c"])])),
    ("a|a", OutcomeSet(.delivered(["a"]))),
    ("a|nobody", OutcomeSet([.delivered(["a"]), .nobody])),
    ("a | b", OutcomeSet([.delivered(["a"]), .delivered(["b"])])),
    ("a +b", OutcomeSet(.delivered(["a", "b"]))),
    ("EINVAL   # a comment", OutcomeSet(.failed(.EINVAL))),
    ("ok\t", OutcomeSet(.ok)),
  ]

  @Test(arguments: cases)
  func `outcomes of every shape parse to their set`(written: String, expected: OutcomeSet) throws {
    let scenario = try ScenarioParser.parse(Self.prelude + " => " + written)
    #expect(scenario.statements.last?.expectation == expected)
    #expect(scenario.statements.last?.text == "send a 127.0.0.1:9")
  }

  @Test func `an arrow needs no spaces around it`() throws {
    let scenario = try ScenarioParser.parse(Self.prelude + "=>a+b")
    #expect(scenario.statements.last?.expectation == OutcomeSet(.delivered(["a", "b"])))
  }

  @Test func `every errno name is an outcome`() throws {
    for errno in Errno.all {
      let scenario = try ScenarioParser.parse(Self.prelude + " => \(errno.name)")
      #expect(scenario.statements.last?.expectation == OutcomeSet(.failed(errno)))
    }
  }

  @Test func `a socket named like an errno is a receiver`() throws {
    let scenario = try ScenarioParser.parse("socket E1 udp4\nsend E1 127.0.0.1:9 => E1")
    #expect(scenario.statements.last?.expectation == OutcomeSet(.delivered(["E1"])))
  }

  @Test func `outcome sets print back as the scenario spells them`() throws {
    for (written, expected) in Self.cases where !written.contains(" ") && written != "a|a" {
      let canonical = try #require(
        try ScenarioParser.parse(Self.prelude + " => " + expected.description).statements.last)
      #expect(canonical.expectation == expected, "\(written) prints as \(expected)")
    }
  }
}
