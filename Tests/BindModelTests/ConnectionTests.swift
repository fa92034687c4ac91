import BindModel
import Testing

/// TCP connections, TIME_WAIT, broadcast and multicast (reference §4, §6.2, §9.3-9.7).
struct ConnectionTests {
  /// A server that accepted a connection, then the client and server close in `order`.
  static func served(closing order: [String], serverOptions: [SocketOption] = []) -> ModelHarness {
    var m = ModelHarness()
    m.socket("srv", .tcp4, serverOptions)
    m.bind("srv", "127.0.0.1", 8000)
    m.perform(.listen(name: "srv"))
    m.socket("cli", .tcp4)
    m.connect("cli", "127.0.0.1", 8000)
    m.perform(.accept(listener: "srv", name: "conn"))
    m.perform(.close(name: "srv"))
    for name in order { m.perform(.close(name: name)) }
    return m
  }

  @Test func `a live accepted connection blocks a restarted server`() {
    var m = Self.served(closing: [])
    m.socket("new", .tcp4)
    #expect(m.bind("new", "127.0.0.1", 8000) == .inUse)
    #expect(m.last?.explanation.contains("held by 'conn' (connected)") == true)
  }

  @Test func `the side that closes first waits in TIME_WAIT and blocks a rebind`() {
    var m = Self.served(closing: ["conn", "cli"])
    let conn = m.namespace.sockets.first { $0.name == "conn" }
    #expect(conn?.state == .timeWait)
    #expect(m.namespace.sockets.first { $0.name == "cli" }?.isHashed == false)
    m.socket("new", .tcp4, [.reuseAddress(true)])
    #expect(m.bind("new", "127.0.0.1", 8000) == .inUse)
    #expect(m.last?.rule == .tcpTimeWait)
  }

  @Test func `SO_REUSEADDR on the old and the new server lets the restart bind over TIME_WAIT`() {
    var m = Self.served(closing: ["conn", "cli"], serverOptions: [.reuseAddress(true)])
    m.socket("new", .tcp4, [.reuseAddress(true)])
    #expect(m.bind("new", "127.0.0.1", 8000) == .ok)
    #expect(m.perform(.listen(name: "new")) == .ok)
  }

  @Test func `FIN_WAIT2 is not TIME_WAIT: SO_REUSEPORT of another uid does not pass it`() {
    var m = Self.served(closing: ["conn"], serverOptions: [.reusePort(true)])
    #expect(m.namespace.sockets.first { $0.name == "conn" }?.state == .finWait)
    m.socket("other", .tcp4, [.reusePort(true)], uid: 1000)
    #expect(m.bind("other", "127.0.0.1", 8000) == .inUse)
    m.perform(.close(name: "cli"))
    m.socket("again", .tcp4, [.reusePort(true)], uid: 1000)
    #expect(m.bind("again", "127.0.0.1", 8000) == .ok)
  }

  @Test func `SO_LINGER=0 leaves nothing behind`() {
    var m = ModelHarness()
    m.socket("srv", .tcp4)
    m.bind("srv", "127.0.0.1", 8000)
    m.perform(.listen(name: "srv"))
    m.socket("cli", .tcp4)
    m.connect("cli", "127.0.0.1", 8000)
    m.perform(.accept(listener: "srv", name: "conn"))
    m.perform(.setsockopt(name: "conn", option: .linger(seconds: 0)))
    m.perform(.close(name: "srv"))
    m.perform(.close(name: "conn"))
    m.socket("new", .tcp4)
    #expect(m.bind("new", "127.0.0.1", 8000) == .ok)
  }

  @Test func `a dual-stack listener takes IPv4 clients; the child is AF_INET6 and v4-mapped`() {
    var m = ModelHarness()
    m.socket("srv", .tcp6)
    m.bind("srv", "::", 8000)
    m.perform(.listen(name: "srv"))
    m.socket("cli", .tcp4)
    #expect(m.connect("cli", "127.0.0.1", 8000) == .receivers(["srv"]))
    m.perform(.accept(listener: "srv", name: "conn"))
    let conn = m.namespace.socket(named: "conn")
    #expect(conn?.family == .inet6)
    #expect(conn?.localAddress == IPAddress("::ffff:127.0.0.1"))
  }

  @Test func `the listener that called listen() last wins a tie of SO_REUSEPORT listeners`() {
    var m = ModelHarness()
    m.socket("d", .tcp4, [.reusePort(true), .bindToDevice("lo")])
    m.socket("n", .tcp4, [.reusePort(true)])
    m.bind("d", "0.0.0.0", 8000)
    m.bind("n", "0.0.0.0", 8000)
    m.perform(.listen(name: "n"))
    m.perform(.listen(name: "d"))
    m.socket("c", .tcp4)
    #expect(m.connect("c", "127.0.0.1", 8000) == .receivers(["d"]))
  }

