import BindModel

extension ScenarioGenerator {
  /// The classes of address the generator draws from.
  enum AddressClass: CaseIterable {
    case wildcard, loopback, interface, v4Mapped, linkLocal, nonLocal, broadcast, multicast
    case wrongFamily
  }

  /// An address to bind a socket of `family` to, as written before `:PORT`.
  mutating func bindAddress(family: AddressFamily) -> String {
    let v6 = family == .inet6
    let addressClass: AddressClass = random.weighted([
      (25, .wildcard), (20, .loopback), (interfaces.isEmpty ? 3 : 20, .interface),
      (v6 ? 10 : 0, .v4Mapped), (v6 ? 7 : 0, .linkLocal), (7, .nonLocal), (5, .broadcast),
      (5, .multicast), (4, .wrongFamily),
    ])
    return address(of: addressClass, family: family)
  }

  /// An address to connect or send to from a socket of `family`.
  mutating func destinationAddress(family: AddressFamily, tcp: Bool) -> String {
    let v6 = family == .inet6
    let addressClass: AddressClass = random.weighted([
      (5, .wildcard), (30, .loopback), (interfaces.isEmpty ? 3 : 25, .interface),
      (v6 ? 10 : 0, .v4Mapped), (v6 ? 5 : 0, .linkLocal), (tcp ? 2 : 6, .nonLocal),
      (tcp ? 2 : 10, .broadcast), (tcp ? 2 : 10, .multicast), (3, .wrongFamily),
    ])
    return address(of: addressClass, family: family)
  }

  /// An address of the class, spelled for a socket of `family` (IPv4 addresses as v4-mapped
  /// on AF_INET6 sockets, except for the wrong-family class).
  mutating func address(of addressClass: AddressClass, family: AddressFamily) -> String {
    let v6 = family == .inet6
    switch addressClass {
    case .wildcard:
      return v6 ? "[::]" : "0.0.0.0"
    case .loopback:
      let v4 = random.weighted([(70, "127.0.0.1"), (20, "127.0.0.2"), (10, "127.1.2.3")])
      return v6 ? (random.chance(0.8) ? "[::1]" : "[::ffff:\(v4)]") : v4
    case .interface:
      let candidates = interfaceAddresses(v6: v6)
      guard !candidates.isEmpty else { return address(of: .loopback, family: family) }
      return spell(random.pick(candidates), for: family)
    case .v4Mapped:
      let local = interfaceIPv4().map(\.description) ?? "127.0.0.1"
      let v4 = random.weighted([(40, "127.0.0.1"), (20, "0.0.0.0"), (40, local)])
      return v6 ? "[::ffff:\(v4)]" : v4
    case .linkLocal:
      let declared = interfaces.flatMap(\.addresses).compactMap { address -> String? in
        guard case .v6(let a) = address.address, a.isLinkLocal else { return nil }
        return a.description
      }
      let base = declared.isEmpty ? "fe80::1" : random.pick(declared)
      let device = deviceName()
      let scoped = random.chance(0.75) ? "\(base)%\(device)" : base
      return v6 ? "[\(scoped)]" : address(of: .loopback, family: family)
    case .nonLocal:
      return v6
        ? random.pick(["[2001:db8::99]", "[2001:db8:ff::1]", "[::ffff:192.0.2.99]"])
        : random.pick(["192.0.2.99", "198.51.100.77", "203.0.113.200"])
    case .broadcast:
      var candidates = ["255.255.255.255", "127.255.255.255"]
      for i in interfaces {
        for a in i.addresses where a.prefixLength < 31 {
          if case .v4(let v4) = a.address {
            let mask = IPv4Address.mask(prefixLength: a.prefixLength)
            candidates.append(IPv4Address(rawValue: v4.rawValue | ~mask).description)
          }
        }
      }
      let v4 = random.pick(candidates)
      return v6 ? "[::ffff:\(v4)]" : v4
    case .multicast:
      if v6 && random.chance(0.8) {
        let group = random.pick(["ff15::1", "ff15::7:1", "ff12::7"])
        if group.hasPrefix("ff12"), random.chance(0.6) {
          let device = deviceName()
          return "[\(group)%\(device)]"
        }
        return "[\(group)]"
      }
      let v4 = random.pick(["239.1.1.1", "239.2.2.2"])
      return v6 ? "[::ffff:\(v4)]" : v4
    case .wrongFamily:
      return v6
        ? random.pick(["127.0.0.1", "0.0.0.0"])
        : random.pick(["[::1]", "[::]", "[::ffff:127.0.0.1]"])
    }
  }

  /// An address that reaches `target` (its bound address, or for a wildcard socket a local
  /// address of the right family), spelled for a sender of `family`.
  mutating func address(reaching target: ModelSocket, from family: AddressFamily) -> String {
    if let bound = target.localAddress, !bound.isAny {
      if case .v6(let a) = bound, a.isLinkLocal || a.isScopedMulticast {
        let device = target.boundDevice ?? deviceName()
        return "[\(a)%\(device)]"
      }
      return spell(bound, for: family)
    }
    let targetV6Only = target.family == .inet6 && target.v6Only
    let wantV6 = target.family == .inet6 && (targetV6Only || random.chance(0.5))
    let useInterface = !interfaceAddresses(v6: wantV6).isEmpty && random.chance(0.4)
    if useInterface { return spell(random.pick(interfaceAddresses(v6: wantV6)), for: family) }
    return spell(wantV6 ? .v6(.loopback) : .v4(.loopback), for: family)
  }

  /// The declared (non-link-local) addresses of one family.
  func interfaceAddresses(v6: Bool) -> [IPAddress] {
    interfaces.flatMap(\.addresses).map(\.address).filter {
      switch $0 {
      case .v4: !v6
      case .v6(let a): v6 && !a.isLinkLocal
      }
    }
  }

  /// The first declared IPv4 address, if any.
  func interfaceIPv4() -> IPv4Address? {
    for case .v4(let a) in interfaces.flatMap(\.addresses).map(\.address) { return a }
    return nil
  }

  /// `a.b.c.d`, `[::ffff:a.b.c.d]` for an AF_INET6 socket, or `[v6]`.
  func spell(_ address: IPAddress, for family: AddressFamily) -> String {
    switch address {
    case .v4(let a): family == .inet6 ? "[::ffff:\(a)]" : a.description
    case .v6(let a): "[\(a)]"
    }
  }
}
