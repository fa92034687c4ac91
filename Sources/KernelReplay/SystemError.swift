import BindModel
@preconcurrency import Glibc

/// An error number returned by a system call (or a netlink request), with the call's name.
///
/// Mirrors the C convention of `-1` plus `errno`: `code` is the raw `errno` value captured
/// right after the failure, `call` names the failing C function (`"bind"`, `"RTM_NEWADDR"`).
public struct SystemError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The raw errno value, such as `EADDRINUSE` (98).
  public var code: CInt
  /// The system call or netlink request that failed, such as `"bind"`.
  public var call: String

  public init(code: CInt, call: String) {
    self.code = code
    self.call = call
  }

  /// The error in the model's vocabulary.
  public var errno: Errno { .code(code) }

  /// `bind: Address already in use (EADDRINUSE)`, as `strerror(3)` words it.
  public var description: String {
    "\(call): \(String(cString: strerror(code))) (\(errno.name))"
  }
}
