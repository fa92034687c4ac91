/// Where a datagram lands once `send` has built it: off the host, at the local socket the
/// lookup finds, at every member of a multicast group or broadcast, or nowhere (with the ICMP
/// port unreachable that comes back).
extension Namespace {
  /// Where a datagram from `sender` ends: off the host, as a broadcast or multicast, or at the
  /// local socket the lookup finds; with the copy that leaves by a linked interface
  /// (`leaving`), and whether the ICMP port unreachable for a datagram nobody takes gives
  /// `sender` an error (`refused`).
  ///
  /// `explains` is `Prediction.explains`, read once by the caller.
  func fate(
    _ sender: ModelSocket, route: Route, source: IPAddress, arrival: String,
    to destination: Endpoint, explains: Bool, leaving: inout Transmission?, refused: inout Bool
  ) -> Prediction {
    let id = sender.id
    let packet = Packet(
      source: Endpoint(address: source, port: sender.localPort), destination: destination,
      arrival: arrival)
    switch route {
    case .offHost(let i, _) where linkedInterfaces.contains(i):
      leaving = Transmission(packet: packet, sender: id, kind: .unicast, interface: i)
      return Prediction(
        .nobody, rule: .deliveryOffHost, "the datagram leaves by \(i) for the host at its other end"
      )
    case .offHost(let i, _):
      return Prediction(
        .nobody, rule: .deliveryOffHost,
        "\(destination.address) is not an address of this host: the datagram leaves by \(i) and no socket here sees it"
      )
    case .broadcast:
      if linkedInterfaces.contains(arrival) {
        leaving = Transmission(packet: packet, sender: id, kind: .broadcast, interface: arrival)
      }
      return broadcast(packet, from: sender)
    case .multicast:
      // ip6_rcv_core: a packet from ::1 that arrives on a device other than lo is dropped,
      // the looped-back copy of a multicast datagram included (RFC 4291 2.5.3).
      if arrival != "lo", case .v6(let from) = source, from.isLoopback {
        return Prediction(
          .nobody, rule: .deliveryDropped,
          "'\(sender.name)' sends from ::1, and a packet from ::1 that arrives on \(arrival), not lo, is dropped (ip6_rcv_core)"
        )
      }
      if linkedInterfaces.contains(arrival) {
        leaving = Transmission(packet: packet, sender: id, kind: .multicast, interface: arrival)
      }
      return multicast(packet)
    default:
      return deliver(packet, from: sender, explains: explains, refused: &refused)
    }
  }

  /// A unicast datagram to a local address: the socket the lookup finds, else nobody.
  func deliver(
    _ packet: Packet, from sender: ModelSocket, explains: Bool, refused: inout Bool
  ) -> Prediction {
    guard let found = lookupUDP(packet, explains: explains) else {
      return unclaimed(packet, from: sender, explains: explains, refused: &refused)
    }
    // One receiver, the usual case, needs no sorting and no intermediate arrays.
    // The names are read where the records lie: a computed property of `self[id]` copies it.
    let outcomes = sockets.withUnsafeBufferPointer { records in
      found.group.count <= 1
        ? OutcomeSet(.delivered(records[found.winner.rawValue].nameList))
        : OutcomeSet(found.group.map { Outcome.receivers([records[$0.rawValue].name]) })
    }
    // The lookup rendered its reason already (empty without explanations).
    return Prediction(outcomes, rule: found.rule, rendered: found.reason, portChoice: nil)
  }

  /// A unicast datagram to a local address that no socket takes; `refused` says whether the
  /// ICMP port unreachable gives `sender` an error.
  func unclaimed(
    _ packet: Packet, from sender: ModelSocket, explains: Bool, refused: inout Bool
  ) -> Prediction {
    let destination = packet.destination
    // __udp4_lib_err finds the sender by the returned header, like a datagram from the
    // destination to the source: only a socket connected to this destination (a peer port
    // of 0 matches any) whose bound address takes the source gets the error.
    let connectedHere = sender.peer.map { peerMatches($0, packet.destination) } ?? false
    let takesSource = Coverage(of: sender).contains(packet.source.address)
    // IPv4: the error comes back over lo, and __udp4_lib_err matches devices against the
    // packet's real device (skb->dev, not the route's input interface as for data): a
    // socket bound to another device never sees errors for traffic inside the host. IPv6:
    // __udp6_lib_err matches against inet6_iif, which for local traffic is the device of the
    // address the error is sent to, the source's (verified on 6.18).
    var errorDevice = "lo"
    if packet.ipv4Destination == nil, case .v6(let back) = packet.source.address,
      let owner = ipv6Owner(back)
    {
      errorDevice = owner.name
    }
    let onLo = sender.boundDevice == nil || sender.boundDevice == errorDevice
    // A datagram sent from 0.0.0.0 (a route that found no source address) gets no ICMP
    // error back: there is nobody to address it to.
    let hasSource = packet.source.address.ipv4View.map { !$0.isAny } ?? true
    // The error's source is the datagram's destination (__icmp_send), which must be a local
    // address for the error to be routed at all: one that only a socket bound to lo reached
    // (assumed on lo's link) is not, and the error is never sent.
    let destinationIsLocal =
      packet.destination.address.ipv4View.map { sourceDevice($0) != nil } ?? true
    let takesError = connectedHere && takesSource && onLo && hasSource && destinationIsLocal
    // Rendered only for explanations.
    func after() -> String {
      takesError
        ? "; '\(sender.name)' is connected to it, so the ICMP port unreachable will fail its next call with ECONNREFUSED"
        : connectedHere && !onLo
          ? "; the ICMP port unreachable comes back over \(errorDevice), and '\(sender.name)', bound to device \(sender.boundDevice ?? ""), does not take it"
          : connectedHere
            ? "; the ICMP port unreachable finds no socket: '\(sender.name)' is bound to \(sender.boundAddress), not to the source \(packet.source.address)"
            : sender.peer != nil
              ? "; the ICMP port unreachable is ignored because '\(sender.name)' is connected to another peer"
              : "; the ICMP port unreachable is ignored because '\(sender.name)' is not connected"
    }
    refused = takesError
    return Prediction(
      OutcomeSet(.nobody), rule: .deliveryNobody,
      rendered: explains
        ? "no socket on UDP port \(destination.port) takes \(destination.address)\(after())" : "",
      portChoice: nil)
  }

