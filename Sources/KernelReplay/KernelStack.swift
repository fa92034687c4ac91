import BindModel
@preconcurrency import Glibc

/// The kernel as a network stack: performs scenario statements for real, on real sockets,
/// in the network namespace of the calling thread (which must be a fresh, private one), and
/// reports what the kernel did.
///
/// The stack owns every descriptor it opens, keyed by socket name, and closes them all when
/// it is released, so that every socket of a scenario lives (and holds its port) until the
/// scenario ends. Call `perform` from one thread: the `uid=N` switch is per thread.
public final class KernelStack {
  /// One socket of the scenario.
  private struct OpenSocket {
    var descriptor: CInt
    var kind: SocketKind
    var identity: EffectiveIdentity
    var isListening = false
  }

  private var sockets: [String: OpenSocket] = [:]
  /// Names in creation order, so that scans are deterministic.
  private var order: [String] = []
  private var datagramsSent = 0
  private var vethPairs = 0

  /// How long `connect` waits for a TCP handshake before reporting `ETIMEDOUT`.
  private static let connectTimeout: Duration = .seconds(1)
  /// How long `send` waits for the first copy of a datagram (loopback is normally immediate).
  private static let firstDatagramWait: Duration = .milliseconds(12)
  /// How long `send` keeps collecting after the first copy (broadcast, multicast fan-out).
  private static let extraCopiesGrace: Duration = .milliseconds(4)
  /// How long `connect` watches the listeners' accept queues for the new connection.
  private static let acceptQueueWait: Duration = .milliseconds(100)
  /// `listen(2)` backlog.
  private static let backlog: CInt = 64

  public init() {}

  deinit {
    for name in order {
      if let socket = sockets[name] { closeDescriptor(socket.descriptor) }
    }
  }

  /// Performs one statement and reports its outcome and the local port the statement's
  /// socket holds afterwards (`getsockname`, 0 if none or if the socket is gone).
  public func perform(_ action: Action) -> Observation {
    let outcome = outcome(of: action)
    var port: UInt16 = 0
    if let name = action.socketName, let socket = sockets[name] {
      port = SocketAddress.localPort(of: socket.descriptor)
    }
    return Observation(outcome: outcome, localPort: port)
  }

  private func outcome(of action: Action) -> Outcome {
    switch action {
    case .interface(let name, let addresses):
      return run { () throws(SystemError) in try configureInterface(name, addresses: addresses) }
    case .sysctl(let setting):
      return run { () throws(SystemError) in
        try writeExistingFile("/proc/sys/" + setting.procPath, setting.value)
      }
    case .host, .link:
      return .failed(.EOPNOTSUPP)
    case .socket(let name, let kind, let options, let uid):
      return openSocket(name, kind: kind, options: options, identity: EffectiveIdentity(id: uid))
    case .setsockopt(let name, let option):
      return onSocket(name) { (socket) throws(SystemError) in try apply(option, to: socket) }
    case .bind(let name, let spec):
      let address = socketAddress(spec)
      return onSocket(name) { (socket) throws(SystemError) in
        _ = try address.withSockAddr { (pointer, length) throws(SystemError) in
          try retryingInterrupts("bind") { Glibc.bind(socket.descriptor, pointer, length) }
        }
      }
    case .listen(let name):
      let outcome = onSocket(name) { (socket) throws(SystemError) in
        try retryingInterrupts("listen") { Glibc.listen(socket.descriptor, Self.backlog) }
      }
      if outcome == .ok { sockets[name]?.isListening = true }
      return outcome
    case .connect(let name, let spec):
      return connect(name, to: socketAddress(spec))
    case .disconnect(let name):
      return onSocket(name) { (socket) throws(SystemError) in
        _ = try SocketAddress.unspecified.withSockAddr { (pointer, length) throws(SystemError) in
          try retryingInterrupts("connect(AF_UNSPEC)") {
            Glibc.connect(socket.descriptor, pointer, length)
          }
        }
      }
    case .accept(let listener, let name):
      return accept(listener, as: name)
    case .send(let name, let spec):
      return send(name, to: spec.map(socketAddress))
    case .join(let name, let group, let interface):
      let index = interface.map { interfaceIndex($0) ?? missingInterfaceIndex } ?? 0
      return onSocket(name) { (socket) throws(SystemError) in
        try join(group, interfaceIndex: index, on: socket)
      }
    case .close(let name):
      guard let socket = sockets.removeValue(forKey: name) else { return .failed(.EBADF) }
      order.removeAll { $0 == name }
      closeDescriptor(socket.descriptor)
      return .ok
    }
  }

