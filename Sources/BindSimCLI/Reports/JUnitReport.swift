import BindModel
import Foundation

/// JUnit XML as Jenkins and GitLab read it: a `testsuite` per folder, a `testcase` per file,
/// a `failure` naming the disagreeing lines (an `error` for a file error).
struct JUnitReport {
  func render(_ report: RunReport, output: inout some TextOutputStream) {
    var folders: [String: [FileReport]] = [:]
    var order: [String] = []
    for file in report.files {
      let key = file.path.lastIndex(of: "/").map { String(file.path[..<$0]) } ?? "."
      if folders[key] == nil { order.append(key) }
      folders[key, default: []].append(file)
    }
    let failures = report.files.filter { $0.verdict == .fail }.count
    let errors = report.files.filter { $0.verdict == .error }.count
    output.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
    output.write(
      "<testsuites name=\"bindsim \(report.command)\" tests=\"\(report.files.count)\" failures=\"\(failures)\" errors=\"\(errors)\">\n"
    )
    for (id, folder) in order.enumerated() {
      let files = folders[folder]!
      output.write(
        "  <testsuite id=\"\(id)\" name=\"\(Self.escape(folder))\" tests=\"\(files.count)\" failures=\"\(files.filter { $0.verdict == .fail }.count)\" errors=\"\(files.filter { $0.verdict == .error }.count)\" skipped=\"0\">\n"
      )
      if let release = report.kernelRelease {
        output.write(
          "    <properties>\n      <property name=\"kernel\" value=\"\(Self.escape(release))\"/>\n    </properties>\n"
        )
      }
      for file in files {
        let name = file.path.split(separator: "/").last.map(String.init) ?? file.path
        let classname = folder.replacingOccurrences(of: "/", with: ".")
        output.write(
          "    <testcase name=\"\(Self.escape(name))\" classname=\"\(Self.escape(classname))\" file=\"\(Self.escape(file.path))\">\n"
        )
        if let problem = file.problem {
          let tag = file.verdict == .error ? "error" : "failure"
          output.write(
            "      <\(tag) message=\"\(Self.escape(problem.summary))\" type=\"\(tag == "error" ? "file-error" : "replay")\">\(Self.escape(problem.summary))</\(tag)>\n"
          )
        } else if !file.failures.isEmpty {
          let lines = file.failures.map { "line \($0.line)" }.joined(separator: ", ")
          let details = file.failures.map {
            "\(file.path):\($0.line): \(report.disagreement($0))\n    \($0.text)\n    [\($0.predicted.rule)] \($0.predicted.explanation)"
          }.joined(separator: "\n")
          output.write(
            "      <failure message=\"\(Self.escape("disagreement at \(lines)"))\" type=\"disagreement\">\(Self.escape(details))</failure>\n"
          )
        }
        output.write("    </testcase>\n")
      }
      output.write("  </testsuite>\n")
    }
    output.write("</testsuites>\n")
  }

  /// XML attribute and text escaping; characters XML 1.0 forbids become U+FFFD.
  static func escape(_ text: String) -> String {
    var result = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&apos;"
      case "\n": result += "&#10;"
      case "\t": result += "&#9;"
      default:
        let v = scalar.value
        let allowed = v >= 0x20 && !(0xD800...0xDFFF).contains(v) && v != 0xFFFE && v != 0xFFFF
        if allowed { result.unicodeScalars.append(scalar) } else { result += "\u{FFFD}" }
      }
    }
    return result
  }
}
