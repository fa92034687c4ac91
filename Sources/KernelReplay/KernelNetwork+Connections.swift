import BindModel
@preconcurrency import Glibc

extension KernelNetwork {
  /// How long `connect` waits for a TCP handshake before reporting `ETIMEDOUT`.
  static let connectTimeout: Duration = .seconds(1)
  /// How long `connect` watches the listeners' accept queues for the new connection.
  static let acceptQueueWait: Duration = .milliseconds(100)
  /// `listen(2)` backlog.
  static let backlog: CInt = 64

  /// `connect(2)`. UDP: the call's result. TCP: a non-blocking connect, a bounded wait for
  /// the handshake (`poll` for writability, then `SO_ERROR`), and the name of the listener,
  /// on any host, whose accept queue grew (`TCP_INFO`), or `.ok` if none can be identified.
  func connect(_ name: String, to address: SocketAddress) -> Outcome {
    guard let socket = sockets[name] else { return .failed(.EBADF) }
    let isTCP = socket.kind.transport == .tcp
    let before = isTCP ? acceptQueueLengths() : [:]
    let started = onSocket(name) { (socket) throws(SystemError) in
      _ = try address.withSockAddr { (pointer, length) throws(SystemError) in
        try retryingInterrupts("connect") { Glibc.connect(socket.descriptor, pointer, length) }
      }
    }
    guard isTCP else { return started }
    if started != .ok {
      guard started == .failed(.EINPROGRESS) else { return started }
      var entry = pollfd(fd: socket.descriptor, events: Int16(POLLOUT), revents: 0)
      let ready = pollOnce(&entry, timeout: Self.connectTimeout)
      if !ready { return .failed(.ETIMEDOUT) }
      var error: CInt = 0
      var length = socklen_t(MemoryLayout<CInt>.size)
      if getsockopt(socket.descriptor, SOL_SOCKET, SO_ERROR, &error, &length) != 0 {
        return .failed(.code(errno))
      }
      if error != 0 { return .failed(.code(error)) }
    }
    return listenerThatTookConnection(before: before).map { .delivered([$0]) } ?? .ok
  }

  /// `poll(2)` on one descriptor, retrying `EINTR`; whether any event arrived in time.
  func pollOnce(_ entry: inout pollfd, timeout: Duration) -> Bool {
    let milliseconds = CInt(timeout / .milliseconds(1))
    while true {
      let result = poll(&entry, 1, milliseconds)
      if result >= 0 { return result > 0 }
      if errno != EINTR { return false }
    }
  }

  /// The accept-queue length of every listening TCP socket of every host: `getsockopt(TCP_INFO)`, whose
  /// `tcpi_unacked` is `sk_ack_backlog` for a socket in LISTEN (`tcp_get_info`).
  func acceptQueueLengths() -> [String: UInt32] {
    var result: [String: UInt32] = [:]
    for name in order {
      guard let socket = sockets[name], socket.isListening else { continue }
      var info = tcp_info()
      var length = socklen_t(MemoryLayout<tcp_info>.size)
      if getsockopt(socket.descriptor, CInt(IPPROTO_TCP), TCP_INFO, &info, &length) == 0 {
        result[name] = info.tcpi_unacked
      }
    }
    return result
  }

  /// Watches the accept queues briefly (the handshake's last ACK is processed in softirq
  /// context, possibly just after the client saw it complete) for the one that grew.
  func listenerThatTookConnection(before: [String: UInt32]) -> String? {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: Self.acceptQueueWait)
    while true {
      let after = acceptQueueLengths()
      if let grown = order.first(where: { (after[$0] ?? 0) > (before[$0] ?? 0) }) {
        return grown
      }
      if clock.now >= deadline { return nil }
      var pause = timespec(tv_sec: 0, tv_nsec: 500_000)
      _ = nanosleep(&pause, nil)
    }
  }

  /// `accept4(SOCK_NONBLOCK | SOCK_CLOEXEC)` as the listener's user; the new socket is
  /// registered under `name` with the listener's kind, user and host.
  func accept(_ listenerName: String, as name: String) -> Outcome {
    guard let listener = sockets[listenerName] else { return .failed(.EBADF) }
    do {
      let descriptor = try listener.identity.run { () throws(SystemError) in
        try retryingInterrupts("accept4") {
          LinuxCalls.accept4(
            listener.descriptor, nil, nil, LinuxCalls.nonBlocking | LinuxCalls.closeOnExec)
        }
      }
      register(
        name,
        OpenSocket(
          descriptor: descriptor, kind: listener.kind, identity: listener.identity,
          host: listener.host))
      return .ok
    } catch {
      return .failed(error.code == EWOULDBLOCK ? .EAGAIN : error.errno)
    }
  }
}
