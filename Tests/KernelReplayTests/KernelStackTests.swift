import BindModel
import Glibc
import Testing

@testable import KernelReplay

@Suite(.serialized, .requiresRoot)
struct KernelStackTests {
  @Test func `a second UDP bind to the same address and port is EADDRINUSE`() throws {
    let result = try outcomes([
      .socket(name: "first", kind: .udp4, options: [], uid: 0),
      .bind(name: "first", endpoint: endpoint("127.0.0.1", 1060)),
      .socket(name: "second", kind: .udp4, options: [], uid: 0),
      .bind(name: "second", endpoint: endpoint("127.0.0.1", 1060)),
      .bind(name: "second", endpoint: endpoint("0.0.0.0", 1060)),
    ])
    #expect(result == [.ok, .ok, .ok, .failed(.EADDRINUSE), .failed(.EADDRINUSE)])
  }

  @Test func `TCP SO_REUSEADDR lets both bind but only one listen`() throws {
    let result = try outcomes([
      .socket(name: "a", kind: .tcp4, options: [.reuseAddress(true)], uid: 0),
      .socket(name: "b", kind: .tcp4, options: [.reuseAddress(true)], uid: 0),
      .bind(name: "a", endpoint: endpoint("127.0.0.1", 8080)),
      .bind(name: "b", endpoint: endpoint("127.0.0.1", 8080)),
      .listen(name: "a"),
      .listen(name: "b"),
    ])
    #expect(result == [.ok, .ok, .ok, .ok, .ok, .failed(.EADDRINUSE)])
  }

