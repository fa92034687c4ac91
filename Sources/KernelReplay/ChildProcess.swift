@preconcurrency import Glibc

/// Runs an executable as a child process (`posix_spawn(3)`), feeds it bytes on standard
/// input, collects standard output and standard error, and kills it (`SIGKILL`) when it
/// outlives its timeout.
///
/// The child gets three fresh pipes as descriptors 0, 1 and 2 and nothing else: every pipe
/// is created `O_CLOEXEC` (`pipe2`), so only the `dup2` copies survive `exec`. It starts with
/// an empty signal mask and `SIGPIPE` at its default action. `posix_spawn` (glibc's
/// `clone(CLONE_VM | CLONE_VFORK)`) is safe in a multithreaded parent.
public struct ChildProcess: Sendable {
  /// The path of the program to run, such as `/proc/self/exe`.
  public var executable: String
  /// `argv[1...]` (`argv[0]` is `executable`).
  public var arguments: [String]
  /// `NAME=value` entries for the child, or nil to inherit the parent's environment.
  public var environment: [String]?
  /// How long the child may run before it is killed.
  public var timeout: Duration

  public init(
    executable: String, arguments: [String] = [], environment: [String]? = nil,
    timeout: Duration = .seconds(30)
  ) {
    self.executable = executable
    self.arguments = arguments
    self.environment = environment
    self.timeout = timeout
  }

  /// Spawns the child, writes `input` to its standard input (then closes it), reads its
  /// output until both streams end, and reaps it. Output is read while input is written, in
  /// one `poll(2)` loop, so a child that writes a lot before reading cannot deadlock.
  public func run(input: [UInt8] = []) throws(SystemError) -> ChildProcessResult {
    let deadline = ContinuousClock().now.advanced(by: timeout)
    let standardInput = try Self.makePipe()
    let standardOutput = try Self.makePipe()
    let standardError = try Self.makePipe()
    let pid: pid_t
    do {
      pid = try spawn(
        standardInput: standardInput.read, standardOutput: standardOutput.write,
        standardError: standardError.write)
    } catch {
      for descriptor in [standardInput, standardOutput, standardError].flatMap({
        [$0.read, $0.write]
      }) {
        closeDescriptor(descriptor)
      }
      throw error
    }
    closeDescriptor(standardInput.read)
    closeDescriptor(standardOutput.write)
    closeDescriptor(standardError.write)

    var streams = Streams(
      input: input, inputDescriptor: standardInput.write,
      outputDescriptor: standardOutput.read, errorDescriptor: standardError.read)
    let finished = streams.exchange(until: deadline)
    streams.closeAll()
    var timedOut = !finished
    var status: CInt = 0
    if !timedOut { timedOut = !Self.reap(pid, until: deadline, status: &status) }
    if timedOut {
      _ = kill(pid, SIGKILL)
      Self.waitBlocking(pid, status: &status)
    }
    let termination: ChildProcessResult.Termination =
      status & 0x7f == 0 ? .exited((status >> 8) & 0xff) : .signaled(status & 0x7f)
    return ChildProcessResult(
      termination: termination, standardOutput: streams.output, standardError: streams.error,
      timedOut: timedOut)
  }

  // MARK: Spawning

  /// `pipe2(O_CLOEXEC)`.
  private static func makePipe() throws(SystemError) -> (read: CInt, write: CInt) {
    var ends: [CInt] = [-1, -1]
    _ = try retryingInterrupts("pipe2") {
      ends.withUnsafeMutableBufferPointer {
        LinuxCalls.pipe2($0.baseAddress!, LinuxCalls.closeOnExec)
      }
    }
    return (ends[0], ends[1])
  }

  /// `posix_spawn` with `dup2` file actions for 0, 1 and 2, an empty signal mask and
  /// `SIGPIPE` reset to its default.
  private func spawn(
    standardInput: CInt, standardOutput: CInt, standardError: CInt
  ) throws(SystemError) -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, standardInput, 0)
    posix_spawn_file_actions_adddup2(&actions, standardOutput, 1)
    posix_spawn_file_actions_adddup2(&actions, standardError, 2)

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    sigaddset(&defaults, SIGPIPE)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(
      &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { $0.map { strdup($0) } + [nil] }
    defer {
      for pointer in argv { free(pointer) }
      for pointer in envp ?? [] { free(pointer) }
    }
    var pid: pid_t = 0
    var result: CInt = 0
    // ETXTBSY: a script written a moment ago may still be open for writing in a child that
    // another thread of this process forked meanwhile (the descriptor is inherited until
    // that child execs). The classic remedy is to try again shortly.
    for attempt in 0..<50 {
      result = argv.withUnsafeBufferPointer { arguments in
        if let envp {
          return envp.withUnsafeBufferPointer { environment in
            posix_spawn(
              &pid, executable, &actions, &attributes, arguments.baseAddress!,
              environment.baseAddress!)
          }
        }
        return posix_spawn(
          &pid, executable, &actions, &attributes, arguments.baseAddress!, environ)
      }
      guard result == ETXTBSY, attempt < 49 else { break }
      usleep(10_000)
    }
    if result != 0 { throw SystemError(code: result, call: "posix_spawn(\(executable))") }
    return pid
  }

  // MARK: Reaping

  /// Polls `waitpid(WNOHANG)` until the child has ended or `deadline` passes.
  private static func reap(
    _ pid: pid_t, until deadline: ContinuousClock.Instant, status: inout CInt
  ) -> Bool {
    while true {
      let result = waitpid(pid, &status, WNOHANG)
      if result == pid { return true }
      if result == -1, errno != EINTR { return true }  // nothing left to wait for
      if ContinuousClock().now >= deadline { return false }
      var pause = timespec(tv_sec: 0, tv_nsec: 1_000_000)
      _ = nanosleep(&pause, nil)
    }
  }

  /// `waitpid(pid, &status, 0)`, retrying `EINTR`.
  private static func waitBlocking(_ pid: pid_t, status: inout CInt) {
    while waitpid(pid, &status, 0) == -1, errno == EINTR {}
  }
}

