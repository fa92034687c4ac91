/// A scenario file as UTF-8 bytes, checked to be text and cut into lines.
///
/// The parser works on bytes because every token of the language is ASCII; columns are
/// counted in characters only where a location is reported. The bytes are borrowed for the
/// duration of one parse (see `ScenarioParser`), so scanning them is a plain loop even in a
/// debug build.
struct SourceText {
  let bytes: UnsafeBufferPointer<UInt8>

  init(_ bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
  }

  var count: Int { bytes.count }

  subscript(offset: Int) -> UInt8 { bytes[offset] }

  /// The decoded text of the bytes `lower..<upper`.
  func text(from lower: Int, to upper: Int) -> String {
    guard lower < upper, let base = bytes.baseAddress else { return "" }
    return String(
      decoding: UnsafeBufferPointer(start: base + lower, count: upper - lower), as: UTF8.self)
  }

  /// Whether the bytes `lower..<upper` are all ASCII.
  func isASCII(from lower: Int, to upper: Int) -> Bool {
    var i = lower
    while i < upper {
      if bytes[i] >= 0x80 { return false }
      i += 1
    }
    return true
  }

  /// The offset just past the end of the line that contains `offset` (after its `\n`).
  func nextLineStart(after offset: Int) -> Int {
    var i = offset
    while i < bytes.count, bytes[i] != 0x0A { i += 1 }
    return i + 1
  }

  /// Checks that the bytes are UTF-8 text, reporting the first invalid sequence.
  func validate() throws(ScenarioError) {
    guard let (offset, lineStart, line) = firstInvalidSequence() else { return }
    let text = SourceLine(source: self, number: line, start: lineStart, end: offset)
    throw text.error("file is not UTF-8 text", from: offset, to: offset)
  }

  /// The offset of the first byte that does not start a valid UTF-8 sequence, with the start
  /// and number of its line.
  private func firstInvalidSequence() -> (offset: Int, lineStart: Int, line: Int)? {
    var i = 0
    var line = 1
    var lineStart = 0
    let count = bytes.count
    while i < count {
      let lead = bytes[i]
      if lead < 0x80 {
        if lead == 0x0A {
          line += 1
          lineStart = i + 1
        }
        i += 1
        continue
      }
      // The length of the sequence and the bounds of its second byte (RFC 3629, table 3-7
      // of the Unicode standard): no overlong forms, no surrogates, nothing past U+10FFFF.
      var length = 0
      var low: UInt8 = 0x80
      var high: UInt8 = 0xBF
      if lead >= 0xC2 && lead <= 0xDF {
        length = 2
      } else if lead == 0xE0 {
        length = 3
        low = 0xA0
      } else if lead == 0xED {
        length = 3
        high = 0x9F
      } else if lead >= 0xE1 && lead <= 0xEF {
        length = 3
      } else if lead == 0xF0 {
        length = 4
        low = 0x90
      } else if lead >= 0xF1 && lead <= 0xF3 {
        length = 4
      } else if lead == 0xF4 {
        length = 4
        high = 0x8F
      } else {
        return (i, lineStart, line)
      }
      guard i + length <= count, bytes[i + 1] >= low, bytes[i + 1] <= high else {
        return (i, lineStart, line)
      }
      var k = 2
      while k < length {
        if bytes[i + k] & 0xC0 != 0x80 { return (i, lineStart, line) }
        k += 1
      }
      i += length
    }
    return nil
  }

  /// Calls `body` with each line, in order, until it returns false; a line excludes its `\n`
  /// and a `\r` before it. A byte order mark at the start of the file is skipped.
  func forEachLine<E: Error>(
    from startOffset: Int = 0, firstNumber: Int = 1,
    _ body: (SourceLine) throws(E) -> Bool
  ) throws(E) {
    var start = startOffset
    let count = bytes.count
    if start == 0, count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
    var number = firstNumber
    let bytes = self.bytes
    while start < count {
      var end = start
      while end < count, bytes[end] != 0x0A { end += 1 }
      let next = end + 1
      if end > start, bytes[end - 1] == 0x0D { end -= 1 }
      let line = SourceLine(source: self, number: number, start: start, end: end)
      guard try body(line) else { return }
      start = next
      number += 1
    }
  }
}
