import BindModel
import Foundation
import ScenarioLanguage

/// `bindsim fuzz --parser PATH...`: mutates the scenario files under PATH at random and feeds
/// each mutation to the parser and, when it parses, to the model, in this process (no kernel).
///
/// Every input must come back without a crash and within the time budget, and every rejection
/// must be a proper `ScenarioError` (or a model `RunError`) whose location lies inside the
/// input and whose rendering starts with `FILE:LINE:COLUMN: error: `. Inputs that break a rule
/// are written into the output folder; the last line is `N passed, M failed`.
struct ParserFuzzCommand {
  var options: Invocation.FuzzOptions
  var progressIsLive: Bool

  /// A hang is declared (and the run ended) after this many budgets.
  static let hangFactor = 10

  func execute(output: inout some TextOutputStream, errors: inout some TextOutputStream)
    -> ExitStatus
  {
    let paths = ScenarioFile.expand(options.paths)
    var corpus: [(path: String, bytes: [UInt8])] = []
    for path in paths {
      guard let data = FileManager.default.contents(atPath: path) else {
        errors.write("error: cannot read '\(path)'\n")
        return .noInput
      }
      corpus.append((path, [UInt8](data)))
    }
    guard !corpus.isEmpty else {
      errors.write("error: no *.scenario files under \(options.paths.joined(separator: " "))\n")
      return .noInput
    }
    let seed = options.seed ?? FuzzCommand.clockSeed()
    let count = options.count ?? Invocation.FuzzOptions.defaultParserCount
    let budget = Duration.milliseconds(Int64((options.timeout ?? 1) * 1000))
    let mutator = ScenarioMutator(corpus: corpus.map(\.bytes))
    let watchdog = ParserWatchdog(
      limit: budget * Self.hangFactor, folder: options.out, seed: seed)
    watchdog.start()
    defer { watchdog.stop() }
    var progress = FuzzProgress(isLive: progressIsLive)
    let started = ContinuousClock.now
    var passed = 0
    var failed = 0
    var status = ExitStatus.success
    for index in 0..<count {
      var random = FuzzRandom(seed: seed, index: index)
      let file = corpus[random.below(corpus.count)]
      let input = mutator.mutate(file.bytes, random: &random)
      watchdog.begin(index, name: file.path, input: input)
      let problem = Self.check(input, fileName: file.path, budget: budget)
      watchdog.end()
      guard let problem else {
        passed += 1
        if index % 250 == 0 {
          progress.show("parser fuzz: \(index)/\(count) inputs, \(failed) failed")
        }
        continue
      }
      failed += 1
      progress.clear()
      let name = "parser-s\(seed)-\(index).scenario"
      let path = (options.out as NSString).appendingPathComponent(name)
      do {
        try FileManager.default.createDirectory(
          atPath: options.out, withIntermediateDirectories: true)
        try Data(input).write(to: URL(fileURLWithPath: path))
      } catch {
        errors.write("error: cannot write '\(path)': \(error.localizedDescription)\n")
        status = .cannotCreate
      }
      output.write("\(path) (mutation \(index) of \(file.path)): \(problem)\n")
    }
    progress.clear()
    let seconds = FuzzCommand.seconds(started.duration(to: .now))
    output.write(
      "parser fuzz: seed \(seed), \(count) mutations of \(corpus.count) files in "
        + "\(FuzzCommand.rate(seconds)) s\n")
    output.write("\(passed) passed, \(failed) failed\n")
    if status != .success { return status }
    return failed == 0 ? .success : .failure
  }

  /// What is wrong with how the parser and the model treat `bytes`, or nil if nothing.
  static func check(_ bytes: [UInt8], fileName: String, budget: Duration) -> String? {
    let started = ContinuousClock.now
    var problem: String?
    do {
      let scenario = try ScenarioParser.parse(bytes: bytes)
      do {
        _ = try Runner.run(scenario)
      } catch {
        problem = locationProblem(error.location, in: bytes, what: "run error '\(error.message)'")
      }
    } catch {
      problem = locationProblem(error.location, in: bytes, what: "error '\(error.message)'")
      if problem == nil {
        let rendered = error.rendered(
          fileName: fileName, source: String(decoding: bytes, as: UTF8.self))
        let prefix = "\(fileName):\(error.location.line):\(error.location.column): error: "
        if error.message.isEmpty {
          problem = "a rejection without a message"
        } else if !rendered.hasPrefix(prefix + error.message) {
          problem = "the rendering does not start with '\(prefix)': \(rendered.prefix(120))"
        }
      }
    }
    let elapsed = started.duration(to: .now)
    if problem == nil, elapsed > budget {
      problem = "took \(elapsed), over the budget of \(budget)"
    }
    return problem
  }

  /// Whether a location lies inside the input: line 1 up to one past the last line, column at
  /// least 1 and at most one past the end of its line.
  static func locationProblem(
    _ location: SourceLocation, in bytes: [UInt8], what: String
  ) -> String? {
    let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
    guard location.line >= 1, location.column >= 1, location.line <= lines.count + 1 else {
      return "\(what) at \(location), outside the input (\(lines.count) lines)"
    }
    let length = location.line <= lines.count ? lines[location.line - 1].count : 0
    guard location.column <= length + 1 else {
      return "\(what) at \(location), past the end of its line (\(length) bytes)"
    }
    return nil
  }
}
