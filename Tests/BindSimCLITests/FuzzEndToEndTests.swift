import BindModel
import Foundation
import Glibc
import ScenarioLanguage
import Testing

@testable import BindSimCLI

/// `bindsim fuzz` against the kernel (root and the built binary), and the batch replay child.
@Suite(.serialized, .canReplay)
struct FuzzEndToEndTests {
  @Test func `fuzz --count 20 replays, summarizes and writes valid findings`() throws {
    let out = try CLI.folder([:])
    let result = CLI.run(["fuzz", "--seed", "1", "--count", "20", "--out", out])
    #expect(
      result.status == .success || result.status == .failure, "\(result.output)\(result.errors)")
    #expect(result.output.hasPrefix("fuzz: seed 1, 20 scenarios in "))
    #expect(result.output.contains(" scenarios/s ("))
    let files = try FileManager.default.contentsOfDirectory(atPath: out)
    if result.status == .success {
      #expect(result.output.contains("no disagreements\n"))
      #expect(files.isEmpty)
    } else {
      #expect(result.output.contains("distinct class"))
      #expect(!files.isEmpty)
    }
    for file in files {
      let text = try String(contentsOfFile: "\(out)/\(file)", encoding: .utf8)
      #expect(text.hasPrefix("# bindsim fuzz"))
      #expect(throws: Never.self, "\(file)") { try ScenarioParser.parse(text) }
    }
  }

  @Test func `a batch replays each scenario in its own namespace`() throws {
    let replayer = BatchReplayer(
      executable: try #require(CLI.builtBinary), jobs: 2, batchSize: 3, timeout: .seconds(10))
    // The same port in every scenario: each would fail after the first in a shared namespace.
    let text = "socket a tcp4\nbind a 127.0.0.1:7000 => ok\nlisten a\n"
    let outcomes = try replayer.replayAll(Array(repeating: text, count: 7) + ["bnid a"])
    #expect(outcomes.count == 8)
    for outcome in outcomes.prefix(7) {
      guard case .replayed(let result) = outcome else {
        Issue.record("not replayed: \(outcome)")
        continue
      }
      #expect(result.steps.count == 3)
      #expect(result.steps.allSatisfy { $0.verdict != .fail })
    }
    guard case .invalid(let message) = outcomes[7] else {
      Issue.record("an invalid scenario was replayed")
      return
    }
    #expect(message.contains("unknown statement 'bnid'"))
  }
}
