/// Why bindsim could not get (or set up) a private network namespace, as one sentence a
/// user can act on.
public struct NamespaceError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The sentence, e.g. "unshare(CLONE_NEWNET) failed: Operation not permitted; run as root
  /// or enable unprivileged user namespaces (...)".
  public var reason: String
  /// The underlying system error, when there is one.
  public var underlying: SystemError?

  public init(_ reason: String, underlying: SystemError? = nil) {
    self.reason = reason
    self.underlying = underlying
  }

  public var description: String { reason }
}
