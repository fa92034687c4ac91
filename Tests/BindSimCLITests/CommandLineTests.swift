import BindSimCLI
import Foundation
import Testing

struct CommandLineTests {
  @Test(arguments: [
    (["frobnicate"], "error: unknown subcommand 'frobnicate'\n"),
    (["chekc", "x"], "error: unknown subcommand 'chekc'; did you mean 'check'?\n"),
    (["check"], "error: missing scenario file or folder\n"),
    (["run"], "error: missing scenario file\n"),
    (["check", "--updaet", "x"], "error: unknown option '--updaet'; did you mean '--update'?\n"),
    (["verify", "--timeout", "soon", "x"], "error: 'soon' is not a number (--timeout)\n"),
    (["verify", "--jobs", "0", "x"], "error: --jobs must be at least 1\n"),
    (
      ["check", "--format", "yaml", "x"],
      "error: unknown format 'yaml' (expected one of text, json, tap, junit, github)\n"
    ),
  ])
  func `usage errors exit 64 and say what was wrong`(arguments: [String], message: String) {
    let result = CLI.run(arguments)
    #expect(result.status == .usage)
    #expect(result.output.isEmpty)
    #expect(result.errors.hasPrefix(message))
    #expect(result.errors.contains("--help' for more information"))
  }

  @Test func `help and version go to standard output with status 0`() {
    let help = CLI.run(["--help"])
    #expect(help.status == .success)
    #expect(help.output.contains("SUBCOMMANDS:"))
    for command in ["run", "check", "verify", "bench"] {
      let sub = CLI.run([command, "--help"])
      #expect(sub.status == .success)
      #expect(sub.output.contains("USAGE: bindsim \(command)"))
    }
    #expect(CLI.run(["--version"]).output.hasPrefix("bindsim "))
  }

  /// At scale 0.05 the port range would have 1,411 ports, an odd count: the kernel's scan leaves the
  /// last one out, and the bench must size its workload so that every case's check holds.
  @Test func `bench runs every case at a small scale`() {
    let result = CLI.run(["bench", "--scale", "0.05"])
    #expect(result.status == .success)
    for row in [
      "socket() calls", "explicit binds", "port-0 binds exhausting the range", "deliveries",
    ] {
      #expect(result.output.contains(row))
    }
    #expect(!result.output.contains("unexpected outcome"))
  }

  static let seed = """
    # the seed
    interface eth0 192.0.2.130/24
    socket first udp4
    bind first 127.0.0.1:1060          => ok
    socket second udp4
    bind second 0.0.0.0:1060           => EADDRINUSE
    bind second 192.0.2.130:1060       => ok
    socket client udp4
    send client 192.0.2.130:1060       => second

    """

  @Test func `check passes a correct file and ends with the count`() throws {
    let dir = try CLI.folder(["seed.scenario": Self.seed])
    let result = CLI.run(["check", dir])
    #expect(result.status == .success)
    #expect(result.output == "4 passed, 0 failed\n")
  }

  @Test func `check exits 1 on a wrong expectation and names file, line, rule and why`() throws {
    let wrong = Self.seed.replacingOccurrences(
      of: "bind second 0.0.0.0:1060           => EADDRINUSE",
      with: "bind second 0.0.0.0:1060           => ok")
    let dir = try CLI.folder(["wrong.scenario": wrong])
    let result = CLI.run(["check", dir + "/wrong.scenario"])
    #expect(result.status == .failure)
    #expect(
      result.output.contains(
        "\(dir)/wrong.scenario:6: expected ok, model predicts EADDRINUSE\n"))
    #expect(
      result.output.contains(
        "[udp.first-match] 0.0.0.0:1060 covers 127.0.0.1:1060, held by 'first'; neither socket set SO_REUSEADDR"
      ))
    #expect(result.output.hasSuffix("3 passed, 1 failed\n"))
  }

  @Test func `a malformed file exits 65 with a located error, an unreadable one 66`() throws {
    let dir = try CLI.folder(["bad.scenario": "socket a udp4\nbnid a 127.0.0.1:1\n"])
    let bad = CLI.run(["check", dir])
    #expect(bad.status == .dataError)
    #expect(bad.errors.hasPrefix("\(dir)/bad.scenario:2:1: error: "))
    #expect(bad.errors.contains("bnid a 127.0.0.1:1\n^~~~"))
    let missing = CLI.run(["check", dir + "/nothing-here.scenario"])
    #expect(missing.status == .noInput)
    #expect(missing.errors.contains("cannot read"))
  }

  @Test func `a binary file is a file error, not a crash`() throws {
    let dir = try CLI.folder([:])
    let path = dir + "/binary.scenario"
    try Data([0x73, 0x6F, 0x00, 0xFF, 0xFE, 0x01]).write(to: URL(fileURLWithPath: path))
    let result = CLI.run(["run", path])
    #expect(result.status == .dataError)
    #expect(result.errors.hasPrefix("\(path):1:"))
  }

  @Test func `an @NAME port for a socket without one is a file error`() throws {
    let dir = try CLI.folder([
      "at.scenario": "socket a udp4\nsocket b udp4\nbind b 127.0.0.1:@a\n"
    ])
    let result = CLI.run(["check", dir])
    #expect(result.status == .dataError)
    #expect(result.errors.contains("socket 'a' holds no port here"))
  }

  @Test func `run prints one line per step and the binding table`() throws {
    let dir = try CLI.folder(["seed.scenario": Self.seed])
    let result = CLI.run(["run", dir + "/seed.scenario"])
    #expect(result.status == .success)
    #expect(
      result.output.contains(
        "bind second 0.0.0.0:1060       => EADDRINUSE  [udp.first-match] 0.0.0.0:1060 covers 127.0.0.1:1060"
      ))
    #expect(result.output.contains("udp    UNCONN  192.0.2.130:1060"))
    #expect(!result.output.contains("\u{1B}["))
  }

  @Test func `colour only on a terminal, never with NO_COLOR`() throws {
    let dir = try CLI.folder(["seed.scenario": Self.seed])
    let coloured = CLI.run(["run", dir + "/seed.scenario"], terminal: true)
    #expect(coloured.output.contains("\u{1B}["))
    let plain = CLI.run(
      ["run", dir + "/seed.scenario"], environment: ["NO_COLOR": "1"], terminal: true)
    #expect(!plain.output.contains("\u{1B}["))
  }

  @Test func `folders are searched for scenario files only`() throws {
    let dir = try CLI.folder([
      "a/one.scenario": "socket a udp4 => ok\n", "a/b/two.scenario": "socket b tcp4 => ok\n",
      "notes.txt": "not a scenario",
    ])
    let result = CLI.run(["check", dir])
    #expect(result.output == "2 passed, 0 failed\n")
  }
}
