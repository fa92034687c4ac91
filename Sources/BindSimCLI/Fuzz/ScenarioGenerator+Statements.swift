import BindModel

extension ScenarioGenerator {
  /// The statements the generator writes, for its weighted table.
  enum StatementKind: CaseIterable {
    case socket, setsockopt, bind, listen, connect, disconnect, accept, send, join, close
    case interface, sysctl
  }

  /// The next call (or, rarely, environment statement), or nil when the draw found nothing
  /// to act on.
  mutating func nextStatement() -> String? {
    if open.isEmpty { return socketLine() }
    let canOpen = open.count < Self.maximumOpenSockets
    let kind: StatementKind = random.weighted([
      (canOpen ? 18 : 0, .socket), (26, .bind), (7, .listen), (10, .connect), (5, .accept),
      (14, .send), (5, .setsockopt), (3, .disconnect), (5, .join), (5, .close),
      (2, .interface), (2, .sysctl),
    ])
    switch kind {
    case .socket: return socketLine()
    case .setsockopt:
      let name = random.pick(open)
      return "setsockopt \(name) \(optionWord(for: socket(name).kind))"
    case .bind: return bindLine()
    case .listen:
      return "listen \(pickSocket(preferring: { $0.transport == .tcp }, weight: 0.9))"
    case .connect: return connectLine()
    case .disconnect:
      return "disconnect \(pickSocket(preferring: { $0.peer != nil || $0.state != .closed }))"
    case .accept:
      connectionsMade += 1
      let listener = pickSocket(preferring: { $0.state == .listening }, weight: 0.85)
      return "accept \(listener) c\(connectionsMade)"
    case .send: return sendLine()
    case .join: return joinLine()
    case .close: return "close \(random.pick(open))"
    case .interface:
      return interfaceLine(name: interfaces.isEmpty || random.chance(0.5) ? "eth0" : "eth1")
    case .sysctl: return sysctlLine()
    }
  }

  /// The model's socket behind an open name.
  func socket(_ name: String) -> ModelSocket { model.socket(named: name)! }

  /// An open socket, one that satisfies `preferred` with probability `weight` when any does.
  mutating func pickSocket(
    preferring preferred: (ModelSocket) -> Bool, weight: Double = 0.75
  ) -> String {
    let matching = open.filter { preferred(socket($0)) }
    if !matching.isEmpty && random.chance(weight) { return random.pick(matching) }
    return random.pick(open)
  }

  // MARK: Sockets and options

  /// `socket NAME KIND [OPTION...] [uid=1000]`.
  mutating func socketLine() -> String {
    socketsMade += 1
    let kind: SocketKind = random.weighted([(30, .udp4), (20, .udp6), (30, .tcp4), (20, .tcp6)])
    var words = ["socket", "s\(socketsMade)", kind.rawValue]
    for _ in 0..<random.weighted([(35, 0), (35, 1), (20, 2), (10, 3)]) {
      words.append(optionWord(for: kind))
    }
    if random.chance(0.15) { words.insert("uid=1000", at: random.int(3...words.count)) }
    return words.joined(separator: " ")
  }

  /// One option as written on `socket` or `setsockopt`, weighted by what matters for the kind.
  mutating func optionWord(for kind: SocketKind) -> String {
    let tcp = kind.transport == .tcp
    let v6 = kind.family == .inet6
    let name = random.weighted([
      (30, "SO_REUSEADDR"), (22, "SO_REUSEPORT"), (v6 ? 14 : 2, "IPV6_V6ONLY"),
      (5, "IP_FREEBIND"), (3, "IP_TRANSPARENT"), (tcp ? 1 : 10, "SO_BROADCAST"),
      (tcp ? 7 : 2, "IP_BIND_ADDRESS_NO_PORT"), (tcp ? 1 : 5, "IP_MULTICAST_ALL"),
      (tcp ? 7 : 1, "SO_LINGER"), (6, "SO_BINDTODEVICE"), (tcp ? 1 : 4, "IP_MULTICAST_IF"),
      (tcp ? 1 : (v6 ? 5 : 1), "IPV6_MULTICAST_IF"),
    ])
    switch name {
    case "SO_LINGER": return random.chance(0.9) ? "SO_LINGER=0" : "SO_LINGER=5"
    case "SO_BINDTODEVICE": return "SO_BINDTODEVICE=\(deviceName(allowEmpty: true))"
    case "IPV6_MULTICAST_IF": return "IPV6_MULTICAST_IF=\(deviceName(allowEmpty: true))"
    case "IP_MULTICAST_IF":
      let local = interfaceIPv4().map(\.description) ?? "127.0.0.1"
      let address = random.weighted([
        (50, local), (25, "127.0.0.1"), (15, "0.0.0.0"), (10, "192.0.2.99"),
      ])
      return "IP_MULTICAST_IF=\(address)"
    case "IP_MULTICAST_ALL": return random.chance(0.6) ? "IP_MULTICAST_ALL=0" : name
    default: return random.chance(0.1) ? "\(name)=0" : name
    }
  }

