/// Where a datagram or SYN to some destination goes, as the routing tables of a fresh
/// namespace decide (`ip_route_output_key_hash`, `ip6_route_output`).
enum Route: Hashable, Sendable {
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

  var isLocal: Bool {
    if case .local = self { return true }
    return false
  }
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
      // A local route's preferred source (fib_add_ifaddr): the address itself when it is a
      // primary address; for a secondary one (a second address in a subnet the interface
      // already has), that subnet's primary address; else the loopback address whose prefix
      // holds it (127.0.0.5 is sent from 127.0.0.1).
      // The owner is read where it lies: a copy (`interface(named:)`) retains its record and
      // its address list, which costs more than the search on every datagram.
      let source = interfaces.withUnsafeBufferPointer { all in
        guard let k = all.firstIndex(where: { $0.name == name }) else { return a }
        if let source = localRouteSource(a, on: all[k]) { return source }
        let lo = all[k].ipv4.first {
          a.rawValue & IPv4Address.mask(prefixLength: $0.prefixLength)
            == $0.address.rawValue & IPv4Address.mask(prefixLength: $0.prefixLength)
        }
        return lo?.address ?? a
      }
      return .local(interface: name, source: .v4(source))
    case .broadcast(let name):
      let source = name.flatMap { interface(named: $0)?.ipv4.first?.address } ?? .any
      return .broadcast(interface: name, source: .v4(source))
    case .unicast:
      if let (i, source) = ipv4Subnet(a) { return .offHost(interface: i.name, source: .v4(source)) }
      return .unreachable
    }
  }
}

extension Namespace {
  /// The route a datagram or SYN from `s` to `destination` takes: like `route(to:)`, but with
  /// the socket's bound device as the output interface and its bound address as the source
  /// (`ip_route_output_key_hash_rcu`; IPv4 and v4-mapped destinations, IPv6 ones by `route(to:)`).
  ///
  /// - A bound device (`flowi4_oif`) restricts the FIB lookup to routes through it; when none
  ///   matches, the kernel assumes the destination is on that link. Through `lo` that means
  ///   local delivery (`__mkroute_output` marks every route via a loopback device RTCF_LOCAL),
  ///   so a socket bound to lo reaches itself at any unicast address; through another device
  ///   the packet leaves, even to 127.0.0.1 or a subnet broadcast of another interface.
  /// - Without a device, a bound source address picks the device for 255.255.255.255 and for
  ///   multicast (`__ip_dev_find(saddr)`): a socket bound to 127.x reaches them through lo.
  /// - A bound source address that is not local (IP_FREEBIND, ip_nonlocal_bind) has no route
  ///   at all unless the socket set IP_TRANSPARENT.
  ///
  func route(from s: ModelSocket, to destination: IPAddress) -> Route {
    guard destination.ipv4View != nil else { return route(to: destination) }
    let source = sourceAddress(of: s)?.ipv4View
    if hasForeignSource(s, source: source) { return .unreachable }
    return route(from: s, to: destination, source: source)
  }

  /// `route(from:to:)` from a source the caller already knows, with no check that it is local:
  /// the socket's own (`sourceAddress(of:)`, checked by `hasForeignSource`), or the one the
  /// lookup will use (`ip_route_connect` repeats the lookup with the first one's source).
  func route(from s: ModelSocket, to destination: IPAddress, source: IPv4Address?) -> Route {
    guard let a = destination.ipv4View else { return route(to: destination) }
    let mapped = destination.family == .inet6
    let route = route4(a, device: s.boundDevice, source: source)
    guard mapped else { return route }
    let map = { (address: IPAddress) -> IPAddress in
      address.ipv4View.map { .v6(IPv6Address(v4Mapped: $0)) } ?? address
    }
    switch route {
    case .local(let i, let src): return .local(interface: i, source: map(src))
    case .broadcast(let i, let src): return .broadcast(interface: i, source: map(src))
    case .offHost(let i, let src): return .offHost(interface: i, source: map(src))
    case .multicast, .unreachable: return route
    }
  }

