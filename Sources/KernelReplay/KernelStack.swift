import BindModel

/// The kernel as a single network stack: performs scenario statements for real, on real
/// sockets, in the network namespace of the calling thread (which must be a fresh, private
/// one), and reports what the kernel did.
///
/// A `KernelNetwork` of one host, `local`, that never switches namespace (no `setns`).
/// Scenarios with several hosts need `KernelNetwork` itself: here `host` and `link` are
/// `EOPNOTSUPP`. Call `perform` from one thread: the `uid=N` switch is per thread.
public final class KernelStack {
  private let network = KernelNetwork(callingThreadAs: "local")

  public init() {}

  /// Performs one statement and reports its outcome and the local port the statement's
  /// socket holds afterwards (`getsockname`, 0 if none or if the socket is gone).
  public func perform(_ action: Action) -> Observation {
    switch action {
    case .host, .link: Observation(outcome: .failed(.EOPNOTSUPP))
    default: network.perform(action, host: "local")
    }
  }

  /// Waits until every interface is up and every IPv6 address is usable (see
  /// `KernelNetwork.waitUntilReady()`).
  public func waitUntilReady() throws(SystemError) {
    try network.waitUntilReady()
  }
}