  /// A device name: a declared interface mostly, `lo`, an undeclared one, or (for options
  /// that unbind) the empty name.
  mutating func deviceName(allowEmpty: Bool = false) -> String {
    let declared = interfaces.map(\.name)
    return random.weighted([
      (declared.isEmpty ? 0 : 60, declared.isEmpty ? "eth0" : random.pick(declared)),
      (20, "lo"), (declared.contains("eth1") ? 0 : 10, "eth1"), (allowEmpty ? 10 : 0, ""),
    ])
  }

  // MARK: Calls

  /// `bind NAME ENDPOINT`, mostly on a socket that holds no port yet.
  mutating func bindLine() -> String {
    let name = pickSocket(preferring: { $0.localPort == 0 }, weight: 0.8)
    let family = socket(name).family
    return "bind \(name) \(bindAddress(family: family)):\(portText())"
  }

  /// `connect NAME ENDPOINT`: for TCP mostly a listener's address and port.
  mutating func connectLine() -> String {
    let name = random.pick(open)
    let s = socket(name)
    let listeners = open.filter { socket($0).state == .listening }
    if s.transport == .tcp, !listeners.isEmpty, random.chance(0.75) {
      let listener = random.pick(listeners)
      let target = socket(listener)
      let address = address(reaching: target, from: s.family)
      let port = literalPort(of: target) ?? "@\(listener)"
      return "connect \(name) \(address):\(port)"
    }
    let address = destinationAddress(family: s.family, tcp: s.transport == .tcp)
    return "connect \(name) \(address):\(portText())"
  }

  /// `send NAME [ENDPOINT]`: mostly UDP, mostly to a port some UDP socket holds.
  mutating func sendLine() -> String {
    let name = pickSocket(preferring: { $0.transport == .udp }, weight: 0.88)
    let s = socket(name)
    if s.transport == .tcp || random.chance(0.1) {
      if random.chance(0.7) { return "send \(name)" }
    }
    let targets = open.filter { socket($0).transport == .udp && socket($0).localPort != 0 }
    guard !targets.isEmpty, random.chance(0.8) else {
      let address = destinationAddress(family: s.family, tcp: false)
      return "send \(name) \(address):\(portText())"
    }
    let receiver = random.pick(targets)
    let target = socket(receiver)
    let address =
      random.chance(0.6)
      ? address(reaching: target, from: s.family)
      : destinationAddress(family: s.family, tcp: false)
    let port = literalPort(of: target) ?? "@\(receiver)"
    return "send \(name) \(address):\(port)"
  }

  /// `join NAME GROUP [INTERFACE]`.
  mutating func joinLine() -> String {
    let name = pickSocket(preferring: { $0.transport == .udp }, weight: 0.85)
    let v6 = socket(name).family == .inet6 ? random.chance(0.8) : random.chance(0.1)
    let group =
      v6
      ? random.pick(["ff15::1", "ff12::7", "ff15::7:1"]) : random.pick(["239.1.1.1", "239.2.2.2"])
    let device = deviceName()
    switch random.below(10) {
    case 0..<3: return "join \(name) \(group)"
    case 3 where v6: return "join \(name) \(group)%\(device)"
    default: return "join \(name) \(group) \(device)"
    }
  }

  /// Half the time, the port a socket asked for by number (nil for an ephemeral port, whose
  /// number the kernel picks: `@NAME` names it).
  mutating func literalPort(of target: ModelSocket) -> String? {
    target.portLocked && random.chance(0.5) ? "\(target.localPort)" : nil
  }

  /// A port: one of the scenario's few ports mostly, 0, the port another socket holds, or
  /// another number.
  mutating func portText() -> String {
    let holders = open.filter { socket($0).localPort != 0 }
    let hot = hotPorts[random.weighted([(65, 0), (25, 1), (10, hotPorts.count - 1)])]
    let other = random.pick([7999, 1, 65535, Int(rangePort ?? 40000)])
    let kind = random.weighted([
      (70, 0), (14, 1), (holders.isEmpty ? 0 : 8, 2), (8, 3),
    ])
    switch kind {
    case 0: return "\(hot)"
    case 1: return "0"
    case 2: return "@\(random.pick(holders))"
    default: return "\(other)"
    }
  }
}
