import BindModel
import Foundation
import Glibc
import ScenarioLanguage

/// A shrunk disagreement, ready to be written as a scenario file: a header comment that names
/// the seed, the scenario index and the disagreement (kernel X, model Y, rule), then the
/// statements with the kernel's outcomes as expectations.
struct Finding: Sendable {
  var seed: UInt64
  var index: Int
  /// The shrunk scenario (statement lines only) and its replay.
  var text: String
  var result: ReplayResult?
  /// The disagreement, as the shrunk scenario's replay shows it.
  var disagreement: Disagreement
  /// How many statements the generated scenario had, and how many scenarios of the run
  /// showed a disagreement of this class.
  var originalStatements: Int
  var occurrences: Int
  var scenarios: Int

  /// `RULE-KEYWORD-sSEED-INDEX.scenario`, with only file-name-safe characters.
  var fileName: String {
    let raw = "\(disagreement.rule)-\(disagreement.keyword)-s\(seed)-\(index).scenario"
    return String(raw.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "_" })
  }

  /// How many statements the shrunk scenario has.
  var statements: Int { ScenarioShrinker.statementLines(of: text).count }

  /// The file's text.
  func rendered() -> String {
    let lines = ScenarioShrinker.statementLines(of: text)
    let shrunk = "shrunk from \(originalStatements) to \(lines.count) statements"
    var header = [
      "# bindsim fuzz finding: seed \(seed), scenario \(index) (\(shrunk))",
      "# class: \(disagreement.classKey) (in \(occurrences) of \(scenarios) scenarios)",
    ]
    let disagreementLine = disagreement.line
    var body = lines
    if lines.indices.contains(disagreementLine - 1) {
      header.append(
        "# disagreement: `\(lines[disagreementLine - 1])`: \(disagreement.outcomes)")
      body[disagreementLine - 1] += "  # model: \(disagreement.model) [\(disagreement.rule)]"
    } else {
      header.append("# disagreement: \(disagreement.outcomes)")
    }
    header.append("# rule \(disagreement.rule): \(disagreement.explanation)")
    for unnamed in Self.unnamedErrnos(in: disagreement.kernel + "|" + disagreement.model) {
      header.append(
        "# E\(unnamed) is errno \(unnamed) (\(String(cString: strerror(unnamed)))), which the "
          + "language has no name for: no expectation is written for it")
    }
    if result == nil { header.append("# (the shrunk scenario's last replay did not finish)") }
    header.append("")
    let source = (header + body).joined(separator: "\n") + "\n"
    return ExpectationRewriter.rewrite(
      source: source, expectations: expectations(lineOffset: header.count))
  }

  /// The kernel's outcome for every call worth an expectation; where the model predicted a
  /// set that holds it (a SO_REUSEPORT choice), the set, so the file stays true on a rerun.
  private func expectations(lineOffset: Int) -> [Int: OutcomeSet] {
    var result: [Int: OutcomeSet] = [:]
    guard let steps = self.result?.steps else { return result }
    let statements = (try? ScenarioParser.parse(text))?.statements ?? []
    for (step, statement) in zip(steps, statements) where step.isCall {
      guard let kernel = step.kernel?.outcome else { continue }
      let disagrees = Disagreement(step) != nil
      let outcomes =
        !disagrees && step.predicted.outcomes.contains(kernel)
        ? step.predicted.outcomes : OutcomeSet(kernel)
      if outcomes == OutcomeSet(.ok) && !ExpectationUpdate.teaches(statement.action) {
        continue
      }
      if !Self.unnamedErrnos(in: outcomes.description).isEmpty { continue }
      result[step.line + lineOffset] = outcomes
    }
    return result
  }

  /// The errno numbers the model spells `E<number>` (it has no name for them, and a scenario
  /// cannot write them), in an outcome text such as `E71|ok`.
  static func unnamedErrnos(in outcomes: String) -> [Int32] {
    outcomes.split(whereSeparator: { $0 == "|" || $0 == "+" }).compactMap { word in
      word.first == "E" ? Int32(word.dropFirst()) : nil
    }
  }

  /// Writes the file into `folder` (created if needed); returns its path.
  func write(into folder: String) throws -> String {
    try FileManager.default.createDirectory(
      atPath: folder, withIntermediateDirectories: true)
    let path = (folder as NSString).appendingPathComponent(fileName)
    try rendered().write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }
}
