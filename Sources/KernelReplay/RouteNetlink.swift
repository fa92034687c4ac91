import BindModel
@preconcurrency import Glibc

/// An `AF_NETLINK`/`NETLINK_ROUTE` socket: the rtnetlink requests `ip(8)` would send to
/// configure the calling thread's network namespace (links, veth pairs, addresses) and to
/// ask which route the kernel would use.
///
/// Every request asks for an acknowledgement (`NLM_F_ACK`), and a non-zero `NLMSG_ERROR`
/// becomes a `SystemError` named after the request.
public struct RouteNetlink: ~Copyable {
  private let descriptor: CInt
  private var sequence: UInt32 = 0

  /// How long to wait for the kernel's answer to one request. Generous: while many namespaces
  /// are torn down at once (a fuzz run), RTNL can be held for seconds on a loaded machine.
  private static let replyTimeout: Duration = .seconds(10)

  /// `socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)`; the socket belongs to the
  /// namespace of the calling thread.
  public init() throws(SystemError) {
    descriptor = try retryingInterrupts("socket(AF_NETLINK)") {
      socket(
        AF_NETLINK, CInt(SOCK_RAW.rawValue) | LinuxCalls.closeOnExec, RTNL.protocolRoute)
    }
  }

  deinit { closeDescriptor(descriptor) }

  /// `if_nametoindex(3)` in the calling thread's namespace: nil when no interface has the name.
  public static func interfaceIndex(named name: String) -> Int32? {
    KernelReplay.interfaceIndex(name)
  }

  /// `ip link set dev NAME up` (`RTM_NEWLINK`, `IFF_UP`).
  public mutating func setLinkUp(index: Int32) throws(SystemError) {
    try request(.setLinkUp(index: index, sequence: nextSequence()), call: "RTM_NEWLINK(up)")
  }

  /// The `multicast ff00::/8` route of an interface that is up (`RTM_NEWROUTE`); one that
  /// addrconf already added is fine.
  public mutating func addIPv6MulticastRoute(index: Int32) throws(SystemError) {
    do {
      try request(
        .addIPv6MulticastRoute(index: index, sequence: nextSequence()),
        call: "RTM_NEWROUTE(ff00::/8)")
    } catch  where error.code == EEXIST {
      return
    }
  }

  /// `ip link add NAME type veth peer name PEER`: both ends stay in this namespace.
  public mutating func createVethPair(name: String, peer: String) throws(SystemError) {
    try request(
      .createVethPair(name: name, peer: peer, sequence: nextSequence()),
      call: "RTM_NEWLINK(veth)")
  }

  /// `ip link add NAME type veth peer name PEER netns FD`: the peer is created directly in
  /// the network namespace `peerNamespace` refers to (a `/proc/.../ns/net` descriptor).
  public mutating func createVethPair(
    name: String, peer: String, peerNamespace: Int32
  ) throws(SystemError) {
    try request(
      .createVethPair(
        name: name, peer: peer, peerNamespace: peerNamespace, sequence: nextSequence()),
      call: "RTM_NEWLINK(veth peer netns)")
  }

  /// The RFC 2863 operational state of a link (`RTM_GETLINK`, `IFLA_OPERSTATE`), nil when
  /// the kernel's answer has none.
  public mutating func operationalState(index: Int32) throws(SystemError) -> UInt8? {
    let message = NetlinkMessage.getLink(index: index, sequence: nextSequence())
    try send(message, call: "RTM_GETLINK")
    let reply = try receive(sequence: message.sequence, call: "RTM_GETLINK")
    if let error = reply.acknowledgementError, error != 0 {
      throw SystemError(code: -error, call: "RTM_GETLINK")
    }
    return reply.operationalState
  }

