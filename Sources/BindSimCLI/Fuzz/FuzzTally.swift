/// What the kernel fuzzer has seen so far, shared between the replay threads and the thread
/// that shows progress.
struct FuzzTally: Sendable {
  /// A scenario whose replay disagreed with the model.
  struct Found: Sendable {
    var index: Int
    var text: String
    var disagreement: Disagreement
  }

  /// A scenario whose replay did not finish (timed out or crashed) or could not start.
  struct Problem: Sendable {
    var index: Int
    var text: String
    var reason: String
  }

  var replayed = 0
  /// Replays that agreed up to an `@NAME` the kernel's random choices left without a port.
  var cutShort = 0
  var found: [Found] = []
  var problems: [Problem] = []

  /// Counts one replay's outcome.
  mutating func record(index: Int, text: String, outcome: BatchReplayer.Outcome) {
    replayed += 1
    switch outcome {
    case .replayed(let result):
      if let disagreement = Disagreement.first(in: result) {
        found.append(Found(index: index, text: text, disagreement: disagreement))
      } else if result.runError != nil {
        cutShort += 1
      }
    case .invalid(let message):
      problems.append(Problem(index: index, text: text, reason: "invalid scenario: \(message)"))
    case .timedOut:
      problems.append(Problem(index: index, text: text, reason: "the replay timed out"))
    case .crashed(let why):
      problems.append(Problem(index: index, text: text, reason: why))
    }
  }
}