  // MARK: Helpers

  /// `.ok`, or `.failed` with the errno the body threw.
  private func run(_ body: () throws(SystemError) -> Void) -> Outcome {
    do {
      try body()
      return .ok
    } catch {
      return .failed(error.errno)
    }
  }

  /// Runs a call on a known socket as the socket's user; an unknown (never opened or closed)
  /// name is `EBADF`, as for a closed descriptor.
  private func onSocket(
    _ name: String, _ body: (OpenSocket) throws(SystemError) -> Void
  ) -> Outcome {
    guard let socket = sockets[name] else { return .failed(.EBADF) }
    return run { () throws(SystemError) in
      try socket.identity.run { () throws(SystemError) in try body(socket) }
    }
  }

  /// The C address of an endpoint: `@NAME` ports come from the kernel (`getsockname` of
  /// NAME), scope names become interface indexes (an unknown name, an index nobody has).
  private func socketAddress(_ spec: EndpointSpec) -> SocketAddress {
    let port: UInt16
    switch spec.port {
    case .number(let number): port = number
    case .heldBy(let holder):
      port = sockets[holder].map { SocketAddress.localPort(of: $0.descriptor) } ?? 0
    }
    let scope = spec.scope.map { interfaceIndex($0) ?? missingInterfaceIndex } ?? 0
    return SocketAddress(spec.resolved(port: port), scopeIndex: scope)
  }

  // MARK: Environment

  /// `interface NAME CIDR...`: a new name becomes one end of a veth pair whose peer
  /// (`bsp<N>`) stays in this namespace, both ends up so that the carrier is on; then each
  /// address is added (an address already present is fine) and every IPv6 address is
  /// waited for until the kernel delivers to it locally (reference §15 item 6).
  private func configureInterface(
    _ name: String, addresses: [InterfaceAddress]
  ) throws(SystemError) {
    var netlink = try RouteNetlink()
    let index: CInt
    if let existing = interfaceIndex(name) {
      index = existing
    } else {
      let peer = nextPeerName()
      try netlink.createVethPair(name: name, peer: peer)
      guard let created = interfaceIndex(name), let peerIndex = interfaceIndex(peer) else {
        throw SystemError(code: ENODEV, call: "if_nametoindex(\(name))")
      }
      try netlink.setLinkUp(index: created)
      try netlink.setLinkUp(index: peerIndex)
      index = created
    }
    for address in addresses {
      do {
        try netlink.addAddress(address, index: index)
      } catch  where error.code == EEXIST {
        continue
      }
    }
    for address in addresses {
      if case .v6(let v6) = address.address { try netlink.waitUntilLocal(v6) }
    }
  }

  /// `bsp0`, `bsp1`, ...: the first peer name no interface has yet.
  private func nextPeerName() -> String {
    while true {
      let name = "bsp\(vethPairs)"
      vethPairs += 1
      if interfaceIndex(name) == nil { return name }
    }
  }

  // MARK: Sockets

  /// `socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)` as the socket's user, then one
  /// `setsockopt` per option; a failing option leaves the socket open with the options
  /// before it applied.
  private func openSocket(
    _ name: String, kind: SocketKind, options: [SocketOption], identity: EffectiveIdentity
  ) -> Outcome {
    let family = kind.family == .inet ? AF_INET : AF_INET6
    let type = CInt((kind.transport == .udp ? SOCK_DGRAM : SOCK_STREAM).rawValue)
    let descriptor: CInt
    do {
      descriptor = try identity.run { () throws(SystemError) in
        try retryingInterrupts("socket") {
          Glibc.socket(family, type | LinuxCalls.nonBlocking | LinuxCalls.closeOnExec, 0)
        }
      }
    } catch {
      return .failed(error.errno)
    }
    register(name, OpenSocket(descriptor: descriptor, kind: kind, identity: identity))
    for option in options {
      let outcome = onSocket(name) { (socket) throws(SystemError) in try apply(option, to: socket) }
      if outcome != .ok { return outcome }
    }
    return .ok
  }

