/// A command line that could not be understood (exit 64).
struct UsageError: Error, Equatable, Sendable {
  var message: String
  var command: String?
}

/// What the user asked for, after parsing and before doing anything.
enum Invocation: Equatable, Sendable {
  case help(command: String?)
  case version
  case run(RunOptions)
  case check(CheckOptions)
  case verify(VerifyOptions)
  case bench(BenchOptions)
  /// Internal: replay one scenario (read from standard input) in a fresh namespace and print
  /// the step reports as JSON. `verify` runs it as a child process.
  case replay(path: String)
  /// Internal: replay a JSON array of scenarios, each in its own fresh namespace, printing one
  /// JSON line per scenario. `fuzz` runs it as a child process (`__replay --batch`).
  case replayBatch
  case fuzz(FuzzOptions)

  struct RunOptions: Equatable, Sendable {
    var paths: [String] = []
    var seed: UInt64 = 0x5EED_B1ED
  }

  struct CheckOptions: Equatable, Sendable, ExpectationOptions {
    var paths: [String] = []
    var update = false
    var force = false
    var format: ReportFormat = .text
  }

  struct VerifyOptions: Equatable, Sendable, ExpectationOptions {
    var paths: [String] = []
    var timeout: Double = 10
    var jobs: Int = 0
    var update = false
    var force = false
    var format: ReportFormat = .text
  }

  struct BenchOptions: Equatable, Sendable {
    /// Multiplies every benchmark's size (1 = the sizes the README quotes).
    var scale: Double = 1
    /// Also replay this many generated scenarios on the kernel (0: skip; needs a namespace).
    var replay = 0
  }

  static let commands = ["run", "check", "verify", "bench", "fuzz"]

  init(parsing arguments: [String]) throws(UsageError) {
    var rest = arguments[...]
    guard let first = rest.popFirst() else {
      self = .help(command: nil)
      return
    }
    switch first {
    case "-h", "--help", "help":
      self = .help(command: rest.first)
    case "--version", "version":
      self = .version
    case "__replay":
      guard let path = rest.first else {
        throw UsageError(message: "missing scenario path", command: nil)
      }
      self = path == "--batch" ? .replayBatch : .replay(path: path)
    case "fuzz":
      self = try Self.fuzz(parsing: rest)
    case "run":
      var options = RunOptions()
      var parser = OptionReader(rest, command: first)
      while let word = try parser.next() {
        switch word {
        case .option("--seed"): options.seed = try parser.integer(UInt64.self)
        case .option("--help"), .option("-h"):
          self = .help(command: first)
          return
        case .option(let o): throw parser.unknown(o, known: ["--seed", "--help"])
        case .argument(let a): options.paths.append(a)
        }
      }
      guard !options.paths.isEmpty else {
        throw UsageError(message: "missing scenario file", command: first)
      }
      self = .run(options)
    case "check":
      var options = CheckOptions()
      var parser = OptionReader(rest, command: first)
      while let word = try parser.next() {
        if try parser.readExpectationOption(word, into: &options) { continue }
        switch word {
        case .option("--help"), .option("-h"):
          self = .help(command: first)
          return
        case .option(let o):
          throw parser.unknown(o, known: OptionReader.expectationOptions + ["--help"])
        case .argument: break
        }
      }
      guard !options.paths.isEmpty else {
        throw UsageError(message: "missing scenario file or folder", command: first)
      }
      self = .check(options)
    case "verify":
      var options = VerifyOptions()
      var parser = OptionReader(rest, command: first)
      while let word = try parser.next() {
        if try parser.readExpectationOption(word, into: &options) { continue }
        switch word {
        case .option("--timeout"): options.timeout = try parser.timeout()
        case .option("--jobs"): options.jobs = try parser.jobs()
        case .option("--help"), .option("-h"):
          self = .help(command: first)
          return
        case .option(let o):
          throw parser.unknown(
            o, known: ["--timeout", "--jobs"] + OptionReader.expectationOptions + ["--help"])
        case .argument: break
        }
      }
      guard !options.paths.isEmpty else {
        throw UsageError(message: "missing scenario file or folder", command: first)
      }
      self = .verify(options)
    case "bench":
      var options = BenchOptions()
      var parser = OptionReader(rest, command: first)
      while let word = try parser.next() {
        switch word {
        case .option("--scale"):
          options.scale = try parser.number()
          guard options.scale > 0 && options.scale <= 100 else {
            throw UsageError(message: "--scale must be between 0 and 100", command: first)
          }
        case .option("--help"), .option("-h"):
          self = .help(command: first)
          return
        case .option("--replay"):
          options.replay = Int(try parser.integer(UInt16.self))
        case .option(let o): throw parser.unknown(o, known: ["--scale", "--replay", "--help"])
        case .argument(let a):
          throw UsageError(message: "unexpected argument '\(a)'", command: first)
        }
      }
      self = .bench(options)
    default:
      let suggestion = closest(first, in: Self.commands).map { "; did you mean '\($0)'?" } ?? ""
      throw UsageError(message: "unknown subcommand '\(first)'\(suggestion)", command: nil)
    }
  }
}

