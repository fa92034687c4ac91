import BindModel
import ScenarioLanguage
import Testing

/// `--update` rewrites only the expectations it is given and leaves every other byte alone.
struct ExpectationRewriterTests {
  static let source = """
    # Two UDP servers, one port.
    interface eth0 192.0.2.130/24

    socket first udp4
    bind first 127.0.0.1:1060          => ok
    socket second udp4
    bind second 127.0.0.1:1060         => EADDRINUSE
    bind second 0.0.0.0:1060           => EADDRINUSE   # the wildcard includes 127.0.0.1
    bind second 192.0.2.130:1060
    send second 127.0.0.1:1060   # no arrow yet
    \tsend\tfirst 127.0.0.1:1060\t=>\tfirst\t# tabs stay

    """

  /// The source with line `number` (1-based) replaced.
  static func replacing(_ number: Int, with text: String) -> String {
    var lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    lines[number - 1] = text
    return lines.joined(separator: "\n")
  }

  @Test func `no expectations leaves the file as it is`() {
    #expect(ExpectationRewriter.rewrite(source: Self.source, expectations: [:]) == Self.source)
  }

  @Test func `a replaced outcome keeps the arrow's and the comment's columns`() {
    let result = ExpectationRewriter.rewrite(
      source: Self.source, expectations: [8: OutcomeSet(.ok)])
    #expect(
      result
        == Self.replacing(
          8,
          with:
            "bind second 0.0.0.0:1060           => ok           # the wildcard includes 127.0.0.1"
        ))
  }

  @Test func `a longer outcome pushes the comment by one space at least`() {
    let outcomes = OutcomeSet([.failed(.EINVAL), .failed(.EADDRINUSE), .failed(.EAFNOSUPPORT)])
    let result = ExpectationRewriter.rewrite(source: Self.source, expectations: [8: outcomes])
    #expect(
      result
        == Self.replacing(
          8,
          with:
            "bind second 0.0.0.0:1060           => EADDRINUSE|EAFNOSUPPORT|EINVAL"
            + " # the wildcard includes 127.0.0.1"
        ))
  }

  @Test func `a new arrow lines up with its neighbours`() {
    let result = ExpectationRewriter.rewrite(
      source: Self.source, expectations: [9: OutcomeSet(.ok)])
    #expect(result == Self.replacing(9, with: "bind second 192.0.2.130:1060       => ok"))
  }

  @Test func `a new arrow goes before the comment, which keeps its column`() {
    let result = ExpectationRewriter.rewrite(
      source: Self.source, expectations: [10: OutcomeSet(.delivered(["first"]))])
    #expect(
      result
        == Self.replacing(10, with: "send second 127.0.0.1:1060         => first # no arrow yet"))
  }

  @Test func `tabs around the arrow and before the comment stay`() {
    let result = ExpectationRewriter.rewrite(
      source: Self.source,
      expectations: [11: OutcomeSet([.delivered(["first"]), .delivered(["second"])])])
    #expect(
      result
        == Self.replacing(11, with: "\tsend\tfirst 127.0.0.1:1060\t=>\tfirst|second\t# tabs stay"))
  }

  @Test func `deliveries print as the language writes them`() {
    let copies = ExpectationRewriter.rewrite(
      source: "send a 1.2.3.4:5 => nobody", expectations: [1: OutcomeSet(.receivers(["b", "a"]))])
    #expect(copies == "send a 1.2.3.4:5 => a+b")
    let oneOf = ExpectationRewriter.rewrite(
      source: "send a 1.2.3.4:5",
      expectations: [1: OutcomeSet([.delivered(["b"]), .delivered(["a"])])])
    #expect(oneOf == "send a 1.2.3.4:5 => a|b")
    let nobody = ExpectationRewriter.rewrite(
      source: "send a 1.2.3.4:5 => a", expectations: [1: OutcomeSet(.nobody)])
    #expect(nobody == "send a 1.2.3.4:5 => nobody")
  }

  @Test func `only the given lines change`() {
    let result = ExpectationRewriter.rewrite(
      source: Self.source,
      expectations: [
        5: OutcomeSet(.failed(.EACCES)), 7: OutcomeSet(.ok), 1: OutcomeSet(.ok),
        3: OutcomeSet(.ok), 99: OutcomeSet(.ok),
      ])
    let before = Self.source.split(separator: "\n", omittingEmptySubsequences: false)
    let after = result.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(before.count == after.count)
    for (index, (old, new)) in zip(before, after).enumerated() {
      switch index + 1 {
      case 5: #expect(new == "bind first 127.0.0.1:1060          => EACCES")
      case 7: #expect(new == "bind second 127.0.0.1:1060         => ok")
      default: #expect(old == new, "line \(index + 1) changed")
      }
    }
  }

  @Test func `an empty set removes the expectation but keeps the comment`() {
    let result = ExpectationRewriter.rewrite(
      source: Self.source, expectations: [8: OutcomeSet([Outcome]()), 5: OutcomeSet([Outcome]())])
    #expect(
      result
        == Self.replacing(
          8,
          with:
            "bind second 0.0.0.0:1060                           # the wildcard includes 127.0.0.1"
        ).replacing("bind first 127.0.0.1:1060          => ok", with: "bind first 127.0.0.1:1060"))
  }

  @Test func `line breaks, a byte order mark and other lines are kept byte for byte`() {
    let source = "\u{FEFF}socket a udp4\r\nbind a 127.0.0.1:1 => ok\r\n# end\r\n"
    let result = ExpectationRewriter.rewrite(
      source: source, expectations: [2: OutcomeSet(.failed(.EACCES))])
    #expect(result == "\u{FEFF}socket a udp4\r\nbind a 127.0.0.1:1 => EACCES\r\n# end\r\n")
  }

  @Test func `the rewritten file parses to the new expectations`() throws {
    let updates: [Int: OutcomeSet] = [
      5: OutcomeSet(.failed(.EACCES)), 9: OutcomeSet(.ok),
      10: OutcomeSet([.delivered(["first"]), .delivered(["second"])]),
    ]
    let result = ExpectationRewriter.rewrite(source: Self.source, expectations: updates)
    let scenario = try ScenarioParser.parse(result)
    for statement in scenario.statements {
      if let expected = updates[statement.location.line] {
        #expect(statement.expectation == expected)
      }
    }
    #expect(
      try ScenarioParser.parse(Self.source).statements.map(\.text)
        == scenario.statements.map(\.text))
  }
}
