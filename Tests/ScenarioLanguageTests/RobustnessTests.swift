import BindModel
import ScenarioLanguage
import Testing

/// Huge inputs parse (or are refused) without crashing, hanging or printing megabytes.
struct RobustnessTests {
  static let tenMegabytes = 10_000_000

  @Test func `a 10 MB line of options parses`() throws {
    let count = Self.tenMegabytes / " SO_REUSEADDR".utf8.count
    let source = "socket a udp4" + String(repeating: " SO_REUSEADDR", count: count)
    let scenario = try ScenarioParser.parse(source)
    guard case .socket(_, _, let options, _) = try #require(scenario.statements.first).action
    else {
      Issue.record("not a socket statement")
      return
    }
    #expect(options.count == count)
    #expect(options.allSatisfy { $0 == .reuseAddress(true) })
  }

  @Test func `a 10 MB word is refused with a short report`() throws {
    let source = "socket a udp4 " + String(repeating: "x", count: Self.tenMegabytes)
    let error = try #require(parseError(source))
    let report = error.rendered(fileName: "big.scenario", source: source)
    #expect(
      report == """
        big.scenario:1:15: error: unknown option 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'
        socket a udp4 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...
                      ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        """)
  }

  @Test func `an error deep in a 10 MB line shows a window around it`() throws {
    let count = Self.tenMegabytes / " SO_REUSEADDR".utf8.count
    let source =
      "socket a udp4" + String(repeating: " SO_REUSEADDR", count: count) + " SO_BOGUS"
      + String(repeating: " SO_REUSEADDR", count: 10)
    let error = try #require(parseError(source))
    let column = 13 + 13 * count + 2
    #expect(error.location == SourceLocation(line: 1, column: column))
    let report = error.rendered(fileName: "w.scenario", source: source)
    let lines = report.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 3)
    #expect(lines[0] == "w.scenario:1:\(column): error: unknown option 'SO_BOGUS'")
    #expect(lines[1].hasPrefix("...") && lines[1].hasSuffix("..."))
    #expect(lines[1].utf8.count == 86)
    let caret = lines[2].firstIndex(of: "^").map {
      lines[2].distance(from: lines[2].startIndex, to: $0)
    }
    let word = lines[1].firstRange(of: "SO_BOGUS").map {
      lines[1].distance(from: lines[1].startIndex, to: $0.lowerBound)
    }
    #expect(caret != nil && caret == word)
    #expect(lines[2].hasSuffix("^~~~~~~~"))
  }

  @Test func `a window keeps the caret under the word`() {
    let source = "socket a udp4" + String(repeating: " SO_BROADCAST", count: 10) + " SO_BOGUS"
    #expect(
      rendered(source) == """
        test.scenario:1:145: error: unknown option 'SO_BOGUS'
        ...ADCAST SO_BROADCAST SO_BROADCAST SO_BROADCAST SO_BROADCAST SO_BROADCAST SO_BOGUS
                                                                                   ^~~~~~~~
        """)
  }

  @Test func `a 10 MB comment and 10 MB of blanks parse to nothing`() throws {
    let comment = "# " + String(repeating: "é", count: Self.tenMegabytes / 2)
    #expect(try ScenarioParser.parse(bytes: Array(comment.utf8)).statements.isEmpty)
    let blanks = String(repeating: " \t", count: Self.tenMegabytes / 2)
    #expect(try ScenarioParser.parse(blanks).statements.isEmpty)
  }

  @Test func `a 10 MB list of reserved ports parses`() throws {
    let count = Self.tenMegabytes / "40000-40010,".utf8.count
    let list = Array(repeating: "40000-40010", count: count).joined(separator: ",")
    let scenario = try ScenarioParser.parse("sysctl net.ipv4.ip_local_reserved_ports " + list)
    #expect(
      scenario.statements.first?.action
        == .sysctl(.ipLocalReservedPorts(Array(repeating: 40000...40010, count: count))))
  }

  @Test func `a million-line file parses`() throws {
    // A block of four lines: a call with an expectation, a comment, a blank line and a call.
    let block = "send s 127.0.0.1:9 => nobody\n# datagram to nobody\n\nbind s 0.0.0.0:0\n"
    let source = "socket s udp4\n" + String(repeating: block, count: 249_999) + "# end\n\nclose s\n"
    let scenario = try ScenarioParser.parse(source)
    #expect(scenario.statements.count == 1 + 2 * 249_999 + 1)
    #expect(scenario.statements.last?.location == SourceLocation(line: 1_000_000, column: 1))
    #expect(scenario.statements.last?.action == .close(name: "s"))
  }

  @Test func `an error at the end of a long file names its line`() throws {
    let source =
      "socket s udp4\n" + String(repeating: "# filler\n", count: 199_998) + "send t 1.2.3.4:5"
    let error = try #require(parseError(source))
    #expect(error.location == SourceLocation(line: 200_000, column: 6))
    #expect(
      error.rendered(fileName: "long.scenario", source: source) == """
        long.scenario:200000:6: error: unknown socket 't'
        send t 1.2.3.4:5
             ^
        """)
  }

  @Test func `a socket used before a far definition is found by reading ahead`() throws {
    let source =
      "bind late 1.2.3.4:5\n" + String(repeating: "\n", count: 100_000) + "socket late udp4\n"
    #expect(
      parseError(source)?.message == "socket 'late' is used before its definition on line 100002")
  }

  @Test(arguments: [
    "", "\n", "#", "=>", "=> =>", "|", "socket", "socket a", "a b c", "[", "]", "@", "%",
    "\u{FEFF}",
    "bind", "bind a [", "link", "link .", "link a. b.", "sysctl a", "interface /", "join a [%]",
    "socket a udp4\nbind a [::1%]:", "socket a udp4\nbind a [:::1]:1", "socket a udp4\nbind a :",
    "socket a udp4\nsend a => +", "socket a udp4\nsend a => a++a", "socket a udp4 SO_LINGER=",
    "socket a udp4 =", "socket a udp4 uid=", "socket a udp4 uid", "\r\r\r", "\u{0}", "\u{301}x",
    "socket a udp4\nbind a 1.2.3.4:@", "sysctl net.ipv4.ip_local_reserved_ports -",
    "sysctl net.ipv4.ip_local_reserved_ports ,", "interface e 1.2.3.4/", "interface e ::/x",
  ])
  func `odd inputs never crash`(source: String) {
    // Either outcome is fine; what matters is that parsing and rendering return.
    if let error = parseError(source) {
      #expect(error.location.line >= 1 && error.location.column >= 1 && error.length >= 1)
      #expect(!error.rendered(fileName: "odd.scenario", source: source).isEmpty)
    }
    _ = ExpectationRewriter.rewrite(source: source, expectations: [1: OutcomeSet(.ok)])
  }
}
