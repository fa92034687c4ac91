/// Several hosts, each its own namespace, joined by cables (`host` and `link`). A scenario
/// without `host` lines has the single host `local`.
///
/// Traffic that a host routes out of a linked interface arrives at the host on the cable's
/// other end, which applies the receiving rules of reference §10: the weak host model for IPv4
/// (any of its addresses, on any interface), neighbour discovery only for the arrival
/// interface's own addresses for IPv6 (§15.1 item 8), martians dropped, device matching on the
/// arrival interface.
public struct Network: Hashable, Sendable {
  /// Hosts in the order the file first names them.
  public internal(set) var hostNames: [String] = []
  public internal(set) var hosts: [String: Namespace] = [:]
  /// Each linked interface and the interface at the other end of its cable.
  public internal(set) var links: [HostInterface: HostInterface] = [:]
  /// The host of every socket name.
  var socketHosts: [String: String] = [:]
  /// The host that `interface`, `sysctl` and `socket` lines belong to.
  var currentHost = "local"
  /// ICMP errors one host has sent towards one address (`icmp_global_allow`,
  /// `inet_peer_xrlim_allow`: a burst of 6 per destination, then one a second).
  var icmpSent: [String: Int] = [:]
  static let icmpBurst = 6

  /// Wires the cables of `scenario` first: a link exists from the start, whichever line
  /// comes first.
  public init(scenario: Scenario) {
    for statement in scenario.statements {
      switch statement.action {
      case .host(let name): addHost(name)
      case .link(let a, let b):
        addHost(a.host)
        addHost(b.host)
        links[a] = b
        links[b] = a
        hosts[a.host]!.addInterface(a.interface, addresses: [])
        hosts[b.host]!.addInterface(b.interface, addresses: [])
        hosts[a.host]!.linkedInterfaces.insert(a.interface)
        hosts[b.host]!.linkedInterfaces.insert(b.interface)
      default: break
      }
    }
  }

  private mutating func addHost(_ name: String) {
    guard hosts[name] == nil else { return }
    hosts[name] = Namespace()
    hostNames.append(name)
  }

  /// Every host a scenario uses, in file order: `local` when a statement comes before any
  /// `host` line (or there is none), then each host named by `host` or `link`.
  public static func hosts(of scenario: Scenario) -> [String] {
    var names: [String] = []
    var sawHost = false
    for statement in scenario.statements {
      switch statement.action {
      case .host(let name):
        sawHost = true
        if !names.contains(name) { names.append(name) }
      case .link(let a, let b):
        for h in [a.host, b.host] where !names.contains(h) { names.append(h) }
      default:
        if !sawHost && !names.contains("local") { names.insert("local", at: 0) }
      }
    }
    return names.isEmpty ? ["local"] : names
  }

  /// The cables of a scenario.
  public static func links(of scenario: Scenario) -> [(HostInterface, HostInterface)] {
    scenario.statements.compactMap {
      if case .link(let a, let b) = $0.action { (a, b) } else { nil }
    }
  }

  /// Whether the file has more than the implicit single host.
  public var hasSeveralHosts: Bool { hostNames.count > 1 || hostNames.first != "local" }

  /// The host a statement runs on (before it runs).
  public func host(for action: Action) -> String {
    switch action {
    case .host(let name): name
    case .interface, .sysctl, .socket, .link: currentHost
    case .accept(let listener, _): socketHosts[listener] ?? currentHost
    default: action.socketName.flatMap { socketHosts[$0] } ?? currentHost
    }
  }

  /// The open socket called `name`, on whichever host.
  public func socket(named name: String) -> ModelSocket? {
    socketHosts[name].flatMap { hosts[$0]?.socket(named: name) }
  }

  /// A socket by name even after `close` (for `@NAME` after a close).
  func anySocket(named name: String) -> ModelSocket? {
    guard let host = socketHosts[name], let ns = hosts[host] else { return nil }
    return ns.socket(named: name) ?? ns.sockets.last { $0.name == name }
  }

  /// Performs one statement on the host it belongs to, and carries what it sends over a cable.
  public mutating func perform(_ action: Action, endpoint: Endpoint?, choices: inout Choices)
    -> Prediction
  {
    let host = host(for: action)
    switch action {
    case .host(let name):
      addHost(name)
      currentHost = name
      return Prediction(.ok, rule: .environment, "the lines that follow belong to host \(name)")
    case .link(let a, let b):
      return Prediction(.ok, rule: .environment, "a cable joins \(a) and \(b)")
    case .socket(let name, _, _, _):
      socketHosts[name] = host
    case .accept(_, let name):
      socketHosts[name] = host
    case .close(let name):
      if let s = hosts[host]?.socket(named: name), s.otherEndRemote, s.state == .connected {
        return closeAcrossHosts(s, on: host)
      }
    default: break
    }
    if hosts[host] == nil { addHost(host) }
    var prediction = hosts[host]!.perform(action, endpoint: endpoint, choices: &choices)
    if let t = hosts[host]!.outbound {
      hosts[host]!.outbound = nil
      prediction = carry(t, from: host, local: prediction, choices: &choices)
    }
    if !hosts[host]!.remoteResets.isEmpty {
      for r in hosts[host]!.remoteResets { resetRemote(r, except: host) }
      hosts[host]!.remoteResets = []
    }
    return prediction
  }
}
