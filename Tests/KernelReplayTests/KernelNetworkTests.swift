import BindModel
import Glibc
import Testing

@testable import KernelReplay

/// Two hosts joined by one cable, as most tests here use them:
/// `host a` / `interface eth0 192.0.2.1/24 2001:db8::1/64`,
/// `host b` / `interface eth0 192.0.2.2/24 2001:db8::2/64`, `link a.eth0 b.eth0`.
private let twoHosts = ["a", "b"]
private let oneCable = [cable("a.eth0", "b.eth0")]
private let addresses: [(String, Action)] = [
  ("a", interface("eth0", "192.0.2.1/24", "2001:db8::1/64")),
  ("b", interface("eth0", "192.0.2.2/24", "2001:db8::2/64")),
]

/// `socket NAME KIND` on a host.
private func socket(_ name: String, _ kind: SocketKind, on host: String) -> (String, Action) {
  (host, .socket(name: name, kind: kind, options: [], uid: 0))
}

@Suite(.serialized, .requiresRoot)
struct KernelNetworkTests {
  @Test func `a datagram crosses the cable to a wildcard socket`() throws {
    let result = try replay(
      hosts: twoHosts, links: oneCable,
      addresses + [
        socket("srv", .udp4, on: "b"),
        ("b", .bind(name: "srv", endpoint: endpoint("0.0.0.0", 1060))),
        socket("client", .udp4, on: "a"),
        ("a", .send(name: "client", endpoint: endpoint("192.0.2.2", 1060))),
        ("a", .send(name: "client", endpoint: endpoint("192.0.2.2", 1061))),
      ])
    #expect(
      result.map(\.outcome) == [.ok, .ok, .ok, .ok, .ok, .receivers(["srv"]), .nobody])
    #expect(result[5].localPort != 0)  // sendto autobinds the client on its own host
  }

  @Test func `loopback addresses never cross the cable`() throws {
    let result = try outcomes(
      hosts: twoHosts, links: oneCable,
      addresses + [
        socket("srv", .udp4, on: "b"),
        ("b", .bind(name: "srv", endpoint: endpoint("127.0.0.1", 1060))),
        socket("client", .udp4, on: "a"),
        ("a", .send(name: "client", endpoint: endpoint("192.0.2.2", 1060))),
        ("a", .send(name: "client", endpoint: endpoint("127.0.0.1", 1060))),
        socket("mine", .udp4, on: "a"),
        ("a", .bind(name: "mine", endpoint: endpoint("127.0.0.1", 1060))),
        ("a", .send(name: "client", endpoint: endpoint("127.0.0.1", 1060))),
      ])
    #expect(
      result == [
        .ok, .ok, .ok, .ok, .ok, .nobody, .nobody, .ok, .ok, .receivers(["mine"]),
      ])
  }

  @Test func `a TCP connection across the cable names the listener on the other host`() throws {
    let result = try replay(
      hosts: twoHosts, links: oneCable,
      addresses + [
        socket("web", .tcp4, on: "b"),
        ("b", .bind(name: "web", endpoint: endpoint("192.0.2.2", 8080))),
        ("b", .listen(name: "web")),
        socket("browser", .tcp4, on: "a"),
        ("a", .connect(name: "browser", endpoint: endpoint("192.0.2.2", 8080))),
        // `accept` runs on the listener's host whatever host it is given.
        ("a", .accept(listener: "web", name: "conn")),
        ("a", .accept(listener: "web", name: "again")),
        ("b", .send(name: "conn", endpoint: nil)),
      ])
    #expect(
      result.map(\.outcome) == [
        .ok, .ok, .ok, .ok, .ok, .ok, .receivers(["web"]), .ok, .failed(.EAGAIN), .ok,
      ])
    #expect(result[9].localPort == 8080)  // the accepted socket, on b
  }

  @Test func `a listener on b's loopback refuses a connection from a`() throws {
    let result = try outcomes(
      hosts: twoHosts, links: oneCable,
      addresses + [
        socket("web", .tcp4, on: "b"),
        ("b", .bind(name: "web", endpoint: endpoint("127.0.0.1", 8080))),
        ("b", .listen(name: "web")),
        socket("browser", .tcp4, on: "a"),
        ("a", .connect(name: "browser", endpoint: endpoint("192.0.2.2", 8080))),
        socket("local", .tcp4, on: "b"),
        ("b", .connect(name: "local", endpoint: endpoint("127.0.0.1", 8080))),
      ])
    #expect(
      result == [
        .ok, .ok, .ok, .ok, .ok, .ok, .failed(.ECONNREFUSED), .ok, .receivers(["web"]),
      ])
  }

  @Test func `a dual-stack socket on b hears a over IPv4 and IPv6`() throws {
    let result = try outcomes(
      hosts: twoHosts, links: oneCable,
      addresses + [
        socket("srv", .udp6, on: "b"),
        ("b", .bind(name: "srv", endpoint: endpoint("::", 1060))),
        socket("client4", .udp4, on: "a"),
        ("a", .send(name: "client4", endpoint: endpoint("192.0.2.2", 1060))),
        socket("client6", .udp6, on: "a"),
        ("a", .send(name: "client6", endpoint: endpoint("2001:db8::2", 1060))),
        ("a", .send(name: "client6", endpoint: endpoint("::ffff:192.0.2.2", 1060))),
        socket("web6", .tcp6, on: "b"),
        ("b", .bind(name: "web6", endpoint: endpoint("2001:db8::2", 8080))),
        ("b", .listen(name: "web6")),
        socket("browser6", .tcp6, on: "a"),
        ("a", .connect(name: "browser6", endpoint: endpoint("2001:db8::2", 8080))),
      ])
    #expect(
      result == [
        .ok, .ok, .ok, .ok, .ok, .receivers(["srv"]), .ok, .receivers(["srv"]),
        .receivers(["srv"]), .ok, .ok, .ok, .ok, .receivers(["web6"]),
      ])
  }

  @Test func `a destination outside every connected subnet is unreachable`() throws {
    let result = try outcomes(
      hosts: twoHosts, links: oneCable,
      addresses + [
        socket("u4", .udp4, on: "a"),
        ("a", .send(name: "u4", endpoint: endpoint("198.51.100.7", 1060))),
        socket("u6", .udp6, on: "a"),
        ("a", .send(name: "u6", endpoint: endpoint("2001:db8:1::7", 1060))),
        socket("t4", .tcp4, on: "a"),
        ("a", .connect(name: "t4", endpoint: endpoint("198.51.100.7", 8080))),
        socket("t6", .tcp6, on: "a"),
        ("a", .connect(name: "t6", endpoint: endpoint("2001:db8:1::7", 8080))),
      ])
    #expect(
      result == [
        .ok, .ok, .ok, .failed(.ENETUNREACH), .ok, .failed(.ENETUNREACH), .ok,
        .failed(.ENETUNREACH), .ok, .failed(.ENETUNREACH),
      ])
  }

  @Test func `every host is a namespace of its own`() throws {
    let result = try outcomes(
      hosts: ["a", "b", "c"], links: oneCable,
      addresses + [
        ("c", interface("eth0", "192.0.2.1/24")),  // c's eth0 is not a's, nor linked
        socket("webA", .tcp4, on: "a"),
        ("a", .bind(name: "webA", endpoint: endpoint("0.0.0.0", 8080))),
        ("a", .listen(name: "webA")),
        socket("webB", .tcp4, on: "b"),
        ("b", .bind(name: "webB", endpoint: endpoint("0.0.0.0", 8080))),
        ("b", .listen(name: "webB")),
        socket("webC", .tcp4, on: "c"),
        ("c", .bind(name: "webC", endpoint: endpoint("192.0.2.1", 8080))),
        ("c", .listen(name: "webC")),
        socket("toB", .tcp4, on: "a"),
        ("a", .connect(name: "toB", endpoint: endpoint("192.0.2.2", 8080))),
        socket("toA", .tcp4, on: "b"),
        ("b", .connect(name: "toA", endpoint: endpoint("192.0.2.1", 8080))),
        socket("self", .tcp4, on: "c"),
        ("c", .connect(name: "self", endpoint: endpoint("192.0.2.1", 8080))),
        ("c", .sysctl(.ipLocalPortRange(low: 40000, high: 40000))),
        socket("one", .udp4, on: "c"),
        ("c", .bind(name: "one", endpoint: endpoint("0.0.0.0", 0))),
        socket("other", .udp4, on: "a"),
        ("a", .bind(name: "other", endpoint: endpoint("0.0.0.0", 40000))),
      ])
    #expect(
      result == [
        .ok, .ok, .ok,
        .ok, .ok, .ok, .ok, .ok, .ok, .ok, .ok, .ok,
        .ok, .receivers(["webB"]), .ok, .receivers(["webA"]), .ok, .receivers(["webC"]),
        .ok, .ok, .ok, .ok, .ok,
      ])
  }

  @Test func `cables exist before any statement, and host and link are no-ops`() throws {
    let result = try replay(
      hosts: ["a", "b", "c"], links: oneCable,
      [
        ("a", .host("a")),
        ("a", .link(oneCable[0].0, oneCable[0].1)),
        ("b", .socket(name: "s", kind: .udp4, options: [.bindToDevice("eth0")], uid: 0)),
        ("c", .socket(name: "t", kind: .udp4, options: [.bindToDevice("eth0")], uid: 0)),
        ("nowhere", .socket(name: "u", kind: .udp4, options: [], uid: 0)),
        ("a", interface("eth0", "192.0.2.1/24")),  // addresses on an existing cable end
        ("b", .bind(name: "s", endpoint: endpoint("0.0.0.0", 1060))),
        socket("peer", .udp4, on: "a"),
        // a may name b's port: `@s` is b's socket's port, read with getsockname.
        ("a", .bind(name: "peer", endpoint: endpoint("0.0.0.0", heldBy: "s"))),
      ])
    #expect(
      result.map(\.outcome) == [
        .ok, .ok, .ok, .failed(.ENODEV), .failed(.code(ENONET)), .ok, .ok, .ok, .ok,
      ])
    #expect(result[8].localPort == 1060)
  }

  @Test func `the network is ready for IPv6 across the cable at once`() throws {
    // Many fresh networks in a row: the first datagram over a new cable must arrive, after
    // neighbour discovery, without any settling time beyond waitUntilReady().
    for _ in 0..<5 {
      let result = try outcomes(
        hosts: twoHosts, links: oneCable,
        addresses + [
          socket("srv", .udp6, on: "b"),
          ("b", .bind(name: "srv", endpoint: endpoint("2001:db8::2", 1060))),
          socket("client", .udp6, on: "a"),
          ("a", .send(name: "client", endpoint: endpoint("2001:db8::2", 1060))),
        ])
      #expect(result == [.ok, .ok, .ok, .ok, .ok, .receivers(["srv"])])
    }
  }

  @Test func `broadcast and multicast reach both ends of the cable`() throws {
    let result = try outcomes(
      hosts: twoHosts, links: oneCable,
      addresses + [
        socket("hereA", .udp4, on: "a"),
        ("a", .bind(name: "hereA", endpoint: endpoint("0.0.0.0", 1060))),
        socket("thereB", .udp4, on: "b"),
        ("b", .bind(name: "thereB", endpoint: endpoint("0.0.0.0", 1060))),
        ("a", .socket(name: "caster", kind: .udp4, options: [.broadcast(true)], uid: 0)),
        ("a", .send(name: "caster", endpoint: endpoint("192.0.2.255", 1060))),
        ("a", .send(name: "caster", endpoint: endpoint("255.255.255.255", 1060))),
        ("a", .join(name: "hereA", group: IPAddress("239.1.1.1")!, interface: "eth0")),
        ("b", .join(name: "thereB", group: IPAddress("239.1.1.1")!, interface: "eth0")),
        ("a", .setsockopt(name: "caster", option: .multicastInterface(IPv4Address("192.0.2.1")!))),
        ("a", .send(name: "caster", endpoint: endpoint("239.1.1.1", 1060))),
      ])
    #expect(
      result == [
        .ok, .ok, .ok, .ok, .ok, .ok, .ok, .receivers(["hereA", "thereB"]),
        .failed(.ENETUNREACH), .ok, .ok, .ok, .receivers(["hereA", "thereB"]),
      ])
  }

  @Test func `a connected sender hears the other host's port unreachable`() throws {
    let result = try outcomes(
      hosts: twoHosts, links: oneCable,
      addresses + [
        socket("client", .udp4, on: "a"),
        ("a", .connect(name: "client", endpoint: endpoint("192.0.2.2", 9))),
        ("a", .send(name: "client", endpoint: nil)),
        ("a", .send(name: "client", endpoint: nil)),  // the error, and nothing sent
        ("a", .send(name: "client", endpoint: nil)),
        socket("client6", .udp6, on: "a"),
        ("a", .connect(name: "client6", endpoint: endpoint("2001:db8::2", 9))),
        ("a", .send(name: "client6", endpoint: nil)),
        ("a", .send(name: "client6", endpoint: nil)),
        socket("loose", .udp4, on: "a"),
        ("a", .send(name: "loose", endpoint: endpoint("192.0.2.2", 9))),
        ("a", .send(name: "loose", endpoint: endpoint("192.0.2.2", 9))),
      ])
    #expect(
      result == [
        .ok, .ok, .ok, .ok, .nobody, .failed(.ECONNREFUSED), .nobody, .ok, .ok, .nobody,
        .failed(.ECONNREFUSED), .ok, .nobody, .nobody,
      ])
  }

  @Test func `the weak host model crosses the cable for IPv4 only`() throws {
    // b's extra addresses are on lo and on an interface with no cable.
    let result = try outcomes(
      hosts: twoHosts, links: oneCable,
      addresses + [
        ("b", interface("lo", "192.0.2.9/32", "2001:db8::9/128")),
        ("b", interface("eth1", "192.0.2.10/32", "2001:db8::10/128")),
        socket("srv4", .udp4, on: "b"),
        ("b", .bind(name: "srv4", endpoint: endpoint("0.0.0.0", 1060))),
        socket("srv6", .udp6, on: "b"),
        ("b", .bind(name: "srv6", endpoint: endpoint("::", 1061))),
        socket("c4", .udp4, on: "a"),
        ("a", .send(name: "c4", endpoint: endpoint("192.0.2.9", 1060))),
        ("a", .send(name: "c4", endpoint: endpoint("192.0.2.10", 1060))),
        socket("c6", .udp6, on: "a"),
        // a's neighbour solicitation for ::9 arrives on b's eth0, which does not own ::9.
        ("a", .send(name: "c6", endpoint: endpoint("2001:db8::9", 1061))),
        ("a", .send(name: "c6", endpoint: endpoint("2001:db8::10", 1061))),
        ("a", .send(name: "c6", endpoint: endpoint("2001:db8::2", 1061))),
      ])
    #expect(
      result == [
        .ok, .ok, .ok, .ok, .ok, .ok, .ok, .ok, .ok, .receivers(["srv4"]),
        .receivers(["srv4"]), .ok, .nobody, .nobody, .receivers(["srv6"]),
      ])
  }

  @Test func `loopback sources never reach the other host`() throws {
    let result = try outcomes(
      hosts: twoHosts, links: oneCable,
      addresses + [
        socket("srv6", .udp6, on: "b"),
        ("b", .bind(name: "srv6", endpoint: endpoint("::", 1061))),
        socket("web6", .tcp6, on: "b"),
        ("b", .bind(name: "web6", endpoint: endpoint("::", 8080))),
        ("b", .listen(name: "web6")),
        socket("lo4", .udp4, on: "a"),
        ("a", .bind(name: "lo4", endpoint: endpoint("127.0.0.1", 0))),
        ("a", .send(name: "lo4", endpoint: endpoint("192.0.2.2", 1061))),
        socket("lo6", .udp6, on: "a"),
        ("a", .bind(name: "lo6", endpoint: endpoint("::1", 0))),
        ("a", .send(name: "lo6", endpoint: endpoint("2001:db8::2", 1061))),
        socket("tlo4", .tcp4, on: "a"),
        ("a", .bind(name: "tlo4", endpoint: endpoint("127.0.0.1", 0))),
        ("a", .connect(name: "tlo4", endpoint: endpoint("192.0.2.2", 8080))),
        socket("tlo6", .tcp6, on: "a"),
        ("a", .bind(name: "tlo6", endpoint: endpoint("::1", 0))),
        // b drops the SYN (::1 source on a non-loopback interface): no answer at all.
        ("a", .connect(name: "tlo6", endpoint: endpoint("2001:db8::2", 8080))),
      ])
    #expect(
      result == [
        .ok, .ok, .ok, .ok, .ok, .ok, .ok, .ok, .ok, .failed(.EINVAL), .ok, .ok, .nobody, .ok,
        .ok, .failed(.EINVAL), .ok, .ok, .failed(.ETIMEDOUT),
      ])
  }

  @Test func `invalid wiring is a namespace error`() throws {
    let errors = try NetworkNamespace.withFreshNamespaceThread {
      var messages: [String] = []
      for (hosts, links) in [
        ([String](), [(HostInterface, HostInterface)]()), (["a", "a"], []),
        (["a"], [cable("a.eth0", "b.eth0")]),
      ] {
        do throws(NamespaceError) {
          _ = try KernelNetwork(hosts: hosts, links: links)
        } catch {
          messages.append(error.reason)
        }
      }
      return messages
    }
    #expect(
      errors == [
        "a network needs at least one host", "host a is declared twice",
        "the cable a.eth0 b.eth0 names an unknown host b",
      ])
  }
}
