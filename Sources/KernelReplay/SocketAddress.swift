import BindModel
@preconcurrency import Glibc

/// A C socket address (`struct sockaddr_in`, `struct sockaddr_in6`, or a bare `AF_UNSPEC`
/// `struct sockaddr`), kept in a `sockaddr_storage` and lent out only inside closures.
///
/// The family follows the endpoint's text, not the socket's: an IPv6 endpoint on an AF_INET
/// socket is handed to the kernel as is, and the kernel answers (EAFNOSUPPORT, EINVAL).
struct SocketAddress {
  private var storage = sockaddr_storage()
  private var length: socklen_t

  /// `sockaddr_in` for an IPv4 address, `sockaddr_in6` (with `sin6_scope_id`) for IPv6.
  init(_ endpoint: Endpoint, scopeIndex: CInt = 0) {
    switch endpoint.address {
    case .v4(let address):
      var raw = sockaddr_in()
      raw.sin_family = sa_family_t(AF_INET)
      raw.sin_port = endpoint.port.bigEndian
      raw.sin_addr = in_addr(s_addr: address.rawValue.bigEndian)
      length = socklen_t(MemoryLayout<sockaddr_in>.size)
      Self.store(raw, into: &storage)
    case .v6(let address):
      var raw = sockaddr_in6()
      raw.sin6_family = sa_family_t(AF_INET6)
      raw.sin6_port = endpoint.port.bigEndian
      withUnsafeMutableBytes(of: &raw.sin6_addr) { $0.copyBytes(from: address.networkBytes) }
      raw.sin6_scope_id = UInt32(bitPattern: scopeIndex)
      length = socklen_t(MemoryLayout<sockaddr_in6>.size)
      Self.store(raw, into: &storage)
    }
  }

  private init(unspecified: Void) {
    storage.ss_family = sa_family_t(AF_UNSPEC)
    length = socklen_t(MemoryLayout<sockaddr>.size)
  }

  /// A `struct sockaddr` of family `AF_UNSPEC`: `connect()` with it dissolves an association.
  static let unspecified = SocketAddress(unspecified: ())

  private static func store<Raw>(_ raw: Raw, into storage: inout sockaddr_storage) {
    withUnsafeMutableBytes(of: &storage) { target in
      withUnsafeBytes(of: raw) { target.copyMemory(from: $0) }
    }
  }

  /// Lends the address as `(const struct sockaddr *, socklen_t)`.
  func withSockAddr<R, E: Error>(
    _ body: (UnsafePointer<sockaddr>, socklen_t) throws(E) -> R
  ) throws(E) -> R {
    var copy = storage
    let length = length
    return try withUnsafePointer(to: &copy) { (pointer) throws(E) -> R in
      try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (address) throws(E) -> R in
        try body(address, length)
      }
    }
  }

  /// The local port of a socket (`getsockname(2)`), 0 when it has none or the call fails.
  static func localPort(of descriptor: CInt) -> UInt16 {
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    let result = withUnsafeMutablePointer(to: &storage) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        getsockname(descriptor, $0, &length)
      }
    }
    guard result == 0 else { return 0 }
    switch CInt(storage.ss_family) {
    case AF_INET:
      return withUnsafeBytes(of: storage) {
        UInt16(bigEndian: $0.load(as: sockaddr_in.self).sin_port)
      }
    case AF_INET6:
      return withUnsafeBytes(of: storage) {
        UInt16(bigEndian: $0.load(as: sockaddr_in6.self).sin6_port)
      }
    default:
      return 0
    }
  }
}
