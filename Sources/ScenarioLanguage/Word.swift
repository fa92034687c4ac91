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
