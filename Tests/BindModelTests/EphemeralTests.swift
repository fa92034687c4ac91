import BindModel
import Testing

/// Ephemeral ports (reference §6, experiments 20-27): predicted as sets, never as one guess.
struct EphemeralTests {
  @Test func `TCP bind(0) picks odd ports, with SO_REUSEADDR from the lower half`() {
    var m = ModelHarness()
    for i in 0..<300 {
      m.socket("t\(i)", .tcp4)
      m.bind("t\(i)", "127.0.0.1", 0)
      #expect(m.port("t\(i)") % 2 == 1)
    }
    for i in 0..<100 {
      m.socket("r\(i)", .tcp4, [.reuseAddress(true)])
      m.bind("r\(i)", "127.0.0.2", 0)
      #expect(m.port("r\(i)") % 2 == 1 && m.port("r\(i)") < 46884)
    }
  }

  @Test func `an odd-sized range never gives TCP its top port, UDP uses all three`() {
    var m = ModelHarness()
    m.perform(.sysctl(.ipLocalPortRange(low: 40000, high: 40002)))
    var tcp: [UInt16] = []
    for i in 0..<3 {
      m.socket("t\(i)", .tcp4)
      let outcome = m.bind("t\(i)", "127.0.0.1", 0)
      if outcome == .ok { tcp.append(m.port("t\(i)")) } else { #expect(outcome == .inUse) }
    }
    #expect(tcp == [40001, 40000])
    var udp: Set<UInt16> = []
    for i in 0..<3 {
      m.socket("u\(i)", .udp4)
      #expect(m.bind("u\(i)", "127.0.0.1", 0) == .ok)
      udp.insert(m.port("u\(i)"))
    }
    #expect(udp == [40000, 40001, 40002])
    m.socket("u3", .udp4)
    #expect(m.bind("u3", "127.0.0.1", 0) == .inUse)
    #expect(m.last?.rule == .ephemeralExhausted)
  }

  @Test func `a one-port range gives TCP that port once; another address may still use it`() {
    var m = ModelHarness()
    m.perform(.sysctl(.ipLocalPortRange(low: 40000, high: 40000)))
    m.socket("a", .tcp4)
    m.socket("b", .tcp4)
    m.socket("c", .tcp4)
    #expect(m.bind("a", "127.0.0.1", 0) == .ok)
    #expect(m.port("a") == 40000)
    #expect(m.bind("b", "127.0.0.1", 0) == .inUse)
    #expect(m.bind("c", "127.0.0.2", 0) == .ok)
  }

  @Test func `reserved ports are skipped by bind(0) but explicitly bindable`() {
    var m = ModelHarness()
    m.perform(.sysctl(.ipLocalPortRange(low: 40000, high: 40001)))
    m.perform(.sysctl(.ipLocalReservedPorts([40000...40000])))
    m.socket("a", .udp4)
    m.bind("a", "127.0.0.1", 0)
    #expect(m.port("a") == 40001)
    m.socket("b", .udp4)
    #expect(m.bind("b", "127.0.0.2", 40000) == .ok)
  }

  @Test func `UDP bind(0) with SO_REUSEADDR may share a port already in use`() {
    var m = ModelHarness()
    m.perform(.sysctl(.ipLocalPortRange(low: 40000, high: 40000)))
    m.socket("a", .udp4, [.reuseAddress(true)])
    m.socket("b", .udp4, [.reuseAddress(true)])
    #expect(m.bind("a", "127.0.0.1", 0) == .ok)
    #expect(m.bind("b", "127.0.0.1", 0) == .ok)
    #expect(m.port("b") == 40000)
  }

  @Test func `ip_autobind_reuse lets two SO_REUSEADDR TCP sockets share the only port`() {
    for reuse in [false, true] {
      var m = ModelHarness()
      m.perform(.sysctl(.ipLocalPortRange(low: 40000, high: 40000)))
      m.perform(.sysctl(.ipAutobindReuse(reuse)))
      m.socket("a", .tcp4, [.reuseAddress(true)])
      m.socket("b", .tcp4, [.reuseAddress(true)])
      #expect(m.bind("a", "127.0.0.1", 0) == .ok)
      #expect(m.bind("b", "127.0.0.1", 0) == (reuse ? .ok : .inUse))
    }
  }

  @Test func `UDP autobind on send fails with EAGAIN when the range is exhausted`() {
    var m = ModelHarness()
    m.perform(.sysctl(.ipLocalPortRange(low: 40000, high: 40000)))
    m.socket("a", .udp4)
    m.bind("a", "0.0.0.0", 0)
    m.socket("b", .udp4)
    #expect(m.send("b", "127.0.0.1", 9) == .failed(.EAGAIN))
  }

  @Test func `the kernel's choice is followed when it lies in the predicted set`() {
    var ns = Namespace()
    var choices = Choices()
    _ = ns.perform(
      .socket(name: "a", kind: .tcp4, options: [], uid: 0), endpoint: nil, choices: &choices)
    choices.observe(Observation(outcome: .ok, localPort: 40123))
    let spec = EndpointSpec(address: .v4(.loopback), port: .number(0))
    _ = ns.perform(
      .bind(name: "a", endpoint: spec), endpoint: spec.resolved(port: 0), choices: &choices)
    #expect(ns.socket(named: "a")?.localPort == 40123)
    // An even port is outside the set for a TCP bind(0): the model keeps its own odd choice.
    _ = ns.perform(
      .socket(name: "b", kind: .tcp4, options: [], uid: 0), endpoint: nil, choices: &choices)
    choices.observe(Observation(outcome: .ok, localPort: 40124))
    _ = ns.perform(
      .bind(name: "b", endpoint: spec), endpoint: spec.resolved(port: 0), choices: &choices)
    #expect(ns.socket(named: "b")!.localPort % 2 == 1)
  }
}
