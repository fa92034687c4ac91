import Glibc

/// The command line: parse, dispatch, report, exit.
public enum BindSim {
  /// The process entry point.
  public static func main() -> Never {
    var output = StandardStream.output
    var errors = StandardStream.error
    let status = run(
      Array(CommandLine.arguments.dropFirst()), output: &output, errors: &errors,
      environment: environment(), outputIsTerminal: output.isTerminal)
    exit(status.rawValue)
  }

  /// Runs one command line with the given streams (tests call this in-process).
  public static func run(
    _ arguments: [String], output: inout some TextOutputStream,
    errors: inout some TextOutputStream, environment: [String: String] = [:],
    outputIsTerminal: Bool = false
  ) -> ExitStatus {
    let invocation: Invocation
    do {
      invocation = try Invocation(parsing: arguments)
    } catch {
      errors.write("error: \(error.message)\n")
      let command = error.command.map { "bindsim \($0)" } ?? "bindsim"
      errors.write("See '\(command) --help' for more information.\n")
      return .usage
    }
    let style = Style.forTerminal(outputIsTerminal, environment: environment)
    switch invocation {
    case .help(let command):
      output.write(Help.text(for: command))
      return .success
    case .version:
      output.write(Help.version + "\n")
      return .success
    case .run(let options):
      return RunCommand(options: options, style: style).execute(output: &output, errors: &errors)
    case .check(let options):
      return CheckCommand(options: options, style: style, environment: environment)
        .execute(output: &output, errors: &errors)
    case .verify(let options):
      return VerifyCommand(options: options, style: style, environment: environment)
        .execute(output: &output, errors: &errors)
    case .bench(let options):
      let status = BenchCommand(options: options).execute(output: &output)
      guard options.replay > 0 else { return status }
      return .worst(
        status,
        ReplayBench(count: options.replay).execute(output: &output, environment: environment))
    case .replay(let path):
      return ReplayChild.main(path: path, output: &output, errors: &errors)
    case .replayBatch:
      return BatchReplayChild.main(output: &output, errors: &errors)
    case .fuzz(let options):
      return FuzzCommand(
        options: options, environment: environment, progressIsLive: outputIsTerminal
      )
      .execute(output: &output, errors: &errors)
    }
  }

  /// The process environment as a dictionary.
  static func environment() -> [String: String] {
    var result: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
      let text = String(cString: entry)
      if let equals = text.firstIndex(of: "=") {
        result[String(text[..<equals])] = String(text[text.index(after: equals)...])
      }
      pointer += 1
    }
    return result
  }
}
