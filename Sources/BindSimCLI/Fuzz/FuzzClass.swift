/// The disagreements of one class in a fuzz run (same rule, statement kind and outcome
/// shapes): how many scenarios showed one, and the first of them, which gets shrunk.
struct FuzzClass: Sendable {
  var representative: FuzzTally.Found
  var count = 0
}
