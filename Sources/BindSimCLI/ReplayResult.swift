import BindModel

/// What a replay child reports to `verify` on its standard output, as JSON.
struct ReplayResult: Codable, Sendable {
  /// `uname -r` of the kernel that answered.
  var release: String
  var steps: [StepReport]
  /// Set when the run stopped at a file error only the model can detect (`@NAME` without a
  /// port): line, column, length, message.
  var runError: RunErrorPayload?

  struct RunErrorPayload: Codable, Sendable {
    var line: Int
    var column: Int
    var length: Int
    var message: String

    var error: RunError {
      RunError(
        location: SourceLocation(line: line, column: column), length: length, message: message)
    }
  }
}
