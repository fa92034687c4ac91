import BindModel
import Foundation
import Synchronization

/// `bindsim fuzz`: differential testing of the model against the kernel.
///
/// Generates random valid scenarios from a seed, replays each on the kernel (in batch replay
/// children, a fresh network namespace per scenario) in lock-step with the model, shrinks one
/// scenario of every distinct class of disagreement to a minimal one (re-checked on the kernel
/// at every step), and writes it, with the kernel's outcomes as expectations, into the output
/// folder. With `--parser` it fuzzes the parser instead (`ParserFuzzCommand`).
struct FuzzCommand {
  var options: Invocation.FuzzOptions
  var environment: [String: String]
  /// Whether standard output is a terminal (the progress line is shown only there).
  var progressIsLive: Bool

  /// Replay children per core when `--jobs` is not given: the replays mostly wait (for
  /// datagrams that may never come, for handshakes, for links to come up), so several run
  /// at once; more than 4 per core made runs slower on 2 cores (namespaces and veths are set
  /// up and torn down under RTNL, one at a time).
  static let jobsPerCore = 4
  /// The largest batch a replay child gets.
  static let largestBatch = 40

  func execute(output: inout some TextOutputStream, errors: inout some TextOutputStream)
    -> ExitStatus
  {
    if options.parser {
      return ParserFuzzCommand(options: options, progressIsLive: progressIsLive)
        .execute(output: &output, errors: &errors)
    }
    let seed = options.seed ?? Self.clockSeed()
    let count = options.count ?? Invocation.FuzzOptions.defaultCount
    let replayer = makeReplayer(count: count)
    var progress = FuzzProgress(isLive: progressIsLive)
    let started = ContinuousClock.now
    let tally: FuzzTally
    do {
      tally = try replayAll(count: count, seed: seed, replayer: replayer, progress: &progress)
    } catch {
      progress.clear()
      errors.write("error: \(error.reason)\n")
      errors.write(
        "bindsim fuzz needs a private network namespace: run it as root, or where unprivileged user namespaces are enabled; it never replays in the caller's namespace\n"
      )
      return .noNamespace
    }
    let replayTime = started.duration(to: .now)
    let shrinkStarted = ContinuousClock.now
    let classes = Self.classes(of: tally.found)
    var findings: [(FuzzClass, Finding?)] = []
    for (number, fuzzClass) in classes.enumerated() {
      progress.show(
        "\(options.noShrink ? "replaying" : "shrinking") \(number + 1)/\(classes.count): \(fuzzClass.representative.disagreement.classKey)"
      )
      findings.append((fuzzClass, shrink(fuzzClass, seed: seed, scenarios: count, with: replayer)))
    }
    progress.clear()
    var summary = FuzzSummary(
      seed: seed, scenarios: tally.replayed, jobs: replayer.jobs, replayTime: replayTime,
      shrinkTime: shrinkStarted.duration(to: .now))
    var status = ExitStatus.success
    for (fuzzClass, finding) in findings {
      var path: String?
      if let finding {
        do {
          path = try finding.write(into: options.out)
        } catch {
          errors.write("error: cannot write into '\(options.out)': \(error.localizedDescription)\n")
          status = .cannotCreate
        }
      }
      summary.classes.append((fuzzClass, finding, path))
    }
    for problem in tally.problems.sorted(by: { $0.index < $1.index }) {
      let name = "problem-s\(seed)-\(problem.index).scenario"
      let text = "# bindsim fuzz: seed \(seed), scenario \(problem.index): \(problem.reason)\n"
      let path = (options.out as NSString).appendingPathComponent(name)
      do {
        try FileManager.default.createDirectory(
          atPath: options.out, withIntermediateDirectories: true)
        try
          (text.split(separator: "\n").map { "# \($0)" }.joined(separator: "\n") + "\n"
          + problem.text).write(toFile: path, atomically: true, encoding: .utf8)
      } catch {
        status = .cannotCreate
      }
      summary.problems.append((problem, path))
    }
    summary.disagreements = tally.found.count
    summary.cutShort = tally.cutShort
    output.write(summary.rendered())
    if status != .success { return status }
    return tally.found.isEmpty && tally.problems.isEmpty ? .success : .failure
  }