/// The parent's ends of the three pipes, while the child runs.
private struct Streams {
  var input: [UInt8]
  var written = 0
  var inputDescriptor: CInt
  var outputDescriptor: CInt
  var errorDescriptor: CInt
  var output: [UInt8] = []
  var error: [UInt8] = []

  /// Writes input and reads output in one `poll` loop until both outputs reach end of file
  /// (true) or `deadline` passes (false). `SIGPIPE` is blocked on this thread meanwhile, so a
  /// child that exits without reading its input costs an `EPIPE`, not the parent's life.
  mutating func exchange(until deadline: ContinuousClock.Instant) -> Bool {
    var pipeSignal = sigset_t()
    sigemptyset(&pipeSignal)
    sigaddset(&pipeSignal, SIGPIPE)
    var previous = sigset_t()
    pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
    defer {
      var pending = sigset_t()
      if sigismember(&previous, SIGPIPE) == 0, sigpending(&pending) == 0,
        sigismember(&pending, SIGPIPE) == 1
      {
        var now = timespec()
        _ = sigtimedwait(&pipeSignal, nil, &now)
      }
      pthread_sigmask(SIG_SETMASK, &previous, nil)
    }
    if input.isEmpty {
      closeInput()
    } else {
      _ = fcntl(inputDescriptor, F_SETFL, fcntl(inputDescriptor, F_GETFL) | O_NONBLOCK)
    }
    while outputDescriptor >= 0 || errorDescriptor >= 0 {
      let left = ContinuousClock().now.duration(to: deadline)
      if left <= .zero { return false }
      var entries = [
        pollfd(fd: inputDescriptor, events: Int16(POLLOUT), revents: 0),
        pollfd(fd: outputDescriptor, events: Int16(POLLIN), revents: 0),
        pollfd(fd: errorDescriptor, events: Int16(POLLIN), revents: 0),
      ]
      let milliseconds = CInt(left / .milliseconds(1)) + 1
      let ready = entries.withUnsafeMutableBufferPointer {
        poll($0.baseAddress, nfds_t($0.count), milliseconds)
      }
      if ready <= 0 { continue }
      if entries[0].revents != 0 { writeInput() }
      if entries[1].revents != 0 { readAvailable(from: &outputDescriptor, into: &output) }
      if entries[2].revents != 0 { readAvailable(from: &errorDescriptor, into: &error) }
    }
    return true
  }

  /// Writes as much input as the pipe takes; closes it when done or when the child is gone.
  private mutating func writeInput() {
    let result = input.withUnsafeBytes { bytes in
      write(inputDescriptor, bytes.baseAddress! + written, bytes.count - written)
    }
    if result >= 0 {
      written += result
      if written == input.count { closeInput() }
    } else if errno != EAGAIN, errno != EINTR {
      closeInput()  // EPIPE: the child does not read (any more)
    }
  }

  private mutating func closeInput() {
    if inputDescriptor >= 0 { closeDescriptor(inputDescriptor) }
    inputDescriptor = -1
  }

  /// One `read(2)`; end of file or an error closes the descriptor (a negative fd is skipped
  /// by `poll`).
  private func readAvailable(from descriptor: inout CInt, into bytes: inout [UInt8]) {
    var buffer = [UInt8](repeating: 0, count: 65536)
    let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
    if count > 0 {
      bytes += buffer[..<count]
    } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
      closeDescriptor(descriptor)
      descriptor = -1
    }
  }

  mutating func closeAll() {
    closeInput()
    for descriptor in [outputDescriptor, errorDescriptor] where descriptor >= 0 {
      closeDescriptor(descriptor)
    }
    outputDescriptor = -1
    errorDescriptor = -1
  }
}