  private func route4(_ a: IPv4Address, device: String?, source: IPv4Address?) -> Route {
    let plain = route4(a)
    guard let device, let out = interface(named: device) else {
      if let source, a.isLimitedBroadcast, let owner = sourceDevice(source) {
        return .broadcast(interface: owner, source: .v4(source))
      }
      return plain
    }
    // The FIB answer counts only if its route goes through the bound device, so only the
    // device's own routes count: its local addresses (lo: its whole prefix), the broadcast
    // addresses and the connected subnets of its prefixes. Another device may hold the same.
    if a.isMulticast { return .multicast }
    if a.isLimitedBroadcast {
      return .broadcast(interface: device, source: .v4(source ?? out.ipv4.first?.address ?? .any))
    }
    // When several devices hold `a`, the bound device's own local route matches, with its own
    // preferred source.
    if let src = localRouteSource(a, on: out) { return .local(interface: device, source: .v4(src)) }
    if out.isLoopback && isLoopbackLocal(a) {
      if case .local(_, let src) = plain { return .local(interface: device, source: src) }
      return .local(interface: device, source: .v4(a))
    }
    for (address, length) in out.ipv4 {
      let m = IPv4Address.mask(prefixLength: length)
      if length < 31, a.rawValue == address.rawValue | ~m {
        return .broadcast(interface: device, source: .v4(source ?? address))
      }
    }
    for (address, length) in out.ipv4 where !out.isLoopback {
      let m = IPv4Address.mask(prefixLength: length)
      if a.rawValue & m == address.rawValue & m {
        return .offHost(interface: device, source: .v4(source ?? address))
      }
    }
    // No route through the device: the destination is assumed on link (`inet_select_addr`
    // picks the source: the device's own address, else any non-host-scope address).
    let chosen = source ?? selectAddress(on: out) ?? .any
    if out.isLoopback { return .local(interface: device, source: .v4(chosen)) }
    return .offHost(interface: device, source: .v4(chosen))
  }

  /// The preferred source of `device`'s local route for its address `a` (`fib_add_ifaddr`):
  /// `a` itself when it is a primary address; for a secondary one (a second address in a
  /// subnet the device already has), that subnet's primary address; nil if `device` lacks `a`.
  func localRouteSource(_ a: IPv4Address, on device: Interface) -> IPv4Address? {
    guard let own = device.ipv4.first(where: { $0.address == a }) else { return nil }
    let m = IPv4Address.mask(prefixLength: own.prefixLength)
    let primary = device.ipv4.first {
      $0.prefixLength == own.prefixLength && $0.address.rawValue & m == a.rawValue & m
    }
    return primary?.address ?? a
  }

  /// `inet_select_addr(dev, 0, RT_SCOPE_UNIVERSE)`: the device's first address that is not
  /// host-scoped (127/8 is), else the first such address of any interface; nil if none.
  func selectAddress(on device: Interface) -> IPv4Address? {
    device.ipv4.first(where: { !$0.address.isLoopback })?.address
      ?? interfaces.lazy.flatMap(\.ipv4).first(where: { !$0.address.isLoopback })?.address
  }

  /// Whether `a` is local through lo's own routes (127/8, not an address of another device).
  func isLoopbackLocal(_ a: IPv4Address) -> Bool {
    if case .local(let i) = addressType(a) { return i == "lo" }
    return false
  }

  /// Whether a destination is IPv4's "this host" (0.0.0.0, or ::ffff:0.0.0.0 on an AF_INET6
  /// socket): `ip_route_output_key_hash_rcu` makes it the source address (or 127.0.0.1) and
  /// delivers it locally without a FIB lookup, "arriving" on the bound device (`rt_iif` is the
  /// original output interface), else on lo.
  func isThisHostIPv4(_ address: IPAddress) -> Bool {
    address.ipv4View?.isAny == true
  }