  /// Whether a connected socket's peer matches the far end of a datagram (`compute_score`,
  /// `__udp_is_mcast_sock`): same address, and the same port unless the peer's port is 0.
  func peerMatches(_ peer: Endpoint, _ far: Endpoint) -> Bool {
    let sameAddress =
      peer.address.ipv4View != nil
      ? peer.address.ipv4View == far.address.ipv4View
      : peer.address == far.address
    return sameAddress && (peer.port == 0 || peer.port == far.port)
  }

  /// UDP multicast (`__udp4_lib_mcast_deliver`, `__udp6_lib_mcast_deliver`, reference §9.5):
  /// the datagram loops back to this host on its outgoing interface, which accepts it only if
  /// some socket joined the group there; then every socket on the port bound to the wildcard or
  /// the group gets a copy if it joined the group on that interface, or (IP_MULTICAST_ALL, the
  /// default) if it did not join at all.
  func multicast(_ packet: Packet) -> Prediction {
    // A v4-mapped group sent by an AF_INET6 socket is an IPv4 datagram (udp_sendmsg) to the
    // IPv4 group, which IP_ADD_MEMBERSHIP joined.
    let group = packet.ipv4Destination.map { IPAddress.v4($0) } ?? packet.destination.address
    let port = packet.destination.port
    let joined = { (s: ModelSocket) in
      s.memberships.contains {
        $0.group == group && ($0.interface ?? packet.arrival) == packet.arrival
      }
    }
    // Membership belongs to the socket, bound or not (ip_mc_join_group needs no port).
    let hostIsMember = sockets.contains { !$0.isClosed && joined($0) }
    guard hostIsMember else {
      return Prediction(
        .nobody, rule: .deliveryMulticast,
        "no socket joined \(group) on \(packet.arrival), so the host drops the datagram")
    }
    let receivers = udpTable.chain(port).filter { id in
      let s = self[id]
      guard datagramMatches(s, packet) else { return false }
      let all = group.ipv4View != nil ? s.multicastAll : s.ipv6MulticastAll
      return joined(s) || (all && !s.memberships.contains { $0.group == group })
    }
    let names = receivers.map { self[$0].name }
    return Prediction(
      .receivers(names), rule: .deliveryMulticast,
      names.isEmpty
        ? "the host is a member of \(group) on \(packet.arrival), but no socket on port \(port) takes it"
        : "each socket on port \(port) bound to the wildcard or to \(group) gets a copy if it joined the group on \(packet.arrival), or, with IP_MULTICAST_ALL (the default), if it joined nothing"
    )
  }

  /// The common filter of broadcast and multicast delivery: family, device, connected peer,
  /// and an address that is the wildcard or the destination itself.
  func datagramMatches(_ s: ModelSocket, _ packet: Packet) -> Bool {
    let isIPv4 = packet.ipv4Destination != nil
    if isIPv4 && s.family == .inet6 && s.v6Only { return false }
    if !isIPv4 && s.family == .inet { return false }
    if let device = s.boundDevice, device != packet.arrival { return false }
    if let peer = s.peer, !peerMatches(peer, packet.source) { return false }
    if isIPv4 {
      let view: IPv4Address? =
        switch s.boundAddress {
        case .v4(let a): a
        case .v6(let a): a.isAny ? .any : a.v4Mapped
        }
      return view == .any || view == packet.ipv4Destination
    }
    guard case .v6(let a) = s.boundAddress, a.v4Mapped == nil else { return false }
    if s.peer == nil, let stale = s.staleIPv6Peer, stale != packet.source.address { return false }
    return a.isAny || .v6(a) == packet.destination.address
  }

  /// UDP broadcast (`__udp4_lib_mcast_deliver`, reference §9.5): every socket on the port
  /// bound to the wildcard or to the broadcast address itself gets its own copy.
  func broadcast(_ packet: Packet, from sender: ModelSocket) -> Prediction {
    let receivers = udpTable.chain(packet.destination.port).filter {
      datagramMatches(self[$0], packet)
    }
    let names = receivers.map { self[$0].name }
    return Prediction(
      .receivers(names), rule: .deliveryBroadcast,
      names.isEmpty
        ? "no socket on port \(packet.destination.port) takes broadcasts; broadcasts are dropped silently"
        : "every socket bound to the wildcard or to \(packet.destination.address) gets its own copy of a broadcast"
    )
  }
}
