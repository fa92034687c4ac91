extension Namespace {
  /// Checks the destination against the socket's family, as `udp_sendmsg`, `udpv6_sendmsg`
  /// and the datagram `connect()` paths do; returns the destination as the socket sees it.
  func checkFamily(_ s: ModelSocket, _ destination: Endpoint, rule: Rule) -> Prediction? {
    switch (s.family, destination.address) {
    case (.inet, .v6):
      return .failure(
        .EAFNOSUPPORT, rule: rule,
        "'\(s.name)' is an AF_INET socket and \(destination) is an IPv6 endpoint")
    case (.inet6, .v4),
      (.inet6, .v6(_)) where destination.address.ipv4View != nil:
      if s.v6Only {
        return .failure(
          rule == .connectFamily && destination.address.family == .inet
            ? .EAFNOSUPPORT : .ENETUNREACH,
          rule: rule,
          "'\(s.name)' is IPV6_V6ONLY, so it cannot reach the IPv4 destination \(destination)")
      }
    case (.inet6, .v6) where s.transport == .tcp:
      // UDP finds this in ip6_dst_lookup_tail, after the route (see route6).
      if case .v6(let local)? = s.localAddress, local.v4Mapped != nil {
        return .failure(
          .EAFNOSUPPORT, rule: rule,
          "'\(s.name)' has the v4-mapped address \(local) and cannot send to the IPv6 destination \(destination)"
        )
      }
    default: break
    }
    return nil
  }

  /// The wildcard as a destination means this host (`ip_route_output_key_hash_rcu`: no
  /// daddr becomes the source address, if any, or 127.0.0.1; IPv6's "sendto(::) means
  /// sendto(::1)").
  func thisHost(_ destination: Endpoint, for s: ModelSocket) -> Endpoint {
    var d = destination
    switch destination.address {
    case .v4(let a) where a.isAny:
      d.address = .v4(thisHostIPv4(for: s))
    case .v6(let a) where a.isAny:
      if case .v6(let local)? = s.localAddress, local.v4Mapped != nil {
        d.address = .v6(IPv6Address(v4Mapped: .loopback))
      } else {
        d.address = .v6(.loopback)
      }
    case .v6(let a) where a.v4Mapped?.isAny == true:
      d.address = .v6(IPv6Address(v4Mapped: thisHostIPv4(for: s)))
    default: break
    }
    return d
  }

  /// The address 0.0.0.0 stands for: the source address, else (`inet_select_addr` on the bound
  /// device) the device's first address, else 127.0.0.1.
  func thisHostIPv4(for s: ModelSocket) -> IPv4Address {
    if let source = sourceAddress(of: s)?.ipv4View { return source }
    if let device = s.boundDevice, let first = interface(named: device)?.ipv4.first {
      return first.address
    }
    return .loopback
  }

  /// Autobinds a socket with no port for `sendto()`/`connect()` (`inet_autobind`): the
  /// protocol picks an ephemeral port; any failure becomes EAGAIN.
  mutating func autobind(_ id: SocketID, choices: inout Choices) -> Prediction? {
    guard !self[id].isHashed else { return nil }
    let result = getPort(self[id], port: 0, choices: &choices)
    guard let port = result.port else {
      return .failure(
        .EAGAIN, rule: .sendAutobindExhausted,
        "'\(self[id].name)' has no port, and no ephemeral port is free for it (inet_autobind turns that into EAGAIN)"
      )
    }
    self[id].connectBound = false
    hash(id, port: port)
    return nil
  }

  /// TCP data on a connection inside this host. It waits unread at the other end, unless that
  /// end was closed first (FIN_WAIT2, `RCV_SHUTDOWN`): `tcp_rcv_state_process` aborts it and
  /// answers with a reset, which this end, in CLOSE_WAIT, takes as EPIPE (`tcp_reset`).
  mutating func sendOnConnection(_ id: SocketID) -> Prediction {
    let s = self[id]
    guard let o = s.otherEnd else {
      return Prediction(.ok, rule: .sendTCP, "'\(s.name)' sends on its connection")
    }
    if o != id, self[o].state == .finWait {
      let other = self[o]
      unhash(o)
      self[o].state = .closed
      reset(id)
      self[id].pendingError = .EPIPE
      return Prediction(
        .ok, rule: .sendTCP,
        "'\(s.name)' sends, but '\(other.name)' was closed and takes no more data: it is reset and gone, and its reset gives '\(s.name)' EPIPE"
      )
    }
    self[o].unreadData = true
    return Prediction(
      .ok, rule: .sendTCP,
      o == id
        ? "'\(s.name)' sends on its connection to itself; the data waits unread in its own queue"
        : "'\(s.name)' sends on its connection; the data waits unread at '\(self[o].name)'")
  }

  /// `sendto()` of one UDP datagram, then local delivery (reference §9).
  ///
  /// Kernel check (verified on 6.18): `inet_send_prepare` autobinds an unbound socket before
  /// `udp_sendmsg` / `udpv6_sendmsg` look at the destination, so even a send that fails with
  /// EAFNOSUPPORT, ENETUNREACH or EDESTADDRREQ leaves the socket holding a port.
  ///
  /// The checks and the lookup are non-mutating methods called once each from here: every
  /// call of a non-mutating method from a mutating one copies the whole namespace first.
  mutating func send(_ id: SocketID, to given: Endpoint?, choices: inout Choices) -> Prediction {
    if self[id].transport == .tcp { return sendStream(id) }
    // inet_send_prepare autobinds before the protocol looks at the destination at all.
    if let refusal = autobind(id, choices: &choices) { return refusal }
    let s = self[id]
    switch datagramPath(s, to: given) {
    case .refused(let refusal):
      return refusal
    case .ipv6(let destination, let d):
      return sendIPv6(id, to: destination, group: d, connected: given == nil)
    case .routed(let route, let source, let arrival, let destination):
      // A pending error (an ICMP port unreachable for an earlier datagram) is reported when
      // the datagram is built (sock_alloc_send_pskb → sock_error), after every check.
      if let pending = s.pendingError {
        self[id].pendingError = nil
        return pendingErrorReport(s, pending)
      }
      return transmit(s, route: route, source: source, arrival: arrival, to: destination)
    }
  }

  /// `send` on a TCP socket: the pending error, else the connection's state decides.
  private mutating func sendStream(_ id: SocketID) -> Prediction {
    let s = self[id]
    if let pending = s.pendingError {
      self[id].pendingError = nil
      return .failure(
        pending, rule: .sendPendingError,
        "'\(s.name)' was reset by the other end; the error is reported by its next call")
    }
    if s.state == .connected {
      return sendOnConnection(id)
    }
    if s.state == .synSent {
      // sk_stream_wait_connect on a non-blocking socket.
      return .failure(
        .EAGAIN, rule: .sendTCP,
        "'\(s.name)' is still waiting for an answer to its SYN, and a non-blocking send does not wait"
      )
    }
    return .failure(.EPIPE, rule: .sendTCP, "'\(s.name)' is a TCP socket without a connection")
  }

  /// Where a UDP datagram from `s` (autobound already) goes, as far as `send` decides it
  /// without changing anything.
  private enum DatagramPath {
    /// A check failed before the datagram was built.
    case refused(Prediction)
    /// A native IPv6 destination, for `sendIPv6`.
    case ipv6(Endpoint, IPv6Address)
    /// An IPv4 (or v4-mapped) route that passed every check.
    case routed(Route, source: IPAddress, arrival: String, destination: Endpoint)
  }

  /// The checks of `udp_sendmsg` in the kernel's order, up to the route and its ends
  /// (`ip_route_output_flow`); the pending error and the datagram come after.
  ///
  /// The socket's source address (`inet_saddr`) is found once here and handed to every check
  /// and to the route that needs it.
  private func datagramPath(_ s: ModelSocket, to given: Endpoint?) -> DatagramPath {
    // Bound rather than compared with nil: comparing an optional endpoint goes through its
    // Equatable conformance.
    let written: Endpoint
    let isGiven: Bool
    if let given {
      (written, isGiven) = (given, true)
    } else if let peer = s.peer {
      (written, isGiven) = (peer, false)
    } else {
      return .refused(
        .failure(
          .EDESTADDRREQ, rule: .sendNoDestination,
          "'\(s.name)' is not connected, so send needs a destination"))
    }
    let destination = thisHost(written, for: s)
    // udp_sendmsg rejects a foreign family before it looks at the port.
    if let refusal = checkFamily(s, destination, rule: .sendFamily) { return .refused(refusal) }
    // udp_sendmsg checks the port of an address it is given. udpv6_sendmsg hands a connected
    // v4-mapped peer to it as such an address, so a peer port of 0 fails there too.
    let mappedPeer = !isGiven && s.family == .inet6 && written.address.ipv4View != nil
    if (isGiven || mappedPeer) && written.port == 0 {
      return .refused(
        .failure(
          .EINVAL, rule: .sendNoDestination,
          isGiven
            ? "a datagram cannot be sent to port 0 (udp_sendmsg)"
            : "'\(s.name)' is connected to port 0 of \(written.address), and udpv6_sendmsg passes that on to udp_sendmsg as a destination, which refuses port 0"
        ))
    }
    if case .v6(let d) = destination.address, d.v4Mapped == nil {
      return .ipv6(destination, d)
    }
    let own = sourceAddress(of: s)
    let own4 = own?.ipv4View
    // ip_route_output_key_hash_rcu checks the source (EINVAL, or ENETUNREACH when it is not
    // local) before the output device (ENODEV).
    if let refusal = invalidSource(
      s, source: own4, to: destination.address, rule: .sendInvalidSource)
    {
      return .refused(refusal)
    }
    let foreign = hasForeignSource(s, source: own4)
    if !foreign, let device = missingBoundDevice(s) {
      return .refused(
        .failure(
          .ENODEV, rule: .sendUnreachable,
          "'\(s.name)' is bound to the device '\(device)', which does not exist (ip_route_output_key_hash_rcu)"
        ))
    }
    // A source that is not local fails every route (see hasForeignSource).
    let route =
      foreign
      ? .unreachable
      : isThisHostIPv4(written.address)
        ? thisHostRoute(from: s, to: destination.address)
        : route(from: s, to: destination.address, source: own4)
    switch route {
    case .unreachable:
      return .refused(
        .failure(
          .ENETUNREACH, rule: .sendUnreachable,
          unreachableReason(s, destination.address)
        ))
    case .multicast
    where multicastDevice(for: s, group: destination.address, scope: destination.scope) == nil:
      return .refused(
        .failure(
          .ENETUNREACH, rule: .sendUnreachable,
          "a fresh namespace has no multicast route for \(destination.address); IP_MULTICAST_IF (or IPV6_MULTICAST_IF, or a bound device) must pick the interface"
        ))
    case .broadcast(nil, _) where s.boundDevice == nil:
      return .refused(
        .failure(
          .ENETUNREACH, rule: .sendUnreachable,
          "255.255.255.255 has no route in a fresh namespace; only a socket bound to a device or an address can send to it"
        ))
    default: break
    }
    guard
      let (source, arrival) = routeEnds(
        s, route, to: destination, source: Self.source(own, toward: destination.address))
    else {
      return .refused(.failure(.ENETUNREACH, rule: .sendUnreachable, "no route"))
    }
    if let why = loopbackSourceLeaves(
      s, source: source, route: route, device: arrival, to: destination.address)
    {
      return .refused(.failure(.EINVAL, rule: .sendInvalidSource, why))
    }
    // udp_sendmsg checks RTCF_BROADCAST on the route it got.
    if case .broadcast = route, !s.broadcast {
      return .refused(
        .failure(
          .EACCES, rule: .sendBroadcastDenied,
          "\(destination.address) is a broadcast address and '\(s.name)' did not set SO_BROADCAST"
        ))
    }
    return .routed(route, source: source, arrival: arrival, destination: destination)
  }

  /// The pending error (`sk_err`) a datagram send reports instead of sending.
  private func pendingErrorReport(_ s: ModelSocket, _ pending: Errno) -> Prediction {
    .failure(
      pending, rule: .sendPendingError,
      "'\(s.name)' is connected and an earlier datagram to its peer reached no socket: the ICMP port unreachable that came back is reported now"
    )
  }

  /// `udpv6_sendmsg` for a native IPv6 destination: `ip6_sk_dst_lookup_flow` (the socket's
  /// cached route, see `cachedRoute6`, else `route6`, which a send without a destination
  /// caches unless it is to a multicast group without a bound device), then the pending error,
  /// then the datagram.
  private mutating func sendIPv6(
    _ id: SocketID, to destination: Endpoint, group d: IPv6Address, connected: Bool
  ) -> Prediction {
    let sender = self[id]
    let oif = outputInterface6(for: sender, to: destination)
    let lookup: Result<Route6, RouteFailure> =
      cachedRoute6(for: sender, to: d, oif: oif).map { .success($0) }
      ?? route6(d, oif: oif, source: ipv6Source(sender))
    if connected && !(d.isMulticast && sender.boundDevice == nil), case .success(let r) = lookup {
      self[id].cachedRoute6 = routeCache6(r, to: d)
    }
    switch lookup {
    case .failure(let f):
      let rule: Rule =
        switch f.errno {
        case .EAFNOSUPPORT: .sendFamily
        case .EADDRNOTAVAIL: .sendNoSource
        default: .sendUnreachable
        }
      return .failure(f.errno, rule: rule, f.reason)
    case .success(let r):
      if let pending = sender.pendingError {
        self[id].pendingError = nil
        return pendingErrorReport(sender, pending)
      }
      return transmit(sender, route: r.route, source: r.source, arrival: r.device, to: destination)
    }
  }

  /// The datagram is built and leaves (see `fate`), and the namespace keeps what it left
  /// behind: the copy for a linked interface, and the sender's ICMP error.
  private mutating func transmit(
    _ sender: ModelSocket, route: Route, source: IPAddress, arrival: String,
    to destination: Endpoint
  ) -> Prediction {
    var leaving: Transmission?
    var refused = false
    let prediction = fate(
      sender, route: route, source: source, arrival: arrival, to: destination,
      explains: Prediction.explains, leaving: &leaving, refused: &refused)
    if let leaving { outbound = leaving }
    if refused { self[sender.id].pendingError = .ECONNREFUSED }
    return prediction
  }

  /// `ip_route_output_key_hash_rcu` refuses a multicast, limited-broadcast or 0.0.0.0/8 source
  /// (EINVAL) before any lookup. Only an AF_INET6 socket bound to such a v4-mapped address
  /// meets it (inet6_bind keeps the address as the source); an AF_INET socket bound to a
  /// broadcast or multicast address sends from the device's address instead.
  /// `source` is the socket's IPv4 source address (`sourceAddress(of:)`), which the caller
  /// has at hand.
  func invalidSource(_ s: ModelSocket, source: IPv4Address?, to destination: IPAddress, rule: Rule)
    -> Prediction?
  {
    guard destination.ipv4View != nil, let source,
      source.isMulticast || source.isLimitedBroadcast || source.rawValue >> 24 == 0
    else { return nil }
    return .failure(
      .EINVAL, rule: rule,
      "'\(s.name)' is bound to \(source), which can never be the source of an IPv4 packet")
  }

  /// The interface a multicast datagram leaves by: the destination's scope (`sin6_scope_id`),
  /// else the bound device, else IP_MULTICAST_IF / IPV6_MULTICAST_IF (`ip4_datagram_connect`,
  /// `udp_sendmsg`: `if (!oif) oif = mc_index`), else (IPv4) the device of the source address
  /// (`ip_route_output_key_hash_rcu`: `__ip_dev_find(saddr)`); nil when nothing picks one (a
  /// fresh namespace has no multicast route).
  func multicastDevice(for s: ModelSocket, group: IPAddress, scope: String? = nil) -> String? {
    if group.ipv4View == nil, let scope { return scope }
    if let device = s.boundDevice { return device }
    if group.ipv4View != nil, let address = s.multicastInterface, !address.isAny {
      return ipv4Owners[address]
    }
    if group.ipv4View == nil, let device = s.ipv6MulticastInterface { return device }
    if group.ipv4View != nil, let source = sourceAddress(of: s)?.ipv4View {
      return sourceDevice(source)
    }
    return nil
  }
}