  /// The route of a datagram to IPv4's "this host" (see `isThisHostIPv4`), `destination`
  /// being the address it became: local, arriving on the bound device or lo. A source that is
  /// not local fails first, as for every route (`__ip_dev_find(saddr)`): the caller checks
  /// `hasForeignSource`.
  func thisHostRoute(from s: ModelSocket, to destination: IPAddress) -> Route {
    .local(interface: s.boundDevice ?? "lo", source: destination)
  }

  /// Whether the socket's IPv4 source is not a local address (bound with IP_FREEBIND or
  /// ip_nonlocal_bind, or a broadcast address kept by inet6_bind): such a source routes only
  /// with IP_TRANSPARENT (FLOWI_FLAG_ANYSRC), otherwise every lookup fails with ENETUNREACH.
  func hasForeignSource(_ s: ModelSocket) -> Bool {
    hasForeignSource(s, source: sourceAddress(of: s)?.ipv4View)
  }

  /// `hasForeignSource(_:)` for a caller that has the socket's IPv4 source address at hand.
  func hasForeignSource(_ s: ModelSocket, source: IPv4Address?) -> Bool {
    guard let source else { return false }
    return sourceDevice(source) == nil && !s.transparent
  }

  /// Where an IPv4 route from `s` starts and leaves (`ip_route_output_key_hash_rcu`): the
  /// source address (the socket's own, else the route's; for a group, IP_MULTICAST_IF's
  /// address, else `inet_select_addr` on the output device) and the output device (for a
  /// local route, the device that owns the destination); nil for no route. `own` is the
  /// socket's source toward the destination (`sourceAddress(of:to:)`), which the caller has.
  func routeEnds(_ s: ModelSocket, _ route: Route, to destination: Endpoint, source own: IPAddress?)
    -> (source: IPAddress, device: String)?
  {
    switch route {
    case .local(let i, let src), .broadcast(let i?, let src), .offHost(let i, let src):
      return (own ?? src, i)
    case .broadcast(nil, _):
      let device = s.boundDevice ?? "lo"
      let primary = interface(named: device)?.ipv4.first.map { IPAddress.v4($0.address) }
      return (own ?? primary ?? .v4(.any), device)
    case .multicast:
      let device =
        multicastDevice(for: s, group: destination.address, scope: destination.scope) ?? "lo"
      let fallback =
        s.multicastInterface.flatMap { $0.isAny ? nil : IPAddress.v4($0) }
        ?? interface(named: device).flatMap(selectAddress(on:)).map { .v4($0) }
      return (own ?? fallback ?? .v4(.any), device)
    case .unreachable:
      return nil
    }
  }

  /// `__mkroute_output`: a loopback source may leave only through a loopback device (EINVAL);
  /// the explanation when it would, else nil.
  func loopbackSourceLeaves(
    _ s: ModelSocket, source: IPAddress, route: Route, device: String, to destination: IPAddress
  ) -> String? {
    guard let v4 = source.ipv4View, v4.isLoopback, !route.isLocal, device != "lo" else {
      return nil
    }
    return
      "'\(s.name)' has the loopback source \(v4), which may never leave the host (the route to \(destination) goes out \(device))"
  }

  /// Why `route(from:to:)` found no route.
  func unreachableReason(_ s: ModelSocket, _ destination: IPAddress) -> String {
    if destination.ipv4View != nil, hasForeignSource(s),
      let source = sourceAddress(of: s)?.ipv4View
    {
      let what: String =
        if case .broadcast = addressType(source) {
          "a broadcast address, not a local one"
        } else {
          "not an address of this host"
        }
      return
        "'\(s.name)' sends from \(source), \(what); without IP_TRANSPARENT no route starts from it (__ip_dev_find)"
    }
    return
      "no route to \(destination): it is in no connected subnet and a fresh namespace has no default route"
  }

