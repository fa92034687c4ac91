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
    if let device = missingBoundDevice(s) {
      return .failure(
        .ENODEV, rule: .connectUnreachable,
        "'\(s.name)' is bound to the device '\(device)', which does not exist (ip_route_output_key_hash_rcu)"
      )
    }
    if let refusal = invalidSource(s, to: destination.address, rule: .connectInvalidSource) {
      return refusal
    }
    let source: IPAddress
    let route = route(from: s, to: destination.address)
    switch route {
    case .broadcast(nil, _) where s.boundDevice == nil:
      return .failure(
        .ENETUNREACH, rule: .connectUnreachable,
        "255.255.255.255 has no route in a fresh namespace; only a socket bound to a device or an address can reach it"
      )
    case .local(_, let src), .offHost(_, let src), .broadcast(_, let src): source = src
    case .multicast:
      // ip4_datagram_connect routes a multicast destination by IP_MULTICAST_IF.
      guard
        let device = multicastDevice(for: s, group: destination.address, scope: destination.scope),
        let primary = interface(named: device)
      else {
        return .failure(
          .ENETUNREACH, rule: .connectUnreachable,
          "a fresh namespace has no multicast route for \(destination.address); IP_MULTICAST_IF must pick the interface"
        )
      }
      let mapped: IPAddress? =
        destination.address.ipv4View != nil
        ? (s.multicastInterface.flatMap { $0.isAny ? nil : .v4($0) }
          ?? primary.ipv4.first.map { .v4($0.address) })
        : primary.ipv6.first.map { .v6($0.address) }
      source = mapped ?? .v4(.any)
    case .unreachable:
      return .failure(
        .ENETUNREACH, rule: .connectUnreachable, unreachableReason(s, destination.address))
    }
    // __mkroute_output: a loopback source may only leave through a loopback device.
    let effectiveSource = sourceAddress(of: s, to: destination.address) ?? source
    if let v4 = effectiveSource.ipv4View, v4.isLoopback {
      let leaving: String? =
        switch route {
        case .offHost(let i, _): i
        case .broadcast(let i?, _) where i != "lo": i
        default: nil
        }
      if let i = leaving {
        return .failure(
          .EINVAL, rule: .connectInvalidSource,
          "'\(s.name)' has the loopback source \(v4), which may never leave the host (the route to \(destination.address) goes out \(i))"
        )
      }
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
  /// if the route then fails; then `ip6_datagram_dst_update` (see `route6`).
  private mutating func connectIPv6(_ id: SocketID, to destination: Endpoint, group d: IPv6Address)
    -> Prediction
  {
    let s = self[id]
    if d.needsScope {
      if let scope = destination.scope {
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
      return connected(id, to: destination, source: r.source)
    }
  }

  /// A UDP connect() that found its route: a wildcard local address narrows to the route's
  /// source, and the socket records its peer.
  private mutating func connected(_ id: SocketID, to destination: Endpoint, source: IPAddress)
    -> Prediction
  {
    let s = self[id]
    var detail = ""
    // ip4_datagram_connect: `if (!inet->inet_saddr) inet->inet_saddr = fl4->saddr`, also when
    // the bound address stays (a broadcast or multicast one, or a connect-narrowed IPv6 one).
    if destination.address.ipv4View != nil, sourceAddress(of: s, to: destination.address) == nil,
      let bound = s.localAddress, !bound.isAny, bound.ipv4View?.isAny != true
    {
      self[id].connectedSource = source
    }
    if self[id].localAddress == nil || self[id].localAddress!.isAny {
      let mapped: IPAddress =
        switch (s.family, source) {
        case (.inet6, .v4(let a)): .v6(IPv6Address(v4Mapped: a))
        default: source
        }
      self[id].localAddress = mapped
      rehash(id)
      detail = "; its local address narrows from the wildcard to \(mapped), the route's source"
    }
    self[id].peer = destination
    self[id].staleIPv6Peer = nil
    self[id].state = .connected
    return Prediction(
      .ok, rule: .connectUDP,
      "'\(s.name)' is connected to \(destination) from \(bindingName(self[id], port: self[id].localPort))\(detail)"
    )
  }

  /// TCP `connect()` (`tcp_v4_connect`, `tcp_v6_connect`) on one host: the SYN is looked up
  /// like an incoming one (`__inet_lookup_listener`), and no listener means a reset.
  mutating func connectTCP(_ id: SocketID, to written: Endpoint, choices: inout Choices)
    -> Prediction
  {
    let destination = thisHost(written, for: self[id])
    let s = self[id]
    if s.connectFailed {
      return .failure(
        .ECONNABORTED, rule: .connectInvalid,
        "'\(s.name)' already had a connect() refused; the socket cannot connect again")
    }
    if s.state != .closed {
      return .failure(
        .EISCONN, rule: .connectAlreadyConnected,
        "'\(s.name)' is \(s.state == .listening ? "listening" : "already connected")")
    }
    if let refusal = checkFamily(s, destination, rule: .connectFamily) { return refusal }
    let arrival: String
    let source: IPAddress
    switch route(to: destination.address) {
    case .local(let i, let src):
      arrival = i
      source = src
    case .offHost(let i, let src) where linkedInterfaces.contains(i):
      arrival = i
      source = src
    case .offHost(let i, _):
      return .failure(
        .ETIMEDOUT, rule: .connectUnreachable,
        "\(destination.address) is not an address of this host: the SYN leaves by \(i) and nobody answers"
      )
    case .broadcast, .multicast:
      return .failure(
        .ENETUNREACH, rule: .connectUnreachable,
        "TCP cannot connect to the broadcast or multicast address \(destination.address)")
    case .unreachable:
      return .failure(
        .ENETUNREACH, rule: .connectUnreachable,
        "no route to \(destination.address): a fresh namespace has no default route")
    }
    let local: IPAddress
    if let bound = s.localAddress, !bound.isAny {
      local = bound
    } else {
      local =
        switch (s.family, source) {
        case (.inet6, .v4(let a)): .v6(IPv6Address(v4Mapped: a))
        default: source
        }
    }
    if !s.isHashed {
      var probe = s
      probe.localAddress = local
      guard let port = connectPort(for: probe, to: destination, choices: &choices) else {
        return .failure(
          .EADDRNOTAVAIL, rule: .ephemeralConnect,
          "no ephemeral port is free for a connection from \(local) to \(destination)")
      }
      self[id].localAddress = local
      self[id].connectBound = true
      hash(id, port: port)
    } else if s.localAddress == nil || s.localAddress!.isAny {
      self[id].localAddress = local
      rehash(id)
    }
    let client = self[id]
    let packet = Packet(
      source: Endpoint(address: local, port: client.localPort), destination: destination,
      arrival: arrival)
    if case .offHost = route(to: destination.address) {
      outbound = Transmission(
        packet: packet, sender: id, kind: .syn, interface: arrival, addressBefore: s.localAddress)
      return .failure(.ETIMEDOUT, rule: .connectUnreachable, "the SYN leaves by \(arrival)")
    }
    guard let found = lookupListener(packet) else {
      refuse(id, addressBefore: s.localAddress)
      return .failure(
        .ECONNREFUSED, rule: .connectRefused,
        "no socket listens on TCP port \(destination.port) for \(destination.address), so the SYN is answered with a reset"
      )
    }
    let chosen = choices.member(of: found.candidates) { self[$0].name }
    establish(id, with: chosen, packet: packet)
    let outcomes = found.candidates.map { Outcome.receivers([self[$0].name]) }
    return Prediction(OutcomeSet(outcomes), rule: found.rule, found.reason)
  }

  /// A reset answered the SYN (`tcp_reset` → `tcp_done`): an automatic port is released
  /// (getsockname still shows it: `inet_sport` outlives `inet_num`), and an address bind()
  /// did not lock is forgotten.
  mutating func refuse(_ id: SocketID, addressBefore: IPAddress?) {
    let client = self[id]
    self[id].connectFailed = true
    if !client.portLocked {
      self[id].staleLocalPort = client.localPort
      unhash(id)
    }
    if !client.addressLocked { self[id].localAddress = addressBefore }
  }

  /// The connection is established: the client is connected, and the kernel creates the
  /// listener's child, which holds the listener's port and options, in the accept queue.
  private mutating func establish(_ id: SocketID, with listenerID: SocketID, packet: Packet) {
    self[id].peer = packet.destination
    self[id].state = .connected
    let childID = queueConnection(on: listenerID, packet: packet, client: id)
    self[id].otherEnd = childID
  }

  /// The listener's side of a new connection: the child socket, queued for `accept`.
  @discardableResult
  mutating func queueConnection(
    on listenerID: SocketID, packet: Packet, client id: SocketID, remoteClient: Bool = false
  ) -> SocketID {
    let listener = self[listenerID]
    let childID = SocketID(rawValue: sockets.count)
    var child = ModelSocket(
      id: childID, name: "\(listener.name)<-\(self[id].name)", kind: listener.kind,
      uid: listener.uid)
    child.reuseAddress = listener.reuseAddress
    child.reusePort = listener.reusePort
    child.v6Only = listener.v6Only
    child.boundDevice = listener.boundDevice
    child.localAddress =
      switch (listener.family, packet.destination.address) {
      case (.inet6, .v4(let a)): .v6(IPv6Address(v4Mapped: a))
      default: packet.destination.address
      }
    child.state = .connected
    child.peer = packet.source
    child.otherEnd = remoteClient ? nil : id
    child.otherEndRemote = remoteClient
    child.portLocked = listener.portLocked
    sockets.append(child)
    hash(childID, port: listener.localPort)
    self[listenerID].acceptQueue.append(
      PendingConnection(
        local: Endpoint(address: child.localAddress!, port: listener.localPort),
        remote: packet.source, client: remoteClient ? nil : id, child: childID))
    return childID
  }

  /// `__inet_hash_connect` (reference §6.2): ports of the range start's parity first, never a
  /// port that a `bind()` holds (even on another address), shared among connections whose
  /// 4-tuples differ.
  func connectPort(for n: ModelSocket, to destination: Endpoint, choices: inout Choices)
    -> UInt16?
  {
    let low = Int(sysctls.portRange.lowerBound)
    let high = Int(sysctls.portRange.upperBound) + 1
    var remaining = high - low
    if remaining > 1 { remaining &= ~1 }
    let range = low..<(low + remaining)
    let passes = remaining == 1 ? [nil] : [low & 1, (low + 1) & 1]
    for parity in passes {
      let start = range.lowerBound + Int(choices.random() % UInt64(range.count))
      let accept = { (port: UInt16) -> Bool in
        let owners = self.tcpTable.chain(port).map { self[$0] }
        // A bucket made or held by bind() is never used by connect().
        if owners.contains(where: { !$0.connectBound }) { return false }
        return !owners.contains {
          $0.peer == destination && $0.localAddress == n.localAddress
        }
      }
      guard
        let found = tcpTable.firstCandidate(
          in: range, parity: parity, startingAt: start, ipv4: false, ipv6: false,
          reserved: sysctls.reservedBits, accept: accept)
      else { continue }
      if let observed = choices.observedPort, range.contains(Int(observed)),
        parity.map({ Int(observed) & 1 == $0 }) ?? true, accept(observed),
        !sysctls.isReserved(observed)
      {
        return observed
      }
      return found
    }
    return nil
  }
}
