public import BindModel

/// A problem found while reading a scenario file: what is wrong, where, and how wide a span to
/// underline.
///
/// Messages follow the Swift compiler's style: lower case, no trailing period, names quoted
/// with single quotes.
public struct ScenarioError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What is wrong, such as `unknown option 'SO_REUSEPROT'`.
  public var message: String
  /// Where the offending text starts (1-based line, column counted in characters).
  public var location: SourceLocation
  /// How many characters to underline (at least 1).
  public var length: Int
  /// A hint printed after the source line, such as `did you mean 'SO_REUSEPORT'?`.
  public var note: String?

  public init(message: String, location: SourceLocation, length: Int = 1, note: String? = nil) {
    self.message = message
    self.location = location
    self.length = max(1, length)
    self.note = note
  }

  /// `LINE:COLUMN: error: MESSAGE`, without file name or source line.
  public var description: String { "\(location): error: \(message)" }

  /// The widest part of a source line that is printed in full; longer lines are shown as a
  /// window around the column.
  static let window = 80

  /// The compiler-style report, without a trailing newline:
  ///
  /// ```
  /// FILE:LINE:COLUMN: error: MESSAGE
  /// <the source line>
  /// <spaces, tabs kept as tabs, up to the column>^~~~
  /// note: did you mean 'X'?
  /// ```
  ///
  /// The source line and caret are left out when `source` has no such line; the note only
  /// appears when there is one. Lines longer than 80 characters are cut to a window around
  /// the column, with `...` marking each cut.
  public func rendered(fileName: String, source: String) -> String {
    var lines = ["\(fileName):\(location): error: \(message)"]
    if let line = Self.line(location.line, of: source) {
      let (text, caret) = excerpt(of: line)
      lines.append(text)
      lines.append(caret)
    }
    if let note { lines.append("note: \(note)") }
    return lines.joined(separator: "\n")
  }

  /// The text of 1-based line `number`, without its line break (or nil past the end).
  static func line(_ number: Int, of source: String) -> Substring? {
    guard number >= 1 else { return nil }
    var source = source
    return source.withUTF8 { buffer -> Substring? in
      var found: Substring?
      SourceText(buffer).forEachLine { line in
        guard line.number == number else { return true }
        found = Substring(line.source.text(from: line.start, to: line.end))
        return false
      }
      return found
    }
  }

  /// The printed source line and the caret line under it.
  private func excerpt(of line: Substring) -> (text: String, caret: String) {
    let column = location.column - 1
    let total = line.utf8.count <= Self.window ? line.utf8.count : line.count
    var first = 0
    var last = total
    if total > Self.window {
      first = max(0, min(column - Self.window / 2, total - Self.window))
      last = first + Self.window
    }
    let shown = line.dropFirst(first).prefix(last - first)
    let prefix = first > 0 ? "..." : ""
    let suffix = last < total ? "..." : ""
    var caret = String(repeating: " ", count: prefix.count)
    let before = max(0, column - first)
    for character in shown.prefix(before) { caret.append(character == "\t" ? "\t" : " ") }
    caret += String(repeating: " ", count: max(0, before - shown.count))
    let room = total > Self.window ? max(1, last - column) : length
    caret += "^" + String(repeating: "~", count: max(0, min(length, room) - 1))
    return (prefix + shown + suffix, caret)
  }
}
