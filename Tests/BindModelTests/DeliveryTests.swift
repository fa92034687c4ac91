import BindModel
import Testing

/// Which socket receives (reference §9, experiments 30-42).
struct DeliveryTests {
  @Test func `the seed: each datagram reaches the server holding its destination`() {
    var m = ModelHarness()
    m.perform(
      .interface(
        name: "eth0",
        addresses: [InterfaceAddress(address: IPAddress("192.0.2.130")!, prefixLength: 24)]))
    m.socket("first", .udp4)
    m.bind("first", "127.0.0.1", 1060)
    m.socket("second", .udp4)
    #expect(m.bind("second", "127.0.0.1", 1060) == .inUse)
    #expect(m.bind("second", "0.0.0.0", 1060) == .inUse)
    #expect(m.bind("second", "192.0.2.130", 1060) == .ok)
    m.socket("client", .udp4)
    #expect(m.send("client", "127.0.0.1", 1060) == .receivers(["first"]))
    #expect(m.send("client", "192.0.2.130", 1060) == .receivers(["second"]))
  }

  @Test(arguments: [false, true])
  func `a specific address beats the wildcard in either bind order`(wildcardFirst: Bool) {
    var m = ModelHarness()
    m.socket("wild", .udp4)
    m.socket("one", .udp4, [.reuseAddress(true)])
    m.socket("wild2", .udp4)
    if wildcardFirst {
      m.perform(.setsockopt(name: "wild", option: .reuseAddress(true)))
      m.bind("wild", "0.0.0.0", 7000)
      m.bind("one", "127.0.0.1", 7000)
    } else {
      m.perform(.setsockopt(name: "wild", option: .reuseAddress(true)))
      m.bind("one", "127.0.0.1", 7000)
      m.bind("wild", "0.0.0.0", 7000)
    }
    m.socket("c", .udp4)
    #expect(m.send("c", "127.0.0.1", 7000) == .receivers(["one"]))
    #expect(m.last?.rule == .deliveryExact)
    #expect(m.send("c", "127.0.0.2", 7000) == .receivers(["wild"]))
  }

  @Test func `the newest SO_REUSEADDR socket wins; after it closes, the older one`() {
    var m = ModelHarness()
    m.socket("old", .udp4, [.reuseAddress(true)])
    m.socket("new", .udp4, [.reuseAddress(true)])
    m.bind("old", "127.0.0.1", 7000)
    m.bind("new", "127.0.0.1", 7000)
    m.socket("c", .udp4)
    #expect(m.send("c", "127.0.0.1", 7000) == .receivers(["new"]))
    #expect(m.last?.rule == .deliveryChainOrder)
    m.perform(.close(name: "new"))
    #expect(m.send("c", "127.0.0.1", 7000) == .receivers(["old"]))
  }

  @Test func `0.0.0.0 beats a dual-stack [::] for IPv4 in both orders`() {
    for sixFirst in [false, true] {
      var m = ModelHarness()
      m.socket("four", .udp4, [.reuseAddress(true)])
      m.socket("six", .udp6, [.reuseAddress(true)])
      if sixFirst {
        m.bind("six", "::", 7000)
        m.bind("four", "0.0.0.0", 7000)
      } else {
        m.bind("four", "0.0.0.0", 7000)
        m.bind("six", "::", 7000)
      }
      m.socket("c", .udp4)
      #expect(m.send("c", "127.0.0.1", 7000) == .receivers(["four"]))
      m.socket("c6", .udp6)
      #expect(m.send("c6", "::1", 7000) == .receivers(["six"]))
    }
  }

