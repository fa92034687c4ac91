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
    if tokens.count == 1, !Self.isOperator(tokens[0]) {
      return OutcomeSet(Self.outcome(of: try atom(tokens[0], in: line)))
    }
    // First the shape: alternatives and operators alternate, with one kind of operator.
    var joiner: Word?
    var previous = arrow
    var atomWords: [Word] = []
    for token in tokens {
      let previousIsOperator = Self.isOperator(previous)
      if Self.isOperator(token) {
        if previousIsOperator || previous.start == arrow.start {
          throw line.error("missing outcome before \(token.text.quoted)", at: token)
        }
        if let joiner, joiner[0] != token[0] {
          throw line.error("cannot mix '+' and '|' in one outcome", at: token)
        }
        joiner = token
      } else {
        if !previousIsOperator, previous.start != arrow.start {
          throw line.error(
            "expected '|' or '+' between outcomes", from: previous.end, to: token.start)
        }
        atomWords.append(token)
      }
      previous = token
    }
    if Self.isOperator(previous) {
      throw line.error("missing outcome after \(previous.text.quoted)", after: previous)
    }
    // Then the meaning of each alternative.
    if let joiner, joiner.isSingle(0x2B) {  // '+'
      var names: [String] = []
      for word in atomWords {
        guard case .receiver(let name) = try atom(word, in: line) else {
          throw line.error("only sockets can be joined with '+'", at: word)
        }
        guard !names.contains(name) else {
          throw line.error("socket \(name.quoted) is listed twice", at: word)
        }
        names.append(name)
      }
      return OutcomeSet(.receivers(names))
    }
    var outcomes: [Outcome] = []
    var firstIsResult = false
    for (index, word) in atomWords.enumerated() {
      let atom = try atom(word, in: line)
      if index == 0 {
        firstIsResult = atom.isResult
      } else if atom.isResult != firstIsResult {
        throw line.error(
          "cannot mix \(atomWords[0].text.quoted) and \(word.text.quoted) in one outcome",
          at: word)
      }
      outcomes.append(Self.outcome(of: atom))
    }
    return OutcomeSet(outcomes)
  }

  /// Whether a token is `|` or `+`.
  private static func isOperator(_ word: Word) -> Bool {
    word.isSingle(0x7C) || word.isSingle(0x2B)
  }

  /// The outcome one alternative stands for.
  private static func outcome(of atom: Atom) -> Outcome {
    switch atom {
    case .ok: .ok
    case .errno(let errno): .failed(errno)
    case .nobody: .nobody
    case .receiver(let name): .delivered([name])
    }
  }

  /// Whether a word is written like an errno name: `E` and then capitals or digits.
  static func looksLikeErrno(_ word: Word) -> Bool {
    guard word.count > 1, word[0] == 0x45 else { return false }  // 'E'
    var i = 1
    while i < word.count {
      let byte = word[i]
      guard (byte >= 0x41 && byte <= 0x5A) || OperandParser.isDigit(byte) else { return false }
      i += 1
    }
    return true
  }

  /// Every errno name the language accepts, aliases included, for quick lookup.
  static let errnoNames: [String: Errno] = {
    var names = Errno.aliases
    for errno in Errno.all { names[errno.name] = errno }
    return names
  }()

  /// One alternative: a keyword, an errno name or a socket defined before this line.
  private func atom(_ word: Word, in line: SourceLine) throws(ScenarioError) -> Atom {
    let text = word.text
    if text == "ok" { return .ok }
    if text == "nobody" { return .nobody }
    if let errno = Self.errnoNames[text] { return .errno(errno) }
    guard OperandParser.isName(word) else {
      throw line.error("\(text.quoted) is not an outcome", at: word)
    }
    if let record = symbols.sockets[text] {
      if let closedOn = record.closedOn {
        throw line.error("socket \(text.quoted) was closed on line \(closedOn)", at: word)
      }
      return .receiver(text)
    }
    if Self.looksLikeErrno(word) {
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