  @Test func `addresses of a new interface are bindable and IPv6 is usable at once`() throws {
    let result = try outcomes([
      interface("eth0", "192.0.2.1/24", "2001:db8::1/64"),
      .socket(name: "v4", kind: .udp4, options: [], uid: 0),
      .bind(name: "v4", endpoint: endpoint("192.0.2.1", 1060)),
      .socket(name: "v6", kind: .udp6, options: [], uid: 0),
      .bind(name: "v6", endpoint: endpoint("2001:db8::1", 1060)),
      .socket(name: "client", kind: .udp6, options: [], uid: 0),
      .send(name: "client", endpoint: endpoint("2001:db8::1", 1060)),
      .socket(name: "client4", kind: .udp4, options: [], uid: 0),
      .send(name: "client4", endpoint: endpoint("192.0.2.1", 1060)),
      interface("eth0", "198.51.100.1/24"),
      .bind(name: "client4", endpoint: endpoint("198.51.100.1", 0)),  // autobound by sendto
      .socket(name: "third", kind: .udp4, options: [], uid: 0),
      .bind(name: "third", endpoint: endpoint("198.51.100.1", 0)),
      // A second bind: a non-local address is refused before "already bound" is.
      .bind(name: "v4", endpoint: endpoint("192.0.2.2", 1061)),
      .bind(name: "v4", endpoint: endpoint("192.0.2.1", 1061)),
    ])
    #expect(
      result == [
        .ok, .ok, .ok, .ok, .ok, .ok, .receivers(["v6"]), .ok, .receivers(["v4"]), .ok,
        .failed(.EINVAL), .ok, .ok, .failed(.EADDRNOTAVAIL), .failed(.EINVAL),
      ])
  }

  @Test func `a datagram reaches the bound socket, and nobody on an unbound port`() throws {
    let clock = ContinuousClock()
    var nobodyCost = Duration.zero
    let result = try replay([
      .socket(name: "srv", kind: .udp4, options: [], uid: 0),
      .bind(name: "srv", endpoint: endpoint("127.0.0.1", 1060)),
      .socket(name: "client", kind: .udp4, options: [], uid: 0),
      .send(name: "client", endpoint: endpoint("127.0.0.1", 1060)),
      .send(name: "client", endpoint: endpoint("127.0.0.1", 1061)),
      .send(name: "client", endpoint: endpoint("127.0.0.1", 1060)),
      .send(name: "client", endpoint: nil),
    ])
    #expect(
      result.map(\.outcome) == [
        .ok, .ok, .ok, .receivers(["srv"]), .nobody, .receivers(["srv"]),
        .failed(.EDESTADDRREQ),
      ])
    #expect(result[1].localPort == 1060)
    #expect(result[3].localPort != 0)  // sendto autobinds the client
    let start = clock.now
    _ = try outcomes([
      .socket(name: "client", kind: .udp4, options: [], uid: 0),
      .send(name: "client", endpoint: endpoint("127.0.0.1", 1061)),
    ])
    nobodyCost = start.duration(to: clock.now)
    #expect(nobodyCost < .milliseconds(500))
  }

  @Test func `an unprivileged user may not bind port 80`() throws {
    let result = try outcomes([
      .socket(name: "web", kind: .tcp4, options: [], uid: 1000),
      .bind(name: "web", endpoint: endpoint("0.0.0.0", 80)),
      .bind(name: "web", endpoint: endpoint("0.0.0.0", 1080)),
      .socket(name: "root", kind: .tcp4, options: [], uid: 0),
      .bind(name: "root", endpoint: endpoint("0.0.0.0", 80)),
    ])
    #expect(result == [.ok, .failed(.EACCES), .ok, .ok, .ok])
  }

  @Test func `IPv6-level options and endpoints on an IPv4 socket are the kernel's to refuse`()
    throws
  {
    let result = try outcomes([
      .socket(name: "a", kind: .udp4, options: [.reuseAddress(true), .ipv6V6Only(true)], uid: 0),
      .setsockopt(name: "a", option: .broadcast(true)),
      .bind(name: "a", endpoint: endpoint("::1", 1060)),
      .socket(name: "b", kind: .udp4, options: [.reuseAddress(true)], uid: 0),
      .bind(name: "b", endpoint: endpoint("127.0.0.1", 1060)),
      .bind(name: "a", endpoint: endpoint("127.0.0.1", 1060)),
    ])
    // The first socket exists and keeps SO_REUSEADDR, applied before the failing option.
    #expect(
      result == [.failed(.ENOPROTOOPT), .ok, .failed(.EAFNOSUPPORT), .ok, .ok, .ok])
  }

  @Test func `a TCP connection is delivered to its listener and accepted once`() throws {
    let result = try outcomes([
      .socket(name: "other", kind: .tcp4, options: [], uid: 0),
      .bind(name: "other", endpoint: endpoint("127.0.0.2", 8080)),
      .listen(name: "other"),
      .socket(name: "server", kind: .tcp4, options: [], uid: 0),
      .bind(name: "server", endpoint: endpoint("127.0.0.1", 8080)),
      .listen(name: "server"),
      .socket(name: "client", kind: .tcp4, options: [], uid: 0),
      .connect(name: "client", endpoint: endpoint("127.0.0.1", 8080)),
      .accept(listener: "server", name: "conn"),
      .accept(listener: "server", name: "again"),
      .send(name: "client", endpoint: nil),
      .socket(name: "late", kind: .tcp4, options: [], uid: 0),
      .connect(name: "late", endpoint: endpoint("127.0.0.1", 9)),
      .close(name: "conn"),
    ])
    #expect(
      result == [
        .ok, .ok, .ok, .ok, .ok, .ok, .ok, .receivers(["server"]), .ok, .failed(.EAGAIN), .ok,
        .ok, .failed(.ECONNREFUSED), .ok,
      ])
  }

  @Test func `a one-port range gives bind(0) that port, and @NAME follows it`() throws {
    let result = try replay([
      .sysctl(.ipLocalPortRange(low: 40000, high: 40000)),
      .socket(name: "s", kind: .udp4, options: [], uid: 0),
      .bind(name: "s", endpoint: endpoint("127.0.0.1", 0)),
      .socket(name: "t", kind: .udp4, options: [], uid: 0),
      .bind(name: "t", endpoint: endpoint("127.0.0.1", heldBy: "s")),
      .close(name: "s"),
    ])
    #expect(result.map(\.outcome) == [.ok, .ok, .ok, .ok, .failed(.EADDRINUSE), .ok])
    #expect(result[2].localPort == 40000)
    #expect(result[5].localPort == 0)
  }

  @Test func `UDP disconnect, multicast join and unsupported statements`() throws {
    let result = try outcomes([
      .socket(name: "u", kind: .udp4, options: [], uid: 0),
      .connect(name: "u", endpoint: endpoint("127.0.0.1", 53)),
      .disconnect(name: "u"),
      .join(name: "u", group: IPAddress("224.0.0.251")!, interface: "lo"),
      .join(name: "u", group: IPAddress("224.0.0.252")!, interface: "nosuch0"),
      .host("other"),
      .bind(name: "nosuch", endpoint: endpoint("127.0.0.1", 1)),
    ])
    #expect(
      result == [
        .ok, .ok, .ok, .ok, .failed(.ENODEV), .failed(.EOPNOTSUPP), .failed(.EBADF),
      ])
  }

  @Test func `a connected sender keeps the ICMP error for its next send`() throws {
    let result = try outcomes([
      .socket(name: "client", kind: .udp4, options: [], uid: 0),
      .connect(name: "client", endpoint: endpoint("127.0.0.1", 1061)),
      .send(name: "client", endpoint: nil),
      .send(name: "client", endpoint: nil),
    ])
    #expect(result == [.ok, .ok, .nobody, .failed(.ECONNREFUSED)])
  }

  @Test func `a subnet broadcast reaches every wildcard socket`() throws {
    let result = try outcomes([
      interface("eth0", "192.0.2.1/24"),
      .socket(name: "a", kind: .udp4, options: [.reuseAddress(true)], uid: 0),
      .bind(name: "a", endpoint: endpoint("0.0.0.0", 1060)),
      .socket(name: "b", kind: .udp4, options: [.reuseAddress(true)], uid: 0),
      .bind(name: "b", endpoint: endpoint("0.0.0.0", 1060)),
      .socket(name: "c", kind: .udp4, options: [], uid: 0),
      .send(name: "c", endpoint: endpoint("192.0.2.255", 1060)),
      .setsockopt(name: "c", option: .broadcast(true)),
      .send(name: "c", endpoint: endpoint("192.0.2.255", 1060)),
    ])
    #expect(
      result == [.ok, .ok, .ok, .ok, .ok, .ok, .failed(.EACCES), .ok, .receivers(["a", "b"])])
  }

  @Test func `unknown interface names are the kernel's ENODEV`() throws {
    let result = try outcomes([
      .socket(name: "a", kind: .udp6, options: [.bindToDevice("nosuch0")], uid: 0),
      .setsockopt(name: "a", option: .ipv6MulticastInterface("nosuch0")),
      .setsockopt(name: "a", option: .bindToDevice("lo")),
      .setsockopt(name: "a", option: .bindToDevice("")),
      .bind(name: "a", endpoint: endpoint("fe80::1", 1060, scope: "nosuch0")),
      .setsockopt(name: "a", option: .linger(seconds: 0)),
    ])
    #expect(
      result == [.failed(.ENODEV), .failed(.ENODEV), .ok, .ok, .failed(.ENODEV), .ok])
  }

  @Test func `the caller's namespace is untouched`() throws {
    // Hold a port in the test process's own namespace...
    let descriptor = socket(AF_INET, CInt(SOCK_STREAM.rawValue), 0)
    #expect(descriptor >= 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
      }
    }
    #expect(bound)
    let port = UInt16(bigEndian: address.sin_port)
    #expect(port != 0)
    // ...which a replay in a fresh namespace can still bind, and which sees only `lo`.
    let result = try outcomes([
      .socket(name: "s", kind: .tcp4, options: [], uid: 0),
      .bind(name: "s", endpoint: endpoint("127.0.0.1", port)),
      .listen(name: "s"),
    ])
    #expect(result == [.ok, .ok, .ok])
    let interfaces = try NetworkNamespace.withFreshNamespaceThread {
      let names: [String] = ["lo", "eth0", "bsp0"]
      return names.map { if_nametoindex($0) != 0 }
    }
    #expect(interfaces == [true, false, false])
  }

  @Test func `a fresh namespace has the kernel's default IPv4 settings`() throws {
    let values = try NetworkNamespace.withFreshNamespaceThread {
      try ["all", "default", "lo"].map { device in
        try ["rp_filter", "accept_local", "route_localnet", "arp_ignore"].map { name in
          try readProc("/proc/sys/net/ipv4/conf/\(device)/\(name)")
        }
      }
    }
    #expect(values.joined().allSatisfy { $0 == "0" })
  }

  @Test func `the kernel release looks like uname -r`() {
    let release = NetworkNamespace.kernelRelease()
    #expect(release.first?.isNumber == true)
    #expect(release.contains("."))
  }
}

/// A /proc file's text without its final newline.
private func readProc(_ path: String) throws -> String {
  String(try readSmallFile(path).prefix { $0 != "\n" })
}
