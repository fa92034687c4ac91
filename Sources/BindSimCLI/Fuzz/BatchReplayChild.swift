import BindModel
import Foundation
import KernelReplay
import ScenarioLanguage

/// The hidden `__replay --batch` subcommand: replays many scenarios in one child process, each
/// in its own fresh network namespace, and streams one `BatchReplayLine` per scenario.
///
/// Standard input is a JSON array of scenario texts. Every scenario gets a new namespace
/// (`unshare(CLONE_NEWNET)` again, on the one thread that does all the work); the previous
/// one dies with its sockets once its `KernelStack` is released. A line is written as soon as
/// its scenario is done, so a parent that loses the child to a crash or a timeout keeps every
/// result before it.
enum BatchReplayChild {
  static func main(output: inout some TextOutputStream, errors: inout some TextOutputStream)
    -> ExitStatus
  {
    // The first namespace is made while the process is certainly single-threaded (an
    // unprivileged user namespace needs that); the later ones are made by the same thread.
    do {
      try enterFreshNamespace()
    } catch {
      errors.write("cannot create a private network namespace: \(error)\n")
      return .noNamespace
    }
    let input = FileHandle.standardInput.readDataToEndOfFile()
    let texts: [String]
    do {
      texts = try JSONDecoder().decode([String].self, from: input)
    } catch {
      errors.write("the batch is not a JSON array of scenario texts: \(error)\n")
      return .dataError
    }
    let encoder = JSONEncoder()
    for (index, text) in texts.enumerated() {
      if index > 0 {
        do {
          try enterFreshNamespace()
        } catch {
          errors.write("cannot create a private network namespace: \(error)\n")
          return .noNamespace
        }
      }
      var line = BatchReplayLine(index: index)
      do {
        line.result = try replay(text)
      } catch {
        line.error = error.rendered(fileName: "scenario \(index)", source: text)
      }
      do {
        output.write(String(decoding: try encoder.encode(line), as: UTF8.self) + "\n")
      } catch {
        errors.write("cannot encode the replay: \(error)\n")
        return .software
      }
    }
    return .success
  }

  /// `unshare` into a new network namespace and configure it like every replay's.
  private static func enterFreshNamespace() throws(NamespaceError) {
    try NetworkNamespace.enterFresh()
    try NetworkNamespace.configureFresh()
  }

  /// Replays one scenario in the current (fresh) namespace. A run that stops at an `@NAME`
  /// without a port (in the model, which followed the kernel) is replayed again, in another
  /// fresh namespace, up to the statement before it, so the steps that led there are kept.
  static func replay(_ text: String) throws(ScenarioError) -> ReplayResult {
    var result = try replayOnce(text)
    // Setting up an interface waits for the kernel (the carrier comes on in the link-watch
    // work, under RTNL), which on a machine tearing down many namespaces at once can take
    // longer than the wait allows. That says nothing about the model: try again in a fresh
    // namespace (twice at most) before reporting it.
    for _ in 0..<2 where result.steps.contains(where: Self.setupTimedOut) {
      guard (try? enterFreshNamespace()) != nil else { break }
      result = try replayOnce(text)
    }
    return result
  }

  /// Whether an environment statement (`interface`, `link`) timed out on the kernel side.
  static func setupTimedOut(_ step: StepReport) -> Bool {
    !step.isCall && step.kernel?.outcome == .failed(.ETIMEDOUT)
  }

  private static func replayOnce(_ text: String) throws(ScenarioError) -> ReplayResult {
    let scenario = try ScenarioParser.parse(text)
    var result = ReplayResult(release: NetworkNamespace.kernelRelease(), steps: [], runError: nil)
    do {
      result.steps = try run(scenario)
    } catch {
      result.runError = ReplayResult.RunErrorPayload(
        line: error.location.line, column: error.location.column, length: error.length,
        message: error.message)
      let before = scenario.statements.filter { $0.location.line < error.location.line }
      if !before.isEmpty, (try? enterFreshNamespace()) != nil {
        result.steps = (try? run(Scenario(statements: before))) ?? []
      }
    }
    return result
  }

  /// One run in lock-step with a new kernel stack, released (closing every socket) at the end.
  private static func run(_ scenario: Scenario) throws(RunError) -> [StepReport] {
    guard
      let kernel = try? KernelNetwork(
        hosts: Network.hosts(of: scenario), links: Network.links(of: scenario))
    else { return [] }
    defer { withExtendedLifetime(kernel) {} }
    return try Runner.run(
      scenario, kernel: { action, host in kernel.perform(action, host: host) }
    ).steps
  }
}