  private func register(_ name: String, _ socket: OpenSocket) {
    if let old = sockets.updateValue(socket, forKey: name) {
      closeDescriptor(old.descriptor)
      order.removeAll { $0 == name }
    }
    order.append(name)
  }

  /// One `setsockopt(2)` for a scenario option, at the level and with the value type the C
  /// option has; the kernel judges whether it fits the socket (an IPv6-level option on an
  /// AF_INET socket is its ENOPROTOOPT to give).
  private func apply(_ option: SocketOption, to socket: OpenSocket) throws(SystemError) {
    let fd = socket.descriptor
    let call = "setsockopt(\(option.name))"
    switch option {
    case .reuseAddress, .reusePort, .broadcast, .ipv6V6Only, .freebind, .transparent,
      .bindAddressNoPort, .multicastAll:
      if let (level, name, on) = Self.flag(option) {
        try setIntOption(fd, level, name, on ? 1 : 0, call: call)
      }
    case .linger(let seconds):
      var value = linger(l_onoff: 1, l_linger: CInt(clamping: seconds))
      try setRawOption(fd, SOL_SOCKET, SO_LINGER, &value, call: call)
    case .bindToDevice(let device):
      // The name without its NUL (the kernel adds one); an empty name unbinds.
      var bytes = Array(device.utf8) + [0]
      let length = socklen_t(bytes.count - 1)
      _ = try retryingInterrupts(call) {
        bytes.withUnsafeMutableBytes {
          setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, $0.baseAddress, length)
        }
      }
    case .multicastInterface(let address):
      var value = in_addr(s_addr: address.rawValue.bigEndian)
      try setRawOption(fd, CInt(IPPROTO_IP), IP_MULTICAST_IF, &value, call: call)
    case .ipv6MulticastInterface(let device):
      let index = device.isEmpty ? 0 : interfaceIndex(device) ?? missingInterfaceIndex
      try setIntOption(fd, CInt(IPPROTO_IPV6), IPV6_MULTICAST_IF, index, call: call)
    }
  }

  /// The level and name of an `int` flag option, with the value to set; nil for the options
  /// that take another type.
  private static func flag(_ option: SocketOption) -> (CInt, CInt, Bool)? {
    let ip = CInt(IPPROTO_IP)
    switch option {
    case .reuseAddress(let on): return (SOL_SOCKET, SO_REUSEADDR, on)
    case .reusePort(let on): return (SOL_SOCKET, SO_REUSEPORT, on)
    case .broadcast(let on): return (SOL_SOCKET, SO_BROADCAST, on)
    case .ipv6V6Only(let on): return (CInt(IPPROTO_IPV6), IPV6_V6ONLY, on)
    case .freebind(let on): return (ip, IP_FREEBIND, on)
    case .transparent(let on): return (ip, IP_TRANSPARENT, on)
    case .bindAddressNoPort(let on): return (ip, IP_BIND_ADDRESS_NO_PORT, on)
    case .multicastAll(let on): return (ip, IP_MULTICAST_ALL, on)
    case .linger, .bindToDevice, .multicastInterface, .ipv6MulticastInterface: return nil
    }
  }

  /// `IP_ADD_MEMBERSHIP` (`struct ip_mreqn`) for an IPv4 group, `IPV6_JOIN_GROUP`
  /// (`struct ipv6_mreq`) for an IPv6 group.
  private func join(
    _ group: IPAddress, interfaceIndex index: CInt, on socket: OpenSocket
  ) throws(SystemError) {
    switch group {
    case .v4(let address):
      var request = ip_mreqn()
      request.imr_multiaddr = in_addr(s_addr: address.rawValue.bigEndian)
      request.imr_ifindex = index
      try setRawOption(
        socket.descriptor, CInt(IPPROTO_IP), IP_ADD_MEMBERSHIP, &request,
        call: "setsockopt(IP_ADD_MEMBERSHIP)")
    case .v6(let address):
      var request = ipv6_mreq()
      withUnsafeMutableBytes(of: &request.ipv6mr_multiaddr) {
        $0.copyBytes(from: address.networkBytes)
      }
      request.ipv6mr_interface = UInt32(bitPattern: index)
      try setRawOption(
        socket.descriptor, CInt(IPPROTO_IPV6), IPV6_JOIN_GROUP, &request,
        call: "setsockopt(IPV6_JOIN_GROUP)")
    }
  }

  // MARK: Connections

  /// `connect(2)`. UDP: the call's result. TCP: a non-blocking connect, a bounded wait for
  /// the handshake (`poll` for writability, then `SO_ERROR`), and the name of the listener
  /// whose accept queue grew (`TCP_INFO`), or `.ok` if none can be identified.
  private func connect(_ name: String, to address: SocketAddress) -> Outcome {
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
  private func pollOnce(_ entry: inout pollfd, timeout: Duration) -> Bool {
    let milliseconds = CInt(timeout / .milliseconds(1))
    while true {
      let result = poll(&entry, 1, milliseconds)
      if result >= 0 { return result > 0 }
      if errno != EINTR { return false }
    }
  }

  /// The accept-queue length of every listening TCP socket: `getsockopt(TCP_INFO)`, whose
  /// `tcpi_unacked` is `sk_ack_backlog` for a socket in LISTEN (`tcp_get_info`).
  private func acceptQueueLengths() -> [String: UInt32] {
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
  private func listenerThatTookConnection(before: [String: UInt32]) -> String? {
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
  /// registered under `name` with the listener's kind and user.
  private func accept(_ listenerName: String, as name: String) -> Outcome {
    guard let listener = sockets[listenerName] else { return .failed(.EBADF) }
    do {
      let descriptor = try listener.identity.run { () throws(SystemError) in
        try retryingInterrupts("accept4") {
          LinuxCalls.accept4(
            listener.descriptor, nil, nil, LinuxCalls.nonBlocking | LinuxCalls.closeOnExec)
        }
      }
      register(
        name, OpenSocket(descriptor: descriptor, kind: listener.kind, identity: listener.identity))
      return .ok
    } catch {
      return .failed(error.code == EWOULDBLOCK ? .EAGAIN : error.errno)
    }
  }

  // MARK: Datagrams

  /// `send NAME [ENDPOINT]`. UDP: one datagram with a unique payload (`sendto`, or `send`
  /// without an endpoint), then every UDP socket of the scenario is drained and the names that
  /// got this payload are the outcome. TCP: `send` of the payload, `.ok` or errno.
  private func send(_ name: String, to address: SocketAddress?) -> Outcome {
    guard let socket = sockets[name] else { return .failed(.EBADF) }
    datagramsSent += 1
    let payload = Array("bindsim:\(datagramsSent)".utf8)
    let isUDP = socket.kind.transport == .udp
    if isUDP {
      var unread: Set<String> = []
      _ = drainDatagrams(looking: nil, until: ContinuousClock().now, unread: &unread)
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
    return .receivers(collectReceivers(of: payload))
  }

  /// Waits up to `firstDatagramWait` for the first copy of `payload`, then `extraCopiesGrace`
  /// more for further copies; returns the names that received one.
  private func collectReceivers(of payload: [UInt8]) -> Set<String> {
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
      if clock.now >= deadline { return receivers }
    }
  }

  /// Polls every open UDP socket until the first readiness or `deadline`, reads all datagrams
  /// queued on the ready ones, and returns the names of those that read `payload` (stale
  /// datagrams are discarded). A socket with a pending error (`POLLERR`) is not read:
  /// `recv` would consume the error (`sock_error`) that the socket's next call must report;
  /// it goes into `unread` and is left out of later polls of the same collection.
  private func drainDatagrams(
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
