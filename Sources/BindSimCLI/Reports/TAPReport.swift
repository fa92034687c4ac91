import BindModel
import Foundation

/// TAP version 14: one test point per scenario file, disagreements as YAML diagnostics.
struct TAPReport {
  func render(_ report: RunReport, output: inout some TextOutputStream) {
    output.write("TAP version 14\n1..\(report.files.count)\n")
    for (index, file) in report.files.enumerated() {
      let ok = file.verdict == .pass
      output.write("\(ok ? "ok" : "not ok") \(index + 1) - \(Self.description(file.path))\n")
      guard !ok else { continue }
      output.write("  ---\n")
      if let problem = file.problem {
        output.write("  message: \(Self.quoted(problem.summary))\n")
        output.write("  severity: \(file.verdict == .error ? "error" : "fail")\n")
        if let line = problem.line { output.write("  line: \(line)\n") }
      } else {
        output.write(
          "  message: \(Self.quoted("\(file.failures.count) step(s) disagree"))\n  severity: fail\n"
        )
        output.write("  disagreements:\n")
        for step in file.failures {
          output.write("    - line: \(step.line)\n")
          output.write("      statement: \(Self.quoted(step.text))\n")
          output.write("      expected: \(Self.quoted(step.expected?.description ?? ""))\n")
          output.write("      predicted: \(Self.quoted(step.predicted.outcomes.description))\n")
          if let kernel = step.kernel {
            output.write("      kernel: \(Self.quoted(kernel.outcome.description))\n")
          }
          output.write("      rule: \(Self.quoted(step.predicted.rule.rawValue))\n")
          output.write("      explanation: \(Self.quoted(step.predicted.explanation))\n")
        }
      }
      output.write("  ...\n")
    }
  }

  /// A test point description may not contain `#` (it starts a directive) or a newline.
  static func description(_ text: String) -> String {
    text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "#", with: "\\#")
      .replacingOccurrences(of: "\n", with: " ")
  }

  /// A YAML double-quoted scalar (JSON-compatible escapes).
  static func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\t": result += "\\t"
      case "\r": result += "\\r"
      default:
        if scalar.value < 0x20 {
          result += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2, with: "0")
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result + "\""
  }
}

extension String {
  func leftPadded(to width: Int, with pad: Character) -> String {
    count >= width ? self : String(repeating: pad, count: width - count) + self
  }
}
