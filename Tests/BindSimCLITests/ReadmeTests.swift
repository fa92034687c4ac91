import BindSimCLI
import Foundation
import Glibc
import Testing

/// The README's scenario examples are real scenarios: they parse, the model agrees with every
/// expectation they write, and (as root) so does the kernel.
struct ReadmeTests {
  static let examples: [String] = {
    let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")
    guard let text = try? String(contentsOf: readme, encoding: .utf8),
      let start = text.range(of: "## The scenario language, by example")
    else { return [] }
    let section = text[start.upperBound...].prefix { _ in true }
    let end = section.range(of: "\n## ")?.lowerBound ?? section.endIndex
    let blocks = section[..<end].components(separatedBy: "```")
    // Odd pieces are inside fences; keep the scenario ones (not shell transcripts).
    return blocks.enumerated().compactMap { i, block in
      guard i % 2 == 1, !block.hasPrefix("sh"), !block.contains("$ ") else { return nil }
      return String(block.drop { $0 != "\n" }.dropFirst())
    }
  }()

  @Test func `the README has its scenario examples`() {
    #expect(Self.examples.count >= 3)
  }

  @Test(arguments: examples.indices)
  func `a README example checks with the model`(index: Int) throws {
    let dir = try CLI.folder(["example\(index).scenario": Self.examples[index]])
    let result = CLI.run(["check", dir])
    #expect(result.status == .success, "\(result.output)\(result.errors)")
  }

  @Test(.enabled(if: geteuid() == 0 && CLI.builtBinary != nil), arguments: examples.indices)
  func `a README example verifies on the kernel`(index: Int) throws {
    let dir = try CLI.folder(["example\(index).scenario": Self.examples[index]])
    let result = CLI.run(["verify", dir])
    #expect(result.status == .success, "\(result.output)\(result.errors)")
  }
}
