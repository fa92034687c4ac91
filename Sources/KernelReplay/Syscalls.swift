@preconcurrency import Glibc

// The one place where raw Glibc calls meet Swift errors.

/// Runs `body` until it stops failing with `EINTR`; a result of -1 becomes a thrown
/// `SystemError` carrying the `errno` captured right after the failure.
///
/// Never wrap `close(2)` in this: on Linux the descriptor is released even when `close`
/// reports `EINTR`, so a retry could close a descriptor another thread has just opened.
@discardableResult
func retryingInterrupts<R: FixedWidthInteger>(
  _ call: String, _ body: () -> R
) throws(SystemError) -> R {
  while true {
    let result = body()
    if result != -1 { return result }
    let code = errno  // capture first; anything else may clobber it
    if code != EINTR { throw SystemError(code: code, call: call) }
  }
}

/// `close(2)`, exactly once, ignoring the result (the descriptor is gone either way).
func closeDescriptor(_ descriptor: CInt) {
  _ = Glibc.close(descriptor)
}

/// GNU and Linux-only functions that the Glibc module does not import (it is built without
/// `_GNU_SOURCE`), resolved once from the C library with `dlsym(RTLD_DEFAULT, name)`.
enum LinuxCalls {
  /// `unshare(2)`.
  static let unshare = symbol("unshare", as: (@convention(c) (CInt) -> CInt).self)
  /// `setns(2)`: moves the calling thread into the namespace a descriptor refers to.
  static let setns = symbol("setns", as: (@convention(c) (CInt, CInt) -> CInt).self)
  /// `accept4(2)`.
  static let accept4 = symbol(
    "accept4",
    as: (@convention(c) (
      CInt, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, CInt
    ) -> CInt).self)
  /// `pipe2(2)`.
  static let pipe2 = symbol(
    "pipe2", as: (@convention(c) (UnsafeMutablePointer<CInt>, CInt) -> CInt).self)
  /// `syscall(2)` with three integer arguments. The C function is variadic, which Swift does
  /// not import; on x86_64 and AArch64 Linux, integer arguments of a variadic call travel in
  /// the same registers as those of a fixed-argument call, and glibc's `syscall` is a plain
  /// register shuffle, so calling it through this fixed prototype is sound there.
  static let syscall3 = symbol(
    "syscall", as: (@convention(c) (CLong, CLong, CLong, CLong) -> CLong).self)

  /// `CLONE_NEWNET` from `<linux/sched.h>`.
  static let cloneNewNet: CInt = 0x4000_0000
  /// `CLONE_NEWUSER` from `<linux/sched.h>`.
  static let cloneNewUser: CInt = 0x1000_0000
  /// `O_CLOEXEC` as `pipe2` and `accept4` flags want it (`SOCK_CLOEXEC` has the same value).
  static let closeOnExec = CInt(SOCK_CLOEXEC.rawValue)
  /// `SOCK_NONBLOCK` (equal to `O_NONBLOCK`).
  static let nonBlocking = CInt(SOCK_NONBLOCK.rawValue)

  #if arch(x86_64)
    /// `__NR_setresuid` (x86_64).
    static let setresuidNumber: CLong = 117
    /// `__NR_setresgid` (x86_64).
    static let setresgidNumber: CLong = 119
  #elseif arch(arm64)
    /// `__NR_setresuid` (asm-generic, AArch64).
    static let setresuidNumber: CLong = 147
    /// `__NR_setresgid` (asm-generic, AArch64).
    static let setresgidNumber: CLong = 149
  #endif

  private static func symbol<F>(_ name: String, as type: F.Type) -> F {
    guard let address = dlsym(nil, name) else {
      preconditionFailure("the C library has no \(name)")
    }
    return unsafeBitCast(address, to: type)
  }
}

/// Writes `text` to a file that already exists, such as a `/proc/sys` entry
/// (`open(O_WRONLY)`, one `write(2)`, `close(2)`).
func writeExistingFile(_ path: String, _ text: String) throws(SystemError) {
  let descriptor = try retryingInterrupts("open(\(path))") {
    open(path, O_WRONLY | O_CLOEXEC)
  }
  defer { closeDescriptor(descriptor) }
  var bytes = Array(text.utf8)
  let count = bytes.count
  let written = try retryingInterrupts("write(\(path))") {
    bytes.withUnsafeMutableBytes { write(descriptor, $0.baseAddress, count) }
  }
  if written != count { throw SystemError(code: EIO, call: "write(\(path))") }
}

/// Reads a small text file, such as a `/proc/sys` entry (`open`, `read` until EOF, `close`).
func readSmallFile(_ path: String) throws(SystemError) -> String {
  let descriptor = try retryingInterrupts("open(\(path))") { open(path, O_RDONLY | O_CLOEXEC) }
  defer { closeDescriptor(descriptor) }
  var result: [UInt8] = []
  var buffer = [UInt8](repeating: 0, count: 4096)
  while true {
    let count = try retryingInterrupts("read(\(path))") {
      buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
    }
    if count == 0 { break }
    result += buffer[..<count]
  }
  return String(decoding: result, as: UTF8.self)
}

/// `if_nametoindex(3)`: the index of an interface of the calling thread's namespace, or
/// nil when there is none by that name.
func interfaceIndex(_ name: String) -> CInt? {
  let index = if_nametoindex(name)
  return index == 0 ? nil : CInt(bitPattern: index)
}

/// An interface index no interface has, so that the kernel itself answers `ENODEV` for a
/// name the namespace does not know.
let missingInterfaceIndex = CInt.max

/// `setsockopt(2)` with an `int` value.
func setIntOption(
  _ descriptor: CInt, _ level: CInt, _ name: CInt, _ value: CInt, call: String
) throws(SystemError) {
  var value = value
  try setRawOption(descriptor, level, name, &value, call: call)
}

/// `setsockopt(2)` with any plain C struct as the value.
func setRawOption<Value>(
  _ descriptor: CInt, _ level: CInt, _ name: CInt, _ value: inout Value, call: String
) throws(SystemError) {
  let size = socklen_t(MemoryLayout<Value>.size)
  _ = try retryingInterrupts(call) {
    withUnsafePointer(to: &value) { setsockopt(descriptor, level, name, $0, size) }
  }
}
