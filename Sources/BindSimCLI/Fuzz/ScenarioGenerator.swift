import BindModel
import ScenarioLanguage

/// Writes random, valid scenarios (scenario text) for differential testing, reproducibly: the
/// same seed and index always give the same text.
///
/// The generator draws from weighted tables so that every statement, option, sysctl, protocol
/// and address class appears (wildcards, the loopback range, v4-mapped, interface addresses,
/// link-local with a scope, non-local, broadcast, multicast), and so that several sockets
/// meet on the same two or three ports, where the order-dependent rules live. Addresses come
/// only from loopback, the documentation ranges (192.0.2.0/24, 198.51.100.0/24,
/// 203.0.113.0/24, 2001:db8::/32), `fe80::` and the multicast groups 239.x and ff1x::.
///
/// Every line is checked as it is written: the scenario so far must parse, and the model runs
/// it statement by statement, so `@NAME` is only written for a socket that holds a port in the
/// model and the result never stops at a `RunError`.
struct ScenarioGenerator {
  /// How many statements a scenario has (environment included).
  static let lengths = 8...25
  /// At most this many sockets are open at once.
  static let maximumOpenSockets = 6

  var random: FuzzRandom
  /// The lines written so far.
  private(set) var lines: [String] = []
  /// The model, run alongside, one statement at a time.
  private(set) var model = Namespace()
  private var choices = Choices()
  /// Open sockets, in creation order (the model's name table is unordered).
  var open: [String] = []
  /// Declared interfaces (not `lo`) with their addresses, in declaration order.
  var interfaces: [(name: String, addresses: [InterfaceAddress])] = []
  /// The few ports the scenario's sockets meet on.
  var hotPorts: [UInt16] = []
  /// A port inside the ephemeral range, when a range sysctl was written.
  var rangePort: UInt16?
  var socketsMade = 0
  var connectionsMade = 0
  /// Lines the checks refused (a generator bug if ever above 0; the tests watch it).
  private(set) var rejected = 0

  /// The scenario for item `index` of a run with `seed`.
  static func scenario(seed: UInt64, index: Int) -> String {
    var generator = ScenarioGenerator(random: FuzzRandom(seed: seed, index: index))
    // Only the model's state matters here: its sentences would cost more than its rules.
    return Prediction.$explains.withValue(false) { generator.build() }
  }

  init(random: FuzzRandom) { self.random = random }

