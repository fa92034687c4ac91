import BindModel

/// One line of a scenario file: a byte range of the source, with its 1-based number.
struct SourceLine {
  let source: SourceText
  let number: Int
  /// The offset of the line's first byte.
  let start: Int
  /// The offset just past the line's last byte (before its line break).
  let end: Int

  /// The decoded text of a byte range of this line.
  func text(from lower: Int, to upper: Int) -> String {
    String(decoding: source.bytes[lower..<upper], as: UTF8.self)
  }

  /// How many characters a byte range of this line holds.
  func characters(from lower: Int, to upper: Int) -> Int {
    guard lower < upper else { return 0 }
    if source.bytes[lower..<upper].allSatisfy({ $0 < 0x80 }) { return upper - lower }
    return text(from: lower, to: upper).count
  }

  /// The 1-based column of the character that starts at byte `offset`.
  func column(of offset: Int) -> Int {
    characters(from: start, to: offset) + 1
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

/// A word of a line: its text and its byte range in the file.
struct Word: Equatable {
  var text: String
  var start: Int
  var end: Int

  /// The part of the word from byte `offset` (relative to the word's start) on.
  func dropFirst(_ offset: Int) -> Word {
    slice(offset, end - start)
  }

  /// The part of the word in the byte range `lower..<upper` (relative to the word's start).
  func slice(_ lower: Int, _ upper: Int) -> Word {
    let utf8 = text.utf8
    let from = utf8.index(utf8.startIndex, offsetBy: lower)
    let to = utf8.index(utf8.startIndex, offsetBy: upper)
    return Word(
      text: String(decoding: utf8[from..<to], as: UTF8.self), start: start + lower,
      end: start + upper)
  }
}

extension String {
  /// The text in single quotes for a message, shortened when it is very long.
  var quoted: String { "'\(shortened)'" }

  /// The text itself, or its first 37 characters and `...` when it is longer than 40.
  var shortened: String {
    let limit = 40
    guard utf8.count > limit, count > limit else { return self }
    return "\(prefix(limit - 3))..."
  }
}
