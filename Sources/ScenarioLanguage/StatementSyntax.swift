/// The shape of a statement: its usage line and how many operands it takes, for arity checks
/// and messages.
struct StatementSyntax {
  /// The statement as the language page writes it: `send NAME [ENDPOINT]`.
  let usage: String
  let minimum: Int
  /// The most operands, or nil when the last one repeats.
  let maximum: Int?

  init(_ usage: String, _ minimum: Int, _ maximum: Int?) {
    self.usage = usage
    self.minimum = minimum
    self.maximum = maximum
  }

  /// The operand names of the usage line, without brackets or dots: `NAME`, `ENDPOINT`.
  var operands: [String] {
    usage.split(separator: " ").dropFirst().map { word in
      let bare = word.filter { $0 != "[" && $0 != "]" }
      return bare.hasSuffix("...") ? String(bare.dropLast(3)) : bare
    }
  }

  /// The statement that starts with `keyword`, if there is one.
  static func named(_ keyword: String) -> StatementSyntax? {
    switch keyword {
    case "interface": StatementSyntax("interface NAME CIDR...", 1, nil)
    case "sysctl": StatementSyntax("sysctl KEY VALUE...", 2, nil)
    case "host": StatementSyntax("host NAME", 1, 1)
    case "link": StatementSyntax("link HOST.IFACE HOST.IFACE", 2, 2)
    case "socket": StatementSyntax("socket NAME KIND [OPTION...]", 2, nil)
    case "setsockopt": StatementSyntax("setsockopt NAME OPTION", 2, 2)
    case "bind": StatementSyntax("bind NAME ENDPOINT", 2, 2)
    case "listen": StatementSyntax("listen NAME", 1, 1)
    case "connect": StatementSyntax("connect NAME ENDPOINT", 2, 2)
    case "disconnect": StatementSyntax("disconnect NAME", 1, 1)
    case "accept": StatementSyntax("accept LISTENER NAME", 2, 2)
    case "send": StatementSyntax("send NAME [ENDPOINT]", 1, 2)
    case "join": StatementSyntax("join NAME GROUP [INTERFACE]", 2, 3)
    case "close": StatementSyntax("close NAME", 1, 1)
    default: nil
    }
  }

  /// The keywords in the order the language documents them, for suggestions.
  static let keywords = [
    "interface", "sysctl", "host", "link", "socket", "setsockopt", "bind", "listen", "connect",
    "disconnect", "accept", "send", "join", "close",
  ]

  /// Checks the number of words (keyword included) against the shape.
  func check(_ words: [Word], in line: SourceLine) throws(ScenarioError) {
    let count = words.count - 1
    if count < minimum {
      let names = operands
      let missing = count < names.count ? names[count] : names[names.count - 1]
      throw line.error("missing \(missing): expected '\(usage)'", after: words[words.count - 1])
    }
    if let maximum, count > maximum {
      let extra = words[1 + maximum]
      throw line.error("unexpected \(extra.text.quoted): expected '\(usage)'", at: extra)
    }
  }
}
