extension Namespace {
  /// Whether the answer to a SYN that arrived here gets back to the client: the reply goes to
  /// the SYN's source, which must be an address of this host; and an IPv6 reset to a
  /// loopback or link-local source must leave by the interface the SYN arrived on
  /// (`tcp_v6_send_response`: `rt6_need_strict`). A lost answer leaves the SYN unanswered.
  func replyLost(_ packet: Packet, device: String?) -> String? {
    let src = packet.source.address
    // IPv4: the answer leaves from the SYN's destination, which must be an address of this host
    // (`ip_route_output_key_hash_rcu`: `__ip_dev_find(saddr)`) unless the listener set
    // IP_TRANSPARENT (FLOWI_FLAG_ANYSRC); a socket bound to lo reaches any address locally.
    // A SYN from a socket bound to lo to an address that is not on lo's own routes took a
    // route that only assumed the address on lo's link (RTN_UNICAST, delivered locally all the
    // same): tcp_v4_send_reset sends no reset for a SYN whose route is not RTN_LOCAL.
    if let dst = packet.destination.address.ipv4View, let device,
      interface(named: device)?.isLoopback == true, !isLoopbackLocal(dst),
      lookupListener(packet) == nil
    {
      return
        "the SYN to \(dst) went through lo on a route that only assumed \(dst) on lo's link, not a local one, and the kernel sends no reset for such a SYN"
    }
    if let dst = packet.destination.address.ipv4View, sourceDevice(dst) == nil {
      let transparent = lookupListener(packet).map {
        $0.candidates.allSatisfy { self[$0].transparent }
      }
      if transparent != true {
        return
          "\(dst) is not an address of this host, so the \(transparent == nil ? "reset" : "SYN-ACK") cannot leave from it: the SYN is never answered"
      }
    }
    // IPv4: the answer arrives as if on the device that owns the source address (the local
    // route's device, `rt_iif`); a client bound to another device does not see it. A listener
    // bound to a device routes its SYN-ACK with that device as oif (`inet_csk_route_req`):
    // through lo, the source is only assumed on lo's link, and `ip_route_output_key_hash_rcu`
    // keeps lo as `rt_iif`, so a client bound to lo hears it.
    if let device, let v4 = src.ipv4View, case .local(let owner) = addressType(v4),
      owner != device, listenerDevice(packet) != device
    {
      return
        "the answer to \(v4) arrives as if on \(owner), and '\(device)' is the only device the client hears: the SYN is never answered"
    }
    // IPv6 alike: `ip6_rcv_core` takes the answer's iif from its route's device
    // (`ip6_dst_idev`), the device that owns the source address.
    if let device, case .v6(let a) = src, src.ipv4View == nil, let owner = ipv6Owner(a),
      owner.name != device
    {
      return
        "the answer to \(a) arrives as if on \(owner.name), and '\(device)' is the only device the client hears: the SYN is never answered"
    }
    let isLocal: Bool
    if let v4 = src.ipv4View {
      switch addressType(v4) {
      case .local: isLocal = true
      // lo's broadcast address (127.255.255.255): the answer goes through lo and arrives as a
      // packet for this host (a real device's broadcast comes back only as a loopback copy,
      // which TCP drops).
      case .broadcast(let name?) where interface(named: name)?.isLoopback == true: isLocal = true
      default: isLocal = false
      }
    } else if case .v6(let a) = src {
      isLocal = ipv6Owner(a) != nil
    } else {
      isLocal = false
    }
    if !isLocal {
      return
        "\(src) is not an address of this host: the answer to the SYN goes elsewhere, and the SYN is never answered"
    }
    if case .v6(let a) = src, src.ipv4View == nil, a.isLoopback || a.isLinkLocal,
      let owner = ipv6Owner(a), owner.name != packet.arrival, lookupListener(packet) == nil
    {
      return
        "the reset to \(a) must leave by \(packet.arrival), where the SYN arrived, and \(a) is not reachable there: the SYN is never answered"
    }
    return nil
  }

  /// The device that every listener the SYN finds is bound to, if they share one
  /// (`inet_request_bound_dev_if`: the oif of the SYN-ACK's route).
  func listenerDevice(_ packet: Packet) -> String? {
    guard let found = lookupListener(packet), let first = found.candidates.first,
      let device = self[first].boundDevice,
      found.candidates.allSatisfy({ self[$0].boundDevice == device })
    else { return nil }
    return device
  }

  /// `inet_csk_route_req` / `inet6_csk_route_req`: a listener bound to a device routes its
  /// SYN-ACK with that device as output interface (`ir_iif`, `inet_request_bound_dev_if`). The
  /// client's source is a local address, but only the local route of an address of that device
  /// matches it: any other (127.0.0.1, another interface's address) is assumed on the device's
  /// link and the SYN-ACK leaves by it, so the SYN is never answered. IPv4 through lo loops back
  /// all the same; IPv6 is strict (`RT6_LOOKUP_F_IFACE`) even for lo.
  func synAckLost(_ packet: Packet, listeners: [SocketID]) -> String? {
    guard let first = listeners.first, let device = self[first].boundDevice,
      listeners.allSatisfy({ self[$0].boundDevice == device })
    else { return nil }
    let src = packet.source.address
    let owner: String?
    if let v4 = src.ipv4View {
      if interface(named: device)?.isLoopback == true { return nil }
      switch addressType(v4) {
      case .local(let i): owner = i
      case .broadcast(let i?) where interface(named: i)?.isLoopback == true: owner = i
      default: owner = nil
      }
    } else if case .v6(let a) = src {
      owner = ipv6Owner(a)?.name
    } else {
      owner = nil
    }
    guard let owner, owner != device else { return nil }
    let names = listeners.map { "'\(self[$0].name)'" }.joined(separator: ", ")
    return
      "\(names) is bound to \(device), so its SYN-ACK to \(src) (an address of \(owner)) is routed out of \(device) and never comes back: the SYN is never answered"
  }
}
