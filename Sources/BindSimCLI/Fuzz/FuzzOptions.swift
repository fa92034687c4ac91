extension Invocation {
  /// `bindsim fuzz [--parser] [--seed S] [--count N] [--out DIR] [--jobs J] [PATH...]`.
  struct FuzzOptions: Equatable, Sendable {
    /// Mutate scenario files and feed them to the parser (in-process) instead of replaying
    /// generated scenarios on the kernel.
    var parser = false
    /// The seed of the run; nil picks one from the clock (and the summary names it).
    var seed: UInt64?
    /// How many scenarios (or parser inputs) to try; nil is the mode's default.
    var count: Int?
    /// Where shrunk disagreements (and failing parser inputs) are written.
    var out = "fuzz-findings"
    /// Replay children at once; 0 picks a number from the cores.
    var jobs = 0
    /// The time limit per scenario (kernel) or per input (parser), in seconds.
    var timeout: Double?
    /// `--parser`: the files or folders whose `*.scenario` files are mutated.
    var paths: [String] = []
    /// Write each class's first scenario as found, without shrinking it (a quick survey).
    var noShrink = false

    /// The default number of generated scenarios, and of parser mutations.
    static let defaultCount = 1000
    static let defaultParserCount = 10000
  }

  /// Parses the words after `fuzz`.
  static func fuzz(parsing rest: ArraySlice<String>) throws(UsageError) -> Invocation {
    let command = "fuzz"
    var options = FuzzOptions()
    var parser = OptionReader(rest, command: command)
    while let word = try parser.next() {
      switch word {
      case .option("--parser"): options.parser = true
      case .option("--no-shrink"): options.noShrink = true
      case .option("--seed"): options.seed = try parser.integer(UInt64.self)
      case .option("--count"):
        options.count = Int(try parser.integer(UInt32.self))
      case .option("--out"): options.out = try parser.string()
      case .option("--jobs"): options.jobs = try parser.jobs()
      case .option("--timeout"): options.timeout = try parser.timeout()
      case .option("--help"), .option("-h"):
        return .help(command: command)
      case .option(let o):
        throw parser.unknown(
          o,
          known: [
            "--parser", "--seed", "--count", "--out", "--jobs", "--timeout", "--no-shrink",
            "--help",
          ])
      case .argument(let a): options.paths.append(a)
      }
    }
    if options.parser {
      guard !options.paths.isEmpty else {
        throw UsageError(message: "--parser needs scenario files or folders", command: command)
      }
    } else if let path = options.paths.first {
      throw UsageError(
        message: "unexpected argument '\(path)' (only --parser takes paths)", command: command)
    }
    if options.out.isEmpty {
      throw UsageError(message: "--out needs a folder", command: command)
    }
    return .fuzz(options)
  }
}
