@preconcurrency import Glibc

/// An open descriptor of one network namespace (`/proc/thread-self/ns/net`), which keeps the
/// namespace alive while it is open and lets a thread move into it with `setns(2)`.
///
/// A network namespace belongs to a thread, not to the process: `unshare(CLONE_NEWNET)` and
/// `setns(fd, CLONE_NEWNET)` change only the calling thread, and sockets, netlink sockets and
/// `/proc/sys/net` files keep the namespace of the thread that opened them.
final class NamespaceHandle {
  /// The `O_RDONLY | O_CLOEXEC` descriptor of the namespace file.
  let descriptor: CInt

  private init(descriptor: CInt) { self.descriptor = descriptor }

  deinit { closeDescriptor(descriptor) }

  /// The network namespace the calling thread is in now: `open("/proc/thread-self/ns/net")`
  /// (`/proc/self` would name the main thread's namespace, which a dedicated thread has left).
  static func current() throws(NamespaceError) -> NamespaceHandle {
    let path = "/proc/thread-self/ns/net"
    do {
      let descriptor = try retryingInterrupts("open(\(path))") { open(path, O_RDONLY | O_CLOEXEC) }
      return NamespaceHandle(descriptor: descriptor)
    } catch {
      throw NamespaceError("cannot open \(path): \(error)", underlying: error)
    }
  }

  /// Moves the calling thread into a new, empty network namespace (`unshare(CLONE_NEWNET)`),
  /// gives it the default configuration (`NetworkNamespace.configureFresh()`) and returns its
  /// handle. Needs `CAP_SYS_ADMIN` in the current user namespace: root, or the user
  /// namespace `NetworkNamespace.enterFresh()` made.
  static func createFresh() throws(NamespaceError) -> NamespaceHandle {
    try NetworkNamespace.unshare(LinuxCalls.cloneNewNet, named: "CLONE_NEWNET")
    try NetworkNamespace.configureFresh()
    return try current()
  }

  /// `setns(descriptor, CLONE_NEWNET)`: the calling thread's later sockets, netlink requests,
  /// `if_nametoindex` lookups and `/proc/sys/net` writes act on this namespace.
  func enter() throws(SystemError) {
    _ = try retryingInterrupts("setns(CLONE_NEWNET)") {
      LinuxCalls.setns(descriptor, LinuxCalls.cloneNewNet)
    }
  }
}
