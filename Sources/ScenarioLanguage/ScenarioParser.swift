public import BindModel

/// Reads scenario files (see `SCENARIO-LANGUAGE.md`) into a `Scenario`.
///
/// Parsing stops at the first file error. It takes time linear in the size of the file and
/// never recurses on its input.
public enum ScenarioParser {
  /// Parses the text of a scenario file. An empty file is a valid, empty scenario.
  public static func parse(_ source: String) throws(ScenarioError) -> Scenario {
    var source = source
    return try source.withUTF8 { parse(SourceText($0)) }.get()
  }

  /// Parses the raw bytes of a scenario file, rejecting bytes that are not UTF-8 text.
  public static func parse(bytes: [UInt8]) throws(ScenarioError) -> Scenario {
    try bytes.withUnsafeBufferPointer { buffer -> Result<Scenario, ScenarioError> in
      let source = SourceText(buffer)
      do throws(ScenarioError) {
        try source.validate()
      } catch {
        return .failure(error)
      }
      return parse(source)
    }.get()
  }

  /// Parses borrowed bytes; the result holds no reference to them.
  private static func parse(_ source: SourceText) -> Result<Scenario, ScenarioError> {
    Result { () throws(ScenarioError) in try parse(statementsOf: source) }
  }

  private static func parse(statementsOf source: SourceText) throws(ScenarioError) -> Scenario {
    var reader = StatementReader(source: source)
    var statements: [Statement] = []
    try source.forEachLine { (line) throws(ScenarioError) in
      let scanned = try ScannedLine(line)
      if !scanned.isBlank { statements.append(try reader.statement(scanned)) }
      return true
    }
    try reader.finish()
    return Scenario(statements: statements)
  }
}
