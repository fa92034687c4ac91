/// The model of one Linux network namespace: its interfaces, sysctls, sockets and the TCP and
/// UDP binding tables. A value: each call takes it and leaves the next state.
public struct Namespace: Hashable, Sendable {
  public internal(set) var interfaces: [Interface]
  public internal(set) var sysctls = SysctlSettings()
  /// Every socket ever created, indexed by `SocketID.rawValue`.
  public internal(set) var sockets: [ModelSocket] = []
  /// Open sockets by scenario name.
  public internal(set) var names = NameTable()
  var tcpTable = PortTable(indexingAddresses: false)
  var udpTable = PortTable()
  /// Interfaces with a cable to another host (`link`): traffic routed out of them reaches it.
  public internal(set) var linkedInterfaces: Set<String> = []
  /// A datagram or SYN the last call sent out of a linked interface, for the network to carry.
  var outbound: Transmission? {
    get { outboundQueue.first }
    set { outboundQueue = newValue.map { [$0] } ?? [] }
  }
  /// `outbound` as an array of at most one: calls that read the namespace copy it, and copying
  /// an empty array costs less than copying an optional transmission.
  private var outboundQueue: [Transmission] = []
  /// Connections to clients on other hosts that a closing listener reset.
  var remoteResets: [RemoteReset] = []
  /// TCP listeners per port in `lhash2` order (position taken at `listen()`).
  var tcpListeners: [UInt16: [SocketID]] = [:]
  /// The device whose local route an IPv4 address takes when several devices hold it: the
  /// first to get it (`fib_add_ifaddr` appends a second device's `local` route after it, and
  /// the local table's lookup without an output device takes the first).
  var ipv4Owners = IPv4Owners()

  public init() {
    interfaces = [
      Interface(
        name: "lo", index: 1,
        addresses: [
          InterfaceAddress(address: .v4(.loopback), prefixLength: 8),
          InterfaceAddress(address: .v6(.loopback), prefixLength: 128),
        ])
    ]
    ipv4Owners.claim(.loopback, for: "lo")
    ipv4Owners.indexPrefixes(of: interfaces)
  }

  // MARK: Lookups

  public func socket(named name: String) -> ModelSocket? {
    names[name].map { sockets[$0.rawValue] }
  }

  public subscript(id: SocketID) -> ModelSocket {
    _read { yield sockets[id.rawValue] }
    _modify { yield &sockets[id.rawValue] }
  }

  public func interface(named name: String) -> Interface? {
    interfaces.first { $0.name == name }
  }

  /// The device a scope (`%NAME`) names when the call is made. A name no interface has is an
  /// index no interface has (the replay passes one), and a socket keeps that index: it stays
  /// missing even if an interface of that name appears later.
  func scopeDevice(_ name: String) -> String {
    interface(named: name) == nil ? "\(name) (absent)" : name
  }

  func table(_ transport: TransportProtocol) -> PortTable {
    transport == .tcp ? tcpTable : udpTable
  }

  /// The sockets on `port` in the protocol's table, in chain order (without copying the table).
  func chain(_ transport: TransportProtocol, port: UInt16) -> [SocketID] {
    transport == .tcp ? tcpTable.chain(port) : udpTable.chain(port)
  }

  /// The sockets holding a port in the given protocol, with their ports (for `run`'s table).
  public func hashedSockets() -> [ModelSocket] {
    sockets.filter(\.isHashed)
  }

  // MARK: Environment

  /// `interface NAME CIDR...`: adds the interface (up) or adds addresses to it.
  public mutating func addInterface(_ name: String, addresses: [InterfaceAddress]) {
    if let i = interfaces.firstIndex(where: { $0.name == name }) {
      for a in addresses where !interfaces[i].addresses.contains(a) {
        interfaces[i].addresses.append(a)
      }
    } else {
      interfaces.append(Interface(name: name, index: interfaces.count + 1, addresses: addresses))
    }
    for case .v4(let a) in addresses.map(\.address) { ipv4Owners.claim(a, for: name) }
    ipv4Owners.indexPrefixes(of: interfaces)
  }

  // MARK: Locality (weak host model, reference §2.3)

  /// What an IPv4 address is to this host, as `inet_addr_type_table` sees it.
  public enum AddressType: Sendable {
    case local(interface: String)
    case broadcast(interface: String?)
    case multicast
    case unicast
  }

  /// `inet_addr_type_table`: local if configured anywhere (or inside a prefix on a loopback
  /// device), broadcast for 255.255.255.255 and subnet broadcasts, multicast for 224/4.
  public func addressType(_ a: IPv4Address) -> AddressType {
    if a.isMulticast { return .multicast }
    if a.isLimitedBroadcast { return .broadcast(interface: nil) }
    if let owner = ipv4Owners[a] { return .local(interface: owner) }
    // A subnet broadcast route is more specific than lo's `local 127.0.0.0/8`.
    if let device = ipv4Owners.broadcastDevice(of: a) { return .broadcast(interface: device) }
    if let device = ipv4Owners.loopbackDevice(of: a) { return .local(interface: device) }
    return .unicast
  }

  /// The interface an IPv6 address is configured on, if any.
  public func ipv6Owner(_ a: IPv6Address) -> Interface? {
    interfaces.first { $0.ipv6.contains { $0.address == a } }
  }

  /// The interface whose connected subnet contains `a` (not a local address).
  func ipv4Subnet(_ a: IPv4Address) -> (Interface, IPv4Address)? {
    for i in interfaces where !i.isLoopback {
      for (address, length) in i.ipv4 {
        let m = IPv4Address.mask(prefixLength: length)
        if a.rawValue & m == address.rawValue & m { return (i, address) }
      }
    }
    return nil
  }

  func ipv6Subnet(_ a: IPv6Address) -> (Interface, IPv6Address)? {
    for i in interfaces where !i.isLoopback {
      for (address, length) in i.ipv6 where address.matches(a, prefixLength: length) {
        return (i, address)
      }
    }
    return nil
  }

  /// Allocates the next socket identity.
  mutating func makeSocket(name: String, kind: SocketKind, uid: UInt32) -> SocketID {
    let id = SocketID(rawValue: sockets.count)
    var s = ModelSocket(id: id, name: name, kind: kind, uid: uid)
    s.v6Only = kind.family == .inet6 && sysctls.bindv6only
    sockets.append(consume s)
    names[name] = id
    return id
  }
}
