import BindModel
import Foundation
import ScenarioLanguage

/// `--update`: writes outcomes into a file's expectations, keeping comments and layout.
///
/// An expectation that already allows the outcome is left alone; a bare `socket`,
/// `setsockopt` or `close` that succeeded stays bare.
enum ExpectationUpdate {
  /// Refuses under CI unless forced; nil when allowed.
  static func refusal(update: Bool, force: Bool, environment: [String: String]) -> String? {
    guard update, environment["CI"] != nil, !force else { return nil }
    return
      "error: --update rewrites scenario files and is refused when CI is set; add --force to insist\n"
  }

  /// Rewrites `file` so each call's expectation allows `outcome(step)`.
  static func write(
    _ file: ScenarioFile, steps: [StepReport], outcome: (StepReport) -> OutcomeSet?,
    errors: inout some TextOutputStream
  ) -> ExitStatus {
    var expectations: [Int: OutcomeSet] = [:]
    for (step, statement) in zip(steps, file.scenario.statements) where step.isCall {
      guard let new = outcome(step) else { continue }
      if let expected = step.expected {
        if new.isSubset(of: expected) { continue }
      } else if new == OutcomeSet(.ok) && !teaches(statement.action) {
        continue
      }
      expectations[step.line] = new
    }
    guard !expectations.isEmpty else { return .success }
    let rewritten = ExpectationRewriter.rewrite(source: file.source, expectations: expectations)
    do {
      try rewritten.write(toFile: file.path, atomically: true, encoding: .utf8)
    } catch {
      errors.write("error: cannot write '\(file.path)': \(error.localizedDescription)\n")
      return .cannotCreate
    }
    return .success
  }

  /// Whether a call is worth an expectation even when it succeeds.
  static func teaches(_ action: Action) -> Bool {
    switch action {
    case .bind, .listen, .connect, .disconnect, .accept, .send, .join: true
    default: false
    }
  }
}
