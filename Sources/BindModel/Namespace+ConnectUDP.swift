extension Namespace {
  /// UDP `connect()` (`ip4_datagram_connect`, `ip6_datagram_connect`): autobind if needed, then
  /// a wildcard-bound socket takes the route's source address and is rehashed, so it no longer
  /// covers the other addresses (reference §8).
  mutating func connectUDP(_ id: SocketID, to written: Endpoint, choices: inout Choices)
    -> Prediction
  {
    let destination = thisHost(written, for: self[id])
    // inet_dgram_connect autobinds before the protocol's connect checks anything (verified
    // on 6.18: a connect refused with EAFNOSUPPORT still leaves a port behind).
    if let refusal = autobind(id, choices: &choices) {
      return Prediction(refusal.outcomes, rule: refusal.rule, refusal.explanation)
    }
    let s = self[id]
    if let refusal = checkFamily(s, destination, rule: .connectFamily) { return refusal }
    if case .v6(let d) = destination.address, d.v4Mapped == nil {
      return connectIPv6(id, to: destination, group: d)
    }
    // __ip4_datagram_connect starts with sk_dst_reset, and an IPv4 route never serves IPv6.
    self[id].cachedRoute6 = nil
    // ip_route_output_key_hash_rcu checks the source (EINVAL, or ENETUNREACH when it is not
    // local) before the output device (ENODEV).
    let own = sourceAddress(of: s)
    if let refusal = invalidSource(
      s, source: own?.ipv4View, to: destination.address, rule: .connectInvalidSource)
    {
      return refusal
    }
    let foreign = hasForeignSource(s, source: own?.ipv4View)
    if !foreign, let device = missingBoundDevice(s) {
      return .failure(
        .ENODEV, rule: .connectUnreachable,
        "'\(s.name)' is bound to the device '\(device)', which does not exist (ip_route_output_key_hash_rcu)"
      )
    }
    // 0.0.0.0: ip_route_connect's first lookup turns it into the source address (this host);
    // the second routes to that address from itself, through the bound device if any.
    // A source that is not local fails every route (see hasForeignSource).
    let route =
      foreign
      ? .unreachable
      : route(
        from: s, to: destination.address,
        source: isThisHostIPv4(written.address) ? destination.address.ipv4View : own?.ipv4View)
    switch route {
    case .broadcast(nil, _) where s.boundDevice == nil:
      return .failure(
        .ENETUNREACH, rule: .connectUnreachable,
        "255.255.255.255 has no route in a fresh namespace; only a socket bound to a device or an address can reach it"
      )
    case .multicast:
      // ip4_datagram_connect routes a multicast destination by IP_MULTICAST_IF.
      guard
        let device = multicastDevice(for: s, group: destination.address, scope: destination.scope),
        interface(named: device) != nil
      else {
        return .failure(
          .ENETUNREACH, rule: .connectUnreachable,
          "a fresh namespace has no multicast route for \(destination.address); IP_MULTICAST_IF must pick the interface"
        )
      }
    default: break
    }
    guard
      let (source, device) = routeEnds(
        s, route, to: destination, source: Self.source(own, toward: destination.address))
    else {
      return .failure(
        .ENETUNREACH, rule: .connectUnreachable, unreachableReason(s, destination.address))
    }
    if let why = loopbackSourceLeaves(
      s, source: source, route: route, device: device, to: destination.address)
    {
      return .failure(.EINVAL, rule: .connectInvalidSource, why)
    }
    // ip4_datagram_connect checks RTCF_BROADCAST on the route it got.
    if case .broadcast = route, !s.broadcast {
      return .failure(
        .EACCES, rule: .sendBroadcastDenied,
        "\(destination.address) is a broadcast address and '\(s.name)' did not set SO_BROADCAST (ip4_datagram_connect)"
      )
    }
    return connected(id, to: destination, source: source)
  }

  /// `__ip6_datagram_connect` for a native IPv6 destination: a link-scope destination's scope
  /// (or, for a multicast group, IPV6_MULTICAST_IF) becomes the bound device and stays so even
  /// if the route then fails; then `ip6_datagram_dst_update` (see `route6`), which caches the
  /// route it found (`ip6_sk_dst_store_flow`) and on failure leaves the cache as it was.
  private mutating func connectIPv6(_ id: SocketID, to destination: Endpoint, group d: IPv6Address)
    -> Prediction
  {
    let s = self[id]
    if d.needsScope {
      if let scope = destination.scope.map(scopeDevice) {
        if let bound = s.boundDevice, bound != scope {
          return .failure(
            .EINVAL, rule: .connectScopeRequired,
            "'\(s.name)' is bound to \(bound), and the scope of \(destination) names another interface"
          )
        }
        self[id].boundDevice = scope
      }
      if self[id].boundDevice == nil && d.isMulticast {
        self[id].boundDevice = s.ipv6MulticastInterface
      }
      guard self[id].boundDevice != nil else {
        return .failure(
          .EINVAL, rule: .connectScopeRequired,
          "\(d) is link-scoped: connect needs a scope (%interface), a bound device or IPV6_MULTICAST_IF"
        )
      }
    }
    switch route6(d, oif: outputInterface6(for: self[id], to: destination), source: ipv6Source(s)) {
    case .failure(let f):
      let rule: Rule =
        switch f.errno {
        case .EAFNOSUPPORT: .connectFamily
        case .EADDRNOTAVAIL: .connectNoSource
        default: .connectUnreachable
        }
      return .failure(f.errno, rule: rule, f.reason)
    case .success(let r):
      self[id].cachedRoute6 = routeCache6(r, to: d)
      return connected(id, to: destination, source: r.source)
    }
  }

  /// A UDP connect() that found its route: a wildcard (or v4-mapped wildcard) local address
  /// narrows to the route's source, and the socket records its peer.
  private mutating func connected(_ id: SocketID, to destination: Endpoint, source: IPAddress)
    -> Prediction
  {
    let s = self[id]
    var detail = ""
    // ip4_datagram_connect: `if (!inet->inet_saddr) inet->inet_saddr = fl4->saddr`, also when
    // the bound address stays (a broadcast or multicast one, or a connect-narrowed IPv6 one).
    if destination.address.ipv4View != nil, sourceAddress(of: s, to: destination.address) == nil,
      let bound = s.localAddress, !bound.isAny, bound.ipv4View?.isAny != true,
      source.ipv4View?.isAny == false
    {
      self[id].connectedSource = source
    }
    // __ip6_datagram_connect also narrows ::ffff:0.0.0.0 (`ipv6_mapped_addr_any`) to the
    // IPv4 route's source, and the SOCK_BINDADDR_LOCK its bind() set keeps it narrowed.
    if self[id].localAddress?.isAny ?? true || self[id].localAddress?.ipv4View?.isAny == true {
      let mapped: IPAddress =
        switch (s.family, source) {
        case (.inet6, .v4(let a)): .v6(IPv6Address(v4Mapped: a))
        default: source
        }
      self[id].localAddress = mapped
      rehash(id)
      detail = "; its local address narrows from the wildcard to \(mapped), the route's source"
    }
    // ip6_datagram_dst_update (and the v4-mapped path of __ip6_datagram_connect): `if
    // (ipv6_addr_any(&np->saddr)) np->saddr = fl6.saddr`, also when the bound address stays.
    if s.family == .inet6, ipv6Source(self[id]) == nil {
      self[id].connectedSource6 =
        switch source {
        case .v4(let a): .v6(IPv6Address(v4Mapped: a))
        case .v6: source
        }
    }
    self[id].peer = destination
    self[id].staleIPv6Peer = nil
    self[id].state = .connected
    return Prediction(
      .ok, rule: .connectUDP,
      "'\(s.name)' is connected to \(destination) from \(bindingName(self[id], port: self[id].localPort))\(detail)"
    )
  }
}