  /// Waits until a link is operationally up (`IF_OPER_UP`). A veth end gets its carrier
  /// when both ends are up, but its transmit queue is activated later, by the link-watch
  /// work (`linkwatch_do_dev` sets the operational state and calls `dev_activate` under
  /// RTNL); until then every packet it sends is dropped by `noop_qdisc`. Polls every
  /// millisecond and gives up with `ETIMEDOUT` after `timeout`.
  public mutating func waitUntilUp(
    index: Int32, timeout: Duration = .seconds(10)
  ) throws(SystemError) {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while true {
      if try operationalState(index: index) == RTNL.operationalStateUp { return }
      if clock.now >= deadline {
        throw SystemError(code: ETIMEDOUT, call: "wait for link \(index) to come up")
      }
      var pause = timespec(tv_sec: 0, tv_nsec: 1_000_000)
      _ = nanosleep(&pause, nil)
    }
  }

  /// `ip addr add ADDRESS/PREFIX dev INDEX` (IPv4 with its broadcast address, IPv6 `nodad`).
  public mutating func addAddress(_ address: InterfaceAddress, index: Int32) throws(SystemError) {
    try request(
      .addAddress(address, index: index, sequence: nextSequence()), call: "RTM_NEWADDR")
  }

  /// Whether the kernel would deliver traffic for `address` locally right now: asks
  /// `RTM_GETROUTE` for it and checks for `RTN_LOCAL`.
  public mutating func isLocal(_ address: IPv6Address) throws(SystemError) -> Bool {
    let message = NetlinkMessage.getRoute(to: address, sequence: nextSequence())
    try send(message, call: "RTM_GETROUTE")
    let reply = try receive(sequence: message.sequence, call: "RTM_GETROUTE")
    // An error answer (no route at all yet, ENETUNREACH and friends) just means "not yet".
    return reply.routeType == RTNL.routeTypeLocal
  }

  /// Waits until a newly added IPv6 address is really usable: its local route (table local,
  /// added asynchronously by `addrconf` even without DAD) is in place. Polls every
  /// millisecond and gives up with `ETIMEDOUT` after `timeout`.
  public mutating func waitUntilLocal(
    _ address: IPv6Address, timeout: Duration = .seconds(10)
  ) throws(SystemError) {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while true {
      if try isLocal(address) { return }
      if clock.now >= deadline { throw SystemError(code: ETIMEDOUT, call: "wait for \(address)") }
      var pause = timespec(tv_sec: 0, tv_nsec: 1_000_000)
      _ = nanosleep(&pause, nil)
    }
  }

  // MARK: Transport

  private mutating func nextSequence() -> UInt32 {
    sequence &+= 1
    return sequence
  }

  /// Sends `message` and waits for its acknowledgement.
  private func request(_ message: NetlinkMessage, call: String) throws(SystemError) {
    try send(message, call: call)
    let reply = try receive(sequence: message.sequence, call: call)
    guard let error = reply.acknowledgementError else {
      throw SystemError(code: EPROTO, call: call)
    }
    if error != 0 { throw SystemError(code: -error, call: call) }
  }

  /// `send(2)` to the kernel (port id 0, the default destination of an unbound netlink socket).
  private func send(_ message: NetlinkMessage, call: String) throws(SystemError) {
    let bytes = message.bytes
    let sent = try retryingInterrupts("send(\(call))") {
      bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, 0) }
    }
    if sent != bytes.count { throw SystemError(code: EMSGSIZE, call: call) }
  }

  /// Receives until a message with this sequence number arrives (`poll` plus `recv`).
  private func receive(sequence: UInt32, call: String) throws(SystemError) -> NetlinkMessage {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: Self.replyTimeout)
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let left = clock.now.duration(to: deadline)
      if left <= .zero { throw SystemError(code: ETIMEDOUT, call: call) }
      var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
      let milliseconds = CInt(left / .milliseconds(1)) + 1
      if try retryingInterrupts("poll(\(call))", { poll(&entry, 1, milliseconds) }) == 0 {
        continue
      }
      let count = try retryingInterrupts("recv(\(call))") {
        buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
      }
      for message in NetlinkMessage.parse(Array(buffer[..<count]))
      where message.sequence == sequence {
        return message
      }
    }
  }
}
