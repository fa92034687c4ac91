/// A Linux error number, named as in `<errno.h>`.
///
/// The model speaks in these names; the verifier maps the kernel's `errno` values onto them.
public struct Errno: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// The Linux (x86_64 and generic) value.
  public var code: Int32
  /// The C name, such as `EADDRINUSE`.
  public var name: String

  public init(code: Int32, name: String) {
    self.code = code
    self.name = name
  }

  public var description: String { name }
  /// Errnos are the same when their values are (EAGAIN is EWOULDBLOCK).
  public static func == (a: Self, b: Self) -> Bool { a.code == b.code }
  public func hash(into hasher: inout Hasher) { hasher.combine(code) }
  public static func < (a: Self, b: Self) -> Bool { a.code < b.code }

  public static let EPERM = Errno(code: 1, name: "EPERM")
  public static let ENOENT = Errno(code: 2, name: "ENOENT")
  public static let EINTR = Errno(code: 4, name: "EINTR")
  public static let EBADF = Errno(code: 9, name: "EBADF")
  public static let EAGAIN = Errno(code: 11, name: "EAGAIN")
  public static let ENOMEM = Errno(code: 12, name: "ENOMEM")
  public static let EACCES = Errno(code: 13, name: "EACCES")
  public static let EFAULT = Errno(code: 14, name: "EFAULT")
  public static let EBUSY = Errno(code: 16, name: "EBUSY")
  public static let EEXIST = Errno(code: 17, name: "EEXIST")
  public static let ENODEV = Errno(code: 19, name: "ENODEV")
  public static let EINVAL = Errno(code: 22, name: "EINVAL")
  public static let EMFILE = Errno(code: 24, name: "EMFILE")
  public static let EPIPE = Errno(code: 32, name: "EPIPE")
  public static let EPROTO = Errno(code: 71, name: "EPROTO")
  public static let ENOTSOCK = Errno(code: 88, name: "ENOTSOCK")
  public static let EDESTADDRREQ = Errno(code: 89, name: "EDESTADDRREQ")
  public static let EMSGSIZE = Errno(code: 90, name: "EMSGSIZE")
  public static let EPROTOTYPE = Errno(code: 91, name: "EPROTOTYPE")
  public static let ENOPROTOOPT = Errno(code: 92, name: "ENOPROTOOPT")
  public static let EPROTONOSUPPORT = Errno(code: 93, name: "EPROTONOSUPPORT")
  public static let EOPNOTSUPP = Errno(code: 95, name: "EOPNOTSUPP")
  public static let EAFNOSUPPORT = Errno(code: 97, name: "EAFNOSUPPORT")
  public static let EADDRINUSE = Errno(code: 98, name: "EADDRINUSE")
  public static let EADDRNOTAVAIL = Errno(code: 99, name: "EADDRNOTAVAIL")
  public static let ENETDOWN = Errno(code: 100, name: "ENETDOWN")
  public static let ENETUNREACH = Errno(code: 101, name: "ENETUNREACH")
  public static let ECONNABORTED = Errno(code: 103, name: "ECONNABORTED")
  public static let ECONNRESET = Errno(code: 104, name: "ECONNRESET")
  public static let ENOBUFS = Errno(code: 105, name: "ENOBUFS")
  public static let EISCONN = Errno(code: 106, name: "EISCONN")
  public static let ENOTCONN = Errno(code: 107, name: "ENOTCONN")
  public static let ETIMEDOUT = Errno(code: 110, name: "ETIMEDOUT")
  public static let ECONNREFUSED = Errno(code: 111, name: "ECONNREFUSED")
  public static let EHOSTUNREACH = Errno(code: 113, name: "EHOSTUNREACH")
  public static let EALREADY = Errno(code: 114, name: "EALREADY")
  public static let EINPROGRESS = Errno(code: 115, name: "EINPROGRESS")

  /// Every errno the language accepts by name.
  public static let all: [Errno] = [
    .EPERM, .ENOENT, .EINTR, .EBADF, .EAGAIN, .ENOMEM, .EACCES, .EFAULT, .EBUSY, .EEXIST, .ENODEV,
    .EINVAL, .EMFILE, .EPIPE, .EPROTO, .ENOTSOCK, .EDESTADDRREQ, .EMSGSIZE, .EPROTOTYPE,
    .ENOPROTOOPT,
    .EPROTONOSUPPORT, .EOPNOTSUPP, .EAFNOSUPPORT, .EADDRINUSE, .EADDRNOTAVAIL, .ENETDOWN,
    .ENETUNREACH, .ECONNABORTED, .ECONNRESET, .ENOBUFS, .EISCONN, .ENOTCONN, .ETIMEDOUT,
    .ECONNREFUSED, .EHOSTUNREACH, .EALREADY, .EINPROGRESS,
  ]

  /// Aliases Linux gives the same value: the language uses the first name.
  public static let aliases: [String: Errno] = [
    "EWOULDBLOCK": .EAGAIN, "ENOTSUP": .EOPNOTSUPP,
  ]

  /// Looks an errno up by its C name (or an alias).
  public static func named(_ name: some StringProtocol) -> Errno? {
    let name = String(name)
    return all.first { $0.name == name } ?? aliases[name]
  }

  /// Looks an errno up by value; unknown values get the name `E<number>`.
  public static func code(_ code: Int32) -> Errno {
    all.first { $0.code == code } ?? Errno(code: code, name: "E\(code)")
  }
}
