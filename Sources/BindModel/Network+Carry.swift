extension Network {
  /// Carries a datagram or SYN over the cable from `host`'s interface to the other end.
  mutating func carry(
    _ t: Transmission, from host: String, local: Prediction, choices: inout Choices
  ) -> Prediction {
    guard let far = links[HostInterface(host: host, interface: t.interface)],
      let receiver = hosts[far.host]
    else { return local }
    var packet = t.packet
    packet.arrival = far.interface
    let drop = receiver.dropReason(packet, host: far.host)
    switch t.kind {
    case .unicast:
      if let drop {
        return Prediction(.nobody, rule: .deliveryDropped, drop)
      }
      guard let found = receiver.lookupUDP(packet) else {
        let sender = hosts[host]![t.sender]
        var after = "; '\(sender.name)' is not connected, so the ICMP port unreachable is ignored"
        if sender.peer != nil {
          let key = "\(far.host)->\(packet.source.address)"
          icmpSent[key, default: 0] += 1
          if icmpSent[key]! <= Self.icmpBurst {
            hosts[host]![t.sender].pendingError = .ECONNREFUSED
            after =
              "; '\(sender.name)' is connected, so the ICMP port unreachable from \(far.host) fails its next call with ECONNREFUSED"
          } else {
            after =
              "; \(far.host) has used up its burst of \(Self.icmpBurst) ICMP errors towards \(packet.source.address), so '\(sender.name)' hears nothing"
          }
        }
        return Prediction(
          .nobody, rule: .deliveryNobody,
          "\(far.host) takes the datagram for \(packet.destination.address) on \(far.interface), but no socket there holds UDP port \(packet.destination.port)\(after)"
        )
      }
      let outcomes = found.candidates.map { Outcome.receivers([receiver[$0].name]) }
      return Prediction(
        OutcomeSet(outcomes), rule: found.rule,
        "on \(far.host), arriving on \(far.interface): \(found.reason)")
    case .broadcast, .multicast:
      if drop != nil { return local }
      let remote =
        t.kind == .broadcast
        ? receiver.broadcast(packet, from: hosts[host]![t.sender]) : receiver.multicast(packet)
      guard case .delivered(let here)? = local.outcomes.single,
        case .delivered(let there)? = remote.outcomes.single
      else { return local }
      return Prediction(
        .receivers(here + there), rule: local.rule,
        "\(local.explanation); on \(far.host): \(remote.explanation)")
    case .syn:
      return connectAcross(t, from: host, to: far, packet: packet, drop: drop, choices: &choices)
    }
  }

  /// A SYN over a cable: the far host's listener lookup, or a reset, or no answer at all.
  private mutating func connectAcross(
    _ t: Transmission, from host: String, to far: HostInterface, packet: Packet, drop: String?,
    choices: inout Choices
  ) -> Prediction {
    if let drop {
      return .failure(.ETIMEDOUT, rule: .deliveryDropped, "\(drop); the SYN gets no answer")
    }
    guard let found = hosts[far.host]!.lookupListener(packet) else {
      hosts[host]!.refuse(t.sender, addressBefore: t.addressBefore)
      return .failure(
        .ECONNREFUSED, rule: .connectRefused,
        "no socket on \(far.host) listens on TCP port \(packet.destination.port) for \(packet.destination.address), so it answers the SYN with a reset"
      )
    }
    let receiver = hosts[far.host]!
    let listener = choices.member(of: found.candidates) { receiver[$0].name }
    hosts[host]![t.sender].peer = packet.destination
    hosts[host]![t.sender].state = .connected
    hosts[host]![t.sender].otherEndRemote = true
    hosts[far.host]!.queueConnection(
      on: listener, packet: packet, client: t.sender, remoteClient: true)
    let outcomes = found.candidates.map { Outcome.receivers([receiver[$0].name]) }
    return Prediction(
      OutcomeSet(outcomes), rule: found.rule,
      "on \(far.host), arriving on \(far.interface): \(found.reason)")
  }

  /// Closes a connection whose other end is on another host.
  mutating func closeAcrossHosts(_ s: ModelSocket, on host: String) -> Prediction {
    let other = findOtherEnd(of: s, on: host)
    let otherSocket = other.map { hosts[$0.host]![$0.id] }
    let (prediction, effect) = hosts[host]!.closeConnection(s.id, otherEnd: otherSocket)
    if let (h, id) = other {
      switch effect {
      case .reset?: if hosts[h]![id].state == .connected { hosts[h]!.reset(id) }
      case .timeWait?: hosts[h]![id].state = .timeWait
      case nil: break
      }
    }
    return prediction
  }

  /// The socket on another host whose connection is `s`'s: local and peer names swapped.
  func findOtherEnd(of s: ModelSocket, on host: String) -> (host: String, id: SocketID)? {
    guard let peer = s.peer else { return nil }
    let local = Endpoint(address: s.boundAddress, port: s.localPort)
    for name in hostNames where name != host {
      for o in hosts[name]!.sockets where o.transport == .tcp && o.isHashed {
        guard let p = o.peer, same(p, local),
          same(Endpoint(address: o.boundAddress, port: o.localPort), peer)
        else { continue }
        return (name, o.id)
      }
    }
    return nil
  }

  /// Resets the client, on another host, of a connection its listener dropped.
  mutating func resetRemote(_ r: RemoteReset, except host: String) {
    for name in hostNames where name != host {
      for o in hosts[name]!.sockets where o.transport == .tcp && o.state == .connected {
        if let p = o.peer, same(p, r.local),
          same(Endpoint(address: o.boundAddress, port: o.localPort), r.remote)
        {
          hosts[name]!.reset(o.id)
        }
      }
    }
  }

  /// Endpoints compare as the wire sees them (`::ffff:a.b.c.d` is a.b.c.d).
  private func same(_ a: Endpoint, _ b: Endpoint) -> Bool {
    guard a.port == b.port else { return false }
    if let x = a.address.ipv4View, let y = b.address.ipv4View { return x == y }
    return a.address == b.address
  }
}

