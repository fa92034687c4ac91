import BindModel
import KernelReplay
import Testing

@Suite(.serialized)
struct ChildProcessTests {
  @Test func `cat echoes its standard input`() throws {
    let input = Array("hello, bindsim\n".utf8)
    let result = try ChildProcess(executable: "/bin/cat").run(input: input)
    #expect(result.standardOutput == input)
    #expect(result.standardError.isEmpty)
    #expect(result.termination == .exited(0))
    #expect(!result.timedOut)
  }

  @Test func `large input and output do not deadlock`() throws {
    let input = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    let result = try ChildProcess(executable: "/bin/cat", timeout: .seconds(20)).run(input: input)
    #expect(result.standardOutput.count == input.count)
    #expect(result.standardOutput == input)
    #expect(result.exitStatus == 0)
  }

  @Test func `the exit status and standard error come back`() throws {
    let result = try ChildProcess(
      executable: "/bin/sh", arguments: ["-c", "echo out; echo err >&2; exit 3"]
    ).run()
    #expect(result.termination == .exited(3))
    #expect(result.standardOutput == Array("out\n".utf8))
    #expect(result.standardError == Array("err\n".utf8))
  }

  @Test func `a child that outlives its timeout is killed`() throws {
    let clock = ContinuousClock()
    let start = clock.now
    let result = try ChildProcess(
      executable: "/bin/sleep", arguments: ["5"], timeout: .milliseconds(300)
    ).run()
    let elapsed = start.duration(to: clock.now)
    #expect(result.timedOut)
    #expect(result.termination == .signaled(9))
    #expect(elapsed < .seconds(2))
  }

  @Test func `a child that ignores its input does not hurt the parent`() throws {
    let input = [UInt8](repeating: 0x61, count: 1 << 20)
    let result = try ChildProcess(executable: "/bin/true").run(input: input)
    #expect(result.termination == .exited(0))
  }

  @Test func `a missing executable is a system error`() {
    let error = #expect(throws: SystemError.self) {
      try ChildProcess(executable: "/nonexistent/bindsim").run()
    }
    #expect(error?.errno == .ENOENT)
  }

  @Test func `the environment can be replaced`() throws {
    let result = try ChildProcess(
      executable: "/bin/sh", arguments: ["-c", "echo $BINDSIM_X"], environment: ["BINDSIM_X=42"]
    ).run()
    #expect(result.standardOutput == Array("42\n".utf8))
  }
}