  @Test func `connect never takes a port a bind() holds, even on another address`() {
    var m = ModelHarness()
    m.perform(.sysctl(.ipLocalPortRange(low: 40000, high: 40001)))
    m.socket("srv", .tcp4)
    m.bind("srv", "127.0.0.1", 8000)
    m.perform(.listen(name: "srv"))
    m.socket("a", .tcp4)
    m.socket("b", .tcp4)
    m.bind("a", "127.0.0.2", 40000)
    m.bind("b", "127.0.0.2", 40001)
    m.socket("c", .tcp4)
    #expect(m.connect("c", "127.0.0.1", 8000) == .failed(.EADDRNOTAVAIL))
  }

  @Test func `connections to distinct destinations share one port; a duplicate 4-tuple cannot`() {
    var m = ModelHarness()
    m.perform(.sysctl(.ipLocalPortRange(low: 40000, high: 40000)))
    for port: UInt16 in [8001, 8002] {
      m.socket("s\(port)", .tcp4)
      m.bind("s\(port)", "127.0.0.1", port)
      m.perform(.listen(name: "s\(port)"))
    }
    m.socket("c1", .tcp4)
    m.socket("c2", .tcp4)
    m.socket("c3", .tcp4)
    #expect(m.connect("c1", "127.0.0.1", 8001) == .receivers(["s8001"]))
    #expect(m.connect("c2", "127.0.0.1", 8002) == .receivers(["s8002"]))
    #expect(m.port("c1") == 40000 && m.port("c2") == 40000)
    #expect(m.connect("c3", "127.0.0.1", 8001) == .failed(.EADDRNOTAVAIL))
  }

  @Test func `connections still queued when their listener closes are reset`() {
    var m = ModelHarness()
    m.socket("srv", .tcp4)
    m.bind("srv", "127.0.0.1", 8000)
    m.perform(.listen(name: "srv"))
    m.socket("cli", .tcp4)
    m.connect("cli", "127.0.0.1", 8000)
    m.perform(.close(name: "srv"))
    m.socket("new", .tcp4)
    #expect(m.bind("new", "127.0.0.1", 8000) == .ok)
  }

  @Test func `broadcast needs SO_BROADCAST and reaches every wildcard and broadcast-bound socket`()
  {
    var m = ModelHarness()
    m.socket("w1", .udp4, [.reuseAddress(true)])
    m.socket("w2", .udp6, [.reuseAddress(true)])
    m.socket("bc", .udp4, [.reuseAddress(true)])
    m.socket("one", .udp4, [.reuseAddress(true)])
    m.bind("w1", "0.0.0.0", 7300)
    m.bind("w2", "::", 7300)
    m.bind("bc", "127.255.255.255", 7300)
    m.bind("one", "127.0.0.1", 7300)
    m.socket("tx", .udp4)
    #expect(m.send("tx", "127.255.255.255", 7300) == .failed(.EACCES))
    m.perform(.setsockopt(name: "tx", option: .broadcast(true)))
    #expect(m.send("tx", "127.255.255.255", 7300) == .receivers(["bc", "w1", "w2"]))
  }

  @Test func `multicast reaches members, and wildcards of the right family with mc_all`() {
    var m = ModelHarness()
    m.perform(
      .interface(
        name: "eth0",
        addresses: [InterfaceAddress(address: IPAddress("192.0.2.1")!, prefixLength: 24)]))
    m.socket("member", .udp4, [.reuseAddress(true)])
    m.socket("any", .udp4, [.reuseAddress(true)])
    m.socket("quiet", .udp4, [.reuseAddress(true), .multicastAll(false)])
    m.socket("six", .udp6, [.reuseAddress(true)])
    for name in ["member", "any", "quiet"] { m.bind(name, "0.0.0.0", 7400) }
    m.bind("six", "::", 7400)
    #expect(
      m.perform(.join(name: "member", group: IPAddress("239.1.2.3")!, interface: nil))
        == .failed(.ENODEV))
    #expect(
      m.perform(.join(name: "member", group: IPAddress("239.1.2.3")!, interface: "eth0")) == .ok)
    m.socket("tx", .udp4)
    #expect(m.send("tx", "239.1.2.3", 7400) == .failed(.ENETUNREACH))
    m.perform(.setsockopt(name: "tx", option: .multicastInterface(IPv4Address(192, 0, 2, 1))))
    #expect(m.send("tx", "239.1.2.3", 7400) == .receivers(["any", "member"]))
    #expect(m.send("tx", "239.9.9.9", 7400) == .nobody)
  }
}
