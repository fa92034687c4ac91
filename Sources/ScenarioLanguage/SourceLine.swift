import BindModel

/// One line of a scenario file: a byte range of the source, with its 1-based number.
struct SourceLine {
  let source: SourceText
  let number: Int
  /// The offset of the line's first byte.
  let start: Int
  /// The offset just past the line's last byte (before its line break).
  let end: Int

  /// How many characters a byte range of this line holds.
  func characters(from lower: Int, to upper: Int) -> Int {
    guard lower < upper else { return 0 }
    if source.isASCII(from: lower, to: upper) { return upper - lower }
    return source.text(from: lower, to: upper).count
  }

  /// The 1-based column of the character that starts at byte `offset`.
  func column(of offset: Int) -> Int {
    characters(from: start, to: offset) + 1
  }

  /// The word made of the bytes `lower..<upper`.
  func word(from lower: Int, to upper: Int) -> Word {
    Word(source: source, start: lower, end: upper)
  }

  /// An error that underlines the bytes `lower..<upper` (at least one character).
  func error(
    _ message: String, from lower: Int, to upper: Int, note: String? = nil
  ) -> ScenarioError {
    ScenarioError(
      message: message, location: SourceLocation(line: number, column: column(of: lower)),
      length: characters(from: lower, to: upper), note: note)
  }

  /// An error that underlines one word.
  func error(_ message: String, at word: Word, note: String? = nil) -> ScenarioError {
    error(message, from: word.start, to: word.end, note: note)
  }

  /// An error that points just past `word`, where something is missing.
  func error(_ message: String, after word: Word) -> ScenarioError {
    error(message, from: word.end, to: word.end)
  }
}
