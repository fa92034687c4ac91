/// Where the parts of one scenario line lie: statement, arrow, outcome and comment, as byte
/// offsets into the file. Used to rewrite an expectation without touching anything else.
struct LineLayout {
  let source: SourceText
  /// The offset of the line's first byte.
  let start: Int
  /// The offset just past the line's last byte (before its line break).
  let end: Int
  /// The start of the `#` comment, or the end of the line.
  let commentStart: Int
  /// The `=` of the first `=>` before the comment.
  let arrow: Int?
  /// The end of the statement's last word.
  let statementEnd: Int
  /// The end of the code (statement and outcome) without trailing blanks.
  let codeEnd: Int

  init(source: SourceText, start: Int, end: Int) {
    self.source = source
    self.start = start
    self.end = end
    var comment = start
    var arrow: Int?
    while comment < end, source[comment] != 0x23 {  // '#'
      if arrow == nil, source[comment] == 0x3D, comment + 1 < end, source[comment + 1] == 0x3E {
        arrow = comment
      }
      comment += 1
    }
    commentStart = comment
    self.arrow = arrow
    statementEnd = Self.trimmingBlanks(source, from: start, before: arrow ?? comment)
    codeEnd = Self.trimmingBlanks(source, from: start, before: comment)
  }

  private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

  /// The offset after the last non-blank byte in `start..<end`.
  private static func trimmingBlanks(_ source: SourceText, from start: Int, before end: Int) -> Int
  {
    var end = end
    while end > start, isBlank(source[end - 1]) { end -= 1 }
    return end
  }

  /// Whether the line has statement words.
  var hasStatement: Bool { statementEnd > start }

  /// Whether the line holds only blanks (no statement, arrow or comment).
  var isBlank: Bool { codeEnd == start && commentStart == end }

  /// The number of characters in the line before `offset`.
  private func width(to offset: Int) -> Int {
    if source.isASCII(from: start, to: offset) { return offset - start }
    return source.text(from: start, to: offset).count
  }

  /// The 0-based character column of the arrow, if there is one and no tab comes before it
  /// (a tab's width depends on the editor, so such a column says nothing about alignment).
  var arrowColumn: Int? {
    guard let arrow else { return nil }
    var i = start
    while i < arrow {
      if source[i] == 0x09 { return nil }
      i += 1
    }
    return width(to: arrow)
  }

  /// The line with its expectation replaced by `=> outcome` (or removed when `outcome` is
  /// empty). A new arrow goes to `arrowColumn` when that leaves a blank after the statement.
  func rewritten(with outcome: String, arrowColumn: Int?) -> String {
    var result = source.text(from: start, to: statementEnd)
    if !outcome.isEmpty {
      if let arrow {
        result += source.text(from: statementEnd, to: arrow)
        var outcomeStart = arrow + 2
        while outcomeStart < codeEnd, Self.isBlank(source[outcomeStart]) { outcomeStart += 1 }
        let keepsSpacing = outcomeStart > arrow + 2 && outcomeStart < codeEnd
        result += "=>" + (keepsSpacing ? source.text(from: arrow + 2, to: outcomeStart) : " ")
      } else {
        let padding = arrowColumn.map { $0 - width(to: statementEnd) } ?? 1
        result += String(repeating: " ", count: max(1, padding)) + "=> "
      }
      result += outcome
    }
    guard commentStart < end else {
      return result + source.text(from: codeEnd, to: end)
    }
    let gap = source.text(from: codeEnd, to: commentStart)
    if gap.isEmpty || gap.contains("\t") {
      result += gap
    } else {
      result += String(repeating: " ", count: max(1, width(to: commentStart) - result.count))
    }
    return result + source.text(from: commentStart, to: end)
  }
}
