public import BindModel

/// Rewrites the expectations (`=> ...`) of chosen statements in a scenario file, for
/// `verify --update` and `check --update`.
///
/// Every byte outside the rewritten expectations stays as it was: other lines, line breaks,
/// the statement's own words and spacing, and comments. An existing arrow keeps its column;
/// a new one lines up with the nearest arrow in the same block of lines when that fits; a
/// comment after the expectation keeps its column when the new text leaves room.
public enum ExpectationRewriter {
  /// How far up and down a new arrow looks for an arrow to line up with.
  static let alignmentReach = 100

  /// Replaces, on each given 1-based line, the statement's expectation by the outcome set's
  /// scenario spelling (`ok`, `EINVAL|EAFNOSUPPORT`, `a|b`, `a+b`, `nobody`), or appends
  /// ` => OUTCOME` when the statement has none. An empty set removes the expectation. Lines
  /// that hold no statement, and line numbers past the end, are left alone.
  public static func rewrite(source: String, expectations: [Int: OutcomeSet]) -> String {
    guard !expectations.isEmpty else { return source }
    var source = source
    return source.withUTF8 { rewrite(SourceText($0), expectations: expectations) }
  }

  private static func rewrite(_ source: SourceText, expectations: [Int: OutcomeSet]) -> String {
    var lines: [(start: Int, end: Int)] = []
    source.forEachLine { line in
      lines.append((line.start, line.end))
      return true
    }
    var output = ""
    output.reserveCapacity(source.count + 64 * expectations.count)
    var copied = 0
    for number in expectations.keys.sorted() where lines.indices.contains(number - 1) {
      let index = number - 1
      let layout = LineLayout(source: source, start: lines[index].start, end: lines[index].end)
      guard layout.hasStatement, let outcomes = expectations[number] else { continue }
      let column =
        layout.arrow == nil ? alignmentColumn(near: index, in: lines, of: source) : nil
      output += source.text(from: copied, to: layout.start)
      output += layout.rewritten(with: text(of: outcomes), arrowColumn: column)
      copied = layout.end
    }
    output += source.text(from: copied, to: source.count)
    return output
  }

  /// The spelling of an outcome set in a scenario: alternatives joined by `|` (`a|b`,
  /// `EINVAL|EAFNOSUPPORT`), copies joined by `+` (`a+b`). `OutcomeSet.description` already
  /// spells it so; this names the dependency in one place.
  static func text(of outcomes: OutcomeSet) -> String {
    outcomes.description
  }

  /// The column of the nearest `=>` in the same block (lines without a blank one between),
  /// looking at most `alignmentReach` lines away.
  private static func alignmentColumn(
    near index: Int, in lines: [(start: Int, end: Int)], of source: SourceText
  ) -> Int? {
    var upOpen = true
    var downOpen = true
    var distance = 1
    while (upOpen || downOpen) && distance <= alignmentReach {
      for candidate in [index - distance, index + distance] {
        let isUp = candidate < index
        guard isUp ? upOpen : downOpen else { continue }
        guard lines.indices.contains(candidate) else {
          if isUp { upOpen = false } else { downOpen = false }
          continue
        }
        let layout = LineLayout(
          source: source, start: lines[candidate].start, end: lines[candidate].end)
        if layout.isBlank {
          if isUp { upOpen = false } else { downOpen = false }
        } else if let column = layout.arrowColumn {
          return column
        }
      }
      distance += 1
    }
    return nil
  }
}