extension Namespace {
  /// Why this host drops a packet that arrived over a cable (nil: it is for this host).
  ///
  /// IPv4 (`ip_route_input_slow`, `fib_validate_source`): accepted for any local address of
  /// the host (weak host model) or the arrival interface's subnet broadcast; dropped as a
  /// martian with a 127/8 source or destination, or a source that is one of the host's own
  /// addresses (`accept_local=0`). IPv6 (`ip6_rcv_core`, `ndisc_recv_ns`): `::1` either way is
  /// dropped, and only the arrival interface's own addresses answer neighbour discovery.
  func dropReason(_ packet: Packet, host: String) -> String? {
    let arrival = packet.arrival
    if let dst = packet.ipv4Destination,
      packet.destination.address.family == .inet
        || packet.destination.address.ipv4View != nil
    {
      let src = packet.source.address.ipv4View ?? .any
      if dst.isLoopback || src.isLoopback {
        return "\(host) drops the packet as a martian: a 127/8 address may not arrive from outside"
      }
      if case .local = addressType(src) {
        return
          "\(host) drops the packet as a martian: its source \(src) is one of \(host)'s own addresses"
      }
      switch addressType(dst) {
      case .local: return nil
      case .broadcast(let i?) where i == arrival: return nil
      case .broadcast(nil): return nil
      case .multicast: return nil
      default:
        return "\(dst) is not an address of \(host), and a host does not forward by default"
      }
    }
    guard case .v6(let dst) = packet.destination.address else { return nil }
    if dst.isLoopback || packet.source.address == .v6(.loopback) {
      return "\(host) drops the packet: ::1 may not arrive from outside"
    }
    if dst.isMulticast { return nil }
    if interface(named: arrival)?.ipv6.contains(where: { $0.address == dst }) == true {
      return nil
    }
    if ipv6Owner(dst) != nil {
      return
        "\(dst) belongs to \(host), but not to \(arrival): \(host) answers neighbour discovery only for \(arrival)'s own addresses, so nothing is delivered"
    }
    return "\(dst) is not an address of \(host)"
  }
}
