/// The kernel's view of one socket: the fields of `struct sock` that bind, lookup and
/// delivery read (reference §1).
///
/// The fields that hold references (strings, arrays) live together in `Extras`, stored
/// copy-on-write in a one-element array: every other field is plain data, so copying a socket
/// record costs a memcpy and one retain instead of one per string and array.
public struct ModelSocket: Hashable, Sendable {
  /// The TCP or UDP state as far as the binding tables care (`sk_state`).
  public enum State: Hashable, Sendable {
    /// `TCP_CLOSE`: not listening and not connected (may be bound).
    case closed
    /// `TCP_LISTEN`.
    case listening
    /// `TCP_SYN_SENT`: the SYN got no answer yet (connect reported ETIMEDOUT, the kernel keeps
    /// trying).
    case synSent
    /// Connected to a peer (`TCP_ESTABLISHED` or a connected UDP socket).
    case connected
    /// Closed first while the other end is still open: the name lingers (`FIN_WAIT2`).
    case finWait
    /// Closed first, and the other end has closed too: the name lingers (`TIME_WAIT`).
    case timeWait
  }

  /// The reference-holding fields (see the type's comment).
  struct Extras: Hashable, Sendable {
    /// The name, as a one-element list: a delivery to this socket reports it as its receivers
    /// (`Outcome.delivered`) without building an array per datagram.
    var nameList: [String]
    var boundDevice: String?
    var ipv6MulticastInterface: String?
    var peer: Endpoint?
    var pendingError: Errno?
    var memberships: [Membership] = []
    var acceptQueue: [PendingConnection] = []
    // Cold fields: set by connect(), send() and setsockopt on few sockets, and never read by
    // bind's conflict checks or by delivery.
    var multicastInterface: IPv4Address?
    var connectedSource6: IPAddress?
    var connectedSource: IPAddress?
    var staleIPv6Peer: IPAddress?
    var cachedRoute6: CachedRoute6?
  }

  /// Which optional cold fields hold a value, a bit each, so that reading or clearing one that
  /// holds none does not touch the extras: they are a separate heap block, which bind() and
  /// send() would otherwise load for every socket they look at.
  private var coldSet: UInt8 = 0
  private static let multicastInterfaceBit: UInt8 = 1 << 0
  private static let connectedSource6Bit: UInt8 = 1 << 1
  private static let connectedSourceBit: UInt8 = 1 << 2
  private static let staleIPv6PeerBit: UInt8 = 1 << 3
  private static let cachedRoute6Bit: UInt8 = 1 << 4
  private static let pendingErrorBit: UInt8 = 1 << 5

  @inline(__always)
  private func extra<T>(_ field: KeyPath<Extras, T?>, _ bit: UInt8) -> T? {
    coldSet & bit == 0 ? nil : extras[0][keyPath: field]
  }

  /// Writes `value` into the extras unless it is already there, so that a record shared with
  /// a copy is not duplicated for nothing.
  @inline(__always)
  private mutating func setExtra<T: Equatable>(
    _ field: WritableKeyPath<Extras, T?>, _ bit: UInt8, _ value: T?
  ) {
    if value == nil {
      guard coldSet & bit != 0 else { return }
      coldSet &= ~bit
    } else {
      coldSet |= bit
    }
    if extras[0][keyPath: field] != value { extras[0][keyPath: field] = value }
  }

  /// Always exactly one element.
  private var extras: [Extras]

  public var id: SocketID
  public var name: String {
    get { extras[0].nameList[0] }
    set { extras[0].nameList = [newValue] }
  }
  /// `[name]`, shared by every delivery to this socket.
  public var nameList: [String] { extras[0].nameList }
  public var kind: SocketKind
  /// Owner uid, captured at `socket()` time (`sk_uid`).
  public var uid: UInt32
  // Inlined, like the other small derived properties below, so that reading one from a record
  // in an array loads that field instead of copying the whole record.
  @inline(__always) public var family: AddressFamily { kind.family }
  @inline(__always) public var transport: TransportProtocol { kind.transport }

