import BindModel
import Foundation
import ScenarioLanguage

/// `bindsim bench --replay N`: scenarios verified per second, each in a fresh namespace, and
/// the ratio of model time to kernel-replay time on the same scenarios.
struct ReplayBench {
  var count: Int

  /// A 10-statement scenario: binds that succeed and fail, a listener, a delivery. Ports
  /// vary with `index` so no two scenarios are the same text.
  static func scenario(_ index: Int) -> String {
    let port = 7000 + index % 1000
    return """
      socket a udp4
      bind a 127.0.0.1:\(port) => ok
      socket b udp4
      bind b 0.0.0.0:\(port) => EADDRINUSE
      bind b 127.0.0.2:\(port) => ok
      socket t tcp4 SO_REUSEADDR
      bind t 127.0.0.1:\(port) => ok
      listen t => ok
      socket c udp4
      send c 127.0.0.1:\(port) => a

      """
  }

  func execute(output: inout some TextOutputStream, environment: [String: String]) -> ExitStatus {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("bindsim-replay-bench-\(getpid())")
    defer { try? FileManager.default.removeItem(at: folder) }
    var paths: [String] = []
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      for i in 0..<count {
        let path = folder.appendingPathComponent("s\(i).scenario").path
        try Self.scenario(i).write(toFile: path, atomically: false, encoding: .utf8)
        paths.append(path)
      }
    } catch {
      output.write("error: cannot write the generated scenarios: \(error)\n")
      return .cannotCreate
    }
    let verify = VerifyCommand(
      options: Invocation.VerifyOptions(paths: paths), style: Style(enabled: false),
      environment: environment)
    let clock = ContinuousClock()
    var outcomes: [VerifyCommand.FileOutcome] = []
    let replay = clock.measure { outcomes = verify.replayAll(paths) }
    var failures = 0
    for outcome in outcomes {
      switch outcome {
      case .replayed(let r): failures += r.steps.filter { $0.verdict == .fail }.count
      case .noNamespace(let why):
        output.write("error: \(why)\n")
        return .noNamespace
      default: failures += 1
      }
    }
    let scenarios = paths.compactMap {
      try? ScenarioParser.parse(String(contentsOfFile: $0, encoding: .utf8))
    }
    let model = clock.measure {
      for s in scenarios { _ = try? Runner.run(s) }
    }
    let seconds = Self.seconds(replay)
    output.write(
      "replay: \(count) scenarios of 10 statements in \(String(format: "%.2f", seconds)) s, "
        + "\(String(format: "%.0f", Double(count) / seconds)) scenarios/s with \(verify.replayChildren) replay children; "
        + "model/kernel time ratio \(String(format: "%.4f", Self.seconds(model) / seconds))"
        + (failures > 0 ? "; \(failures) disagreements" : "") + "\n")
    return failures > 0 ? .failure : .success
  }

  static func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
  }
}
