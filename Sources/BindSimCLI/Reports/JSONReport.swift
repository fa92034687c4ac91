import BindModel
import Foundation

/// One JSON document per run (schema in the README, "Reports").
struct JSONReport {
  struct Document: Codable {
    var tool = "bindsim"
    var version: String
    var command: String
    var kernelRelease: String?
    var files: [File]
    var totals: Totals
  }

  struct File: Codable {
    var path: String
    var verdict: FileReport.Verdict
    var error: FileError?
    var steps: [Step]
  }

  struct FileError: Codable {
    var line: Int?
    var column: Int?
    var message: String
  }

  struct Step: Codable {
    var line: Int
    var statement: String
    var expected: String?
    var predicted: String
    var kernel: String?
    var rule: String
    var explanation: String
    var verdict: Verdict
    var portDisagreement: String?
  }

  struct Totals: Codable {
    var files: Int
    var passed: Int
    var failed: Int
    var fileErrors: Int
  }

  static func document(_ report: RunReport) -> Document {
    let files = report.files.map { file in
      var error: FileError?
      if let problem = file.problem {
        if case .invalid(_, let line, let column, _) = problem {
          error = FileError(line: line, column: column, message: problem.summary)
        } else {
          error = FileError(line: nil, column: nil, message: problem.summary)
        }
      }
      return File(
        path: file.path, verdict: file.verdict, error: error,
        steps: file.steps.filter(\.isCall).map { step in
          Step(
            line: step.line, statement: step.text, expected: step.expected?.description,
            predicted: step.predicted.outcomes.description,
            kernel: step.kernel?.outcome.description, rule: step.predicted.rule.rawValue,
            explanation: step.predicted.explanation, verdict: step.verdict,
            portDisagreement: step.portDisagreement)
        })
    }
    return Document(
      version: Help.version.split(separator: " ").last.map(String.init) ?? "",
      command: report.command, kernelRelease: report.kernelRelease, files: files,
      totals: Totals(
        files: report.files.count, passed: report.passed, failed: report.failed,
        fileErrors: report.files.filter { $0.verdict == .error }.count))
  }

  func render(_ report: RunReport, output: inout some TextOutputStream) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(Self.document(report))) ?? Data("{}".utf8)
    output.write(String(decoding: data, as: UTF8.self) + "\n")
  }
}
