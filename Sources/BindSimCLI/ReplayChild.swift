import BindModel
import Foundation
import KernelReplay
import ScenarioLanguage

/// The hidden `__replay` subcommand: runs in a child process of `verify`, moves into a fresh
/// network namespace, replays the scenario read from standard input on real sockets in
/// lock-step with the model, and prints a `ReplayResult` as JSON.
enum ReplayChild {
  static func main(
    path: String, output: inout some TextOutputStream, errors: inout some TextOutputStream
  ) -> ExitStatus {
    // Enter the namespace first, while the process is certainly single-threaded.
    do {
      try NetworkNamespace.enterFresh()
      try NetworkNamespace.configureFresh()
    } catch {
      errors.write("cannot create a private network namespace: \(error)\n")
      return .noNamespace
    }
    let bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
    let scenario: Scenario
    do {
      scenario = try ScenarioParser.parse(bytes: bytes)
    } catch {
      errors.write(error.rendered(fileName: path, source: String(decoding: bytes, as: UTF8.self)))
      errors.write("\n")
      return .dataError
    }
    let kernel: KernelNetwork
    do {
      kernel = try KernelNetwork(
        hosts: Network.hosts(of: scenario), links: Network.links(of: scenario))
    } catch {
      errors.write("cannot set up the scenario's hosts: \(error)\n")
      return .software
    }
    var result = ReplayResult(release: NetworkNamespace.kernelRelease(), steps: [], runError: nil)
    do {
      result.steps = try Runner.run(
        scenario, kernel: { action, host in kernel.perform(action, host: host) }
      ).steps
    } catch {
      result.runError = ReplayResult.RunErrorPayload(
        line: error.location.line, column: error.location.column, length: error.length,
        message: error.message)
    }
    withExtendedLifetime(kernel) {}
    do {
      let data = try JSONEncoder().encode(result)
      output.write(String(decoding: data, as: UTF8.self))
      output.write("\n")
    } catch {
      errors.write("cannot encode the replay: \(error)\n")
      return .software
    }
    return .success
  }
}