/// Splits arguments into options (`--name`, `--name=value`) and plain arguments.
struct OptionReader {
  enum Word: Equatable {
    case option(String)
    case argument(String)
  }

  private var rest: ArraySlice<String>
  private var pendingValue: String?
  private var current = ""
  private var onlyArguments = false
  let command: String

  init(_ arguments: ArraySlice<String>, command: String) {
    rest = arguments
    self.command = command
  }

  mutating func next() throws(UsageError) -> Word? {
    if let value = pendingValue {
      throw UsageError(message: "option '\(current)' takes no value ('\(value)')", command: command)
    }
    guard let word = rest.popFirst() else { return nil }
    if onlyArguments { return .argument(word) }
    if word == "--" {
      onlyArguments = true
      return try next()
    }
    guard word.hasPrefix("-"), word.count > 1 else { return .argument(word) }
    if let equals = word.firstIndex(of: "=") {
      current = String(word[..<equals])
      pendingValue = String(word[word.index(after: equals)...])
      return .option(current)
    }
    current = word
    return .option(word)
  }

  private mutating func value() throws(UsageError) -> String {
    if let value = pendingValue {
      pendingValue = nil
      return value
    }
    guard let value = rest.popFirst() else {
      throw UsageError(message: "option '\(current)' needs a value", command: command)
    }
    return value
  }

  mutating func integer<T: FixedWidthInteger>(_ type: T.Type) throws(UsageError) -> T {
    let text = try value()
    guard let n = T(text) else {
      throw UsageError(message: "'\(text)' is not a valid value for \(current)", command: command)
    }
    return n
  }

  mutating func string() throws(UsageError) -> String { try value() }

  mutating func number() throws(UsageError) -> Double {
    let text = try value()
    guard let n = Double(text), n.isFinite else {
      throw UsageError(message: "'\(text)' is not a number (\(current))", command: command)
    }
    return n
  }

  mutating func format() throws(UsageError) -> ReportFormat {
    let text = try value()
    guard let format = ReportFormat(rawValue: text) else {
      let names = ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")
      throw UsageError(
        message: "unknown format '\(text)' (expected one of \(names))", command: command)
    }
    return format
  }

  /// `--timeout S`: a time limit in seconds, more than 0 and at most an hour.
  mutating func timeout() throws(UsageError) -> Double {
    let seconds = try number()
    guard seconds > 0 && seconds <= 3600 else {
      throw UsageError(message: "--timeout must be between 0 and 3600 seconds", command: command)
    }
    return seconds
  }

  /// `--jobs N`: how many child processes at once, at least 1.
  mutating func jobs() throws(UsageError) -> Int {
    let jobs = Int(try integer(UInt16.self))
    guard jobs > 0 else { throw UsageError(message: "--jobs must be at least 1", command: command) }
    return jobs
  }

  /// The options `check` and `verify` share, besides their paths.
  static let expectationOptions = ["--update", "--force", "--format"]

  /// Reads a word `check` and `verify` treat alike (`--update`, `--force`, `--format`, a path);
  /// false for any other word.
  mutating func readExpectationOption(
    _ word: Word, into options: inout some ExpectationOptions
  ) throws(UsageError) -> Bool {
    switch word {
    case .option("--update"): options.update = true
    case .option("--force"): options.force = true
    case .option("--format"): options.format = try format()
    case .argument(let path): options.paths.append(path)
    default: return false
    }
    return true
  }

  func unknown(_ option: String, known: [String]) -> UsageError {
    let suggestion = closest(option, in: known).map { "; did you mean '\($0)'?" } ?? ""
    return UsageError(message: "unknown option '\(option)'\(suggestion)", command: command)
  }
}

/// The nearest word by edit distance (at most 2), for "did you mean".
func closest(_ word: String, in candidates: [String]) -> String? {
  func distance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    var previous = Array(0...b.count)
    for (i, ca) in a.enumerated() {
      var row = [i + 1]
      for (j, cb) in b.enumerated() {
        row.append(min(previous[j + 1] + 1, row[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
      }
      previous = row
    }
    return previous[b.count]
  }
  let w = Array(word)
  let best = candidates.map { ($0, distance(w, Array($0))) }.min { $0.1 < $1.1 }
  return best.flatMap { $0.1 <= 2 ? $0.0 : nil }
}
