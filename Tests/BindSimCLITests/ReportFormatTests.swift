import BindSimCLI
import Foundation
import Testing

/// The report formats, beyond what `Tests/Consumers/check-formats.py` checks with real
/// consumers in CI: escaping of hostile text and the shape of each document.
struct ReportFormatTests {
  static let files = [
    "ok.scenario": "socket a udp4\nbind a 127.0.0.1:7000 => ok\n",
    "odd/wrong.scenario":
      "# <tag> & \"quote\" 100% done, #hash\nsocket a udp4\nbind a 127.0.0.1:7000 => ok\nsocket b udp4\nbind b 0.0.0.0:7000 => ok\n",
  ]

  @Test func `json is one document with totals and per-step rule and explanation`() throws {
    let dir = try CLI.folder(Self.files)
    let result = CLI.run(["check", "--format", "json", dir])
    #expect(result.status == .failure)
    let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
    let totals = object?["totals"] as? [String: Int]
    #expect(totals == ["files": 2, "passed": 2, "failed": 1, "fileErrors": 0])
    let files = object?["files"] as? [[String: Any]] ?? []
    let wrong = files.first { ($0["path"] as? String)?.hasSuffix("wrong.scenario") == true }
    #expect(wrong?["verdict"] as? String == "fail")
    let step = (wrong?["steps"] as? [[String: Any]])?.first { $0["line"] as? Int == 5 }
    #expect(step?["rule"] as? String == "udp.first-match")
    #expect(step?["expected"] as? String == "ok")
    #expect(step?["predicted"] as? String == "EADDRINUSE")
    #expect(step?["verdict"] as? String == "fail")
  }

  @Test func `tap has a plan, a point per file and YAML for the failing one`() throws {
    let dir = try CLI.folder(Self.files)
    let lines = CLI.run(["check", "--format", "tap", dir]).output.split(separator: "\n")
    #expect(lines.prefix(2) == ["TAP version 14", "1..2"])
    // Folders are searched in sorted order: odd/wrong.scenario comes before ok.scenario.
    #expect(lines.contains { $0.hasPrefix("not ok 1 - ") && $0.hasSuffix("wrong.scenario") })
    #expect(lines.contains { $0.hasPrefix("ok 2 - ") && $0.hasSuffix("ok.scenario") })
    #expect(lines.contains("  ---") && lines.contains("  ..."))
    #expect(lines.contains("      rule: \"udp.first-match\""))
  }

  @Test func `junit escapes markup and groups files by folder`() throws {
    let dir = try CLI.folder(Self.files)
    let xml = CLI.run(["check", "--format", "junit", dir]).output
    #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "))
    #expect(xml.contains("name=\"\(dir)\" tests=\"1\" failures=\"0\""))
    #expect(xml.contains("name=\"\(dir)/odd\" tests=\"1\" failures=\"1\""))
    #expect(xml.contains("<failure message=\"disagreement at line 5\" type=\"disagreement\">"))
    #expect(!xml.contains("<tag>"))
  }

  @Test func `github annotations escape commas, colons and newlines in properties`() throws {
    let dir = try CLI.folder(["a,b:c.scenario": "socket a udp4\nbind a 127.0.0.1:1 => EINVAL\n"])
    let out = CLI.run(["check", "--format", "github", dir]).output
    #expect(
      out.contains(
        "::error file=\(dir.replacingOccurrences(of: ":", with: "%3A"))/a%2Cb%3Ac.scenario,line=2,title=bindsim check::expected EINVAL, model predicts ok"
      ))
    #expect(out.hasSuffix("0 passed, 1 failed\n"))
  }

  @Test func `a file error is an error in every format, with exit 65`() throws {
    let dir = try CLI.folder(["bad.scenario": "socket a udp9\n"])
    for format in ["json", "tap", "junit", "github"] {
      let result = CLI.run(["check", "--format", format, dir])
      #expect(result.status == .dataError, "\(format)")
      #expect(result.output.contains("unknown socket kind "), "\(format)")
    }
  }

  @Test func `check --update writes the model's predictions and keeps comments`() throws {
    let dir = try CLI.folder([
      "u.scenario":
        "socket a udp4\nbind a 127.0.0.1:1 => EINVAL # hm\nsocket b udp4\nbind b 127.0.0.1:1\n"
    ])
    let result = CLI.run(["check", "--update", dir])
    #expect(result.status == .failure)
    let text = try String(contentsOfFile: dir + "/u.scenario", encoding: .utf8)
    #expect(text.contains("bind a 127.0.0.1:1 => ok     # hm"))
    #expect(text.contains("bind b 127.0.0.1:1 => EADDRINUSE"))
    #expect(CLI.run(["check", dir]).status == .success)
    let refused = CLI.run(["check", "--update", dir], environment: ["CI": "1"])
    #expect(refused.status == .usage)
  }
}
