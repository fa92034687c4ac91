import BindModel
import Foundation
import ScenarioLanguage
import Testing

@testable import BindSimCLI

/// The parser fuzzer: its mutations, and the invariants it checks.
struct FuzzMutatorTests {
  static let scenarios: String = {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Scenarios").path
  }()

  static let corpus: [[UInt8]] = ScenarioFile.expand([scenarios]).compactMap {
    FileManager.default.contents(atPath: $0).map { [UInt8]($0) }
  }

  static let sample = Array("socket a udp4 SO_REUSEADDR\nbind a 127.0.0.1:7000 => ok\n".utf8)

  @Test func `mutations are reproducible from the seed`() {
    let mutator = ScenarioMutator(corpus: [Self.sample])
    for index in 0..<100 {
      var one = FuzzRandom(seed: 3, index: index)
      var two = FuzzRandom(seed: 3, index: index)
      #expect(
        mutator.mutate(Self.sample, random: &one) == mutator.mutate(Self.sample, random: &two))
    }
  }

  @Test(arguments: ScenarioMutator.Mutation.allCases)
  func `each mutation changes the input`(mutation: ScenarioMutator.Mutation) {
    let mutator = ScenarioMutator(corpus: [Self.sample])
    var changed = 0
    for index in 0..<50 {
      var random = FuzzRandom(seed: 9, index: index)
      if mutator.apply(mutation, to: Self.sample, random: &random) != Self.sample { changed += 1 }
    }
    #expect(changed >= 25, "\(mutation) changed only \(changed) of 50")
  }

  @Test func `NUL and invalid UTF-8 are rejected with a location inside the input`() {
    let mutator = ScenarioMutator(corpus: [Self.sample])
    for mutation in [ScenarioMutator.Mutation.insertNUL, .insertInvalidUTF8] {
      for index in 0..<30 {
        var random = FuzzRandom(seed: 5, index: index)
        let input = mutator.apply(mutation, to: Self.sample, random: &random)
        #expect(throws: ScenarioError.self) { try ScenarioParser.parse(bytes: input) }
        #expect(ParserFuzzCommand.check(input, fileName: "x", budget: .seconds(1)) == nil)
      }
    }
  }

  @Test func `locations outside the input are caught`() {
    let bytes = Array("bind\nsocket a udp4\n".utf8)
    func problem(_ line: Int, _ column: Int) -> String? {
      ParserFuzzCommand.locationProblem(
        SourceLocation(line: line, column: column), in: bytes, what: "error")
    }
    #expect(problem(1, 1) == nil)
    #expect(problem(2, 14) == nil)
    #expect(problem(3, 1) == nil)
    #expect(problem(4, 1) == nil)
    #expect(problem(0, 1) != nil)
    #expect(problem(1, 0) != nil)
    #expect(problem(5, 1) != nil)
    #expect(problem(1, 6) != nil)
    #expect(problem(2, 15) != nil)
  }

  @Test func `mutations of the shipped scenarios keep every invariant`() {
    #expect(!Self.corpus.isEmpty)
    let mutator = ScenarioMutator(corpus: Self.corpus)
    var rejected = 0
    for index in 0..<2000 {
      // The budget only catches hangs; it is generous because tests share the machine.
      var random = FuzzRandom(seed: 11, index: index)
      let input = mutator.mutate(Self.corpus[random.below(Self.corpus.count)], random: &random)
      #expect(ParserFuzzCommand.check(input, fileName: "f", budget: .seconds(10)) == nil)
      if (try? ScenarioParser.parse(bytes: input)) == nil { rejected += 1 }
    }
    // Both sides of the parser are exercised.
    #expect(rejected > 200 && rejected < 1800, "\(rejected) of 2000 rejected")
  }

  @Test func `fuzz --parser reports passed and failed`() throws {
    let dir = try CLI.folder(["a.scenario": String(decoding: Self.sample, as: UTF8.self)])
    let result = CLI.run(["fuzz", "--parser", "--seed", "1", "--count", "300", dir])
    #expect(result.status == .success, "\(result.output)\(result.errors)")
    #expect(result.output.hasSuffix("300 passed, 0 failed\n"))
  }

  @Test func `fuzz has help`() {
    let result = CLI.run(["fuzz", "--help"])
    #expect(result.status == .success)
    #expect(result.output.contains("USAGE: bindsim fuzz"))
    #expect(CLI.run(["--help"]).output.contains("  fuzz "))
  }

  @Test(arguments: [
    (["fuzz", "--parser"], "error: --parser needs scenario files or folders\n"),
    (
      ["fuzz", "Scenarios"], "error: unexpected argument 'Scenarios' (only --parser takes paths)\n"
    ),
    (["fuzz", "--jobs", "0"], "error: --jobs must be at least 1\n"),
    (["fuzz", "--count", "many"], "error: 'many' is not a valid value for --count\n"),
    (["fuzz", "--sead", "1"], "error: unknown option '--sead'; did you mean '--seed'?\n"),
  ])
  func `fuzz usage errors exit 64`(arguments: [String], message: String) {
    let result = CLI.run(arguments)
    #expect(result.status == .usage)
    #expect(result.errors.hasPrefix(message))
  }
}
