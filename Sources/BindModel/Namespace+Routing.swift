/// Where a datagram or SYN to some destination goes, as the routing tables of a fresh
/// namespace decide (`ip_route_output_key_hash`, `ip6_route_output`).
enum Route: Sendable {
  /// A local address: delivered on this host, as if it arrived on `interface` (reference §15.1).
  case local(interface: String, source: IPAddress)
  /// A broadcast address (limited, or an interface's subnet broadcast).
  case broadcast(interface: String?, source: IPAddress)
  /// A multicast group.
  case multicast
  /// Inside a connected subnet but not local: the packet leaves the host.
  case offHost(interface: String, source: IPAddress)
  /// No route (a fresh namespace has no default route).
  case unreachable
}

extension Namespace {
  /// The route and the source address the kernel would pick for `destination`.
  func route(to destination: IPAddress) -> Route {
    switch destination {
    case .v4(let a):
      return route4(a)
    case .v6(let a):
      if let v4 = a.v4Mapped {
        switch route4(v4) {
        case .local(let i, .v4(let s)): return .local(interface: i, source: .v6(.init(v4Mapped: s)))
        case .broadcast(let i, .v4(let s)):
          return .broadcast(interface: i, source: .v6(.init(v4Mapped: s)))
        case .offHost(let i, .v4(let s)):
          return .offHost(interface: i, source: .v6(.init(v4Mapped: s)))
        case let other: return other
        }
      }
      if a.isMulticast { return .multicast }
      if let owner = ipv6Owner(a) { return .local(interface: owner.name, source: .v6(a)) }
      if let (i, source) = ipv6Subnet(a) { return .offHost(interface: i.name, source: .v6(source)) }
      return .unreachable
    }
  }

  private func route4(_ a: IPv4Address) -> Route {
    switch addressType(a) {
    case .multicast: return .multicast
    case .local(let name):
      // A local route's preferred source: the address itself when configured, else the
      // loopback address whose prefix holds it (127.0.0.5 is sent from 127.0.0.1).
      if interfaces.contains(where: { $0.ipv4.contains { $0.address == a } }) {
        return .local(interface: name, source: .v4(a))
      }
      let lo = interface(named: name)?.ipv4.first {
        a.rawValue & IPv4Address.mask(prefixLength: $0.prefixLength)
          == $0.address.rawValue & IPv4Address.mask(prefixLength: $0.prefixLength)
      }
      return .local(interface: name, source: .v4(lo?.address ?? a))
    case .broadcast(let name):
      let source = name.flatMap { interface(named: $0)?.ipv4.first?.address } ?? .any
      return .broadcast(interface: name, source: .v4(source))
    case .unicast:
      if let (i, source) = ipv4Subnet(a) { return .offHost(interface: i.name, source: .v4(source)) }
      return .unreachable
    }
  }
}
