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
    words.reserveCapacity(8)
    let source = line.source.bytes
    var i = line.start
    var wordStart = -1
    while i < line.end {
      let byte = source[i]
      if (byte > 0x3D && byte < 0x7C) || (byte > 0x2B && byte < 0x3D) || byte == 0x7D
        || byte == 0x7E || byte >= 0x80
      {
        // A letter, digit or other character of a word: the common case first.
        if wordStart < 0 { wordStart = i }
      } else if byte == 0x20 || byte == 0x09 {
        if wordStart >= 0 {
          append(line.word(from: wordStart, to: i))
          wordStart = -1
        }
      } else if byte == 0x23 {  // '#'
        var nul = i
        while nul < line.end, source[nul] != 0 { nul += 1 }
        if nul < line.end { throw line.error("binary data (NUL byte)", from: nul, to: nul + 1) }
        break
      } else if byte == 0 {
        throw line.error("binary data (NUL byte)", from: i, to: i + 1)
      } else if byte < 0x20 || byte == 0x7F {
        let hex = String(byte, radix: 16, uppercase: true)
        throw line.error(
          "unexpected control character U+\(hex.count < 2 ? "000" : "00")\(hex)", from: i,
          to: i + 1)
      } else if byte == 0x3D, arrow == nil, i + 1 < line.end, source[i + 1] == 0x3E {  // "=>"
        if wordStart >= 0 {
          append(line.word(from: wordStart, to: i))
          wordStart = -1
        }
        arrow = line.word(from: i, to: i + 2)
        i += 1
      } else if (byte == 0x7C || byte == 0x2B) && arrow != nil {  // '|' or '+'
        if wordStart >= 0 {
          append(line.word(from: wordStart, to: i))
          wordStart = -1
        }
        outcome.append(line.word(from: i, to: i + 1))
      } else if wordStart < 0 {
        wordStart = i
      }
      i += 1
    }
    if wordStart >= 0 { append(line.word(from: wordStart, to: i)) }
  }

  private mutating func append(_ word: Word) {
    if arrow == nil {
      words.append(word)
    } else {
      outcome.append(word)
    }
  }

  /// Whether the line holds nothing but spaces, tabs and a comment.
  var isBlank: Bool { words.isEmpty && arrow == nil }

  /// The statement's words joined by single spaces.
  var statementText: String {
    guard let first = words.first, let last = words.last else { return "" }
    var isSingleSpaced = true
    var k = 1
    while k < words.count, isSingleSpaced {
      let gap = words[k - 1].end
      isSingleSpaced = words[k].start == gap + 1 && line.source[gap] == 0x20
      k += 1
    }
    if isSingleSpaced { return line.source.text(from: first.start, to: last.end) }
    var text = first.text
    for word in words.dropFirst() {
      text += " "
      text += word.text
    }
    return text
  }
}
