import BindModel
import Testing

/// Several hosts joined by cables (reference §10 and §15.1).
struct NetworkTests {
  /// Two hosts on one cable: a (192.0.2.1, 2001:db8::1) and b (192.0.2.2, 2001:db8::2).
  struct TwoHosts {
    var network: Network
    var choices = Choices(seed: 7)

    init() {
      let wiring = [
        Action.host("a"), .host("b"),
        .link(
          HostInterface(host: "a", interface: "eth0"), HostInterface(host: "b", interface: "eth0")),
      ]
      network = Network(
        scenario: Scenario(
          statements: wiring.map {
            Statement(
              action: $0, location: SourceLocation(line: 1, column: 1), expectation: nil, text: "")
          }))
      for action in wiring { perform(action) }
      perform(.host("a"))
      perform(
        .interface(
          name: "eth0", addresses: [Self.cidr("192.0.2.1", 24), Self.cidr("2001:db8::1", 64)]))
      perform(.host("b"))
      perform(
        .interface(
          name: "eth0", addresses: [Self.cidr("192.0.2.2", 24), Self.cidr("2001:db8::2", 64)]))
    }

    static func cidr(_ a: String, _ length: Int) -> InterfaceAddress {
      InterfaceAddress(address: IPAddress(a)!, prefixLength: length)
    }

    @discardableResult
    mutating func perform(_ action: Action, _ address: String? = nil, _ port: UInt16 = 0) -> Outcome
    {
      let endpoint = address.map { Endpoint(address: IPAddress($0)!, port: port) }
      let p = network.perform(action, endpoint: endpoint, choices: &choices)
      return p.outcomes.single ?? .failed(Errno(code: -1, name: "\(p.outcomes)"))
    }

    mutating func socket(on host: String, _ name: String, _ kind: SocketKind) {
      perform(.host(host))
      perform(.socket(name: name, kind: kind, options: [.reuseAddress(true)], uid: 0))
    }

    static func spec(_ a: String, _ p: UInt16) -> EndpointSpec {
      EndpointSpec(address: IPAddress(a)!, port: .number(p))
    }

    mutating func bind(_ name: String, _ a: String, _ p: UInt16) -> Outcome {
      perform(.bind(name: name, endpoint: Self.spec(a, p)), a, p)
    }

    mutating func send(_ name: String, _ a: String, _ p: UInt16) -> Outcome {
      perform(.send(name: name, endpoint: Self.spec(a, p)), a, p)
    }

    mutating func connect(_ name: String, _ a: String, _ p: UInt16) -> Outcome {
      perform(.connect(name: name, endpoint: Self.spec(a, p)), a, p)
    }
  }

  @Test func `the seed from a second machine: loopback is unreachable, the others are not`() {
    var n = TwoHosts()
    n.socket(on: "b", "lo_srv", .udp4)
    n.socket(on: "b", "ext_srv", .udp4)
    #expect(n.bind("lo_srv", "127.0.0.1", 1060) == .ok)
    #expect(n.bind("ext_srv", "192.0.2.2", 1060) == .ok)
    n.socket(on: "a", "remote", .udp4)
    #expect(n.send("remote", "192.0.2.2", 1060) == .receivers(["ext_srv"]))
    #expect(n.send("remote", "127.0.0.1", 1060) == .nobody)  // stays on a, where nobody listens
    n.socket(on: "b", "local", .udp4)
    #expect(n.send("local", "127.0.0.1", 1060) == .receivers(["lo_srv"]))
    #expect(n.send("local", "192.0.2.2", 1060) == .receivers(["ext_srv"]))
  }

  @Test func `a wildcard server is reachable from everywhere`() {
    var n = TwoHosts()
    n.socket(on: "b", "srv", .udp4)
    #expect(n.bind("srv", "0.0.0.0", 1060) == .ok)
    n.socket(on: "a", "remote", .udp4)
    #expect(n.send("remote", "192.0.2.2", 1060) == .receivers(["srv"]))
  }

  @Test func `a TCP listener on 127.0.0.1 refuses a remote client`() {
    var n = TwoHosts()
    n.socket(on: "b", "srv", .tcp4)
    #expect(n.bind("srv", "127.0.0.1", 8080) == .ok)
    #expect(n.perform(.listen(name: "srv")) == .ok)
    n.socket(on: "a", "cli", .tcp4)
    #expect(n.connect("cli", "192.0.2.2", 8080) == .failed(.ECONNREFUSED))
    n.socket(on: "b", "near", .tcp4)
    #expect(n.connect("near", "127.0.0.1", 8080) == .receivers(["srv"]))
  }

  @Test func `a dual-stack server is reached over IPv4 and IPv6 from another host`() {
    var n = TwoHosts()
    n.socket(on: "b", "srv", .udp6)
    #expect(n.bind("srv", "::", 1060) == .ok)
    n.socket(on: "a", "c4", .udp4)
    n.socket(on: "a", "c6", .udp6)
    #expect(n.send("c4", "192.0.2.2", 1060) == .receivers(["srv"]))
    #expect(n.send("c6", "2001:db8::2", 1060) == .receivers(["srv"]))
  }

  @Test func `a destination outside every connected subnet is unreachable`() {
    var n = TwoHosts()
    n.socket(on: "a", "c", .udp4)
    #expect(n.send("c", "203.0.113.9", 1060) == .failed(.ENETUNREACH))
  }

  @Test func `a loopback source never leaves its host`() {
    var n = TwoHosts()
    n.socket(on: "a", "c", .udp4)
    #expect(n.bind("c", "127.0.0.1", 5000) == .ok)
    #expect(n.send("c", "192.0.2.2", 1060) == .failed(.EINVAL))
  }
}
