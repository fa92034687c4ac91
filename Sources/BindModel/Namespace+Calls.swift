extension Namespace {
  /// Performs one statement on the model. `endpoint` is the statement's endpoint with any
  /// `@NAME` port already resolved. Environment statements answer `ok`.
  public mutating func perform(_ action: Action, endpoint: Endpoint?, choices: inout Choices)
    -> Prediction
  {
    switch action {
    case .interface(let name, let addresses):
      addInterface(name, addresses: addresses)
      return Prediction(.ok, rule: .environment, "interface \(name) is up")
    case .sysctl(let sysctl):
      sysctls.apply(sysctl)
      return Prediction(.ok, rule: .environment, "\(sysctl.key) is now \(sysctl)")
    case .host, .link:
      return .failure(
        .EOPNOTSUPP, rule: .environment, "several hosts are not modelled yet")
    case .socket(let name, let kind, let options, let uid):
      return createSocket(name, kind: kind, options: options, uid: uid)
    case .setsockopt(let name, let option):
      return withSocket(name) { ns, id in ns.setOption(id, option) }
    case .bind(let name, _):
      return withSocket(name) { ns, id in ns.bind(id, to: endpoint!, choices: &choices) }
    case .listen(let name):
      return withSocket(name) { ns, id in ns.listen(id, choices: &choices) }
    case .connect(let name, _):
      return withSocket(name) { ns, id in
        ns[id].transport == .udp
          ? ns.connectUDP(id, to: endpoint!, choices: &choices)
          : ns.connectTCP(id, to: endpoint!, choices: &choices)
      }
    case .disconnect(let name):
      return withSocket(name) { ns, id in ns.disconnect(id) }
    case .accept(let listener, let name):
      return withSocket(listener) { ns, id in ns.accept(id, as: name) }
    case .send(let name, _):
      return withSocket(name) { ns, id in ns.send(id, to: endpoint, choices: &choices) }
    case .join(let name, let group, let interface):
      return withSocket(name) { ns, id in ns.join(id, group: group, interface: interface) }
    case .close(let name):
      return withSocket(name) { ns, id in ns.close(id) }
    }
  }

  private mutating func withSocket(
    _ name: String, _ body: (inout Namespace, SocketID) -> Prediction
  ) -> Prediction {
    guard let id = names[name] else {
      return .failure(.EBADF, rule: .socketClosed, "there is no open socket called '\(name)'")
    }
    return body(&self, id)
  }

  /// `inet_listen` → `inet_csk_listen_start`: an unbound socket is autobound first, and the
  /// port is re-checked with the socket now listening (EADDRINUSE if a bound socket that let
  /// it share through SO_REUSEADDR is already listening).
  mutating func listen(_ id: SocketID, choices: inout Choices) -> Prediction {
    let s = self[id]
    if s.transport == .udp {
      return .failure(
        .EOPNOTSUPP, rule: .listenNotStream, "'\(s.name)' is a UDP socket; only TCP sockets listen")
    }
    // inet_listen: only an SS_UNCONNECTED socket listens, whatever its TCP state.
    if s.callState != .unconnected {
      return .failure(
        .EINVAL, rule: .listenInvalidState,
        s.callState == .connected
          ? "'\(s.name)' is marked connected (SS_CONNECTED, by accept() or a completed connect()) even if its connection has ended since; such a socket cannot listen"
          : "'\(s.name)' called connect() and no later connect() or disconnect reset it; such a socket cannot listen"
      )
    }
    if s.state == .listening {
      return Prediction(.ok, rule: .listenOK, "'\(s.name)' is already listening")
    }
    if s.state != .closed {
      return .failure(
        .EINVAL, rule: .listenInvalidState, "'\(s.name)' is connected; it cannot listen")
    }
    var portChoice: String?
    var why = ""
    if !s.isHashed {
      let result = getPort(s, port: 0, choices: &choices)
      guard let port = result.port else {
        return Prediction(result.outcome, rule: result.rule, result.explanation)
      }
      self[id].connectBound = false
      hash(id, port: port)
      updateBindBucket(id, port: port)
      portChoice = result.portChoice
      if Prediction.explains {
        why = "'\(s.name)' was not bound, so listen() binds it first: \(result.explanation)"
      }
    } else if let c = tcpConflict(s, port: s.localPort).conflict,
      !bindBucketFastPath(s, port: s.localPort)
    {
      let e = self[c.blocker]
      return .failure(
        .EADDRINUSE, rule: .listenConflict,
        "listen() re-checks the port: \(overlapPhrase(s, address: s.localAddress, e, port: s.localPort)), \(heldBy(e)); \(c.reason)"
      )
    } else if let c = tcpConflict(s, port: s.localPort).conflict {
      if Prediction.explains { why = fastPathReason(s, self[c.blocker], port: s.localPort) }
      updateBindBucket(id, port: s.localPort)
      self[id].state = .listening
      addListener(id)
      return Prediction(OutcomeSet(.ok), rule: .tcpBindBucketFastPath, why)
    } else {
      if Prediction.explains { why = "'\(s.name)' listens on \(bindingName(s, port: s.localPort))" }
      updateBindBucket(id, port: s.localPort)
    }
    self[id].state = .listening
    addListener(id)
    return Prediction(OutcomeSet(.ok), rule: .listenOK, why, portChoice: portChoice)
  }

  /// `close()` (`tcp_close`, `udp_lib_close`): the socket leaves the tables, except a TCP
  /// connection closed first, whose name lingers: in FIN_WAIT2 until the other end closes too,
  /// then in TIME_WAIT for the rest of the scenario (a minute on a real host). The end that
  /// closes second goes through LAST_ACK and is gone. SO_LINGER=0 sends a reset instead and
  /// leaves nothing. Connections still queued on a closing listener are reset.
  mutating func close(_ id: SocketID) -> Prediction {
    let s = self[id]
    if s.transport == .tcp && s.state == .connected && !s.otherEndRemote {
      let other = s.otherEnd.map { self[$0] }
      let (prediction, effect) = closeConnection(id, otherEnd: other)
      if let o = other, o.id != id {
        switch effect {
        case .reset? where hears(o.id, from: id): resetOtherEnd(o.id)
        case .reset?: break
        case .timeWait?: self[o.id].state = .timeWait
        case nil: break
        }
      }
      return prediction
    }
    if s.transport == .tcp && s.state == .connected {
      // The network decides with the other host (see Network.close).
      return closeConnection(id, otherEnd: nil).0
    }
    names[s.name] = nil
    self[id].isClosed = true
    if s.state == .listening { stopListening(id) }
    unhash(id)
    self[id].state = .closed
    return Prediction(.ok, rule: .socketClosed, "'\(s.name)' is closed and releases its name")
  }

  /// `inet_csk_listen_stop`: the connections still queued on a listener are reset.
  mutating func stopListening(_ id: SocketID) {
    for pending in self[id].acceptQueue {
      unhashConnection(pending.child)
      if let client = pending.client {
        if self[client].state == .connected { reset(client) }
      } else {
        remoteResets.append(RemoteReset(local: pending.local, remote: pending.remote))
      }
    }
    self[id].acceptQueue = []
    removeListener(id)
  }

  /// What closing one end of a connection does to the other end.
  enum OtherEndEffect: Sendable {
    /// SO_LINGER=0: the other end is reset.
    case reset
    /// The other end closed first: it moves from FIN_WAIT2 to TIME_WAIT.
    case timeWait
  }

  /// Closes a connected TCP socket, given the other end's socket (if known).
  mutating func closeConnection(_ id: SocketID, otherEnd other: ModelSocket?)
    -> (Prediction, OtherEndEffect?)
  {
    let s = self[id]
    names[s.name] = nil
    self[id].isClosed = true
    // tcp_close: unread data, or SO_LINGER=0, makes close() send a reset instead of a FIN.
    if s.lingerZero || s.unreadData {
      unhash(id)
      self[id].state = .closed
      return (
        Prediction(
          .ok, rule: .socketClosed,
          s.lingerZero
            ? "'\(s.name)' has SO_LINGER=0: close sends a reset and leaves no TIME_WAIT behind"
            : "'\(s.name)' has unread data: close sends a reset instead of a FIN and leaves no TIME_WAIT behind"
        ),
        .reset
      )
    }
    if other?.id == id {
      // Connected to itself: its FIN comes back to it, a simultaneous close (FIN_WAIT1,
      // CLOSING, then TIME_WAIT once its own ACK arrives; tcp_rcv_state_process).
      self[id].state = .timeWait
      return (
        Prediction(
          .ok, rule: .socketClosed,
          "'\(s.name)' is connected to itself: its own FIN answers it (a simultaneous close), and its name waits in TIME_WAIT holding \(bindingName(s, port: s.localPort))"
        ),
        nil
      )
    }
    if let o = other, o.state == .finWait {
      // We close second: LAST_ACK, then gone; the first closer enters TIME_WAIT.
      unhash(id)
      self[id].state = .closed
      return (
        Prediction(
          .ok, rule: .socketClosed,
          "'\(s.name)' closes second and releases its name; '\(o.name)', which closed first, now waits in TIME_WAIT holding \(bindingName(o, port: o.localPort))"
        ),
        .timeWait
      )
    }
    self[id].state = .finWait
    return (
      Prediction(
        .ok, rule: .socketClosed,
        "'\(s.name)' closes first: its connection waits in FIN_WAIT2 for the other end, still holding \(bindingName(s, port: s.localPort))"
      ),
      nil
    )
  }

  /// A reset arrives (`tcp_reset` → `tcp_done`): the connection is closed, and a port that
  /// bind() did not lock is released.
  mutating func reset(_ id: SocketID) {
    self[id].state = .closed
    self[id].pendingError = .ECONNRESET
    if !self[id].portLocked {
      let port = self[id].localPort
      unhash(id)
      self[id].staleLocalPort = port
    }
  }

  /// A reset from the other end of a connection: an open end is reset (ECONNRESET), and an
  /// end that was closed first (FIN_WAIT2) is gone (`tcp_reset` → `tcp_done`).
  /// Whether a segment from `sender` reaches the connection `receiver` on this host: it
  /// arrives as if on the device that owns the receiver's address (the local route's device,
  /// `rt_iif`; IPv6 `ip6_rcv_core`), or on lo when the sender is bound to lo, and a receiver
  /// bound to another device never sees it (`inet_lookup_established`: `sk_bound_dev_if`).
  func hears(_ receiver: SocketID, from sender: SocketID) -> Bool {
    let r = self[receiver]
    guard let device = r.boundDevice else { return true }
    if self[sender].boundDevice == "lo" { return device == "lo" }
    let arrival: String? =
      switch r.boundAddress {
      case .v4(let a):
        if case .local(let owner) = addressType(a) { owner } else { nil }
      case .v6(let a):
        if let v4 = a.v4Mapped {
          if case .local(let owner) = addressType(v4) { owner } else { nil }
        } else {
          ipv6Owner(a)?.name ?? (a == .loopback ? "lo" : nil)
        }
      }
    return arrival == nil || arrival == device
  }

  mutating func resetOtherEnd(_ id: SocketID) {
    switch self[id].state {
    case .connected: reset(id)
    case .finWait:
      unhash(id)
      self[id].state = .closed
    default: break
    }
  }

  /// Removes a queued, never accepted connection (reset when its listener closes).
  mutating func unhashConnection(_ child: SocketID) {
    unhash(child)
    self[child].isClosed = true
    self[child].state = .closed
  }

  /// `connect(AF_UNSPEC)` (`__udp_disconnect`): forget the peer, the bound device and the
  /// cached route (`sk_dst_reset`); an address bind() did not lock goes back to the wildcard,
  /// and a port bind() did not lock is given up.
  mutating func disconnect(_ id: SocketID) -> Prediction {
    let s = self[id]
    self[id].peer = nil
    if s.transport == .tcp {
      self[id].callState = .unconnected
      let what = tcpDisconnect(id)
      return Prediction(.ok, rule: .disconnectTCP, "'\(s.name)' \(what)")
    }
    self[id].state = .closed
    self[id].boundDevice = nil
    self[id].cachedRoute6 = nil
    if s.family == .inet6, let p = s.peer {
      self[id].staleIPv6Peer =
        switch p.address {
        case .v4(let a): .v6(IPv6Address(v4Mapped: a))
        case .v6: p.address
        }
    }
    var what: [String] = []
    if !s.addressLocked {
      self[id].connectedSource = nil
      self[id].connectedSource6 = nil
    }
    if !s.addressLocked && s.localAddress != nil && !(s.localAddress?.isAny ?? true) {
      self[id].localAddress = nil
      what.append("its address goes back to the wildcard")
    }
    if !s.portLocked && s.isHashed {
      unhash(id)
      what.append("its automatically chosen port is released")
    } else if s.isHashed {
      rehash(id)
    }
    let detail = what.isEmpty ? "" : ": " + what.joined(separator: " and ")
    return Prediction(.ok, rule: .disconnect, "'\(s.name)' forgets its peer\(detail)")
  }

  /// `tcp_disconnect`: a listener stops listening (its queued connections are reset), a
  /// connection is reset, and the socket is CLOSE again: a port bind() did not lock is released
  /// (`tcp_set_state` → `inet_put_port`; getsockname still shows it), and an address bind() did
  /// not lock goes back to the wildcard (`inet_bhash2_reset_saddr`). What happened, for the
  /// explanation.
  @discardableResult
  mutating func tcpDisconnect(_ id: SocketID) -> String {
    let s = self[id]
    var what: [String] = []
    switch s.state {
    case .listening:
      stopListening(id)
      what.append("stops listening")
    case .connected:
      if let o = s.otherEnd, o != id, self[o].state == .connected, hears(o, from: id) {
        reset(o)
      }
      if s.otherEndRemote, let peer = s.peer {
        remoteResets.append(
          RemoteReset(local: Endpoint(address: s.boundAddress, port: s.localPort), remote: peer))
      }
      self[id].pendingError = .ECONNRESET
      what.append("resets its connection")
    case .synSent:
      self[id].pendingError = .ECONNRESET
      what.append("abandons its SYN")
    default: break
    }
    self[id].state = .closed
    self[id].peer = nil
    self[id].otherEnd = nil
    self[id].otherEndRemote = false
    self[id].unreadData = false
    if s.state != .closed && s.isHashed && !s.portLocked {
      self[id].staleLocalPort = s.localPort
      unhash(id)
      what.append("releases port \(s.localPort), which bind() did not ask for")
    }
    if !s.addressLocked, let a = s.localAddress, !a.isAny {
      self[id].localAddress = nil
      rehash(id)
      what.append("forgets the address \(a)")
    }
    return what.isEmpty ? "is reset to an unconnected socket" : what.joined(separator: ", ")
  }

  /// `accept()`: takes the oldest queued connection; the new socket already holds the
  /// listener's port (the kernel created it with the connection).
  mutating func accept(_ id: SocketID, as name: String) -> Prediction {
    let s = self[id]
    if s.transport == .udp {
      return .failure(
        .EOPNOTSUPP, rule: .acceptNotListening,
        "'\(s.name)' is a UDP socket; accept() is for TCP listeners (sock_no_accept)")
    }
    guard s.state == .listening else {
      return .failure(.EINVAL, rule: .acceptNotListening, "'\(s.name)' is not listening")
    }
    guard !s.acceptQueue.isEmpty else {
      return .failure(
        .EAGAIN, rule: .acceptEmpty, "no connection is waiting in the queue of '\(s.name)'")
    }
    let pending = self[id].acceptQueue.removeFirst()
    // inet_accept: the new socket is SS_CONNECTED whatever its TCP state.
    self[pending.child].callState = .connected
    self[pending.child].name = name
    names[name] = pending.child
    return Prediction(
      .ok, rule: .acceptOK,
      "'\(name)' is the connection from \(pending.remote) to \(pending.local); it holds \(bindingName(self[pending.child], port: pending.local.port)) with the options of '\(s.name)'"
    )
  }

  /// `IP_ADD_MEMBERSHIP` / `IPV6_JOIN_GROUP`.
  mutating func join(_ id: SocketID, group: IPAddress, interface: String?) -> Prediction {
    let s = self[id]
    if case .v6 = group, s.family == .inet {
      return .failure(
        .ENOPROTOOPT, rule: .optionWrongLevel,
        "IPV6_JOIN_GROUP is an IPv6-level option and '\(s.name)' is an AF_INET socket")
    }
    if s.transport == .tcp {
      return .failure(
        .EPROTO, rule: .joinFailed,
        "'\(s.name)' is a TCP socket; only datagram sockets join multicast groups (EPROTO)")
    }
    guard group.isMulticast else {
      return .failure(.EINVAL, rule: .joinFailed, "\(group) is not a multicast group")
    }
    if case .v6 = group,
      let held = s.memberships.first(where: {
        $0.group == group && (interface == nil || $0.interface == interface)
      })
    {
      // __ipv6_sock_mc_join looks at the socket's list before resolving a device: with no
      // interface given (ifindex 0), a membership of the group on any interface is a clash.
      let on = held.interface ?? "an interface"
      return .failure(
        .EADDRINUSE, rule: .joinFailed,
        interface == nil
          ? "'\(s.name)' already joined \(group) on \(on); a join naming no interface clashes with any membership of the group"
          : "'\(s.name)' already joined \(group) on \(on)")
    }
    let device: String
    if let interface {
      guard self.interface(named: interface) != nil else {
        return .failure(.ENODEV, rule: .joinFailed, "there is no interface called '\(interface)'")
      }
      device = interface
    } else if case .v6 = group, let first = defaultMulticastDevice {
      // Every IPv6 interface but lo gets a `multicast ff00::/8` route (addrconf), so the
      // route lookup of ipv6_sock_mc_join finds one: the first interface's (verified on 6.18).
      device = first
    } else {
      return .failure(
        .ENODEV, rule: .joinFailed,
        "no interface was given and a fresh namespace has no route for \(group) to pick one")
    }
    let membership = Membership(group: group, interface: device)
    if s.memberships.contains(membership) {
      return .failure(
        .EADDRINUSE, rule: .joinFailed, "'\(s.name)' already joined \(group) on \(device)")
    }
    self[id].memberships.append(membership)
    return Prediction(.ok, rule: .joinOK, "'\(s.name)' joins \(group) on \(device)")
  }
}