  /// The replayer for a run of `count` scenarios: `--jobs` children (or 8 per core), and
  /// batches small enough that every child gets several.
  func makeReplayer(count: Int) -> BatchReplayer {
    let jobs =
      options.jobs > 0
      ? options.jobs : Self.jobsPerCore * ProcessInfo.processInfo.activeProcessorCount
    let batch = max(1, min(Self.largestBatch, count / max(1, jobs * 3)))
    let timeout = options.timeout ?? 10
    return BatchReplayer(
      executable: environment["BINDSIM_EXECUTABLE"] ?? "/proc/self/exe", jobs: jobs,
      batchSize: batch, timeout: .milliseconds(Int64(timeout * 1000)))
  }

  /// Replays the generated scenarios on worker threads while this thread shows progress.
  private func replayAll(
    count: Int, seed: UInt64, replayer: BatchReplayer, progress: inout FuzzProgress
  ) throws(BatchReplayer.NoNamespace) -> FuzzTally {
    let tally = Mutex(FuzzTally())
    let finished = Mutex<Result<Void, BatchReplayer.NoNamespace>?>(nil)
    let started = ContinuousClock.now
    let thread = Thread {
      let result = Result { () throws(BatchReplayer.NoNamespace) in
        try replayer.replay(
          count: count, scenario: { ScenarioGenerator.scenario(seed: seed, index: $0) }
        ) { index, text, outcome in
          tally.withLock { $0.record(index: index, text: text, outcome: outcome) }
        }
      }
      finished.withLock { $0 = result }
    }
    thread.start()
    while true {
      if let result = finished.withLock({ $0 }) {
        try result.get()
        break
      }
      let (done, found) = tally.withLock { ($0.replayed, $0.found.count) }
      let seconds = max(0.001, Self.seconds(started.duration(to: .now)))
      progress.show(
        "fuzz: \(done)/\(count) scenarios, \(Self.rate(Double(done) / seconds)) scenarios/s, "
          + "\(found) disagreement\(found == 1 ? "" : "s")")
      Thread.sleep(forTimeInterval: progress.isLive ? 0.2 : 0.05)
    }
    return tally.withLock { $0 }
  }

  /// Disagreements grouped by class, the most frequent first.
  static func classes(of found: [FuzzTally.Found]) -> [FuzzClass] {
    var byKey: [String: FuzzClass] = [:]
    for item in found.sorted(by: { $0.index < $1.index }) {
      byKey[item.disagreement.classKey, default: FuzzClass(representative: item)].count += 1
    }
    return byKey.values.sorted {
      ($0.count, -$0.representative.index) > ($1.count, -$1.representative.index)
    }
  }

  /// Shrinks the class's first scenario against the kernel, then replays the result once more
  /// for the expectations.
  private func shrink(
    _ fuzzClass: FuzzClass, seed: UInt64, scenarios: Int, with replayer: BatchReplayer
  ) -> Finding? {
    let found = fuzzClass.representative
    let signature = found.disagreement.signature
    var shrinker = ScenarioShrinker(parallelism: replayer.jobs) { candidates in
      let outcomes = (try? replayer.replayAll(candidates)) ?? []
      return candidates.indices.map { i in
        guard outcomes.indices.contains(i), case .replayed(let result) = outcomes[i] else {
          return false
        }
        return Disagreement.occurs(signature, in: result)
      }
    }
    let text =
      options.noShrink
      ? ScenarioShrinker.text(ScenarioShrinker.statementLines(of: found.text))
      : shrinker.shrink(found.text, focusLine: found.disagreement.line)
    var result: ReplayResult?
    var disagreement = found.disagreement
    if case .replayed(let final)? = (try? replayer.replayAll([text]))?.first {
      result = final
      if let step = final.steps.first(where: { Disagreement($0)?.signature == signature }) {
        disagreement = Disagreement(step)!
      }
    }
    return Finding(
      seed: seed, index: found.index, text: text, result: result, disagreement: disagreement,
      originalStatements: ScenarioShrinker.statementLines(of: found.text).count,
      occurrences: fuzzClass.count, scenarios: scenarios)
  }

  /// A seed from the clock, short enough to type.
  static func clockSeed() -> UInt64 {
    UInt64(Date().timeIntervalSince1970 * 1000) % 1_000_000
  }

  static func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
  }

  static func rate(_ value: Double) -> String { String(format: "%.1f", value) }
}