  @Test func `a connected socket wins for its peer only`() {
    var m = ModelHarness()
    m.socket("plain", .udp4, [.reuseAddress(true)])
    m.socket("peer", .udp4, [.reuseAddress(true)])
    m.bind("peer", "127.0.0.1", 7000)
    m.socket("c", .udp4)
    m.bind("c", "127.0.0.1", 7001)
    m.connect("peer", "127.0.0.1", 7001)
    m.bind("plain", "127.0.0.1", 7000)
    m.socket("d", .udp4)
    m.bind("d", "127.0.0.1", 7002)
    #expect(m.send("c", "127.0.0.1", 7000) == .receivers(["peer"]))
    #expect(m.send("d", "127.0.0.1", 7000) == .receivers(["plain"]))
  }

  @Test func `a SO_REUSEPORT group is predicted as the set of its members`() {
    var m = ModelHarness()
    for name in ["a", "b", "c"] {
      m.socket(name, .udp4, [.reusePort(true)])
      m.bind(name, "127.0.0.1", 7000)
    }
    m.socket("client", .udp4)
    var ns = m.namespace
    var choices = Choices()
    let spec = EndpointSpec(address: .v4(.loopback), port: .number(7000))
    let p = ns.perform(
      .send(name: "client", endpoint: spec), endpoint: spec.resolved(port: 7000), choices: &choices)
    #expect(p.outcomes == OutcomeSet([.receivers(["a"]), .receivers(["b"]), .receivers(["c"])]))
    #expect(p.rule == .deliveryReusePort)
  }

  @Test func `the first SO_REUSEPORT socket in chain order short-circuits a better one`() {
    // D (bound to lo, REUSEPORT) first, N (no device, REUSEPORT) second: N receives.
    var m = ModelHarness()
    m.socket("d", .udp4, [.reusePort(true), .bindToDevice("lo")])
    m.socket("n", .udp4, [.reusePort(true)])
    m.bind("d", "0.0.0.0", 7000)
    m.bind("n", "0.0.0.0", 7000)
    m.socket("c", .udp4)
    #expect(m.send("c", "127.0.0.1", 7000) == .receivers(["n"]))
  }

  @Test func `a connected sender learns of an unreachable port on its next send`() {
    var m = ModelHarness()
    m.socket("c", .udp4)
    #expect(m.connect("c", "127.0.0.1", 7999) == .ok)
    #expect(m.perform(.send(name: "c", endpoint: nil)) == .nobody)
    #expect(m.perform(.send(name: "c", endpoint: nil)) == .failed(.ECONNREFUSED))
    m.socket("u", .udp4)
    #expect(m.send("u", "127.0.0.1", 7999) == .nobody)
    #expect(m.send("u", "127.0.0.1", 7999) == .nobody)
  }

  @Test func `UDP connect narrows a wildcard binding`() {
    var m = ModelHarness()
    m.socket("a", .udp4)
    m.bind("a", "0.0.0.0", 7000)
    m.socket("b", .udp4)
    #expect(m.bind("b", "127.0.0.2", 7000) == .inUse)
    m.connect("a", "127.0.0.1", 9)
    #expect(m.bind("b", "127.0.0.2", 7000) == .ok)
    m.socket("c", .udp4)
    #expect(m.bind("c", "127.0.0.1", 7000) == .inUse)
  }

  @Test func `TCP connect reaches the listener or is refused`() {
    var m = ModelHarness()
    m.socket("srv", .tcp4)
    m.bind("srv", "127.0.0.1", 8080)
    m.socket("c1", .tcp4)
    #expect(m.connect("c1", "127.0.0.1", 8080) == .failed(.ECONNREFUSED))
    m.perform(.listen(name: "srv"))
    m.socket("c2", .tcp4)
    #expect(m.connect("c2", "127.0.0.1", 8080) == .receivers(["srv"]))
    m.socket("c3", .tcp4)
    #expect(m.connect("c3", "127.0.0.2", 8080) == .failed(.ECONNREFUSED))
    #expect(m.perform(.accept(listener: "srv", name: "conn")) == .ok)
    #expect(m.perform(.accept(listener: "srv", name: "none")) == .failed(.EAGAIN))
  }
}