  /// The source address a socket's packets carry before routing picks one (`inet_saddr`): its
  /// bound address, except that `inet_bind` leaves it unset ("use device") for an AF_INET
  /// socket bound to a broadcast or multicast address, until a connect() sets it; nil for the
  /// wildcard.
  func sourceAddress(of s: ModelSocket) -> IPAddress? {
    if let source = s.connectedSource { return source }
    guard let a = s.localAddress, !a.isAny, a.ipv4View?.isAny != true else { return nil }
    if s.family == .inet, case .v4(let v4) = a {
      switch addressType(v4) {
      case .broadcast, .multicast: return nil
      default: break
      }
    }
    return a
  }

  /// The source address of a packet to `destination`, before routing: for an IPv4 (or
  /// v4-mapped) destination only an IPv4 source counts. An AF_INET6 socket that connect()
  /// narrowed to an IPv6 address still has no IPv4 source (`inet_saddr` stays 0).
  func sourceAddress(of s: ModelSocket, to destination: IPAddress) -> IPAddress? {
    Self.source(sourceAddress(of: s), toward: destination)
  }

  /// A socket's source address `a` (`sourceAddress(of:)`) as the source of a packet to
  /// `destination` (see `sourceAddress(of:to:)`), for a caller that has `a` at hand.
  static func source(_ a: IPAddress?, toward destination: IPAddress) -> IPAddress? {
    guard let a else { return nil }
    return destination.ipv4View != nil && a.ipv4View == nil ? nil : a
  }

  /// `__ip_dev_find`: the device a local source address belongs to (lo for its whole prefix).
  func sourceDevice(_ source: IPv4Address) -> String? {
    if case .local(let i) = addressType(source) { return i }
    return nil
  }
}

/// Why an IPv6 route lookup (with its source selection) failed.
struct RouteFailure: Error {
  var errno: Errno
  var reason: String
}

/// An IPv6 route that was found: where the datagram goes, the device, and its source.
struct Route6: Hashable, Sendable {
  var route: Route
  var device: String
  var source: IPAddress
}

extension Namespace {
  /// The device of the first `ff00::/8` route (addrconf gives one to every interface that is
  /// up except lo, in the order they come up): the first interface; nil on a host with only lo.
  var defaultMulticastDevice: String? {
    interfaces.first { !$0.isLoopback }?.name
  }

  /// The output interface of an IPv6 datagram (`udpv6_sendmsg`, `ip6_datagram_connect`): the
  /// destination's scope when the address needs one, else the bound device, else (multicast)
  /// IPV6_MULTICAST_IF.
  func outputInterface6(for s: ModelSocket, to destination: Endpoint) -> String? {
    guard case .v6(let d) = destination.address else { return s.boundDevice }
    if d.needsScope, let scope = destination.scope { return scope }
    return s.boundDevice ?? (d.isMulticast ? s.ipv6MulticastInterface : nil)
  }

