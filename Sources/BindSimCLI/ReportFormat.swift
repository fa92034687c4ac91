/// How `check` and `verify` print their results.
enum ReportFormat: String, CaseIterable, Equatable, Sendable {
  /// Lines for people, with a closing `N passed, M failed`.
  case text
}
