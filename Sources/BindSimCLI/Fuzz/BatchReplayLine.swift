/// One line of the batch replay protocol: what `bindsim __replay --batch` prints for each
/// scenario it replayed, as one JSON document on one line, in input order.
struct BatchReplayLine: Codable, Sendable {
  /// The scenario's position in the batch (0-based).
  var index: Int
  /// The replay, when the scenario parsed.
  var result: ReplayResult?
  /// The rendered file error, when the scenario did not parse.
  var error: String?
}
