extension Namespace {
  /// `socket()` followed by `setsockopt()` for each option in order; the first failing option
  /// decides the outcome, and the socket keeps the options set before it.
  mutating func createSocket(
    _ name: String, kind: SocketKind, options: [SocketOption], uid: UInt32
  ) -> Prediction {
    let id = makeSocket(name: name, kind: kind, uid: uid)
    for option in options {
      let p = setOption(id, option)
      if p.outcomes.single != .ok { return p }
    }
    func with() -> String {
      options.isEmpty ? "" : " with \(options.map(\.description).joined(separator: ", "))"
    }
    return Prediction(
      .ok, rule: .socketCreated,
      "'\(name)' is a new \(kind) socket\(with())\(uid == 0 ? "" : ", owned by uid \(uid)")")
  }

  /// `setsockopt()` (`sock_setsockopt`, `do_ip_setsockopt`, `do_ipv6_setsockopt`).
  mutating func setOption(_ id: SocketID, _ option: SocketOption) -> Prediction {
    let s = self[id]
    if option.isIPv6Level && s.family == .inet {
      return .failure(
        .ENOPROTOOPT, rule: .optionWrongLevel,
        "\(option.name) is an IPv6-level option and '\(s.name)' is an AF_INET socket (ip_setsockopt refuses other levels)"
      )
    }

    switch option {
    case .reuseAddress(let on):
      self[id].reuseAddress = on
      refreshBlockers(id)
    case .reusePort(let on):
      self[id].reusePort = on
      refreshBlockers(id)
    case .ipv6V6Only(let on):
      if s.isHashed {
        return .failure(
          .EINVAL, rule: .optionV6OnlyAfterBind,
          "'\(s.name)' already holds a port; IPV6_V6ONLY can only change before bind()")
      }
      self[id].v6Only = on
    case .freebind(let on): self[id].freebind = on
    case .transparent(let on):
      // do_ip_setsockopt checks the capability only to turn the option on.
      if on && s.uid != 0 {
        return .failure(
          .EPERM, rule: .optionNotPermitted,
          "IP_TRANSPARENT needs CAP_NET_ADMIN or CAP_NET_RAW, and '\(s.name)' runs as uid \(s.uid)")
      }
      self[id].transparent = on
    case .broadcast(let on): self[id].broadcast = on
    case .bindAddressNoPort(let on): self[id].bindAddressNoPort = on
    case .multicastAll(let on): self[id].multicastAll = on
    case .linger(let seconds): self[id].lingerZero = seconds == 0
    case .bindToDevice(let device):
      if !device.isEmpty && interface(named: device) == nil {
        return .failure(
          .ENODEV, rule: .optionUnknownDevice, "there is no interface called '\(device)'")
      }
      // sock_bindtoindex_locked: changing or dropping a bound device needs CAP_NET_RAW.
      if s.boundDevice != nil && s.uid != 0 {
        return .failure(
          .EPERM, rule: .optionNotPermitted,
          "changing or dropping a bound device needs CAP_NET_RAW, and '\(s.name)' runs as uid \(s.uid)"
        )
      }
      self[id].boundDevice = device.isEmpty ? nil : device
      // sock_bindtoindex_locked resets the cached route (sk_dst_reset).
      self[id].cachedRoute6 = nil
      refreshBlockers(id)
    case .multicastInterface where s.transport == .tcp:
      return .failure(
        .EINVAL, rule: .optionWrongLevel, "IP_MULTICAST_IF is refused on a TCP socket")
    case .ipv6MulticastInterface where s.transport == .tcp:
      return .failure(
        .ENOPROTOOPT, rule: .optionWrongLevel, "IPV6_MULTICAST_IF is refused on a TCP socket")
    case .ipv6MulticastInterface(let device) where device.isEmpty:
      self[id].ipv6MulticastInterface = nil
    case .multicastInterface(let address):
      if !address.isAny {
        guard case .local = addressType(address),
          interfaces.contains(where: { $0.ipv4.contains { $0.address == address } })
        else {
          return .failure(
            .EADDRNOTAVAIL, rule: .optionMulticastAddress,
            "IP_MULTICAST_IF names \(address), which no interface has")
        }
        if let bound = s.boundDevice,
          !interfaces.contains(where: {
            $0.name == bound && $0.ipv4.contains { $0.address == address }
          })
        {
          return .failure(
            .EINVAL, rule: .optionMulticastDevice,
            "'\(s.name)' is bound to device \(bound), and IP_MULTICAST_IF may not name another device's address (\(address))"
          )
        }
      }
      self[id].multicastInterface = address
    case .ipv6MulticastInterface(let device):
      guard interface(named: device) != nil else {
        return .failure(
          .ENODEV, rule: .optionUnknownDevice, "there is no interface called '\(device)'")
      }
      if let bound = s.boundDevice, bound != device {
        return .failure(
          .EINVAL, rule: .optionMulticastDevice,
          "'\(s.name)' is bound to device \(bound), and IPV6_MULTICAST_IF may not name another device (\(device))"
        )
      }
      self[id].ipv6MulticastInterface = device
    }
    return Prediction(.ok, rule: .optionSet, "'\(s.name)' sets \(option)")
  }

  /// Recomputes a hashed socket's blocker bits after an option that feeds them changed.
  private mutating func refreshBlockers(_ id: SocketID) {
    guard self[id].isHashed else { return }
    let port = self[id].localPort
    let state = self[id].state
    let listening = tcpListeners[port]?.firstIndex(of: id)
    // Re-inserting keeps the chain position: remove and put back where it was.
    let chain = table(self[id].transport).chain(port)
    let position = chain.firstIndex(of: id) ?? 0
    let bucket = tcpTable.bindBucket(port)
    unhash(id)
    hash(id, port: port)
    if let bucket, self[id].transport == .tcp { tcpTable.setBindBucket(bucket, port: port) }
    let key = self[id].hashKey ?? PortTable.AddressKey(self[id].boundAddress)
    // Restore the chain position (hash() put it at the head or the tail).
    var restored = table(self[id].transport).chain(port).filter { $0 != id }
    restored.insert(id, at: min(position, restored.count))
    if self[id].transport == .tcp {
      tcpTable.reorder(port: port, address: key, restored)
    } else {
      udpTable.reorder(port: port, address: key, restored)
    }
    self[id].state = state
    if let listening {
      var l = tcpListeners[port] ?? []
      l.insert(id, at: min(listening, l.count))
      tcpListeners[port] = l
    }
  }
}
