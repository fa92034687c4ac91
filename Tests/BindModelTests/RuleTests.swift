import BindModel
import Foundation
import Testing

struct RuleTests {
  /// The names of the rules declared in Rule.swift, read from the source: `Rule.all` must list
  /// every one, or a report that carries it could not be decoded.
  static func declaredNames() throws -> [String] {
    let source = URL(filePath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appending(path: "Sources/BindModel/Rule.swift")
    let text = try String(contentsOf: source, encoding: .utf8)
    return text.split(separator: "\n").compactMap { line in
      guard line.contains("public static var"), let open = line.range(of: "Rule(\"") else {
        return nil
      }
      let rest = line[open.upperBound...]
      return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
  }

  @Test func `every declared rule is in Rule.all, once`() throws {
    let declared = try Self.declaredNames()
    #expect(declared.count > 50)
    #expect(Set(declared) == Set(Rule.all.map(\.rawValue)))
    #expect(Set(Rule.all.map(\.rawValue)).count == Rule.all.count)
  }

  @Test func `a rule survives JSON and a name the model does not use does not`() throws {
    for rule in Rule.all {
      let data = try JSONEncoder().encode([rule])
      #expect(try JSONDecoder().decode([Rule].self, from: data) == [rule])
      #expect(Rule(rawValue: rule.rawValue) == rule)
    }
    #expect(Rule(rawValue: "no.such-rule") == nil)
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode([Rule].self, from: Data(#"["no.such-rule"]"#.utf8))
    }
  }

  @Test func `rules compare and hash by name`() {
    #expect(Rule.bindNoOverlap == Rule(rawValue: "bind.no-overlap"))
    #expect(Rule.bindNoOverlap != Rule.udpFirstMatch)
    #expect(Set([Rule.bindNoOverlap, Rule(rawValue: "bind.no-overlap")!]).count == 1)
  }
}
