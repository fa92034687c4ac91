public import BindModel

/// Reads scenario files (see `SCENARIO-LANGUAGE.md`) into a `Scenario`.
///
/// Parsing stops at the first file error. It takes time linear in the size of the file and
/// never recurses on its input.
public enum ScenarioParser {
  /// Parses the text of a scenario file. An empty file is a valid, empty scenario.
  public static func parse(_ source: String) throws(ScenarioError) -> Scenario {
    try parse(SourceText(unchecked: Array(source.utf8)))
  }

  /// Parses the raw bytes of a scenario file, rejecting bytes that are not UTF-8 text.
  public static func parse(bytes: [UInt8]) throws(ScenarioError) -> Scenario {
    try parse(SourceText(validating: bytes))
  }

  private static func parse(_ source: SourceText) throws(ScenarioError) -> Scenario {
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
