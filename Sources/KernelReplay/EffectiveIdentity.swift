@preconcurrency import Glibc

/// Runs code with the effective user and group id of a scenario's `uid=N`, for the calling
/// thread only.
///
/// glibc's `seteuid(3)`/`setegid(3)` change every thread of the process (POSIX semantics,
/// implemented by a signal broadcast), which would leak the identity into unrelated threads of
/// a test process. The raw `setresuid(2)`/`setresgid(2)` system calls change only the calling
/// thread's credentials, which is what the kernel checks for `bind` (`CAP_NET_BIND_SERVICE`)
/// and records at `socket()` (`sk_uid`).
struct EffectiveIdentity {
  /// The user and group id (the same number, as the scenario language has one `uid`).
  var id: UInt32

  /// Switches the calling thread to `id` (group first, then user), runs `body`, and switches
  /// back to root (user first, then group). `id == 0` runs `body` unchanged.
  func run<R>(_ body: () throws(SystemError) -> R) throws(SystemError) -> R {
    if id == 0 { return try body() }
    try Self.setEffective(LinuxCalls.setresgidNumber, id, call: "setegid")
    do {
      try Self.setEffective(LinuxCalls.setresuidNumber, id, call: "seteuid")
    } catch {
      Self.restore(LinuxCalls.setresgidNumber, call: "setegid")
      throw error
    }
    defer {
      Self.restore(LinuxCalls.setresuidNumber, call: "seteuid")
      Self.restore(LinuxCalls.setresgidNumber, call: "setegid")
    }
    return try body()
  }

  /// `setresuid(-1, id, -1)` or `setresgid(-1, id, -1)` on this thread only.
  private static func setEffective(
    _ number: CLong, _ id: UInt32, call: String
  ) throws(SystemError) {
    _ = try retryingInterrupts(call) {
      LinuxCalls.syscall3(number, -1, CLong(id), -1)
    }
  }

  /// Back to 0; failing to regain root would leave every later call wrong, so it traps.
  private static func restore(_ number: CLong, call: String) {
    do {
      try setEffective(number, 0, call: call)
    } catch {
      preconditionFailure("cannot switch back to root: \(error)")
    }
  }
}
