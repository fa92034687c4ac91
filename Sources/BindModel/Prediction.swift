/// The model's answer for one call: the outcomes the kernel may produce, the rule that decided
/// it, and one sentence that names the sockets involved.
public struct Prediction: Hashable, Sendable, Codable {
  public var outcomes: OutcomeSet
  public var rule: Rule
  public var explanation: String
  /// The ports the kernel may have picked, when the call chose an ephemeral port.
  public var portChoice: String?

  /// Whether predictions render their explanations. Rendering costs more than deciding;
  /// `bench` and bulk runs that only compare outcomes switch it off for a scope with
  /// `Prediction.$explains.withValue(false) { ... }`.
  @TaskLocal public static var explains = true
}

// The initializers live in an extension, so that the struct keeps its memberwise initializer:
// one that assigns the fields one by one makes Swift build the value in memory and then copy
// it (a retain and a release of every string in it), for every prediction made.
extension Prediction {
  public init(
    _ outcomes: OutcomeSet, rule: Rule, _ explanation: @autoclosure () -> String,
    portChoice: @autoclosure () -> String? = nil
  ) {
    let explains = Prediction.explains
    self.init(
      outcomes: outcomes, rule: rule, explanation: explains ? explanation() : "",
      portChoice: explains ? portChoice() : nil)
  }

  /// A prediction whose explanation and port choice are already rendered (empty and nil when
  /// explanations are off), so the task-local switch is not read again.
  init(_ outcomes: OutcomeSet, rule: Rule, rendered explanation: String, portChoice: String?) {
    self.init(outcomes: outcomes, rule: rule, explanation: explanation, portChoice: portChoice)
  }

  public init(_ outcome: Outcome, rule: Rule, _ explanation: @autoclosure () -> String) {
    self.init(OutcomeSet(outcome), rule: rule, explanation())
  }

  public static func failure(
    _ errno: Errno, rule: Rule, _ explanation: @autoclosure () -> String
  ) -> Prediction {
    Prediction(.failed(errno), rule: rule, explanation())
  }
}
