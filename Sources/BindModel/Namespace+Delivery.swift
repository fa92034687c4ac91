/// A datagram or SYN arriving at this host.
struct Packet: Hashable, Sendable {
  var source: Endpoint
  var destination: Endpoint
  /// The interface it arrives on: for traffic the host sends itself, the interface that owns
  /// the destination address (reference §15.1).
  var arrival: String

  /// The destination as an IPv4 address, when the packet is IPv4 (v4-mapped counts as IPv4).
  var ipv4Destination: IPv4Address? { destination.address.ipv4View }
}

/// Which socket a lookup found, and why.
struct LookupResult {
  /// The socket found, or the first member of the SO_REUSEPORT group the kernel picks from.
  var winner: SocketID
  /// The members of that SO_REUSEPORT group; empty when `winner` is the only candidate. Kept
  /// apart from `winner` so that a lookup with one answer, the usual case, allocates nothing.
  var group: [SocketID] = []
  var rule: Rule
  var reason: String

  /// One socket, or the members of the SO_REUSEPORT group the kernel picks from.
  var candidates: [SocketID] { group.isEmpty ? [winner] : group }
}

extension Namespace {
  /// `__udp4_lib_lookup` / `__udp6_lib_lookup` (reference §9.1-9.3): first the sockets bound to
  /// exactly the destination address, and only if none matches the wildcard sockets; inside a
  /// phase the best score wins, ties go to the first socket in chain order, and a SO_REUSEPORT
  /// socket short-circuits the walk with a member of its group.
  ///
  /// `explains` is `Prediction.explains`, which a caller that has read it already passes:
  /// reading the task-local costs more than a lookup in a short chain.
  func lookupUDP(_ packet: Packet, explains: Bool = Prediction.explains) -> LookupResult? {
    let port = packet.destination.port
    let exact = udpTable.chain(port, address: PortTable.AddressKey(packet.destination.address))
    // Compared with nil, not unwrapped: `if let` copied the result and destroyed the original.
    let found = walk(exact, packet: packet, exact: true, tcp: false, explains: explains)
    if found != nil { return found }
    let wildcard = udpTable.chain(port, address: .v4(0))
    return walk(wildcard, packet: packet, exact: false, tcp: false, explains: explains)
  }

  /// `__inet_lookup_listener` / `inet6_lookup_listener` (reference §9.6), over listeners in
  /// `listen()` order.
  func lookupListener(_ packet: Packet) -> LookupResult? {
    let chain = tcpListeners[packet.destination.port] ?? []
    let explains = Prediction.explains
    // Compared with nil, not unwrapped (see lookupUDP).
    let found = walk(chain, packet: packet, exact: true, tcp: true, explains: explains)
    if found != nil { return found }
    return walk(chain, packet: packet, exact: false, tcp: true, explains: explains)
  }

  /// Whether socket `id` is bound to exactly the packet's destination (exact phase) or to a
  /// wildcard that takes it (wildcard phase).
  private func addressMatches(_ id: SocketID, _ packet: Packet, exact: Bool) -> Bool {
    let family = self[id].family
    let isIPv4Packet = packet.ipv4Destination != nil
    if isIPv4Packet {
      if family == .inet6 && self[id].v6Only { return false }
      let view: IPv4Address? =
        switch self[id].boundAddress {
        case .v4(let a): a
        case .v6(let a): a.isAny ? .any : a.v4Mapped
        }
      guard let view else { return false }
      return exact ? view == packet.ipv4Destination : view.isAny
    }
    guard family == .inet6, case .v6(let a) = self[id].boundAddress,
      case .v6(let d) =
        packet.destination.address
    else { return false }
    if a.v4Mapped != nil { return false }
    return exact ? a == d : a.isAny
  }

  /// `compute_score` for UDP (v4: AF_INET 2, AF_INET6 1, +4 peer address, +4 peer port,
  /// +4 device; v6: 0, +1 each) and for TCP listeners (1, +1 device, +1 AF_INET for IPv4).
  /// Returns nil when the socket is not a candidate.
  ///
  /// It takes the socket's id, not its record, and reads the plain fields in place: a record
  /// bound to a parameter or a local is copied first, which costs more than the score. Only
  /// the rarer device, peer and stale-peer checks read the record's strings and endpoints.
  func score(_ id: SocketID, _ packet: Packet, exact: Bool, tcp: Bool) -> Int? {
    guard addressMatches(id, packet, exact: exact) else { return nil }
    let hasDevice = self[id].boundDeviceKey != 0
    if hasDevice, let device = self[id].boundDevice, device != packet.arrival { return nil }
    let isIPv4Packet = packet.ipv4Destination != nil
    let family = self[id].family
    if tcp {
      return 1 + (hasDevice ? 1 : 0) + (isIPv4Packet && family == .inet ? 1 : 0)
    }
    var score = isIPv4Packet ? (family == .inet ? 2 : 1) : 0
    let step = isIPv4Packet ? 4 : 1
    let hasPeer = self[id].hasPeer
    if hasPeer, let peer = self[id].peer {
      guard peerMatches(peer, packet.source) else { return nil }
      score += (peer.port == 0 ? 1 : 2) * step
    }
    if !hasPeer, !isIPv4Packet, let stale = self[id].staleIPv6Peer {
      guard stale == packet.source.address else { return nil }
      score += 1
    }
    if hasDevice { score += step }
    return score
  }

