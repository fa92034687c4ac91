/// How one step came out.
public enum Verdict: String, Hashable, Sendable, Codable {
  /// The file wrote an expectation and everything agrees.
  case pass
  /// Something disagrees (see the step's fields).
  case fail
  /// No expectation and nothing to compare (model only).
  case unjudged
}

/// One statement's result: what the file expects, what the model predicts, and (when
/// replaying) what the kernel did.
public struct StepReport: Hashable, Sendable, Codable {
  public var line: Int
  public var text: String
  public var expected: OutcomeSet?
  public var predicted: Prediction
  public var kernel: Observation?
  /// Set when the kernel's port choice fell outside the model's predicted set.
  public var portDisagreement: String?
  /// The local port the model's socket holds after the step (0 for none).
  public var modelPort: UInt16
  public var verdict: Verdict

  /// Whether the statement is a call with an outcome worth printing (not environment).
  public var isCall: Bool
}

/// A problem only the model can detect while running: `@NAME` for a socket without a port.
public struct RunError: Error, Hashable, Sendable {
  public var location: SourceLocation
  public var length: Int
  public var message: String

  public init(location: SourceLocation, length: Int, message: String) {
    self.location = location
    self.length = length
    self.message = message
  }
}

/// Walks a scenario, asking the model (and, when replaying, the kernel) for every statement.
/// The model follows the kernel's choices where the kernel may choose.
public enum Runner {
  /// The result of a run: the steps and the final model state.
  public struct Result: Sendable {
    public var steps: [StepReport]
    /// The final state of every host.
    public var network: Network
  }

  /// Runs the model alone, or in lock-step with `kernel` (which performs each action for real,
  /// on the named host, and reports what happened).
  public static func run(
    _ scenario: Scenario, seed: UInt64 = 0x5EED_B1ED,
    kernel: ((Action, String) -> Observation)? = nil
  ) throws(RunError) -> Result {
    var model = Network(scenario: scenario)
    var choices = Choices(seed: seed)
    var steps: [StepReport] = []
    steps.reserveCapacity(scenario.statements.count)
    for statement in scenario.statements {
      let endpoint = try resolve(statement, in: model)
      let observation = kernel?(statement.action, model.host(for: statement.action))
      choices.observe(observation)
      let prediction = model.perform(statement.action, endpoint: endpoint, choices: &choices)
      var report = StepReport(
        line: statement.location.line, text: statement.text, expected: statement.expectation,
        predicted: prediction, kernel: observation, portDisagreement: nil,
        modelPort: statement.action.socketName.flatMap { model.socket(named: $0)?.reportedPort }
          ?? 0,
        verdict: .unjudged, isCall: statement.action.isCall)
      judge(&report, action: statement.action)
      steps.append(report)
    }
    return Result(steps: steps, network: model)
  }

  /// Fills in `@NAME` ports from the model's state.
  static func resolve(_ statement: Statement, in model: Network) throws(RunError) -> Endpoint? {
    let spec: EndpointSpec?
    switch statement.action {
    case .bind(_, let e), .connect(_, let e): spec = e
    case .send(_, let e): spec = e
    default: spec = nil
    }
    guard let spec else { return nil }
    switch spec.port {
    case .number(let n): return spec.resolved(port: n)
    case .heldBy(let name):
      // The kernel side asks getsockname, which still shows a port a refused connect or a
      // disconnect released (`inet_sport`).
      guard let s = model.anySocket(named: name),
        s.reportedPort != 0
      else {
        let column = statement.location.column
        throw RunError(
          location: SourceLocation(line: statement.location.line, column: column),
          length: statement.text.count,
          message: "socket '\(name)' holds no port here, so '@\(name)' has no value")
      }
      return spec.resolved(port: s.reportedPort)
    }
  }

  /// Compares expectation, prediction and kernel observation.
  static func judge(_ report: inout StepReport, action: Action) {
    var agree = true
    if let kernel = report.kernel {
      if !report.predicted.outcomes.contains(kernel.outcome) { agree = false }
      if let expected = report.expected, !expected.contains(kernel.outcome) { agree = false }
      if action.isCall, kernel.outcome == report.predicted.outcomes.single,
        kernel.localPort != report.modelPort, action.socketName != nil
      {
        if case .close = action {
        } else {
          agree = false
          report.portDisagreement =
            "the kernel's socket holds port \(kernel.localPort), the model's \(report.modelPort == 0 ? "none" : String(report.modelPort))"
            + (report.predicted.portChoice.map { " (the model predicted \($0))" } ?? "")
        }
      }
      report.verdict =
        agree ? (report.expected == nil && !action.isCall ? .unjudged : .pass) : .fail
      return
    }
    guard let expected = report.expected else {
      report.verdict = .unjudged
      return
    }
    report.verdict = report.predicted.outcomes.isSubset(of: expected) ? .pass : .fail
  }
}
