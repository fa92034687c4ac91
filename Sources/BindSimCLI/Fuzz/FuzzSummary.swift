/// The end of a kernel fuzz run: throughput, and every class of disagreement with its count
/// and the file its shrunk case went to.
struct FuzzSummary {
  var seed: UInt64
  var scenarios: Int
  var jobs: Int
  var replayTime: Duration
  var shrinkTime: Duration
  var disagreements = 0
  /// Scenarios that agreed until the kernel's random choice left an `@NAME` without a port.
  var cutShort = 0
  var classes: [(FuzzClass, Finding?, String?)] = []
  var problems: [(FuzzTally.Problem, String?)] = []

  init(seed: UInt64, scenarios: Int, jobs: Int, replayTime: Duration, shrinkTime: Duration) {
    self.seed = seed
    self.scenarios = scenarios
    self.jobs = jobs
    self.replayTime = replayTime
    self.shrinkTime = shrinkTime
  }

  /// Scenarios replayed per second (generation, replay and comparison; shrinking excluded).
  var rate: Double { Double(scenarios) / max(0.001, FuzzCommand.seconds(replayTime)) }

  func rendered() -> String {
    let seconds = FuzzCommand.seconds(replayTime)
    var text =
      "fuzz: seed \(seed), \(scenarios) scenarios in \(FuzzCommand.rate(seconds)) s: "
      + "\(FuzzCommand.rate(rate)) scenarios/s (\(jobs) replay children)\n"
    if cutShort > 0 {
      text +=
        "\(cutShort) scenario\(cutShort == 1 ? "" : "s") agreed until a random kernel choice left an @NAME without a port, and stopped there\n"
    }
    if classes.isEmpty {
      text += "no disagreements\n"
    } else {
      let plural = disagreements == 1 ? "" : "s"
      text +=
        "\(disagreements) scenario\(plural) disagreed, in \(classes.count) distinct "
        + "class\(classes.count == 1 ? "" : "es") (by rule, most frequent first):\n"
      let width = classes.map { $0.0.representative.disagreement.rule.count }.max() ?? 0
      for (fuzzClass, finding, path) in classes {
        let d = finding?.disagreement ?? fuzzClass.representative.disagreement
        let count = String(fuzzClass.count)
        text +=
          String(repeating: " ", count: max(0, 6 - count.count)) + count + "  "
          + d.rule + String(repeating: " ", count: max(0, width - d.rule.count)) + "  "
          + "\(d.keyword): \(d.outcomes)\n"
        if let path, let finding {
          text += "        -> \(path) (\(finding.statements) statements)\n"
        }
      }
      text += "shrinking took \(FuzzCommand.rate(FuzzCommand.seconds(shrinkTime))) s\n"
    }
    if !problems.isEmpty {
      text += "\(problems.count) replay\(problems.count == 1 ? "" : "s") did not finish:\n"
      for (problem, path) in problems {
        text += "  scenario \(problem.index): \(problem.reason)"
        text += path.map { " -> \($0)\n" } ?? "\n"
      }
    }
    return text
  }
}