  /// The SO_REUSEPORT group of `s` (`udp_reuseport_add_sock`, `inet_reuseport_add_sock`):
  /// same family, V6ONLY flag, port, device, owner and exactly the same address.
  func reusePortGroup(of s: ModelSocket, in chain: [SocketID]) -> [SocketID] {
    chain.filter {
      let o = self[$0]
      return o.reusePort && o.family == s.family && o.v6Only == s.v6Only
        && o.boundDevice == s.boundDevice && o.uid == s.uid && o.boundAddress == s.boundAddress
    }
  }

  /// One phase of the lookup over `chain`. The best socket so far is one id, plus the members
  /// of its SO_REUSEPORT group in the rare case of a group with connected members, so that
  /// the usual walk builds no array.
  private func walk(
    _ chain: [SocketID], packet: Packet, exact: Bool, tcp: Bool, explains: Bool
  ) -> LookupResult? {
    // Built only for explanations: rendering the address costs more than the lookup.
    func phase() -> String {
      exact
        ? "bound to exactly \(packet.destination.address)"
        : "bound to a wildcard that takes \(packet.destination.address)"
    }
    var best: SocketID?
    var bestGroup: [SocketID] = []
    var bestScore = packet.ipv4Destination != nil || tcp ? 0 : -1
    var matches: [SocketID] = []
    for id in chain {
      guard let sc = score(id, packet, exact: exact, tcp: tcp) else { continue }
      if explains { matches.append(id) }
      if sc <= bestScore { continue }
      if !tcp && self[id].hasPeer {
        (best, bestGroup) = (id, [])
        bestScore = sc
        continue
      }
      if self[id].reusePort {
        let s = self[id]
        let group = reusePortGroup(of: s, in: chain)
        let members = tcp ? group : group.filter { !self[$0].hasPeer }
        let connected = !tcp && members.count < group.count
        if !connected {
          guard explains else {
            return LookupResult(
              winner: members[0], group: members, rule: .deliveryReusePort, reason: "")
          }
          let names = members.map { "'\(self[$0].name)'" }.joined(separator: ", ")
          return LookupResult(
            winner: members[0], group: members, rule: .deliveryReusePort,
            reason:
              "'\(s.name)' is the first match \(phase()) in chain order and has SO_REUSEPORT, so the kernel hashes the flow onto its group (\(names)) and stops looking"
          )
        }
        (best, bestGroup) = (members[0], members)
        bestScore = sc
        continue
      }
      (best, bestGroup) = (id, [])
      bestScore = sc
    }
    guard let best else { return nil }
    guard explains else {
      return LookupResult(winner: best, group: bestGroup, rule: .deliveryScore, reason: "")
    }
    let winner = self[best]
    let others = matches.filter { $0 != best }
    let rule: Rule
    let reason: String
    if others.isEmpty {
      rule = exact ? .deliveryExact : .deliveryWildcard
      reason =
        exact
        ? "'\(winner.name)' is the only socket \(phase()); exact-address sockets are looked up before wildcards"
        : "no socket is bound to exactly \(packet.destination.address), and '\(winner.name)' is the only wildcard match"
    } else {
      let winnerScore = score(best, packet, exact: exact, tcp: tcp) ?? 0
      let tied = others.filter { score($0, packet, exact: exact, tcp: tcp) == winnerScore }
      if tied.isEmpty {
        rule = .deliveryScore
        reason =
          "'\(winner.name)' scores highest of the sockets \(phase()) (\(scoreWords(winner, tcp: tcp, packet)))"
      } else {
        rule = .deliveryChainOrder
        let order =
          tcp
          ? "it called listen() \(winner.family == .inet6 && winner.reusePort ? "first" : "last")"
          : "it was bound \(winner.family == .inet6 && winner.reusePort ? "first (AF_INET6 SO_REUSEPORT sockets queue at the tail)" : "last, and the newest socket wins a tie")"
        reason =
          "'\(winner.name)' ties with \(tied.map { "'\(self[$0].name)'" }.joined(separator: ", ")) \(phase()) and comes first in the chain: \(order)"
      }
    }
    return LookupResult(winner: best, group: bestGroup, rule: rule, reason: reason)
  }

  private func scoreWords(_ s: ModelSocket, tcp: Bool, _ packet: Packet) -> String {
    var words: [String] = []
    if s.peer != nil { words.append("connected to the sender") }
    if let d = s.boundDevice { words.append("bound to device \(d)") }
    if packet.ipv4Destination != nil && s.family == .inet { words.append("an AF_INET socket") }
    return words.isEmpty ? "plain match" : words.joined(separator: ", ")
  }
}