  // Options (`sk_reuse`, `sk_reuseport`, `sk_ipv6only`, `inet->freebind`, ...).
  public var reuseAddress = false
  public var reusePort = false
  public var v6Only = false
  public var freebind = false
  public var transparent = false
  public var broadcast = false
  public var bindAddressNoPort = false
  /// `inet->mc_all`: set by `inet_create` for AF_INET sockets; `inet6_create` leaves it 0,
  /// so an AF_INET6 socket hears IPv4 groups it did not join only after IP_MULTICAST_ALL
  /// (verified on 6.18).
  public var multicastAll = true
  /// `np->mc_all` (IPV6_MULTICAST_ALL), 1 for every AF_INET6 socket.
  public var ipv6MulticastAll = true
  public var lingerZero = false
  /// TCP: data arrived that nobody read (scenarios never read TCP data), so `tcp_close` sends
  /// a reset instead of a FIN.
  public var unreadData = false
  /// `sk_bound_dev_if`, by interface name.
  public var boundDevice: String? {
    get { boundDeviceKey == 0 ? nil : extras[0].boundDevice }
    // Unchanged values are not written, so that a shared record is not copied for nothing.
    set {
      if newValue == nil && boundDeviceKey == 0 { return }
      if extras[0].boundDevice != newValue {
        extras[0].boundDevice = newValue
        boundDeviceKey = newValue.map(Self.deviceKey) ?? 0
      }
    }
  }
  /// 0 without a bound device, else a hash of its name (never 0): a stored copy of what
  /// `boundDevice` says, so that conflict checks and lookups, which only ask whether two
  /// devices may be the same, read a plain field. (Reading `boundDevice` from a record in an
  /// array makes Swift copy the whole record first.)
  public private(set) var boundDeviceKey: UInt64 = 0

  /// FNV-1a over the name's UTF-8, with the low bit set so that no name hashes to 0.
  static func deviceKey(_ name: String) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in name.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    return h | 1
  }
  public var multicastInterface: IPv4Address? {
    get { extra(\.multicastInterface, Self.multicastInterfaceBit) }
    set { setExtra(\.multicastInterface, Self.multicastInterfaceBit, newValue) }
  }
  public var ipv6MulticastInterface: String? {
    get { extras[0].ipv6MulticastInterface }
    set { extras[0].ipv6MulticastInterface = newValue }
  }

  // Name and state.
  /// The bound local address (`inet_rcv_saddr` / `sk_v6_rcv_saddr`); nil is the wildcard of
  /// the socket's family.
  public var localAddress: IPAddress?
  /// `np->saddr` when a datagram connect() of an AF_INET6 socket set it while the bound
  /// address stayed (a socket bound to a multicast address has none until then; v4-mapped
  /// when the route was IPv4): the source of its later IPv6 routes.
  public var connectedSource6: IPAddress? {
    get { extra(\.connectedSource6, Self.connectedSource6Bit) }
    set { setExtra(\.connectedSource6, Self.connectedSource6Bit, newValue) }
  }
  /// `inet_saddr` when a datagram connect() set it while the bound address stayed (a socket
  /// bound to a broadcast or multicast address has none until then): the route's source.
  public var connectedSource: IPAddress? {
    get { extra(\.connectedSource, Self.connectedSourceBit) }
    set { setExtra(\.connectedSource, Self.connectedSourceBit, newValue) }
  }
  /// `inet_num`; 0 when the socket holds no port.
  public var localPort: UInt16 = 0
  public var state: State = .closed
  /// The connected peer (`inet_daddr`/`inet_dport`).
  public var peer: Endpoint? {
    get { hasPeer ? extras[0].peer : nil }
    set {
      if newValue == nil && !hasPeer { return }
      extras[0].peer = newValue
      hasPeer = newValue != nil
    }
  }
  /// Whether `peer` is set: a stored copy for lookups (see `boundDeviceKey`).
  public private(set) var hasPeer = false
  /// `sk_v6_daddr` of a UDP AF_INET6 socket after `__udp_disconnect`, which clears only the
  /// IPv4 peer: IPv6 delivery still takes datagrams only from this address (verified on 6.18).
  public var staleIPv6Peer: IPAddress? {
    get { extra(\.staleIPv6Peer, Self.staleIPv6PeerBit) }
    set { setExtra(\.staleIPv6Peer, Self.staleIPv6PeerBit, newValue) }
  }
  /// `sk_dst_cache` of a UDP AF_INET6 socket: the IPv6 route its last successful connect()
  /// (or a send() without a destination that missed the cache) looked up, which
  /// `ip6_sk_dst_check` reuses for a later datagram to the same address whose output device,
  /// if any, is the route's device (see `Namespace.cachedRoute6(for:to:oif:)`).
  var cachedRoute6: CachedRoute6? {
    get { extra(\.cachedRoute6, Self.cachedRoute6Bit) }
    set { setExtra(\.cachedRoute6, Self.cachedRoute6Bit, newValue) }
  }
  /// For a TCP connection inside this host: the socket at the other end.
  public var otherEnd: SocketID?
  /// The other end of the TCP connection is on another host (the network tracks it).
  public var otherEndRemote = false
  /// `SOCK_BINDADDR_LOCK`: bind() set a specific address.
  public var addressLocked = false
  /// The port was chosen by `connect()` (`SOCK_CONNECT_BIND`), not held through `bind()`.
  public var connectBound = false
  /// `icsk_af_ops` is still `ipv6_mapped`: an AF_INET6 TCP socket whose connect() to a
  /// v4-mapped address sent a SYN keeps the IPv4 transmit path (`tcp_v6_connect` switches back
  /// only when `tcp_v4_connect` fails), so a later SYN to a native IPv6 address is never
  /// answered.
  public var mappedOps = false
  /// `sock->state`, the socket layer's view of `connect()` (`__inet_stream_connect`).
  public enum CallState: Hashable, Sendable {
    /// `SS_UNCONNECTED`.
    case unconnected
    /// `SS_CONNECTING`: a non-blocking TCP connect() returned EINPROGRESS, and no connect()
    /// since has looked at how the handshake ended.
    case connecting
    /// `SS_CONNECTED` (an accepted socket, or a second connect() after the handshake).
    case connected
  }
  /// TCP: `sock->state`. A refused connect leaves SS_CONNECTING with `sk_state` CLOSE: listen()
  /// gives EINVAL and the next connect() ECONNABORTED.
  public var callState = CallState.unconnected
  /// The port `getsockname` still reports after the kernel released it (`inet_sport` outlives
  /// `inet_num` when a TCP connect is refused).
  public var staleLocalPort: UInt16 = 0
  /// The port `getsockname` reports.
  public var reportedPort: UInt16 { localPort != 0 ? localPort : staleLocalPort }
  /// `SOCK_BINDPORT_LOCK`: bind() asked for a specific port.
  public var portLocked = false
  /// A pending socket error (`sk_err`), reported by the next call (ECONNREFUSED after ICMP).
  public var pendingError: Errno? {
    get { extra(\.pendingError, Self.pendingErrorBit) }
    set { setExtra(\.pendingError, Self.pendingErrorBit, newValue) }
  }
  /// Groups joined with `join`: (group, interface name or nil).
  public var memberships: [Membership] {
    get { extras[0].memberships }
    _modify { yield &extras[0].memberships }
  }
  /// For TCP: the connections queued on a listener, oldest first.
  public var acceptQueue: [PendingConnection] {
    get { extras[0].acceptQueue }
    _modify { yield &extras[0].acceptQueue }
  }
  /// Where the socket is filed in its port table while hashed: the address key, and which
  /// families of ephemeral choice it blocks outright (bit 0 IPv4, bit 1 IPv6).
  var hashKey: PortTable.AddressKey?
  var blockerFlags: UInt8 = 0
  /// Whether `close` was called (the name may linger in `timeWait`).
  public var isClosed = false

  /// Whether the socket holds a port in its protocol's table.
  @inline(__always) public var isHashed: Bool { localPort != 0 }

  /// The bound address, with the family's wildcard for an unbound address.
  @inline(__always) public var boundAddress: IPAddress {
    localAddress ?? (family == .inet ? .v4(.any) : .v6(.any))
  }

  /// The local name as `ss` prints it: `*` for a dual-stack wildcard, `%dev` for a device.
  public var localDescription: String {
    let port = localPort == 0 ? "*" : "\(localPort)"
    let device = boundDevice.map { "%\($0)" } ?? ""
    switch boundAddress {
    case .v4(let a): return "\(a.isAny ? "0.0.0.0" : a.description)\(device):\(port)"
    case .v6(let a):
      if a.isAny && !v6Only { return "*\(device):\(port)" }
      return "[\(a)]\(device):\(port)"
    }
  }
}