  /// `ip6_dst_lookup_tail` for a native IPv6 destination: `ip6_route_output` (an output
  /// interface restricts the routes to its own; a multicast destination takes the first
  /// `ff00::/8` route), source selection when the socket has no source yet
  /// (`ipv6_dev_get_saddr`: a local global destination is its own source, whatever the
  /// device; for multicast only among the output device's addresses: EADDRNOTAVAIL when it
  /// has none), and last the
  /// v4-mapped source check (EAFNOSUPPORT).
  func route6(_ d: IPv6Address, oif: String?, source: IPAddress?) -> Result<Route6, RouteFailure> {
    if let oif, interface(named: oif) == nil {
      return .failure(
        RouteFailure(
          errno: .ENETUNREACH, reason: "'\(oif)' names no interface, so no route goes through it"))
    }
    let found: Route6
    if d.isMulticast {
      guard let device = oif ?? defaultMulticastDevice, device != "lo" else {
        return .failure(
          RouteFailure(
            errno: .ENETUNREACH,
            reason:
              "no ff00::/8 route for \(d)\(oif == nil ? ": a host with only lo has none" : " goes through lo")"
          ))
      }
      let picked = source ?? interface(named: device)?.ipv6.first.map { .v6($0.address) }
      guard let picked else {
        return .failure(
          RouteFailure(
            errno: .EADDRNOTAVAIL,
            reason: "\(device) has no IPv6 address, so there is no source address for \(d)"))
      }
      found = Route6(route: .multicast, device: device, source: picked)
    } else if let owner = ipv6Owner(d), oif == nil || oif == owner.name {
      let src = source ?? .v6(d)
      found = Route6(
        route: .local(interface: owner.name, source: src), device: owner.name, source: src)
    } else {
      let candidates = interfaces.filter { !$0.isLoopback && (oif == nil || $0.name == oif) }
      var hit: (String, IPv6Address)?
      for i in candidates {
        if let (address, _) = i.ipv6.first(where: {
          $0.address.matches(d, prefixLength: $0.prefixLength)
        }) {
          hit = (i.name, address)
          break
        }
      }
      guard let (device, address) = hit else {
        return .failure(
          RouteFailure(
            errno: .ENETUNREACH,
            reason:
              "no route to \(d)\(oif.map { " through \($0)" } ?? ""): it is in no connected subnet\(oif == nil ? " and a fresh namespace has no default route" : "")"
          ))
      }
      // ipv6_dev_get_saddr: for a global destination every device's addresses are candidates,
      // and rule 1 (prefer the destination itself) picks a local one even when the route
      // leaves by another device; for a link-local one only the output device's addresses.
      let own = ipv6Owner(d) != nil && !d.needsScope
      let src = source ?? .v6(own ? d : address)
      found = Route6(route: .offHost(interface: device, source: src), device: device, source: src)
    }
    if case .v6(let s)? = source, s.v4Mapped != nil {
      return .failure(
        RouteFailure(
          errno: .EAFNOSUPPORT,
          reason:
            "the source \(s) is v4-mapped and \(d) is an IPv6 destination (ip6_dst_lookup_tail)"))
    }
    return .success(found)
  }

  /// The route a socket's `sk_dst_cache` gives a datagram to `d` leaving by `oif`
  /// (`ip6_sk_dst_lookup_flow` → `ip6_sk_dst_check`): the cached route when it was looked up
  /// for `d` (`ip6_rt_check`) and `oif` is unset or its device (for a local destination that
  /// is lo), else nil and `udpv6_sendmsg` looks the route up afresh. A failed connect() leaves
  /// the cache (and the peer it restores) alone, even when its scope bound the socket to a
  /// device that has no route to `d`; adding interfaces does not invalidate it (verified on
  /// 6.18).
  func cachedRoute6(for s: ModelSocket, to d: IPv6Address, oif: String?) -> Route6? {
    guard let cached = s.cachedRoute6, cached.destination == d,
      oif == nil || oif == cached.device
    else { return nil }
    return cached.route
  }

  /// What `ip6_dst_store` caches for a route to `d` (`ip6_datagram_dst_update`, or a connected
  /// `udpv6_sendmsg`): the route's device is lo for a local destination.
  func routeCache6(_ r: Route6, to d: IPv6Address) -> CachedRoute6 {
    let device: String
    if case .local = r.route { device = "lo" } else { device = r.device }
    return CachedRoute6(destination: d, device: device, route: r)
  }

  /// `np->saddr`, the IPv6 source of a socket's route lookups: its local address, except a
  /// multicast one (`__inet6_bind` sets only `sk_v6_rcv_saddr` for a multicast address), for
  /// which the source a connect() found stands (see `connectedSource6`).
  func ipv6Source(_ s: ModelSocket) -> IPAddress? {
    guard let a = s.localAddress, !a.isAny, !(a.ipv4View == nil && a.isMulticast) else {
      return s.connectedSource6
    }
    return a
  }

  /// `sk_bound_dev_if` naming no interface (a failed scoped bind or connect leaves it): the
  /// IPv4 route lookup fails with ENODEV.
  func missingBoundDevice(_ s: ModelSocket) -> String? {
    guard let device = s.boundDevice, interface(named: device) == nil
    else { return nil }
    return device
  }
}
