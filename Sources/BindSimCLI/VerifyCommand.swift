import BindModel
import Dispatch
import Foundation
import KernelReplay
import ScenarioLanguage
import Synchronization

/// `bindsim verify PATH...`: replays each scenario on the real kernel, in a child process inside
/// a fresh network namespace, and reports every step where kernel, model and file disagree.
struct VerifyCommand {
  var options: Invocation.VerifyOptions
  var style: Style
  var environment: [String: String]

  /// How one file's replay ended.
  enum FileOutcome: Sendable {
    case replayed(ReplayResult)
    case failedToLoad(ScenarioFile.LoadError)
    case timedOut
    case noNamespace(String)
    case crashed(String)
  }

  func execute(output: inout some TextOutputStream, errors: inout some TextOutputStream)
    -> ExitStatus
  {
    if options.update && environment["CI"] != nil && !options.force {
      errors.write(
        "error: --update rewrites scenario files and is refused when CI is set; add --force to insist\n"
      )
      return .usage
    }
    let paths = ScenarioFile.expand(options.paths)
    let outcomes = replayAll(paths)
    var status = ExitStatus.success
    var passed = 0
    var failed = 0
    var release = ""
    for (path, outcome) in zip(paths, outcomes) {
      switch outcome {
      case .failedToLoad(let error):
        errors.write(error.message + "\n")
        status = .worst(status, error.status)
      case .noNamespace(let why):
        errors.write("error: \(why)\n")
        errors.write(
          "bindsim verify needs a private network namespace: run it as root, or where unprivileged user namespaces are enabled; it never replays in the caller's namespace\n"
        )
        return .noNamespace
      case .timedOut:
        failed += 1
        output.write(
          "\(path): " + style.red("timed out after \(options.timeout) s; the replay was killed")
            + "\n")
      case .crashed(let why):
        failed += 1
        output.write("\(path): " + style.red("the replay failed: \(why)") + "\n")
        status = .worst(status, .software)
      case .replayed(let result):
        release = result.release
        if let runError = result.runError, case .success(let file) = ScenarioFile.load(path) {
          errors.write(file.rendered(runError.error) + "\n")
          status = .worst(status, .dataError)
        }
        for step in result.steps where step.verdict != .unjudged {
          if step.verdict == .pass {
            passed += 1
            continue
          }
          failed += 1
          output.write("\(path):\(step.line): " + style.red(disagreement(step)) + "\n")
          output.write(
            "    \(step.text)\n    \(style.dim("[\(step.predicted.rule)]")) \(step.predicted.explanation)\n"
          )
        }
        if options.update, case .success(let file) = ScenarioFile.load(path) {
          status = .worst(status, update(file, with: result.steps, errors: &errors))
        }
      }
    }
    output.write("\(passed) passed, \(failed) failed\n")
    if !release.isEmpty { output.write("kernel \(release)\n") }
    if failed > 0 { status = .worst(status, .failure) }
    return status
  }

  /// `kernel X, model Y, expected Z`, plus a port choice outside the predicted set.
  func disagreement(_ step: StepReport) -> String {
    let kernel = step.kernel.map { $0.outcome.description } ?? "?"
    var text = "kernel \(kernel), model \(step.predicted.outcomes)"
    text += ", expected \(step.expected.map(\.description) ?? "nothing")"
    if let port = step.portDisagreement { text += "; \(port)" }
    return text
  }

  /// Writes the kernel's outcomes into the file's expectations, keeping comments and layout;
  /// an expectation that already allows what the kernel did is left as it is.
  func update(
    _ file: ScenarioFile, with steps: [StepReport], errors: inout some TextOutputStream
  ) -> ExitStatus {
    var expectations: [Int: OutcomeSet] = [:]
    for (step, statement) in zip(steps, file.scenario.statements) where step.isCall {
      guard let kernel = step.kernel?.outcome else { continue }
      if let expected = step.expected {
        if expected.contains(kernel) { continue }
      } else if kernel == .ok && !Self.teaches(statement.action) {
        // A bare `socket`, `setsockopt` or `close` that succeeded stays bare.
        continue
      }
      expectations[step.line] = OutcomeSet(kernel)
    }
    guard !expectations.isEmpty else { return .success }
    let rewritten = ExpectationRewriter.rewrite(source: file.source, expectations: expectations)
    do {
      try rewritten.write(toFile: file.path, atomically: true, encoding: .utf8)
    } catch {
      errors.write("error: cannot write '\(file.path)': \(error.localizedDescription)\n")
      return .cannotCreate
    }
    return .success
  }

  /// Whether a call is worth an expectation even when it succeeds.
  static func teaches(_ action: Action) -> Bool {
    switch action {
    case .bind, .listen, .connect, .disconnect, .accept, .send, .join: true
    default: false
    }
  }

  /// Replays every file, `jobs` at a time, each in its own child process.
  func replayAll(_ paths: [String]) -> [FileOutcome] {
    let executable = environment["BINDSIM_EXECUTABLE"] ?? "/proc/self/exe"
    let jobs = options.jobs > 0 ? options.jobs : ProcessInfo.processInfo.activeProcessorCount
    let timeout = Duration.milliseconds(Int64(options.timeout * 1000))
    let results = Mutex<[Int: FileOutcome]>([:])
    let next = Atomic<Int>(0)
    let group = DispatchGroup()
    for _ in 0..<max(1, min(jobs, paths.count)) {
      group.enter()
      let thread = Thread {
        while true {
          let index = next.add(1, ordering: .relaxed).oldValue
          guard index < paths.count else { break }
          let outcome = Self.replay(paths[index], executable: executable, timeout: timeout)
          results.withLock { $0[index] = outcome }
        }
        group.leave()
      }
      thread.start()
    }
    group.wait()
    return results.withLock { all in paths.indices.map { all[$0]! } }
  }

  /// Loads one file and replays it in a child: `bindsim __replay PATH`, scenario on stdin.
  static func replay(_ path: String, executable: String, timeout: Duration) -> FileOutcome {
    let file: ScenarioFile
    switch ScenarioFile.load(path) {
    case .failure(let error): return .failedToLoad(error)
    case .success(let f): file = f
    }
    let child = ChildProcess(
      executable: executable, arguments: ["__replay", path], timeout: timeout)
    let result: ChildProcessResult
    do {
      result = try child.run(input: Array(file.source.utf8))
    } catch {
      return .crashed("cannot start \(executable): \(error)")
    }
    if result.timedOut { return .timedOut }
    let stderr = String(decoding: result.standardError, as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    switch result.termination {
    case .exited(ExitStatus.noNamespace.rawValue):
      return .noNamespace(stderr)
    case .exited(0):
      do {
        return .replayed(
          try JSONDecoder().decode(ReplayResult.self, from: Data(result.standardOutput)))
      } catch {
        return .crashed("unreadable replay report: \(error)")
      }
    default:
      return .crashed("the replay \(result.termination)\(stderr.isEmpty ? "" : ": \(stderr)")")
    }
  }
}
