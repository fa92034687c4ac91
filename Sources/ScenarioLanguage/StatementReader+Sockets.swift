import BindModel

extension StatementReader {
  /// Words that cannot name a socket because an outcome could not tell them apart.
  static let outcomeWords: Set<String> = ["ok", "nobody"]

  /// A socket name that may be used on this line: defined before it and not yet closed.
  func openSocket(_ word: Word, in line: SourceLine) throws(ScenarioError) -> String {
    let name = try OperandParser(line: line).name(word, what: "socket")
    if let record = symbols.sockets[name] {
      if let closedOn = record.closedOn {
        throw line.error("socket \(name.quoted) was closed on line \(closedOn)", at: word)
      }
      return name
    }
    if let later = definition(of: name, after: line) {
      throw line.error(
        "socket \(name.quoted) is used before its definition on line \(later)", at: word)
    }
    throw line.error(
      "unknown socket \(name.quoted)", at: word,
      note: Suggestion.note(for: name, in: symbols.openSockets))
  }

  /// A name for a new socket: valid, not an outcome word, and not defined before.
  func newSocketName(_ word: Word, in line: SourceLine) throws(ScenarioError) -> String {
    let name = try OperandParser(line: line).name(word, what: "socket")
    if Self.outcomeWords.contains(name) {
      throw line.error("\(name.quoted) cannot name a socket: it is an outcome", at: word)
    }
    if Self.errnoNames[name] != nil {
      throw line.error("\(name.quoted) cannot name a socket: it is an errno name", at: word)
    }
    if let record = symbols.sockets[name] {
      throw line.error(
        "socket \(name.quoted) is already defined on line \(record.definedOn)", at: word)
    }
    return name
  }

  /// The line after `line` that defines socket `name` (by `socket` or `accept`), if any.
  /// Only used to explain an error, so reading ahead costs nothing on valid files.
  func definition(of name: String, after line: SourceLine) -> Int? {
    var found: Int?
    let next = source.nextLineStart(after: line.end)
    source.forEachLine(from: next, firstNumber: line.number + 1) { later in
      guard let scanned = try? ScannedLine(later) else { return true }
      let words = scanned.words.map(\.text)
      let creates = words.count >= 2 && words[0] == "socket" && words[1] == name
      let accepts = words.count >= 3 && words[0] == "accept" && words[2] == name
      if creates || accepts {
        found = later.number
        return false
      }
      return true
    }
    return found
  }
}
