import BindModel
import Foundation

/// GitHub Actions workflow commands: `::error file=PATH,line=N::MESSAGE` for every
/// disagreement and file error, then the plain totals line.
struct GitHubReport {
  func render(_ report: RunReport, output: inout some TextOutputStream) {
    for file in report.files {
      if let problem = file.problem {
        var properties = "file=\(Self.property(file.path))"
        if case .invalid(_, let line, let column, _) = problem {
          properties += ",line=\(line),col=\(column)"
        }
        output.write("::error \(properties)::\(Self.message(problem.summary))\n")
      }
      for step in file.failures {
        let message =
          "\(report.disagreement(step)) [\(step.predicted.rule)] \(step.predicted.explanation)"
        output.write(
          "::error file=\(Self.property(file.path)),line=\(step.line),title=\(Self.property("bindsim \(report.command)"))::\(Self.message(message))\n"
        )
      }
    }
    output.write("\(report.passed) passed, \(report.failed) failed\n")
  }

  /// Escapes for the message part of a workflow command.
  static func message(_ text: String) -> String {
    text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
      .replacingOccurrences(of: "\n", with: "%0A")
  }

  /// Escapes for a property value (also `:` and `,`).
  static func property(_ text: String) -> String {
    message(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(
      of: ",", with: "%2C")
  }
}
