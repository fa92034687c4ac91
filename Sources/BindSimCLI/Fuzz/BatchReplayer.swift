import Dispatch
import Foundation
import KernelReplay
import Synchronization

/// Replays scenarios on the kernel through `bindsim __replay --batch` children: `jobs`
/// children at once, each replaying `batchSize` scenarios in fresh namespaces of its own.
///
/// When a child crashes or outlives its time limit, the results it streamed before are kept
/// and the batch's other scenarios are replayed again one per child, so one bad scenario
/// costs only itself.
struct BatchReplayer: Sendable {
  /// How one scenario's replay ended.
  enum Outcome: Sendable {
    case replayed(ReplayResult)
    /// The scenario text did not parse (the rendered diagnostic).
    case invalid(String)
    case timedOut
    case crashed(String)
  }

  /// No private network namespace can be made here (the child's reason).
  struct NoNamespace: Error, Sendable {
    var reason: String
  }

  /// The bindsim binary to re-execute (`/proc/self/exe` unless `BINDSIM_EXECUTABLE`).
  var executable: String
  /// Children at once.
  var jobs: Int
  /// Scenarios per child.
  var batchSize: Int
  /// The time limit of one scenario; a batch gets a multiple of it.
  var timeout: Duration

  /// The time limit of a child replaying `count` scenarios: generous, since a batch only
  /// times out when a scenario hangs, and then its scenarios are replayed one by one.
  func limit(forBatchOf count: Int) -> Duration {
    count <= 1 ? timeout : timeout + min(.seconds(3), timeout) * count
  }

  /// Replays scenarios `0..<count`, made on the worker threads by `scenario(index)`, and calls
  /// `report(index, text, outcome)` for each (from several threads, in no particular order).
  /// Stops handing out batches after a child found no namespace, and throws that.
  func replay(
    count: Int, scenario: @escaping @Sendable (Int) -> String,
    report: @escaping @Sendable (Int, String, Outcome) -> Void
  ) throws(NoNamespace) {
    let next = Atomic<Int>(0)
    let refusal = Mutex<NoNamespace?>(nil)
    let batches = (count + batchSize - 1) / batchSize
    let group = DispatchGroup()
    for _ in 0..<max(1, min(jobs, batches)) {
      group.enter()
      let thread = Thread {
        while refusal.withLock({ $0 == nil }) {
          let batch = next.add(1, ordering: .relaxed).oldValue
          guard batch < batches else { break }
          let indices = Array(batch * batchSize..<min(count, (batch + 1) * batchSize))
          let texts = indices.map(scenario)
          switch self.replay(texts) {
          case .failure(let error):
            refusal.withLock { $0 = $0 ?? error }
          case .success(let outcomes):
            for (i, outcome) in outcomes.enumerated() {
              report(indices[i], texts[i], outcome)
            }
          }
        }
        group.leave()
      }
      thread.start()
    }
    group.wait()
    if let error = refusal.withLock({ $0 }) { throw error }
  }

  /// Replays the given texts (in batches, in parallel) and returns their outcomes in order.
  func replayAll(_ texts: [String]) throws(NoNamespace) -> [Outcome] {
    let results = Mutex<[Int: Outcome]>([:])
    try replay(count: texts.count, scenario: { texts[$0] }) { index, _, outcome in
      results.withLock { $0[index] = outcome }
    }
    return results.withLock { all in texts.indices.map { all[$0] ?? .crashed("not replayed") } }
  }

  /// One batch in one child; what the child did not report is replayed one per child.
  func replay(_ texts: [String]) -> Result<[Outcome], NoNamespace> {
    var outcomes = [Outcome?](repeating: nil, count: texts.count)
    let run = runChild(texts)
    switch run {
    case .noNamespace(let reason): return .failure(NoNamespace(reason: reason))
    case .finished(let lines, let problem):
      for line in lines where outcomes.indices.contains(line.index) {
        if let result = line.result {
          outcomes[line.index] = .replayed(result)
        } else {
          outcomes[line.index] = .invalid(line.error ?? "invalid scenario")
        }
      }
      let missing = outcomes.indices.filter { outcomes[$0] == nil }
      if texts.count == 1 {
        for i in missing { outcomes[i] = problem ?? .crashed("the replay reported nothing") }
      } else {
        for i in missing {
          switch replay([texts[i]]) {
          case .failure(let error): return .failure(error)
          case .success(let single): outcomes[i] = single[0]
          }
        }
      }
    }
    return .success(outcomes.map { $0! })
  }

  /// How a child ended: the lines it streamed, and why it stopped early, if it did.
  private enum ChildRun {
    case noNamespace(String)
    case finished([BatchReplayLine], problem: Outcome?)
  }

  private func runChild(_ texts: [String]) -> ChildRun {
    let child = ChildProcess(
      executable: executable, arguments: ["__replay", "--batch"],
      timeout: limit(forBatchOf: texts.count))
    let result: ChildProcessResult
    do {
      let input = try JSONEncoder().encode(texts)
      result = try child.run(input: [UInt8](input))
    } catch {
      return .finished([], problem: .crashed("cannot start \(executable): \(error)"))
    }
    let stderr = String(decoding: result.standardError, as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    if result.termination == .exited(ExitStatus.noNamespace.rawValue) {
      return .noNamespace(stderr)
    }
    let decoder = JSONDecoder()
    let lines = result.standardOutput.split(separator: UInt8(ascii: "\n")).compactMap {
      try? decoder.decode(BatchReplayLine.self, from: Data($0))
    }
    if result.timedOut { return .finished(lines, problem: .timedOut) }
    if result.termination != .exited(0) {
      let why = "the replay \(result.termination)\(stderr.isEmpty ? "" : ": \(stderr)")"
      return .finished(lines, problem: .crashed(why))
    }
    return .finished(lines, problem: nil)
  }
}
