/// What a finished `ChildProcess` reported: how it ended and everything it wrote.
public struct ChildProcessResult: Sendable, Hashable {
  /// How the child ended, as `waitpid(2)` decodes it.
  public enum Termination: Sendable, Hashable, CustomStringConvertible {
    /// `WIFEXITED`: the child called `exit` with this status (`WEXITSTATUS`).
    case exited(Int32)
    /// `WIFSIGNALED`: a signal ended the child (`WTERMSIG`).
    case signaled(Int32)

    public var description: String {
      switch self {
      case .exited(let status): "exited with status \(status)"
      case .signaled(let signal): "killed by signal \(signal)"
      }
    }
  }

  public var termination: Termination
  /// Everything the child wrote to its standard output.
  public var standardOutput: [UInt8]
  /// Everything the child wrote to its standard error.
  public var standardError: [UInt8]
  /// Whether the child outlived its timeout and was killed with `SIGKILL`.
  public var timedOut: Bool

  public init(
    termination: Termination, standardOutput: [UInt8], standardError: [UInt8], timedOut: Bool
  ) {
    self.termination = termination
    self.standardOutput = standardOutput
    self.standardError = standardError
    self.timedOut = timedOut
  }

  /// The exit status, or nil when a signal ended the child.
  public var exitStatus: Int32? {
    if case .exited(let status) = termination { return status }
    return nil
  }
}
