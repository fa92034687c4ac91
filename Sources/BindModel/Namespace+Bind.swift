extension Namespace {
  /// `bind()`: the address checks of `__inet_bind` / `__inet6_bind` in the kernel's order, then
  /// the protocol's `get_port` (reference §2).
  mutating func bind(_ id: SocketID, to endpoint: Endpoint, choices: inout Choices) -> Prediction {
    let s = self[id]
    let port = endpoint.port
    var device = s.boundDevice
    switch s.family {
    case .inet:
      guard case .v4(let a) = endpoint.address else {
        return .failure(
          .EAFNOSUPPORT, rule: .bindFamily,
          "'\(s.name)' is an AF_INET socket and \(endpoint) is an IPv6 endpoint (inet_bind)")
      }
      if let refusal = ipv4Locality(a, for: s) { return refusal }
      if let refusal = privilegedPort(port, for: s) { return refusal }
      if let refusal = alreadyBound(s) { return refusal }
    case .inet6:
      guard case .v6(let a) = endpoint.address else {
        return .failure(
          .EINVAL, rule: .bindAddressLength,
          "'\(s.name)' is an AF_INET6 socket; a sockaddr_in for \(endpoint) is too short for inet6_bind"
        )
      }
      if a.isMulticast && s.transport == .tcp {
        return .failure(
          .EINVAL, rule: .bindMulticastTCP,
          "a TCP socket cannot bind the IPv6 multicast address \(a)")
      }
      if let refusal = privilegedPort(port, for: s) { return refusal }
      if let refusal = alreadyBound(s) { return refusal }
      if let v4 = a.v4Mapped {
        if s.v6Only {
          return .failure(
            .EINVAL, rule: .bindMappedOnV6Only,
            "'\(s.name)' is IPV6_V6ONLY, so it cannot bind the v4-mapped address \(a)")
        }
        if let refusal = unknownDevice(s.boundDevice, for: s) { return refusal }
        if let refusal = ipv4Locality(v4, for: s) { return refusal }
      } else if !a.isAny {
        if a.needsScope {
          if let scope = endpoint.scope.map(scopeDevice) {
            // __inet6_bind sets sk_bound_dev_if from the scope before it looks the device up,
            // so even a scope that names no interface stays behind (verified on 6.18).
            self[id].boundDevice = scope
            device = scope
          }
          guard device != nil else {
            return .failure(
              .EINVAL, rule: .bindScopeRequired,
              "\(a) is link-local: it needs a scope (%interface) or a bound device")
          }
        }
        if let refusal = unknownDevice(device, for: s) { return refusal }
        if let refusal = ipv6Locality(a, device: device, for: s) { return refusal }
      }
    }

    // get_port: the protocol's conflict check, on the socket as a successful bind leaves it.
    let transport = s.transport
    var probe = consume s
    probe.localAddress = endpoint.address
    probe.boundDevice = device
    // __inet_bind sets inet_saddr afresh (0 for broadcast and multicast): a source an earlier
    // connect() gave the socket is gone.
    probe.connectedSource = nil
    if case .v6(let a) = endpoint.address, !a.isAny, a.v4Mapped == nil { probe.v6Only = true }
    if port == 0 && probe.bindAddressNoPort {
      let name = probe.name
      self[id] = consume probe
      // inet_sport = inet_num: getsockname shows no port, not one a refused connect left.
      self[id].staleLocalPort = 0
      self[id].addressLocked = !endpoint.address.isAny
      return Prediction(
        .ok, rule: .ephemeralDeferred,
        "'\(name)' records \(endpoint.address) only; IP_BIND_ADDRESS_NO_PORT leaves the port to connect()"
      )
    }
    let result = getPort(probe, port: port, choices: &choices)
    guard case .ok = result.outcome, let chosen = result.port else {
      // __inet_bind / __inet6_bind: a failed get_port sets the addresses to 0, so an address
      // an earlier IP_BIND_ADDRESS_NO_PORT bind recorded is gone too (verified on 6.18).
      self[id].localAddress = nil
      self[id].connectedSource = nil
      self[id].connectedSource6 = nil
      return Prediction(
        OutcomeSet(result.outcome), rule: result.rule, rendered: result.explanation, portChoice: nil
      )
    }
    probe.addressLocked = !endpoint.address.isAny
    probe.portLocked = port != 0
    probe.connectBound = false
    self[id] = consume probe
    hash(id, port: chosen)
    if transport == .tcp { updateBindBucket(id, port: chosen) }
    return result.prediction()
  }

  /// `__inet6_bind`: a specific address on a socket whose device (`sk_bound_dev_if`) does not
  /// exist is ENODEV; only a failed bind to a scoped address leaves such a device behind.
  func unknownDevice(_ device: String?, for s: ModelSocket) -> Prediction? {
    guard let device, interface(named: device) == nil else { return nil }
    return .failure(
      .ENODEV, rule: .bindUnknownDevice,
      "'\(s.name)' is bound to the device \(device), which names no interface")
  }

  /// The result of a protocol `get_port`.
  struct PortResult {
    var outcome: Outcome
    var port: UInt16?
    var rule: Rule
    var explanation: String
    var portChoice: String?

    /// A result whose texts are rendered only when explanations are on. A static function, not
    /// an initializer, so that the struct keeps its memberwise initializer: one that assigns the
    /// fields one by one makes Swift build the value in memory and then copy it.
    @inline(__always)
    static func make(
      outcome: Outcome, port: UInt16?, rule: Rule, explanation: @autoclosure () -> String,
      portChoice: @autoclosure () -> String? = nil
    ) -> PortResult {
      let explains = Prediction.explains
      return PortResult(
        outcome: outcome, port: port, rule: rule, explanation: explains ? explanation() : "",
        portChoice: explains ? portChoice() : nil)
    }

    /// The prediction for the call, taking the rendered texts along instead of copying them.
    consuming func prediction() -> Prediction {
      Prediction(OutcomeSet(outcome), rule: rule, rendered: explanation, portChoice: portChoice)
    }
  }

  /// `inet_csk_get_port` / `udp_lib_get_port` for a socket whose address is already recorded in
  /// `n` (not yet hashed).
  func getPort(_ n: ModelSocket, port: UInt16, choices: inout Choices) -> PortResult {
    let proto = n.transport == .tcp ? "TCP" : "UDP"
    if port == 0 {
      let passes = n.transport == .tcp ? tcpBindPasses(for: n) : udpPasses()
      guard let (chosen, pass) = chooseEphemeralPort(for: n, passes: passes, choices: &choices)
      else {
        return PortResult.make(
          outcome: .failed(.EADDRINUSE), port: nil, rule: .ephemeralExhausted,
          explanation:
            "no \(proto) port of \(sysctls.portRange.lowerBound)-\(sysctls.portRange.upperBound) is free for \(bindingName(n, port: 0)): every one is held by an overlapping socket or reserved"
        )
      }
      func choice() -> String { "\(pass.phrase) that no conflicting socket holds" }
      func why() -> String {
        n.transport == .tcp
          ? "the kernel picks \(choice()) (inet_csk_find_open_port\(pass.parity != nil ? "; odd ports first, even ones are left to connect()" : ""))"
          : "the kernel picks \(choice()) (udp_lib_get_port)"
      }
      return PortResult.make(
        outcome: .ok, port: chosen, rule: n.transport == .tcp ? .ephemeralTCP : .ephemeralUDP,
        explanation: "'\(n.name)' gets port \(chosen): \(why())", portChoice: choice())
    }
    if n.transport == .tcp {
      let (conflict, firstOverlap) = tcpConflict(n, port: port)
      if let c = conflict {
        if bindBucketFastPath(n, port: port) {
          return PortResult.make(
            outcome: .ok, port: port, rule: .tcpBindBucketFastPath,
            explanation: fastPathReason(n, self[c.blocker], port: port))
        }
        return PortResult.make(
          outcome: .failed(.EADDRINUSE), port: nil, rule: c.rule,
          explanation:
            "\(overlapPhrase(n, address: n.localAddress, self[c.blocker], port: port)), \(heldBy(self[c.blocker])); \(c.reason)"
        )
      }
      return success(n, port: port, sharedWith: nil, firstOverlap: firstOverlap)
    }
    let (conflict, shared, firstOverlap) = udpConflict(n, port: port)
    if let c = conflict {
      return PortResult.make(
        outcome: .failed(.EADDRINUSE), port: nil, rule: c.rule,
        explanation:
          "\(overlapPhrase(n, address: n.localAddress, self[c.blocker], port: port)), \(heldBy(self[c.blocker])); \(c.reason)"
      )
    }
    return success(n, port: port, sharedWith: shared, firstOverlap: firstOverlap)
  }

  /// Explains a successful explicit-port bind by the socket it shares with through
  /// SO_REUSEPORT, else the first overlapping socket in the chain (the conflict check's walk
  /// found both).
  private func success(
    _ n: ModelSocket, port: UInt16, sharedWith: SocketID?, firstOverlap: SocketID?
  ) -> PortResult {
    // One PortResult at one return: returning it from several places made Swift copy it.
    let rule: Rule
    let other: SocketID?
    if let first = sharedWith ?? firstOverlap {
      other = first
      let e = bindingView(first)
      let viaPort =
        sharedWith != nil
        || !(n.reuseAddress && e.reuseAddress && (n.transport == .udp || e.state != .listening))
      rule = viaPort ? .bindSharedReusePort : .bindSharedReuseAddress
    } else {
      other = chain(n.transport, port: port).first(where: { $0 != n.id })
      rule = .bindNoOverlap
    }
    // Rendered only for explanations, so that otherwise no record is copied.
    func why() -> String {
      guard let other else {
        return
          "\(bindingName(n, port: port)) is free: no other \(n.transport == .tcp ? "TCP" : "UDP") socket holds port \(port)"
      }
      let e = self[other]
      if rule == .bindNoOverlap {
        return
          "\(bindingName(n, port: port)) is free: '\(e.name)' holds \(bindingName(e, port: port)), and \(devicesOverlap(n, e) ? "the addresses do not overlap" : "they are bound to different devices")"
      }
      let shared =
        rule == .bindSharedReusePort
        ? "both set SO_REUSEPORT and belong to uid \(n.uid)" : "both set SO_REUSEADDR"
      return
        "\(overlapPhrase(n, address: n.localAddress, e, port: port)), \(heldBy(e)), but \(shared)"
    }
    return PortResult.make(outcome: .ok, port: port, rule: rule, explanation: why())
  }

  /// `inet_addr_valid_or_nonlocal`: EADDRNOTAVAIL unless the address is local, the wildcard,
  /// multicast or broadcast, or non-local binding is allowed.
  func ipv4Locality(_ a: IPv4Address, for s: ModelSocket) -> Prediction? {
    if a.isAny || sysctls.ipv4NonlocalBind || s.freebind || s.transparent { return nil }
    switch addressType(a) {
    case .local, .multicast, .broadcast: return nil
    case .unicast:
      return .failure(
        .EADDRNOTAVAIL, rule: .bindNotLocal,
        "\(a) is not an address of this host (no interface has it), and neither IP_FREEBIND nor net.ipv4.ip_nonlocal_bind is set"
      )
    }
  }

  /// `ipv6_chk_addr(net, addr, dev, 0)` in `__inet6_bind`: the address must be configured (on
  /// the bound device, for link- and host-scope addresses).
  func ipv6Locality(_ a: IPv6Address, device: String?, for s: ModelSocket) -> Prediction? {
    if a.isMulticast || sysctls.ipv6NonlocalBind || s.freebind || s.transparent { return nil }
    let owners = interfaces.filter { $0.ipv6.contains { $0.address == a } }
    if let device {
      if owners.contains(where: { $0.name == device }) { return nil }
      if !a.isLinkLocal && !a.isLoopback && !owners.isEmpty { return nil }
      return .failure(
        .EADDRNOTAVAIL, rule: .bindNotLocal,
        "\(a) is not an address of '\(device)', the device '\(s.name)' is bound to")
    }
    if !owners.isEmpty { return nil }
    return .failure(
      .EADDRNOTAVAIL, rule: .bindNotLocal,
      "\(a) is not an address of this host (no interface has it), and neither IP_FREEBIND nor net.ipv6.ip_nonlocal_bind is set"
    )
  }

  /// EACCES for a port below `ip_unprivileged_port_start` without CAP_NET_BIND_SERVICE.
  func privilegedPort(_ port: UInt16, for s: ModelSocket) -> Prediction? {
    guard port != 0, Int(port) < sysctls.unprivilegedPortStart, s.uid != 0 else { return nil }
    return .failure(
      .EACCES, rule: .bindPrivilegedPort,
      "port \(port) is below net.ipv4.ip_unprivileged_port_start (\(sysctls.unprivilegedPortStart)) and '\(s.name)' runs as uid \(s.uid), without CAP_NET_BIND_SERVICE"
    )
  }

  /// EINVAL for a socket that already has a port or is not in the CLOSE state.
  func alreadyBound(_ s: ModelSocket) -> Prediction? {
    guard s.localPort != 0 || s.state != .closed else { return nil }
    return .failure(
      .EINVAL, rule: .bindAlreadyBound,
      "'\(s.name)' already holds \(s.localDescription); a socket binds only once")
  }
}
