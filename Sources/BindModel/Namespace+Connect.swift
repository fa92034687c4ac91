extension Namespace {
  /// TCP `connect()` on one host: `__inet_stream_connect` looks at `sock->state` first, then
  /// `tcp_v4_connect` / `tcp_v6_connect` route the SYN, choose the source and the port, and the
  /// SYN is looked up like an incoming one: its own socket (a simultaneous open with itself),
  /// a listener (`__inet_lookup_listener`), or a reset. The call is non-blocking, so it leaves
  /// `sock->state` SS_CONNECTING whatever the handshake's end.
  mutating func connectTCP(_ id: SocketID, to written: Endpoint, choices: inout Choices)
    -> Prediction
  {
    if let answer = connectAgain(id) { return answer }
    let s = self[id]
    let destination = thisHost(written, for: s)
    // tcp_v6_connect: a sockaddr_in is too short (EINVAL); a native IPv6 destination is
    // checked for multicast and scope before the socket's own address.
    if s.family == .inet6, case .v4 = written.address {
      return .failure(
        .EINVAL, rule: .connectFamily,
        "'\(s.name)' is an AF_INET6 socket; a sockaddr_in for \(written) is too short for tcp_v6_connect"
      )
    }
    if s.family == .inet6, case .v6(let a) = destination.address, a.v4Mapped == nil {
      if a.isMulticast {
        return .failure(
          .ENETUNREACH, rule: .connectUnreachable,
          "TCP cannot connect to the multicast address \(a)")
      }
      if let refusal = linkLocalScope(id, destination) { return refusal }
      // ip6_dst_lookup_tail routes before it refuses a v4-mapped source (EAFNOSUPPORT).
      switch synRoute(self[id], to: destination.address, throughIPv4: false) {
      case .refused(let refusal): return refusal
      case .route(.unreachable):
        return .failure(
          .ENETUNREACH, rule: .connectUnreachable,
          "no route to \(a): it is in no connected subnet and a fresh namespace has no default route"
        )
      default: break
      }
    }
    if let refusal = checkFamily(s, destination, rule: .connectFamily) { return refusal }
    var s2 = self[id]
    let throughIPv4 = destination.address.ipv4View != nil
    if throughIPv4, let refusal = ipv4SourceCheck(s2) { return refusal }
    // ip_route_connect: a destination of 0.0.0.0 is routed once as it is, and that route's
    // source (`inet_select_addr` on the bound device) becomes the destination and the source
    // of the real lookup; so a socket bound to a device without IPv4 addresses sends from
    // 127.0.0.1 through that device.
    if throughIPv4, isThisHostIPv4(written.address), sourceAddress(of: s2) == nil {
      s2.connectedSource = destination.address.ipv4View.map { .v4($0) }
    }
    let path: Route
    switch synRoute(s2, to: destination.address, throughIPv4: throughIPv4) {
    case .route(let r): path = r
    case .refused(let refusal): return refusal
    }
    // The bound source (`inet_saddr`, `sk_v6_rcv_saddr`), else the route's, which the socket
    // now records (`inet_bhash2_update_saddr`).
    let bound: IPAddress? =
      throughIPv4
      ? sourceAddress(of: s2)?.ipv4View.map { .v4($0) }
      : s2.localAddress.flatMap { $0.isAny ? nil : $0 }
    let arrival: String
    let source: IPAddress
    var leaves = false
    switch path {
    case .local(let i, let src):
      arrival = i
      source = src
    case .offHost(let i, let src):
      arrival = i
      source = src
      leaves = true
    case .broadcast(let i?, let src) where i != "lo" && (bound ?? src).ipv4View?.isLoopback == true:
      // __mkroute_output refuses the loopback source before tcp_v4_connect sees RTCF_BROADCAST.
      return .failure(
        .EINVAL, rule: .connectInvalidSource,
        "'\(s.name)' has the loopback source \((bound ?? src).ipv4View!), which may never leave the host (the route to the broadcast address \(destination.address) goes out \(i))"
      )
    case .multicast
    where s2.boundDevice.flatMap { interface(named: $0) }.map { !$0.isLoopback } == true
      && bound?.ipv4View?.isLoopback == true:
      // With a bound device the multicast route goes out of it (`ip_route_output_key_hash_rcu`
      // assumes the group on its link), and __mkroute_output refuses the loopback source.
      return .failure(
        .EINVAL, rule: .connectInvalidSource,
        "'\(s.name)' has the loopback source \(bound!.ipv4View!), which may never leave the host (the route to the multicast address \(destination.address) goes out \(s2.boundDevice!), its bound device)"
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
    let local: IPAddress =
      switch (s2.family, bound ?? source) {
      case (.inet6, .v4(let a)): .v6(IPv6Address(v4Mapped: a))
      case (_, let a): a
      }
    // __mkroute_output: a loopback source may only leave through a loopback device.
    if leaves, arrival != "lo", let v4 = local.ipv4View, v4.isLoopback {
      return .failure(
        .EINVAL, rule: .connectInvalidSource,
        "'\(s.name)' has the loopback source \(v4), which may never leave the host (the SYN to \(destination.address) would go out \(arrival))"
      )
    }
    let addressBefore = s2.localAddress
    if !s2.isHashed {
      var probe = s2
      probe.localAddress = local
      guard let port = connectPort(for: probe, to: destination, choices: &choices) else {
        return .failure(
          .EADDRNOTAVAIL, rule: .ephemeralConnect,
          "no ephemeral port is free for a connection from \(local) to \(destination)")
      }
      self[id].localAddress = local
      self[id].connectBound = true
      hash(id, port: port)
    } else {
      if s2.localAddress != local {
        self[id].localAddress = local
        rehash(id)
      }
      if let twin = connectionHolding(self[id], to: destination) {
        // inet_bhash2_reset_saddr forgets the new source only without SOCK_BINDADDR_LOCK.
        if !s2.addressLocked, self[id].localAddress != addressBefore {
          self[id].localAddress = addressBefore
          rehash(id)
        }
        let reason =
          "'\(self[twin].name)' already holds the connection from \(local):\(s2.localPort) to \(destination), and '\(s.name)' holds port \(s2.localPort) through bind()"
        return .failure(
          .EADDRNOTAVAIL, rule: .connectTupleInUse,
          s2.addressLocked && addressBefore != local
            ? "\(reason); its bound \(addressBefore.map { "\($0)" } ?? "wildcard") gave way to \(local), which it keeps"
            : reason)
      }
    }
    // tcp_connect: the SYN is on its way; connect() answers EINPROGRESS.
    self[id].callState = .connecting
    self[id].pendingError = nil
    self[id].peer = destination
    self[id].state = .synSent
    if throughIPv4 && s2.family == .inet6 {
      self[id].mappedOps = true
    } else if s2.mappedOps {
      return .failure(
        .ETIMEDOUT, rule: .connectMappedOps,
        "an earlier connect() of '\(s.name)' to a v4-mapped address left it with the IPv4 transmit path (ipv6_mapped), so its SYN to \(destination.address) is never answered"
      )
    }
    let client = self[id]
    let packet = Packet(
      source: Endpoint(address: local, port: client.localPort), destination: destination,
      arrival: arrival)
    if leaves {
      if linkedInterfaces.contains(arrival) {
        outbound = Transmission(
          packet: packet, sender: id, kind: .syn, interface: arrival, addressBefore: addressBefore)
        return .failure(.ETIMEDOUT, rule: .connectUnreachable, "the SYN leaves by \(arrival)")
      }
      return .failure(
        .ETIMEDOUT, rule: .connectUnreachable,
        "\(destination.address) is not an address of this host: the SYN leaves by \(arrival) and nobody answers"
      )
    }
    if sameEndpoint(packet.source, destination) {
      // The SYN finds the socket itself in the established table: a simultaneous open.
      self[id].state = .connected
      self[id].otherEnd = id
      return Prediction(
        .ok, rule: .connectSelf,
        "'\(s.name)' holds \(packet.source) itself: its SYN comes back to it, and TCP's simultaneous open connects the socket to itself"
      )
    }
    if let lost = replyLost(packet, device: client.boundDevice) {
      return .failure(.ETIMEDOUT, rule: .connectReplyLost, lost)
    }
    guard let found = lookupListener(packet) else {
      refuse(id, addressBefore: addressBefore)
      return .failure(
        .ECONNREFUSED, rule: .connectRefused,
        "no socket listens on TCP port \(destination.port) for \(destination.address), so the SYN is answered with a reset"
      )
    }
    if let lost = synAckLost(packet, listeners: found.candidates) {
      return .failure(.ETIMEDOUT, rule: .connectReplyLost, lost)
    }
    let chosen = choices.member(of: found.candidates) { self[$0].name }
    establish(id, with: chosen, packet: packet)
    let outcomes = found.candidates.map { Outcome.receivers([self[$0].name]) }
    return Prediction(OutcomeSet(outcomes), rule: found.rule, found.reason)
  }

  /// `__inet_stream_connect` before the protocol's connect: a socket whose last connect()
  /// answered EINPROGRESS learns how it ended (EALREADY while the SYN is unanswered, 0 once
  /// connected, the pending error or ECONNABORTED when it failed, which also disconnects it);
  /// a connected or listening socket answers EISCONN.
  mutating func connectAgain(_ id: SocketID) -> Prediction? {
    let s = self[id]
    switch (s.callState, s.state) {
    case (.connecting, .synSent):
      return .failure(
        .EALREADY, rule: .connectInProgress,
        "'\(s.name)' already sent a SYN that has no answer yet")
    case (.connecting, .closed):
      let error = s.pendingError ?? .ECONNABORTED
      self[id].pendingError = nil
      self[id].callState = .unconnected
      tcpDisconnect(id)
      return .failure(
        error, rule: .connectInvalid,
        "the last connect() of '\(s.name)' failed; this one reports \(error.name) and resets the socket, so the next connect() starts afresh"
      )
    case (.connecting, .connected):
      self[id].callState = .connected
      return Prediction(
        .ok, rule: .connectCompleted,
        "the handshake of '\(s.name)' completed after its connect() answered EINPROGRESS; this connect() confirms it"
      )
    case (_, .closed) where s.callState == .unconnected:
      return nil
    default:
      return .failure(
        .EISCONN, rule: .connectAlreadyConnected,
        "'\(s.name)' is \(s.state == .listening ? "listening" : "already connected")")
    }
  }

  /// `tcp_v6_connect` for a link-local destination: its scope becomes the socket's device
  /// (EINVAL if the socket is bound to another one, or if there is neither).
  mutating func linkLocalScope(_ id: SocketID, _ destination: Endpoint) -> Prediction? {
    guard case .v6(let a) = destination.address, a.isLinkLocal else { return nil }
    let s = self[id]
    if let scope = destination.scope.map(scopeDevice) {
      if let device = s.boundDevice, device != scope {
        return .failure(
          .EINVAL, rule: .connectInvalidSource,
          "'\(s.name)' is bound to \(device), and \(destination) names another interface")
      }
      self[id].boundDevice = scope
    } else if s.boundDevice == nil {
      return .failure(
        .EINVAL, rule: .connectInvalidSource,
        "\(a) is link-local: the connect() needs a scope (%interface) or a bound device")
    }
    return nil
  }

  /// `ip_route_output_key_hash_rcu` on the socket's IPv4 source: a multicast or limited
  /// broadcast source is EINVAL, and an address this host does not have is ENETUNREACH unless
  /// IP_TRANSPARENT lets the flow use any source (`FLOWI_FLAG_ANYSRC`).
  func ipv4SourceCheck(_ s: ModelSocket) -> Prediction? {
    guard let source = sourceAddress(of: s)?.ipv4View else { return nil }
    if source.isMulticast || source.isLimitedBroadcast {
      return .failure(
        .EINVAL, rule: .connectInvalidSource,
        "'\(s.name)' is bound to \(source), which cannot be the source of a TCP connection")
    }
    if case .local = addressType(source) { return nil }
    if s.transparent { return nil }
    return .failure(
      .ENETUNREACH, rule: .connectUnreachable,
      "'\(s.name)' is bound to \(source), which is not an address of this host, and only IP_TRANSPARENT lets a connection use such a source"
    )
  }

  /// The route of a SYN. IPv4 (and v4-mapped) destinations take the socket-aware output route
  /// (`route(from:to:)`: a bound device keeps the SYN on that device, assumed on its link when
  /// no route goes through it); a device that does not exist is ENODEV there. IPv6 is strict
  /// (`ip6_route_output` with the device as oif): a local route of another device does not
  /// count, the device's own prefixes do, and no route off the device is ENETUNREACH; and a
  /// device that does not exist has no route at all.
  func synRoute(_ s: ModelSocket, to destination: IPAddress, throughIPv4: Bool)
    -> SYNRoute
  {
    if throughIPv4 {
      if let device = s.boundDevice, interface(named: device) == nil {
        return .refused(
          .failure(
            .ENODEV, rule: .connectUnknownDevice,
            "'\(s.name)' is bound to the device \(device), which does not exist"))
      }
      return .route(route(from: s, to: destination))
    }
    let plain = route(to: destination)
    guard let device = s.boundDevice else { return .route(plain) }
    guard interface(named: device) != nil else {
      return .refused(
        .failure(
          .ENETUNREACH, rule: .connectUnreachable,
          "'\(s.name)' is bound to the device \(device), which does not exist, so no route leads anywhere"
        ))
    }
    switch plain {
    case .local(let i, _) where i == device: return .route(plain)
    case .offHost(let i, _) where i == device: return .route(plain)
    case .multicast: return .route(plain)
    default: break
    }
    // The bound device's own connected subnet: the SYN leaves by it, even to an address of
    // another interface in the same prefix (whose local route goes through that interface).
    if case .v6(let d) = destination, let out = interface(named: device), !out.isLoopback,
      let (address, _) = out.ipv6.first(where: {
        $0.address.matches(d, prefixLength: $0.prefixLength)
      })
    {
      // ipv6_dev_get_saddr, rule 1: an address of this host is its own best source.
      let source: IPv6Address = ipv6Owner(d) != nil ? d : address
      return .route(.offHost(interface: device, source: .v6(source)))
    }
    return .refused(
      .failure(
        .ENETUNREACH, rule: .connectUnreachable,
        "'\(s.name)' is bound to \(device), and no route to \(destination) goes through it"))
  }

  /// Where a SYN goes, or why connect() fails before it is sent.
  enum SYNRoute {
    case route(Route)
    case refused(Prediction)
  }

  /// `__inet_check_established` for a socket whose port was held before connect()
  /// (`__inet_hash_connect` checks only the 4-tuple then): a live connection (not TIME_WAIT,
  /// which the kernel reuses) from the same source address and port to the same peer, on no
  /// device or the socket's own device, makes connect() EADDRNOTAVAIL.
  func connectionHolding(_ s: ModelSocket, to destination: Endpoint) -> SocketID? {
    guard let local = s.localAddress else { return nil }
    return tcpTable.chain(s.localPort).first { other in
      let o = self[other]
      guard other != s.id, [.connected, .synSent, .finWait].contains(o.state),
        let peer = o.peer, let address = o.localAddress,
        o.boundDevice == nil || o.boundDevice == s.boundDevice
      else { return false }
      return sameEndpoint(peer, destination)
        && sameEndpoint(
          Endpoint(address: address, port: 0), Endpoint(address: local, port: 0))
    }
  }

  /// Addresses compare as the wire sees them (`::ffff:a.b.c.d` is a.b.c.d).
  func sameEndpoint(_ a: Endpoint, _ b: Endpoint) -> Bool {
    guard a.port == b.port else { return false }
    if let x = a.address.ipv4View, let y = b.address.ipv4View { return x == y }
    return a.address == b.address
  }

  /// A reset answered the SYN (`tcp_reset` → `tcp_done`): an automatic port is released
  /// (getsockname still shows it: `inet_sport` outlives `inet_num`), and an address bind()
  /// did not lock is forgotten.
  mutating func refuse(_ id: SocketID, addressBefore: IPAddress?) {
    let client = self[id]
    self[id].state = .closed
    self[id].peer = nil
    if !client.portLocked {
      self[id].staleLocalPort = client.localPort
      unhash(id)
    }
    // tcp_done keeps inet_rcv_saddr (and its bhash2 entry while the port stays held); only
    // tcp_disconnect forgets it. A released port takes its address along.
    if !client.addressLocked && !client.portLocked { self[id].localAddress = addressBefore }
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
    // sk_clone_lock copies the listener's options (inet flags, SO_BROADCAST, SO_LINGER).
    child.reuseAddress = listener.reuseAddress
    child.reusePort = listener.reusePort
    child.freebind = listener.freebind
    child.transparent = listener.transparent
    child.broadcast = listener.broadcast
    child.bindAddressNoPort = listener.bindAddressNoPort
    child.lingerZero = listener.lingerZero
    child.v6Only = listener.v6Only
    child.boundDevice = listener.boundDevice
    child.localAddress =
      switch (listener.family, packet.destination.address) {
      case (.inet6, .v4(let a)): .v6(IPv6Address(v4Mapped: a))
      default: packet.destination.address
      }
    // tcp_v6_syn_recv_sock: the child of an IPv4 connection on an AF_INET6 listener starts
    // with the ipv6_mapped operations.
    child.mappedOps = listener.family == .inet6 && packet.destination.address.ipv4View != nil
    child.state = .connected
    child.peer = packet.source
    child.otherEnd = remoteClient ? nil : id
    child.otherEndRemote = remoteClient
    // sk_clone_lock: `sk_userlocks & ~SOCK_BINDPORT_LOCK`, so the child keeps a locked address
    // but gives its port back when the connection closes (reset or disconnect).
    child.portLocked = false
    child.addressLocked = listener.addressLocked
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
          guard let peer = $0.peer, let local = $0.localAddress, let wanted = n.localAddress
          else { return false }
          return self.sameEndpoint(peer, destination)
            && self.sameEndpoint(
              Endpoint(address: local, port: 0), Endpoint(address: wanted, port: 0))
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
