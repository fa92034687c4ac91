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

/// A word of a line: a byte range of the file. A plain value (no reference counting), so
/// lines of words cost little; the text is decoded only where it is needed.
struct Word {
  let source: SourceText
  let start: Int
  let end: Int

  /// The word's text.
  var text: String { source.text(from: start, to: end) }

  /// The number of bytes in the word.
  var count: Int { end - start }

  /// The byte at `offset` from the word's start.
  subscript(offset: Int) -> UInt8 { source[start + offset] }

  /// The offset (from the word's start) of the first `byte` at or after `from`, if any.
  func firstOffset(of byte: UInt8, from: Int = 0) -> Int? {
    var i = start + from
    while i < end {
      if source[i] == byte { return i - start }
      i += 1
    }
    return nil
  }

  /// Whether the word is exactly `byte`.
  func isSingle(_ byte: UInt8) -> Bool { count == 1 && source[start] == byte }

  /// The part of the word from byte `offset` (relative to the word's start) on.
  func dropFirst(_ offset: Int) -> Word {
    Word(source: source, start: start + offset, end: end)
  }

  /// The part of the word in the byte range `lower..<upper` (relative to the word's start).
  func slice(_ lower: Int, _ upper: Int) -> Word {
    Word(source: source, start: start + lower, end: start + upper)
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
