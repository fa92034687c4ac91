import BindModel
import ScenarioLanguage

/// An address for a test fixture, from text that is known to be valid.
func address(_ text: String) -> IPAddress { IPAddress(text)! }

/// An endpoint with a port number.
func endpoint(_ text: String, _ port: UInt16, scope: String? = nil) -> EndpointSpec {
  EndpointSpec(address: address(text), scope: scope, port: .number(port))
}

/// The error a source is rejected with, or nil when it parses.
func parseError(_ source: String) -> ScenarioError? {
  do {
    _ = try ScenarioParser.parse(source)
    return nil
  } catch {
    return error
  }
}

/// The rendered error for a source, named `test.scenario`, or nil when it parses.
func rendered(_ source: String) -> String? {
  parseError(source)?.rendered(fileName: "test.scenario", source: source)
}
