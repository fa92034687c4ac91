import BindSimCLI
import Foundation
import Glibc
import Testing

extension Trait where Self == ConditionTrait {
  /// Kernel replay needs root here (or unprivileged user namespaces) and the built binary.
  static var canReplay: Self {
    .enabled("needs root and the built bindsim binary") {
      geteuid() == 0 && CLI.builtBinary != nil
    }
  }
}

@Suite(.serialized, .canReplay)
struct VerifyTests {
  @Test func `the shipped seed verifies against the kernel`() throws {
    let dir = try CLI.folder(["seed.scenario": CommandLineTests.seed])
    let result = CLI.run(["verify", dir])
    #expect(result.status == .success, "\(result.output)\(result.errors)")
    #expect(result.output.contains("0 failed\n"))
    #expect(result.output.contains("kernel "))
  }

  @Test func `a wrong expectation is a disagreement with the kernel`() throws {
    let dir = try CLI.folder([
      "wrong.scenario":
        "socket a tcp4\nbind a 127.0.0.1:7000 => ok\nsocket b tcp4\nbind b 0.0.0.0:7000 => ok\n"
    ])
    let result = CLI.run(["verify", dir])
    #expect(result.status == .failure)
    #expect(
      result.output.contains(
        "\(dir)/wrong.scenario:4: kernel EADDRINUSE, model EADDRINUSE, expected ok"))
    #expect(result.output.contains("3 passed, 1 failed\n"))
  }

  @Test func `the caller's namespace is untouched: a port held here binds there`() throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #expect(fd >= 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    #expect(bound == 0)
    #expect(listen(fd, 1) == 0)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    let port = UInt16(bigEndian: address.sin_port)
    let dir = try CLI.folder([
      "held.scenario": "socket s tcp4\nbind s 127.0.0.1:\(port) => ok\nlisten s => ok\n"
    ])
    let result = CLI.run(["verify", dir])
    #expect(result.status == .success, "\(result.output)\(result.errors)")
    // And the port is still ours here: a second bind in this namespace fails.
    let other = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(other) }
    let again = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(other, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    #expect(again == -1 && errno == EADDRINUSE)
  }

  @Test func `verify --update writes the kernel's outcomes and keeps comments`() throws {
    let dir = try CLI.folder([
      "u.scenario":
        "# keep me\nsocket a udp4\nbind a 127.0.0.1:7000   => EINVAL # wrong\nsocket b udp4\nbind b 127.0.0.1:7000\n"
    ])
    let result = CLI.run(["verify", "--update", dir])
    #expect(result.status == .failure)
    let text = try String(contentsOfFile: dir + "/u.scenario", encoding: .utf8)
    #expect(
      text
        == "# keep me\nsocket a udp4\nbind a 127.0.0.1:7000   => ok     # wrong\nsocket b udp4\nbind b 127.0.0.1:7000   => EADDRINUSE\n"
    )
    #expect(CLI.run(["verify", dir]).status == .success)
  }

  @Test func `verify --update is refused under CI unless forced`() throws {
    let dir = try CLI.folder(["a.scenario": "socket a udp4\n"])
    let refused = CLI.run(["verify", "--update", dir], environment: ["CI": "true"])
    #expect(refused.status == .usage)
    #expect(refused.errors.contains("refused when CI is set"))
    let forced = CLI.run(["verify", "--update", "--force", dir], environment: ["CI": "true"])
    #expect(forced.status == .success)
  }

  @Test func `a replay that outlives its time limit is killed and reported`() throws {
    let dir = try CLI.folder([:])
    let script = dir + "/slow.sh"
    try CLI.writeExecutable("#!/bin/sh\nsleep 5\n", to: script)
    let scenario = try CLI.folder(["a.scenario": "socket a udp4\n"])
    let result = CLI.run(
      ["verify", "--timeout", "0.3", scenario], environment: ["BINDSIM_EXECUTABLE": script])
    #expect(result.status == .failure)
    #expect(result.output.contains("timed out after 0.3 s"))
  }
}

struct NoNamespaceTests {
  @Test func `no private namespace means exit 77 and a reason, never a fallback`() throws {
    let dir = try CLI.folder([:])
    let script = dir + "/refuse.sh"
    try CLI.writeExecutable(
      "#!/bin/sh\necho 'cannot create a private network namespace: unshare(CLONE_NEWNET) failed: Operation not permitted' >&2\nexit 77\n",
      to: script)
    let scenario = try CLI.folder(["a.scenario": "socket a udp4\n"])
    let result = CLI.run(["verify", scenario], environment: ["BINDSIM_EXECUTABLE": script])
    #expect(result.status == .noNamespace)
    #expect(result.errors.contains("Operation not permitted"))
    #expect(result.errors.contains("never replays in the caller's namespace"))
    #expect(result.output.isEmpty)
  }
}
