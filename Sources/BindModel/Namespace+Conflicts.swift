/// Why one existing socket blocks a new binding.
struct Conflict {
  var blocker: SocketID
  var rule: Rule
  var reason: String
}

extension Namespace {
  /// `devOverlap(A, B)`: two bindings can collide only if one has no device or both the same.
  @inline(__always)
  func devicesOverlap(_ a: ModelSocket, _ b: ModelSocket) -> Bool {
    a.boundDeviceKey == 0 || b.boundDeviceKey == 0
      || (a.boundDeviceKey == b.boundDeviceKey && a.boundDevice == b.boundDevice)
  }

  /// Whether a new binding `n` overlaps the existing `e` (`inet_rcv_saddr_equal(n, e, true)`).
  ///
  /// Not symmetric in one case: an AF_INET6 socket that connect() narrowed from `[::]` to an
  /// IPv6 address keeps IPV6_V6ONLY off and an IPv4 address of 127.0.0.6 (LOOPBACK4_IPV6), so
  /// `ipv4_rcv_saddr_equal` still lets a new AF_INET wildcard collide with it; an IPv6 address
  /// given to bind() sets V6ONLY and does not (verified on 6.18).
  func overlaps(_ n: ModelSocket, _ e: ModelSocket) -> Bool {
    overlaps(BindingView(n), BindingView(e), sameDevice: { n.boundDevice == e.boundDevice })
  }

  /// `overlaps` on the fields of two bindings; `sameDevice` compares the device names, and is
  /// asked only when both bindings have a device and the names' keys are equal.
  @inline(__always)
  func overlaps(_ n: BindingView, _ e: BindingView, sameDevice: () -> Bool) -> Bool {
    if n.deviceKey != 0 && e.deviceKey != 0 {
      guard n.deviceKey == e.deviceKey, sameDevice() else { return false }
    }
    if n.coverage.overlaps(e.coverage) { return true }
    guard n.family == .inet, n.localAddress?.isAny ?? true, e.family == .inet6, !e.v6Only,
      case .v6(let a)? = e.localAddress, !a.isAny, a.v4Mapped == nil
    else { return false }
    return true
  }

  /// The fields of socket `id` that conflict checks read, without copying its record.
  @inline(__always)
  func bindingView(_ id: SocketID) -> BindingView {
    sockets.withUnsafeBufferPointer { BindingView($0.baseAddress! + id.rawValue) }
  }

  /// The first socket of `chain` other than `n` (in chain order) for which `test` holds, given
  /// the owner's fields and whether it overlaps `n`. The records are read where they lie (see
  /// `BindingView`), and `overlaps` is computed only when `test` asks for it.
  @inline(__always)
  func firstOwner(
    in chain: [SocketID], overlapping n: ModelSocket,
    where test: (BindingView, _ overlaps: () -> Bool) -> Bool
  ) -> SocketID? {
    let view = BindingView(n)
    return sockets.withUnsafeBufferPointer { records in
      for id in chain where id != n.id {
        let e = BindingView(records.baseAddress! + id.rawValue)
        let overlapping = {
          overlaps(view, e, sameDevice: { n.boundDevice == records[id.rawValue].boundDevice })
        }
        if test(e, overlapping) { return id }
      }
      return nil
    }
  }

  /// TCP: `inet_csk_bind_conflict` / `inet_bind_conflict` with relax and reuseport allowed
  /// (reference §4.1). A new binding `n` may coexist with an overlapping `e` iff both set
  /// SO_REUSEADDR and `e` is not listening, or both set SO_REUSEPORT and `e` is in TIME_WAIT or
  /// has the same owner uid. Every socket on the port counts: bound, listening, connected and
  /// TIME_WAIT.
  ///
  /// Also returns the first overlapping socket that let `n` through (nil when there is a
  /// conflict), which explains a successful bind.
  func tcpConflict(_ n: ModelSocket, port: UInt16) -> (conflict: Conflict?, firstOverlap: SocketID?)
  {
    var firstOverlap: SocketID?
    let blocker = firstOwner(in: tcpTable.chain(port), overlapping: n) { e, overlapping in
      guard overlapping() else { return false }
      if n.reuseAddress && e.reuseAddress && e.state != .listening
        || n.reusePort && e.reusePort && (e.state == .timeWait || n.uid == e.uid)
      {
        if firstOverlap == nil { firstOverlap = e.id }
        return false
      }
      return true
    }
    guard let id = blocker else { return (nil, firstOverlap) }
    return (Conflict(blocker: id, rule: tcpRule(n, self[id]), reason: tcpReason(n, self[id])), nil)
  }

  private func tcpRule(_ n: ModelSocket, _ e: ModelSocket) -> Rule {
    if e.state == .timeWait { return .tcpTimeWait }
    if n.reuseAddress && e.reuseAddress && e.state == .listening {
      return .tcpListenerBlocksReuseAddress
    }
    if n.reusePort && e.reusePort { return .tcpReusePortOwner }
    return .tcpConflict
  }