// The initializer lives in an extension, so that the struct keeps its memberwise initializer:
// one that assigns the fields one by one makes Swift build the record in memory and then copy
// it.
extension ModelSocket {
  public init(id: SocketID, name: String, kind: SocketKind, uid: UInt32) {
    self.init(
      extras: [Extras(nameList: [name])], id: id, kind: kind, uid: uid,
      multicastAll: kind.family == .inet)
  }
}

/// A multicast group membership (`IP_ADD_MEMBERSHIP` / `IPV6_JOIN_GROUP`).
public struct Membership: Hashable, Sendable {
  public var group: IPAddress
  public var interface: String?
}

/// A TCP connection waiting in a listener's accept queue.
public struct PendingConnection: Hashable, Sendable {
  /// The local address the client dialled (the child's local name).
  public var local: Endpoint
  /// The client's name.
  public var remote: Endpoint
  /// The connecting socket, when it is on this host.
  public var client: SocketID?
  /// The socket the kernel created for this connection; `accept` gives it a name.
  public var child: SocketID
}

/// An IPv6 route in a socket's `sk_dst_cache` (`ip6_dst_store`): the destination it was looked
/// up for (`np->daddr_cache`, or the /128 key of a host route), the route's device (`dst->dev`:
/// lo for a local destination, `ip6_rt_get_dev_rcu`) and what the lookup found.
struct CachedRoute6: Hashable, Sendable {
  var destination: IPv6Address
  var device: String
  var route: Route6
}
