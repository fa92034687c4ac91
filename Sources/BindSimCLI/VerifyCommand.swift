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
    if let refusal = ExpectationUpdate.refusal(
      update: options.update, force: options.force, environment: environment)
    {
      errors.write(refusal)
      return .usage
    }
    let paths = ScenarioFile.expand(options.paths)
    var files: [FileReport] = []
    var status = ExitStatus.success
    var release: String?
    for (path, outcome) in zip(paths, replayAll(paths)) {
      var report = FileReport(path: path)
      switch outcome {
      case .failedToLoad(let error):
        report.problem = FileReport.problem(error)
      case .noNamespace(let why):
        errors.write("error: \(why)\n")
        errors.write(
          "bindsim verify needs a private network namespace: run it as root, or where unprivileged user namespaces are enabled; it never replays in the caller's namespace\n"
        )
        return .noNamespace
      case .timedOut:
        report.problem = .timedOut(seconds: options.timeout)
      case .crashed(let why):
        report.problem = .crashed(why)
      case .replayed(let result):
        release = result.release
        report.steps = result.steps
        if case .success(let file) = ScenarioFile.load(path) {
          if let runError = result.runError {
            report.problem = FileReport.problem(runError.error, in: file)
          }
          if options.update {
            status = .worst(
              status,
              ExpectationUpdate.write(
                file, steps: result.steps, outcome: { $0.kernel.map { OutcomeSet($0.outcome) } },
                errors: &errors))
          }
        }
      }
      files.append(report)
    }
    let report = RunReport(command: "verify", files: files, kernelRelease: release)
    options.format.render(report, style: style, output: &output, errors: &errors)
    return .worst(status, report.status)
  }

  /// Replay children at once: `--jobs`, or four per core (a replay mostly waits).
  var replayChildren: Int { options.jobs > 0 ? options.jobs : 4 * jobs }

  /// How many replays run at once: `--jobs`, or the number of cores.
  var jobs: Int { options.jobs > 0 ? options.jobs : ProcessInfo.processInfo.activeProcessorCount }

  /// Replays every file, `jobs` at a time, each in its own child process.
  func replayAll(_ paths: [String]) -> [FileOutcome] {
    let executable = environment["BINDSIM_EXECUTABLE"] ?? "/proc/self/exe"
    let timeout = Duration.milliseconds(Int64(options.timeout * 1000))
    // Files that do not load are reported as they are; the others are replayed in batches,
    // many scenarios per child (each still in its own fresh namespace), so child start-up
    // is paid once per batch. A batch child that crashes or hangs falls back to one child
    // per scenario, so a bad scenario costs only itself.
    var outcomes = [FileOutcome?](repeating: nil, count: paths.count)
    var texts: [String] = []
    var indices: [Int] = []
    for (i, path) in paths.enumerated() {
      switch ScenarioFile.load(path) {
      case .failure(let error): outcomes[i] = .failedToLoad(error)
      case .success(let file):
        texts.append(file.source)
        indices.append(i)
      }
    }
    let workers = replayChildren
    let replayer = BatchReplayer(
      executable: executable, jobs: workers,
      batchSize: max(1, min(16, texts.count / max(1, workers * 2))), timeout: timeout)
    do {
      let replayed = try replayer.replayAll(texts)
      for (k, outcome) in replayed.enumerated() {
        switch outcome {
        case .replayed(let r): outcomes[indices[k]] = .replayed(r)
        case .invalid(let why): outcomes[indices[k]] = .crashed(why)
        case .timedOut: outcomes[indices[k]] = .timedOut
        case .crashed(let why): outcomes[indices[k]] = .crashed(why)
        }
      }
    } catch {
      for i in indices { outcomes[i] = .noNamespace(error.reason) }
    }
    return outcomes.map { $0 ?? .crashed("not replayed") }
  }
}
