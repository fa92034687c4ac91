import Foundation
import Glibc
import Testing

@testable import BindSimCLI

/// How fuzz treats its replay children when they refuse or fail, with fake children (shell
/// scripts standing in for `bindsim __replay --batch`); no kernel needed.
struct FuzzChildTests {
  /// A fake replay child: an executable script with this body.
  static func child(_ body: String) throws -> String {
    let dir = try CLI.folder([:])
    let script = dir + "/child.sh"
    try "#!/bin/sh\n\(body)\n".write(toFile: script, atomically: false, encoding: .utf8)
    chmod(script, 0o755)
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
}
