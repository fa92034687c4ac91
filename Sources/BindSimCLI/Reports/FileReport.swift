import BindModel
import ScenarioLanguage

/// What happened to one scenario file in `check` or `verify`.
struct FileReport: Sendable {
  /// A file that could not be judged step by step.
  enum Problem: Sendable {
    /// Not a valid scenario (exit 65): the compiler-style message and where.
    case invalid(message: String, line: Int, column: Int, rendered: String)
    /// Cannot be read (exit 66).
    case unreadable(String)
    /// The replay outlived its time limit (a failure).
    case timedOut(seconds: Double)
    /// The replay child failed (exit 70).
    case crashed(String)

    var status: ExitStatus {
      switch self {
      case .invalid: .dataError
      case .unreadable: .noInput
      case .timedOut: .failure
      case .crashed: .software
      }
    }

    /// One line for people and annotations.
    var summary: String {
      switch self {
      case .invalid(let message, _, _, _): message
      case .unreadable(let reason): reason
      case .timedOut(let seconds): "timed out after \(seconds) s; the replay was killed"
      case .crashed(let why): "the replay failed: \(why)"
      }
    }

    var line: Int? {
      if case .invalid(_, let line, _, _) = self { return line }
      return nil
    }
  }

  enum Verdict: String, Sendable, Codable {
    case pass, fail, error
  }

  var path: String
  var steps: [StepReport] = []
  var problem: Problem?

  /// The steps that disagree.
  var failures: [StepReport] { steps.filter { $0.verdict == .fail } }
  var passedCount: Int { steps.filter { $0.verdict == .pass }.count }

  var verdict: Verdict {
    if let problem {
      if case .timedOut = problem { return .fail }
      return .error
    }
    return failures.isEmpty ? .pass : .fail
  }

  /// The file error of a load that failed.
  static func problem(_ error: ScenarioFile.LoadError) -> Problem {
    switch error {
    case .unreadable(let path, let reason): .unreadable("cannot read '\(path)': \(reason)")
    case .invalid(_, let rendered, let e):
      .invalid(
        message: e.message, line: e.location.line, column: e.location.column, rendered: rendered)
    }
  }

  /// The file error of a run that stopped at an `@NAME` without a port.
  static func problem(_ error: RunError, in file: ScenarioFile) -> Problem {
    .invalid(
      message: error.message, line: error.location.line, column: error.location.column,
      rendered: file.rendered(error))
  }
}

/// A whole `check` or `verify` run, ready to render in any format.
struct RunReport: Sendable {
  /// `check` or `verify`.
  var command: String
  var files: [FileReport]
  /// `uname -r` of the kernel, when verifying.
  var kernelRelease: String?

  var passed: Int { files.reduce(0) { $0 + $1.passedCount } }
  /// Disagreeing steps, plus files that timed out or crashed.
  var failed: Int {
    files.reduce(0) { total, file in
      switch file.problem {
      case .timedOut?, .crashed?: total + 1
      default: total + file.failures.count
      }
    }
  }

  var status: ExitStatus {
    var status = ExitStatus.success
    for file in files {
      if let problem = file.problem { status = .worst(status, problem.status) }
      if !file.failures.isEmpty { status = .worst(status, .failure) }
    }
    return status
  }

  /// `kernel X, model Y, expected Z` for verify, `expected X, model predicts Y` for check.
  func disagreement(_ step: StepReport) -> String {
    guard let kernel = step.kernel else {
      return
        "expected \(step.expected.map(\.description) ?? "nothing"), model predicts \(step.predicted.outcomes)"
    }
    var text = "kernel \(kernel.outcome), model \(step.predicted.outcomes)"
    text += ", expected \(step.expected.map(\.description) ?? "nothing")"
    if let port = step.portDisagreement { text += "; \(port)" }
    return text
  }
}
