import Foundation
import Glibc
import Testing

@testable import BindModel
@testable import BindSimCLI

/// How fuzz treats its replay children when they refuse or fail, with fake children (shell
/// scripts standing in for `bindsim __replay --batch`); no kernel needed.
struct FuzzChildTests {
  /// A fake replay child: an executable script with this body.
  static func child(_ body: String) throws -> String {
    let dir = try CLI.folder([:])
    let script = dir + "/child.sh"
    try CLI.writeExecutable("#!/bin/sh\n\(body)\n", to: script)
    return script
  }

  @Test func `no private namespace means exit 77 and a reason`() throws {
    let script = try Self.child(
      "echo 'cannot create a private network namespace: unshare(CLONE_NEWNET) failed: Operation not permitted' >&2\nexit 77"
    )
    let out = try CLI.folder([:])
    let result = CLI.run(
      ["fuzz", "--seed", "1", "--count", "5", "--out", out],
      environment: ["BINDSIM_EXECUTABLE": script])
    #expect(result.status == .noNamespace)
    #expect(result.errors.contains("Operation not permitted"))
    #expect(result.errors.contains("never replays in the caller's namespace"))
    #expect(result.output.isEmpty)
  }

  @Test func `a child that dies is replaced by one child per scenario`() throws {
    // The batch child dies at once; the one-scenario children then die too, so every
    // scenario is reported as a replay that did not finish (and run once on its own).
    let log = try CLI.folder([:]) + "/runs"
    let script = try Self.child("echo run >> \(log)\ncat > /dev/null\nkill -9 $$")
    let replayer = BatchReplayer(
      executable: script, jobs: 1, batchSize: 4, timeout: .seconds(5))
    let outcomes = try replayer.replayAll(["a", "b", "c", "d"])
    #expect(outcomes.count == 4)
    for outcome in outcomes {
      guard case .crashed(let why) = outcome else {
        Issue.record("\(outcome)")
        continue
      }
      #expect(why.contains("killed by signal 9"))
    }
    let runs = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").count
    #expect(runs == 5)
  }

  @Test func `results streamed before a child hangs are kept`() throws {
    // The fake child answers the first scenario, then hangs; the others time out one by one.
    let line = #"{"index":0,"error":"scenario 0: bad"}"#
    let script = try Self.child(
      "input=$(cat)\ncase \"$input\" in *x*) echo '\(line)';; esac\nsleep 30")
    let replayer = BatchReplayer(
      executable: script, jobs: 1, batchSize: 2, timeout: .seconds(1))
    let outcomes = try replayer.replayAll(["x", "y"])
    guard case .invalid(let message) = outcomes[0] else {
      Issue.record("\(outcomes[0])")
      return
    }
    #expect(message == "scenario 0: bad")
    guard case .timedOut = outcomes[1] else {
      Issue.record("\(outcomes[1])")
      return
    }
  }

  /// A fake child that reports, for every scenario, that the kernel refused the first
  /// statement with EPERM where the model predicted ok.
  static let disagreeingChild = """
    exec python3 -c '
    import json, sys
    for index, text in enumerate(json.load(sys.stdin)):
        lines = [l.split("=>")[0].split("#")[0].strip() for l in text.splitlines()]
        steps = [
            {"line": n + 1, "verdict": "fail" if not steps_done else "pass",
             "predicted": {"outcomes": ["ok"], "rule": "socket.created", "explanation": "x"},
             "kernel": {"outcome": "EPERM" if not steps_done else "ok", "localPort": 0},
             "isCall": True, "modelPort": 0, "text": l}
            for steps_done, (n, l) in enumerate((n, l) for n, l in enumerate(lines) if l)]
        result = {"steps": steps, "release": "fake"}
        print(json.dumps({"index": index, "result": result}), flush=True)
    '
    """

