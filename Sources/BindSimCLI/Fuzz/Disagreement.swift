import BindModel

/// One step where the kernel and the model disagree: a kernel outcome outside the model's
/// predicted set, or the same outcome with the socket on another port.
struct Disagreement: Hashable, Sendable {
  /// The statement's keyword (`bind`, `send`, ...).
  var keyword: String
  /// What the kernel did, and what the model predicted.
  var kernel: String
  var model: String
  /// The port text, when the outcomes agree but the ports do not.
  var port: String?
  /// The model's rule and explanation.
  var rule: String
  var explanation: String
  /// Where, in the scenario it was found in.
  var line: Int
  var statement: String

  /// What the shrinker keeps: the same statement kind with the same kernel and model outcomes
  /// (and a port disagreement stays one).
  struct Signature: Hashable, Sendable {
    var keyword: String
    var kernel: String
    var model: String
    var isPort: Bool
  }

  var signature: Signature {
    Signature(keyword: keyword, kernel: kernel, model: model, isPort: port != nil)
  }

  init(
    keyword: String, kernel: String, model: String, port: String?, rule: String,
    explanation: String, line: Int, statement: String
  ) {
    self.keyword = keyword
    self.kernel = kernel
    self.model = model
    self.port = port
    self.rule = rule
    self.explanation = explanation
    self.line = line
    self.statement = statement
  }

  /// The step's disagreement, or nil when the kernel and the model agree on it.
  init?(_ step: StepReport) {
    guard step.verdict == .fail, let kernel = step.kernel else { return nil }
    let inside = step.predicted.outcomes.contains(kernel.outcome)
    guard !inside || step.portDisagreement != nil else { return nil }
    keyword = String(step.text.prefix { $0 != " " && $0 != "\t" })
    self.kernel = kernel.outcome.description
    model = step.predicted.outcomes.description
    port = inside ? step.portDisagreement : nil
    rule = step.predicted.rule.rawValue
    explanation = step.predicted.explanation
    line = step.line
    statement = step.text
  }

  /// A replay's first disagreement. A run that stopped at an `@NAME` without a port, with
  /// every step before it agreeing, is not one: the model followed the kernel's random choices
  /// (an ephemeral port, a reuseport member) into a state where the socket the generator
  /// expected to hold a port holds none on either side (`FuzzTally.cutShort` counts these).
  static func first(in result: ReplayResult) -> Disagreement? {
    result.steps.lazy.compactMap(Disagreement.init).first
  }

  /// Whether the replay shows a disagreement with the same signature, at any step.
  static func occurs(_ signature: Signature, in result: ReplayResult) -> Bool {
    return result.steps.contains { Disagreement($0)?.signature == signature }
  }

  /// `kernel X, model Y` (with the port text for a port disagreement).
  var outcomes: String {
    "kernel \(kernel), model \(model)" + (port.map { "; \($0)" } ?? "")
  }

  /// Two disagreements are of one class when the keyword, the rule and the shape of the
  /// outcomes agree; socket names are replaced by their order of appearance (`S1`, `S2`),
  /// and port numbers are left out, so the class does not depend on how sockets were named.
  var classKey: String {
    var names: [String: String] = [:]
    func shape(_ outcome: String) -> String {
      outcome.split(separator: "|", omittingEmptySubsequences: false).map { alternative in
        alternative.split(separator: "+", omittingEmptySubsequences: false).map { part in
          let word = String(part)
          if word == "ok" || word == "nobody" || word.hasPrefix("E") && word.uppercased() == word {
            return word
          }
          if let known = names[word] { return known }
          let label = "S\(names.count + 1)"
          names[word] = label
          return label
        }.joined(separator: "+")
      }.joined(separator: "|")
    }
    let kernelShape = shape(kernel)
    let modelShape = shape(model)
    return "\(rule) \(keyword): kernel \(kernelShape), model \(modelShape)"
      + (port == nil ? "" : " (port)")
  }
}
