import BindModel
@preconcurrency import Glibc

extension KernelNetwork {
  /// How long `send` waits for the first copy of a datagram (loopback is normally immediate,
  /// a cable costs a neighbour resolution first).
  static let firstDatagramWait: Duration = .milliseconds(12)
  /// How long `send` keeps collecting after the first copy (broadcast, multicast fan-out).
  static let extraCopiesGrace: Duration = .milliseconds(4)

  /// `send NAME [ENDPOINT]`. UDP: one datagram with a unique payload (`sendto`, or `send`
  /// without an endpoint), then every UDP socket of the scenario, on every host, is drained and the names that
  /// got this payload are the outcome. TCP: `send` of the payload, `.ok` or errno.
  func send(_ name: String, to address: SocketAddress?) -> Outcome {
    guard let socket = sockets[name] else { return .failed(.EBADF) }
    datagramsSent += 1
    let payload = Array("bindsim:\(datagramsSent)".utf8)
    let isUDP = socket.kind.transport == .udp
    var queuedBefore: [String: UInt32] = [:]
    if isUDP {
      var unread: Set<String> = []
      _ = drainDatagrams(looking: nil, until: ContinuousClock().now, unread: &unread)
      queuedBefore = receiveMemory()
    }
    let flags = CInt(MSG_NOSIGNAL) | CInt(MSG_DONTWAIT)
    let sent = onSocket(name) { (socket) throws(SystemError) in
      _ = try retryingInterrupts(address == nil ? "send" : "sendto") {
        payload.withUnsafeBytes { bytes in
          guard let address else {
            return Glibc.send(socket.descriptor, bytes.baseAddress, bytes.count, flags)
          }
          return address.withSockAddr { pointer, length in
            sendto(socket.descriptor, bytes.baseAddress, bytes.count, flags, pointer, length)
          }
        }
      }
    }
    guard isUDP, sent == .ok else { return sent }
    return .receivers(collectReceivers(of: payload, queuedBefore: queuedBefore))
  }

  /// Waits up to `firstDatagramWait` for the first copy of `payload`, then `extraCopiesGrace`
  /// more for further copies; returns the names that received one. A socket with a pending
  /// error is not read (see `drainDatagrams`); it received a copy when its receive queue grew
  /// since `queuedBefore` (nothing else queues on a UDP socket during the send).
  func collectReceivers(of payload: [UInt8], queuedBefore: [String: UInt32]) -> Set<String> {
    let clock = ContinuousClock()
    var receivers: Set<String> = []
    var deadline = clock.now.advanced(by: Self.firstDatagramWait)
    var graceStarted = false
    var unread: Set<String> = []
    while true {
      receivers.formUnion(drainDatagrams(looking: payload, until: deadline, unread: &unread))
      if !receivers.isEmpty, !graceStarted {
        graceStarted = true
        deadline = clock.now.advanced(by: Self.extraCopiesGrace)
        continue
      }
      if clock.now >= deadline { break }
    }
    let queuedNow = receiveMemory(of: unread)
    for (name, bytes) in queuedNow where bytes > queuedBefore[name, default: 0] {
      receivers.insert(name)
    }
    return receivers
  }

  /// `SK_MEMINFO_RMEM_ALLOC` (`getsockopt(SO_MEMINFO)`) of the UDP sockets named in `only`
  /// (all when nil): the bytes queued for reading, which grow with every datagram delivered.
  func receiveMemory(of only: Set<String>? = nil) -> [String: UInt32] {
    var result: [String: UInt32] = [:]
    for name in order {
      guard let socket = sockets[name], socket.kind.transport == .udp,
        only?.contains(name) ?? true
      else { continue }
      var info = [UInt32](repeating: 0, count: 16)
      var length = socklen_t(MemoryLayout<UInt32>.stride * info.count)
      let status = info.withUnsafeMutableBytes {
        getsockopt(socket.descriptor, SOL_SOCKET, Self.socketMemoryInfo, $0.baseAddress, &length)
      }
      if status == 0 { result[name] = info[0] }
    }
    return result
  }

  /// `SO_MEMINFO` (asm-generic/socket.h); its first slot is `SK_MEMINFO_RMEM_ALLOC`.
  static let socketMemoryInfo: CInt = 55

  /// Polls every open UDP socket until the first readiness or `deadline`, reads all datagrams
  /// queued on the ready ones, and returns the names of those that read `payload` (stale
  /// datagrams are discarded). A socket with a pending error (`POLLERR`) is not read:
  /// `recv` would consume the error (`sock_error`) that the socket's next call must report;
  /// it goes into `unread` and is left out of later polls of the same collection.
  func drainDatagrams(
    looking payload: [UInt8]?, until deadline: ContinuousClock.Instant,
    unread: inout Set<String>
  ) -> Set<String> {
    let udp = order.compactMap { name in
      sockets[name].flatMap {
        $0.kind.transport == .udp && !unread.contains(name) ? (name, $0.descriptor) : nil
      }
    }
    let names = udp.map(\.0)
    var entries = udp.map { pollfd(fd: $0.1, events: Int16(POLLIN), revents: 0) }
    if entries.isEmpty { return [] }
    let left = ContinuousClock().now.duration(to: deadline)
    let milliseconds = left > .zero ? CInt((left / .microseconds(1)) / 1000) + 1 : 0
    let ready = entries.withUnsafeMutableBufferPointer {
      poll($0.baseAddress, nfds_t($0.count), milliseconds)
    }
    guard ready > 0 else { return [] }
    var receivers: Set<String> = []
    var buffer = [UInt8](repeating: 0, count: 2048)
    for (name, entry) in zip(names, entries) {
      if entry.revents & Int16(POLLERR) != 0 { unread.insert(name) }
      guard entry.revents & Int16(POLLIN) != 0, !unread.contains(name) else { continue }
      while true {
        let count = buffer.withUnsafeMutableBytes {
          recv(entry.fd, $0.baseAddress, $0.count, CInt(MSG_DONTWAIT))
        }
        if count < 0 { break }
        if let payload, buffer[..<count].elementsEqual(payload) { receivers.insert(name) }
      }
    }
    return receivers
  }
}
