import BindModel
import Foundation

/// The default report: each disagreement as `FILE:LINE: ...` with the rule and explanation,
/// file errors on standard error, and a closing `N passed, M failed`.
struct TextReport {
  var style: Style

  func render(
    _ report: RunReport, output: inout some TextOutputStream, errors: inout some TextOutputStream
  ) {
    for file in report.files {
      switch file.problem {
      case .invalid(_, _, _, let rendered)?: errors.write(rendered + "\n")
      case .unreadable(let reason)?: errors.write("error: \(reason)\n")
      case let problem?: output.write("\(file.path): " + style.red(problem.summary) + "\n")
      case nil: break
      }
      for step in file.failures {
        output.write("\(file.path):\(step.line): " + style.red(report.disagreement(step)) + "\n")
        output.write(
          "    \(step.text)\n    \(style.dim("[\(step.predicted.rule)]")) \(step.predicted.explanation)\n"
        )
      }
    }
    output.write("\(report.passed) passed, \(report.failed) failed\n")
    if let release = report.kernelRelease { output.write("kernel \(release)\n") }
  }
}
