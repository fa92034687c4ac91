/// A line cut into words: the statement's words, the `=>` arrow and the outcome's tokens.
///
/// Words are separated by spaces or tabs, `#` starts a comment, and the first `=>` ends the
/// statement. After the arrow, `|` and `+` are tokens of their own, so `a|b` and `a | b` read
/// the same.
struct ScannedLine {
  let line: SourceLine
  /// The statement's words, before the arrow.
  var words: [Word] = []
  /// The `=>` token, if the line has an expectation.
  var arrow: Word?
  /// The outcome's tokens: names and the operators `|` and `+`.
  var outcome: [Word] = []

  /// Scans a line, rejecting NUL bytes and control characters outside comments.
  init(_ line: SourceLine) throws(ScenarioError) {
    self.line = line
    let bytes = line.source.bytes
    var i = line.start
    var wordStart: Int?
    func endWord(at end: Int, into scanned: inout ScannedLine) {
      guard let begin = wordStart else { return }
      let word = Word(text: line.text(from: begin, to: end), start: begin, end: end)
      if scanned.arrow == nil {
        scanned.words.append(word)
      } else {
        scanned.outcome.append(word)
      }
      wordStart = nil
    }
    while i < line.end {
      let byte = bytes[i]
      switch byte {
      case 0x20, 0x09:
        endWord(at: i, into: &self)
      case UInt8(ascii: "#"):
        endWord(at: i, into: &self)
        if let nul = bytes[i..<line.end].firstIndex(of: 0) {
          throw line.error("binary data (NUL byte)", from: nul, to: nul + 1)
        }
        return
      case 0x00:
        throw line.error("binary data (NUL byte)", from: i, to: i + 1)
      case 0x01...0x1F, 0x7F:
        let hex = String(byte, radix: 16, uppercase: true)
        throw line.error(
          "unexpected control character U+\(hex.count < 2 ? "000" : "00")\(hex)", from: i,
          to: i + 1)
      case UInt8(ascii: "=") where arrow == nil && i + 1 < line.end
        && bytes[i + 1] == UInt8(ascii: ">"):
        endWord(at: i, into: &self)
        arrow = Word(text: "=>", start: i, end: i + 2)
        i += 1
      case UInt8(ascii: "|"), UInt8(ascii: "+"):
        if arrow != nil {
          endWord(at: i, into: &self)
          outcome.append(Word(text: byte == UInt8(ascii: "|") ? "|" : "+", start: i, end: i + 1))
        } else if wordStart == nil {
          wordStart = i
        }
      default:
        if wordStart == nil { wordStart = i }
      }
      i += 1
    }
    endWord(at: line.end, into: &self)
  }

  /// Whether the line holds nothing but spaces, tabs and a comment.
  var isBlank: Bool { words.isEmpty && arrow == nil }
}