  private func tcpReason(_ n: ModelSocket, _ e: ModelSocket) -> String {
    if n.reusePort && e.reusePort && n.uid != e.uid && e.state != .timeWait
      && !(n.reuseAddress && e.reuseAddress && e.state != .listening)
    {
      let listening = e.state == .listening ? " and it is listening" : ""
      return
        "both set SO_REUSEPORT, but '\(e.name)' belongs to uid \(e.uid) and '\(n.name)' to uid \(n.uid)\(listening)"
    }
    if e.state == .timeWait {
      return e.reuseAddress
        ? "'\(n.name)' did not set SO_REUSEADDR, and a TIME_WAIT connection is only shared when both did"
        : "the connection lingering in TIME_WAIT came from a socket without SO_REUSEADDR"
    }
    if n.reuseAddress && e.reuseAddress && e.state == .listening {
      return "'\(e.name)' is listening, and SO_REUSEADDR never shares a port with a listener"
    }
    return reuseAddressReason(n, e)
  }

  func reuseAddressReason(_ n: ModelSocket, _ e: ModelSocket) -> String {
    switch (n.reuseAddress, e.reuseAddress) {
    case (false, false):
      if n.reusePort || e.reusePort {
        return "neither socket set SO_REUSEADDR, and SO_REUSEPORT must be set on both"
      }
      return "neither socket set SO_REUSEADDR"
    case (true, false): return "'\(e.name)' did not set SO_REUSEADDR; both must"
    case (false, true): return "'\(n.name)' did not set SO_REUSEADDR; both must"
    case (true, true): return "both set SO_REUSEADDR"
    }
  }

  /// UDP: `udp_lib_lport_inuse` (reference §5.1). Sockets that both set SO_REUSEADDR never
  /// conflict; otherwise the *first* overlapping socket in chain order decides: shared iff
  /// both set SO_REUSEPORT with the same owner uid. Returns nil when the bind may proceed,
  /// the socket that allowed it through SO_REUSEPORT, if any, and the first overlapping socket
  /// that let it through (nil when there is a conflict), which explains a successful bind.
  func udpConflict(_ n: ModelSocket, port: UInt16)
    -> (conflict: Conflict?, sharedWith: SocketID?, firstOverlap: SocketID?)
  {
    var firstOverlap: SocketID?
    // The first overlapping owner decides, unless both set SO_REUSEADDR.
    let first = firstOwner(in: udpTable.chain(port), overlapping: n) { e, overlapping in
      if n.reuseAddress && e.reuseAddress {
        if firstOverlap == nil && overlapping() { firstOverlap = e.id }
        return false
      }
      return overlapping()
    }
    guard let id = first else { return (nil, nil, firstOverlap) }
    let shared = n.reusePort && self[id].reusePort && n.uid == self[id].uid
    return shared
      ? (nil, id, firstOverlap ?? id) : (udpConflict(n, self[id], blocker: id), nil, nil)
  }

  /// Why the first overlapping socket `e` in the chain blocks `n`.
  private func udpConflict(_ n: ModelSocket, _ e: ModelSocket, blocker: SocketID) -> Conflict {
    let rule: Rule = n.reusePort && e.reusePort ? .udpReusePortOwner : .udpFirstMatch
    let reason =
      n.reusePort && e.reusePort
      ? "both set SO_REUSEPORT, but '\(e.name)' belongs to uid \(e.uid) and '\(n.name)' to uid \(n.uid)"
      : reuseAddressReason(n, e)
        + (n.reusePort && !e.reusePort
          ? ", and '\(e.name)', the first overlapping socket in the chain, did not set SO_REUSEPORT"
          : "")
    return Conflict(blocker: blocker, rule: rule, reason: reason)
  }

  /// A phrase relating the two bindings: "0.0.0.0:1060 covers 127.0.0.1:1060".
  func overlapPhrase(_ n: ModelSocket, address: IPAddress?, _ e: ModelSocket, port: UInt16)
    -> String
  {
    var probe = n
    probe.localAddress = address
    let nc = Coverage(of: probe)
    let ec = Coverage(of: e)
    let nName = bindingName(probe, port: port)
    let eName = bindingName(e, port: e.localPort)
    if !nc.overlaps(ec) {
      return
        "\(nName) covers 127.0.0.6:\(port), the IPv4 address (LOOPBACK4_IPV6) kept by \(eName), which connect() narrowed from [::] without setting IPV6_V6ONLY"
    }
    if nc == ec && n.boundDevice == e.boundDevice { return "\(nName) is already taken" }
    if ec.isWildcard && !nc.isWildcard { return "\(eName) covers \(nName)" }
    if nc.isWildcard && !ec.isWildcard { return "\(nName) covers \(eName)" }
    return "\(nName) overlaps \(eName)"
  }

  /// A binding as people read it, with `(dual-stack)` for a `[::]` that also takes IPv4.
  func bindingName(_ s: ModelSocket, port: UInt16) -> String {
    let device = s.boundDevice.map { "%\($0)" } ?? ""
    switch s.boundAddress {
    case .v4(let a): return "\(a)\(device):\(port)"
    case .v6(let a):
      let dual = a.isAny && !s.v6Only ? " (dual-stack)" : ""
      return "[\(a)]\(device):\(port)\(dual)"
    }
  }

  /// "held by 'first'", with the state when it matters.
  func heldBy(_ e: ModelSocket) -> String {
    switch e.state {
    case .listening: "held by '\(e.name)' (listening)"
    case .timeWait: "held by '\(e.name)' (closed, in TIME_WAIT)"
    case .finWait: "held by '\(e.name)' (closed, in FIN_WAIT2)"
    case .connected where e.transport == .tcp: "held by '\(e.name)' (connected)"
    default: "held by '\(e.name)'"
    }
  }
}
