/// A scenario file as UTF-8 bytes, checked to be text and cut into lines.
///
/// The parser works on bytes because every token of the language is ASCII; columns are
/// counted in characters only where a location is reported.
struct SourceText {
  let bytes: [UInt8]

  /// Wraps bytes that are known to be valid UTF-8 (the contents of a `String`).
  init(unchecked bytes: [UInt8]) {
    self.bytes = bytes
  }

  /// Checks that `bytes` are UTF-8 text, reporting the first invalid sequence.
  init(validating bytes: [UInt8]) throws(ScenarioError) {
    try bytes.withUnsafeBufferPointer { (buffer) throws(ScenarioError) in
      if let (offset, lineStart, line) = Self.firstInvalidSequence(in: buffer) {
        let source = SourceText(unchecked: Array(buffer[..<offset]))
        let text = SourceLine(source: source, number: line, start: lineStart, end: offset)
        throw text.error("file is not UTF-8 text", from: offset, to: offset)
      }
    }
    self.bytes = bytes
  }

  /// The offset of the first byte that does not start a valid UTF-8 sequence, with the start
  /// and number of its line.
  private static func firstInvalidSequence(
    in bytes: UnsafeBufferPointer<UInt8>
  ) -> (offset: Int, lineStart: Int, line: Int)? {
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
      let length: Int
      var secondRange: ClosedRange<UInt8> = 0x80...0xBF
      switch lead {
      case 0xC2...0xDF: length = 2
      case 0xE0:
        length = 3
        secondRange = 0xA0...0xBF
      case 0xE1...0xEC, 0xEE...0xEF: length = 3
      case 0xED:
        length = 3
        secondRange = 0x80...0x9F
      case 0xF0:
        length = 4
        secondRange = 0x90...0xBF
      case 0xF1...0xF3: length = 4
      case 0xF4:
        length = 4
        secondRange = 0x80...0x8F
      default: return (i, lineStart, line)
      }
      guard i + length <= count, secondRange.contains(bytes[i + 1]) else {
        return (i, lineStart, line)
      }
      for k in 2..<length where bytes[i + k] & 0xC0 != 0x80 { return (i, lineStart, line) }
      i += length
    }
    return nil
  }

  /// Calls `body` with each line, in order; a line excludes its `\n` and a `\r` before it.
  /// A byte order mark at the start of the file is skipped.
  func forEachLine<E: Error>(
    from startOffset: Int = 0, firstNumber: Int = 1,
    _ body: (SourceLine) throws(E) -> Bool
  ) throws(E) {
    var start = startOffset
    if start == 0, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
    var number = firstNumber
    let count = bytes.count
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
