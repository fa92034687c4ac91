/// How `check` and `verify` print their results.
enum ReportFormat: String, CaseIterable, Equatable, Sendable {
  /// Lines for people, with a closing `N passed, M failed`.
  case text
  /// One JSON document per run.
  case json
  /// TAP version 14, one test point per file.
  case tap
  /// JUnit XML, a testsuite per folder and a testcase per file.
  case junit
  /// GitHub Actions `::error` annotations.
  case github

  func render(
    _ report: RunReport, style: Style, output: inout some TextOutputStream,
    errors: inout some TextOutputStream
  ) {
    switch self {
    case .text: TextReport(style: style).render(report, output: &output, errors: &errors)
    case .json: JSONReport().render(report, output: &output)
    case .tap: TAPReport().render(report, output: &output)
    case .junit: JUnitReport().render(report, output: &output)
    case .github: GitHubReport().render(report, output: &output)
    }
  }
}
