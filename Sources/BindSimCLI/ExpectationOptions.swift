/// What `check` and `verify` both read from their command lines.
protocol ExpectationOptions {
  var paths: [String] { get set }
  var update: Bool { get set }
  var force: Bool { get set }
  var format: ReportFormat { get set }
}