  /// Writes a whole scenario and returns its text (one statement per line).
  mutating func build() -> String {
    let length = random.int(Self.lengths)
    writeEnvironment()
    pickPorts()
    var attempts = 0
    while lines.count < length && attempts < length * 8 {
      attempts += 1
      if let line = nextStatement() { _ = write(line) }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Appends `line` if the scenario with it still parses and the model runs it; returns the
  /// model's prediction, or nil (and counts a rejection) when the line had to be dropped.
  @discardableResult
  mutating func write(_ line: String) -> Prediction? {
    // The line is parsed after a declaration of every open socket, not after the whole
    // scenario: the names are all the parser needs from the lines before, and this keeps
    // writing a scenario linear in its length.
    let text = open.map { "socket \($0) udp4\n" }.joined() + line
    guard let statement = try? ScenarioParser.parse(text).statements.last else {
      rejected += 1
      return nil
    }
    var endpoint: Endpoint?
    let spec: EndpointSpec?
    switch statement.action {
    case .bind(_, let e), .connect(_, let e): spec = e
    case .send(_, let e): spec = e
    default: spec = nil
    }
    if let spec {
      switch spec.port {
      case .number(let n): endpoint = spec.resolved(port: n)
      case .heldBy(let name):
        guard let port = model.socket(named: name)?.localPort, port != 0 else {
          rejected += 1
          return nil
        }
        endpoint = spec.resolved(port: port)
      }
    }
    let prediction = model.perform(statement.action, endpoint: endpoint, choices: &choices)
    lines.append(line)
    switch statement.action {
    case .socket(let name, _, _, _), .accept(_, let name):
      if model.socket(named: name) != nil { open.append(name) }
    case .close(let name):
      open.removeAll { $0 == name }
    case .interface(let name, let addresses):
      if let i = interfaces.firstIndex(where: { $0.name == name }) {
        interfaces[i].addresses += addresses
      } else {
        interfaces.append((name, addresses))
      }
    default:
      break
    }
    return prediction
  }

  // MARK: Environment

  /// Zero to two interfaces and a few sysctls.
  private mutating func writeEnvironment() {
    if random.chance(0.65) { write(interfaceLine(name: "eth0")) }
    if !interfaces.isEmpty && random.chance(0.3) { write(interfaceLine(name: "eth1")) }
    for _ in 0..<random.weighted([(50, 0), (30, 1), (15, 2), (5, 3)]) {
      write(sysctlLine())
    }
  }

  /// `interface NAME CIDR...` with one to three addresses from the documentation ranges.
  mutating func interfaceLine(name: String) -> String {
    let number = name == "eth1" ? 2 : 1
    var cidrs: [String] = []
    let count = random.weighted([(40, 1), (40, 2), (20, 3)])
    let pool = [
      (30, "192.0.2.\(random.pick([1, 2, 130]))/24"),
      (15, "198.51.100.\(number)/24"),
      (10, "203.0.113.\(random.pick([7, 9]))/\(random.pick([24, 32]))"),
      (25, "2001:db8::\(number)/64"),
      (10, "2001:db8:\(number)::1/64"),
      (20, "fe80::\(number)/64"),
    ]
    while cidrs.count < count {
      let cidr = random.weighted(pool)
      if !cidrs.contains(cidr) { cidrs.append(cidr) }
    }
    return "interface \(name) " + cidrs.joined(separator: " ")
  }

  /// One `sysctl` line, small ranges and few reserved ports so that ports run out.
  mutating func sysctlLine() -> String {
    switch random.below(7) {
    case 0:
      let low = UInt16(40000 + 10 * random.below(10))
      let high = low + UInt16(random.weighted([(30, 0), (40, 1), (20, 3), (10, 9)]))
      rangePort = low
      return "sysctl net.ipv4.ip_local_port_range \(low) \(high)"
    case 1:
      let base = rangePort ?? UInt16(40000 + 10 * random.below(10))
      return random.chance(0.5)
        ? "sysctl net.ipv4.ip_local_reserved_ports \(base)"
        : "sysctl net.ipv4.ip_local_reserved_ports \(base),\(base + 2)-\(base + 3)"
    case 2:
      return "sysctl net.ipv4.ip_unprivileged_port_start \(random.pick([0, 80, 1000, 8000]))"
    case 3: return "sysctl net.ipv4.ip_nonlocal_bind \(random.chance(0.8) ? 1 : 0)"
    case 4: return "sysctl net.ipv6.ip_nonlocal_bind \(random.chance(0.8) ? 1 : 0)"
    case 5: return "sysctl net.ipv6.bindv6only \(random.chance(0.8) ? 1 : 0)"
    default: return "sysctl net.ipv4.ip_autobind_reuse \(random.chance(0.8) ? 1 : 0)"
    }
  }

  /// Two or three ports the sockets will share; sometimes a privileged one, sometimes one
  /// inside the ephemeral range.
  private mutating func pickPorts() {
    let count = random.weighted([(60, 2), (40, 3)])
    while hotPorts.count < count {
      let plain = UInt16(7000 + 10 * random.below(90))
      let privileged: UInt16 = random.pick([80, 443, 999, 1023])
      let ephemeral = rangePort ?? UInt16(32768 + random.below(28000))
      let port = random.weighted([(75, plain), (12, privileged), (13, ephemeral)])
      if !hotPorts.contains(port) { hotPorts.append(port) }
    }
  }
}
