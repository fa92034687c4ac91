import BindModel

extension StatementReader {
  /// One alternative of an outcome as written, with the word it came from.
  private enum Atom {
    case ok
    case errno(Errno)
    case nobody
    case receiver(String)

    /// Whether the atom says what a call returned (as opposed to who received a datagram).
    var isResult: Bool {
      switch self {
      case .ok, .errno: true
      case .nobody, .receiver: false
      }
    }
  }

  /// The outcome after `=>`: `ok`, `ERRNO`, `E1|E2`, `nobody`, `srv`, `a+b+c` or `a|b|c`.
  func outcome(
    _ tokens: [Word], after arrow: Word, in line: SourceLine
  ) throws(ScenarioError) -> OutcomeSet {
    guard !tokens.isEmpty else { throw line.error("missing outcome after '=>'", after: arrow) }
    var atoms: [(atom: Atom, word: Word)] = []
    var joiner: Word?
    var previous = arrow
    for token in tokens {
      let isOperator = token.text == "|" || token.text == "+"
      let previousIsOperator = previous.text == "|" || previous.text == "+"
      if isOperator {
        if previousIsOperator || previous == arrow {
          throw line.error("missing outcome before \(token.text.quoted)", at: token)
        }
        if let joiner, joiner.text != token.text {
          throw line.error("cannot mix '+' and '|' in one outcome", at: token)
        }
        joiner = token
      } else {
        if !previousIsOperator, previous != arrow {
          throw line.error(
            "expected '|' or '+' between outcomes", from: previous.end, to: token.start)
        }
        atoms.append((try atom(token, in: line), token))
      }
      previous = token
    }
    if previous.text == "|" || previous.text == "+" {
      throw line.error("missing outcome after \(previous.text.quoted)", after: previous)
    }
    if joiner?.text == "+" {
      var seen: Set<String> = []
      for (atom, word) in atoms {
        guard case .receiver(let name) = atom else {
          throw line.error("only sockets can be joined with '+'", at: word)
        }
        guard seen.insert(name).inserted else {
          throw line.error("socket \(name.quoted) is listed twice", at: word)
        }
      }
      return OutcomeSet(.receivers(seen))
    }
    let first = atoms[0]
    var outcomes: [Outcome] = []
    for (atom, word) in atoms {
      if atom.isResult != first.atom.isResult {
        throw line.error(
          "cannot mix \(first.word.text.quoted) and \(word.text.quoted) in one outcome", at: word)
      }
      switch atom {
      case .ok: outcomes.append(.ok)
      case .errno(let errno): outcomes.append(.failed(errno))
      case .nobody: outcomes.append(.nobody)
      case .receiver(let name): outcomes.append(.delivered([name]))
      }
    }
    return OutcomeSet(outcomes)
  }

  /// Whether a word is written like an errno name: `E` and then capitals or digits.
  static func looksLikeErrno(_ text: String) -> Bool {
    let bytes = text.utf8
    guard bytes.count > 1, bytes.first == UInt8(ascii: "E") else { return false }
    return bytes.dropFirst().allSatisfy {
      (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || OperandParser.isDigit($0)
    }
  }

  /// One alternative: a keyword, an errno name or a socket defined before this line.
  private func atom(_ word: Word, in line: SourceLine) throws(ScenarioError) -> Atom {
    let text = word.text
    if text == "ok" { return .ok }
    if text == "nobody" { return .nobody }
    if let errno = Errno.named(text) { return .errno(errno) }
    guard OperandParser.isName(text) else {
      throw line.error("\(text.quoted) is not an outcome", at: word)
    }
    if let record = symbols.sockets[text] {
      if let closedOn = record.closedOn {
        throw line.error("socket \(text.quoted) was closed on line \(closedOn)", at: word)
      }
      return .receiver(text)
    }
    if Self.looksLikeErrno(text) {
      let names = Errno.all.map(\.name) + Errno.aliases.keys.sorted()
      throw line.error(
        "unknown errno name \(text.quoted)", at: word, note: Suggestion.note(for: text, in: names))
    }
    if let later = definition(of: text, after: line) {
      throw line.error(
        "socket \(text.quoted) is used before its definition on line \(later)", at: word)
    }
    let candidates =
      ["ok", "nobody"] + symbols.openSockets + Errno.all.map(\.name)
    throw line.error(
      "unknown outcome \(text.quoted)", at: word,
      note: Suggestion.note(for: text, in: candidates))
  }
}