  @Test func `--no-shrink writes the class's scenario as generated`() throws {
    let script = try Self.child(Self.disagreeingChild)
    let out = try CLI.folder([:])
    let result = CLI.run(
      ["fuzz", "--seed", "4", "--count", "3", "--out", out, "--no-shrink"],
      environment: ["BINDSIM_EXECUTABLE": script])
    #expect(result.status == .failure, "\(result.output)\(result.errors)")
    #expect(result.output.contains("3 scenarios disagreed, in 1 distinct class"))
    let files = try FileManager.default.contentsOfDirectory(atPath: out)
    try #require(files.count == 1)
    let text = try String(contentsOfFile: "\(out)/\(files[0])", encoding: .utf8)
    let generated = ScenarioShrinker.statementLines(
      of: ScenarioGenerator.scenario(seed: 4, index: 0))
    #expect(ScenarioShrinker.statementLines(of: text) == generated)
    #expect(text.contains("(shrunk from \(generated.count) to \(generated.count) statements)"))
  }

  @Test func `without --no-shrink the same class is shrunk to one statement`() throws {
    let script = try Self.child(Self.disagreeingChild)
    let out = try CLI.folder([:])
    let result = CLI.run(
      ["fuzz", "--seed", "4", "--count", "3", "--out", out],
      environment: ["BINDSIM_EXECUTABLE": script])
    #expect(result.status == .failure, "\(result.output)\(result.errors)")
    let files = try FileManager.default.contentsOfDirectory(atPath: out)
    try #require(files.count == 1)
    let text = try String(contentsOfFile: "\(out)/\(files[0])", encoding: .utf8)
    #expect(ScenarioShrinker.statementLines(of: text).count == 1)
  }

  @Test func `a run cut short at an @NAME without a port is counted, not a disagreement`() throws {
    // The fake child agrees on the first statement, then stops as a replay does when the
    // kernel's random choice left an @NAME without a port on both sides.
    let script = try Self.child(
      """
      exec python3 -c '
      import json, sys
      for index, text in enumerate(json.load(sys.stdin)):
          step = {"line": 1, "verdict": "pass",
                  "predicted": {"outcomes": ["ok"], "rule": "socket.created", "explanation": "x"},
                  "kernel": {"outcome": "ok", "localPort": 0},
                  "isCall": True, "modelPort": 0, "text": "socket s1 udp4"}
          error = {"line": 2, "column": 1, "length": 4, "message": "no port"}
          result = {"steps": [step], "release": "fake", "runError": error}
          print(json.dumps({"index": index, "result": result}), flush=True)
      '
      """)
    let out = try CLI.folder([:])
    let result = CLI.run(
      ["fuzz", "--seed", "4", "--count", "3", "--out", out],
      environment: ["BINDSIM_EXECUTABLE": script])
    #expect(result.status == .success, "\(result.output)\(result.errors)")
    #expect(
      result.output.contains(
        "3 scenarios agreed until a random kernel choice left an @NAME without a port"))
    #expect(result.output.contains("no disagreements"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: out).isEmpty)
  }

  @Test func `only an environment statement that timed out is replayed again`() {
    func step(isCall: Bool, _ outcome: Outcome) -> StepReport {
      StepReport(
        line: 1, text: "interface eth0 192.0.2.1/24", expected: nil,
        predicted: Prediction(.ok, rule: .environment, "up"),
        kernel: Observation(outcome: outcome), portDisagreement: nil, modelPort: 0,
        verdict: .fail, isCall: isCall)
    }
    #expect(BatchReplayChild.setupTimedOut(step(isCall: false, .failed(.ETIMEDOUT))))
    #expect(!BatchReplayChild.setupTimedOut(step(isCall: true, .failed(.ETIMEDOUT))))
    #expect(!BatchReplayChild.setupTimedOut(step(isCall: false, .failed(.ENODEV))))
    #expect(!BatchReplayChild.setupTimedOut(step(isCall: false, .ok)))
  }
}
