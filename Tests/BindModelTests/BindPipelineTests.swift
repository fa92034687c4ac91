import BindModel
import Testing

/// bind() validation in the kernel's order (reference §2, experiments 13-18 of §14).
struct BindPipelineTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var kind: SocketKind
    var options: [SocketOption] = []
    var uid: UInt32 = 0
    var address: String
    var scope: String? = nil
    var port: UInt16
    var expected: Outcome
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "non-local IPv4", kind: .udp4, address: "203.0.113.5", port: 7000,
      expected: .failed(.EADDRNOTAVAIL)),
    Case(
      name: "IP_FREEBIND allows a non-local address", kind: .udp4, options: [.freebind(true)],
      address: "203.0.113.5", port: 7000, expected: .ok),
    Case(
      name: "the whole 127/8 is local", kind: .tcp4, address: "127.1.2.3", port: 7000, expected: .ok
    ),
    Case(
      name: "127.255.255.255 is local", kind: .udp4, address: "127.255.255.255", port: 7000,
      expected: .ok),
    Case(
      name: "255.255.255.255 is accepted", kind: .udp4, address: "255.255.255.255", port: 7000,
      expected: .ok),
    Case(
      name: "multicast is accepted, even for TCP", kind: .tcp4, address: "224.0.0.251", port: 7000,
      expected: .ok),
    Case(
      name: "0.1.2.3 is not local", kind: .udp4, address: "0.1.2.3", port: 7000,
      expected: .failed(.EADDRNOTAVAIL)),
    Case(
      name: "privileged port as uid 1000", kind: .tcp4, uid: 1000, address: "127.0.0.1", port: 80,
      expected: .failed(.EACCES)),
    Case(
      name: "port 1024 as uid 1000", kind: .tcp4, uid: 1000, address: "127.0.0.1", port: 1024,
      expected: .ok),
    Case(
      name: "port 0 never needs privilege", kind: .tcp4, uid: 1000, address: "127.0.0.1", port: 0,
      expected: .ok),
    Case(
      name: "IPv4 checks the address before the port", kind: .tcp4, uid: 1000,
      address: "203.0.113.5", port: 80, expected: .failed(.EADDRNOTAVAIL)),
    Case(
      name: "IPv6 checks the port before the address", kind: .tcp6, uid: 1000,
      address: "2001:db8::99", port: 80, expected: .failed(.EACCES)),
    Case(
      name: "non-local IPv6", kind: .udp6, address: "2001:db8::99", port: 7000,
      expected: .failed(.EADDRNOTAVAIL)),
    Case(
      name: "v4-mapped on a V6ONLY socket", kind: .udp6, options: [.ipv6V6Only(true)],
      address: "::ffff:127.0.0.1", port: 7000, expected: .failed(.EINVAL)),
    Case(
      name: "non-local v4-mapped", kind: .udp6, address: "::ffff:203.0.113.5", port: 7000,
      expected: .failed(.EADDRNOTAVAIL)),
    Case(
      name: "link-local without a scope", kind: .udp6, address: "fe80::1", port: 7000,
      expected: .failed(.EINVAL)),
    Case(
      name: "IPv6 multicast on TCP", kind: .tcp6, address: "ff0e::1", port: 7000,
      expected: .failed(.EINVAL)),
    Case(name: "IPv6 multicast on UDP", kind: .udp6, address: "ff0e::1", port: 7000, expected: .ok),
    Case(
      name: "scoped multicast without a scope", kind: .udp6, address: "ff02::1", port: 7000,
      expected: .failed(.EINVAL)),
    Case(
      name: "an IPv6 endpoint on an IPv4 socket", kind: .udp4, address: "::1", port: 7000,
      expected: .failed(.EAFNOSUPPORT)),
    Case(
      name: "an IPv4 endpoint on an IPv6 socket", kind: .udp6, address: "127.0.0.1", port: 7000,
      expected: .failed(.EINVAL)),
    Case(
      name: "::1 with a device other than lo", kind: .udp6, options: [.bindToDevice("v0")],
      address: "::1", port: 7000, expected: .failed(.EADDRNOTAVAIL)),
    Case(
      name: "127.0.0.1 with a device other than lo", kind: .udp4, options: [.bindToDevice("v0")],
      address: "127.0.0.1", port: 7000, expected: .ok),
    Case(
      name: "link-local with its scope", kind: .udp6, address: "fe80::1", scope: "v0", port: 7000,
      expected: .ok),
    Case(
      name: "an interface address", kind: .tcp4, address: "192.0.2.1", port: 7000, expected: .ok),
    Case(
      name: "an interface's subnet broadcast", kind: .udp4, address: "192.0.2.255", port: 7000,
      expected: .ok),
  ]

  @Test(arguments: cases)
  func `bind checks run in the kernel's order`(c: Case) {
    var m = ModelHarness()
    m.perform(
      .interface(
        name: "v0",
        addresses: [
          InterfaceAddress(address: IPAddress("192.0.2.1")!, prefixLength: 24),
          InterfaceAddress(address: IPAddress("fe80::1")!, prefixLength: 64),
        ]))
    m.socket("s", c.kind, c.options, uid: c.uid)
    #expect(m.bind("s", c.address, c.port, scope: c.scope) == c.expected)
  }

  @Test func `a second bind is EINVAL`() {
    var m = ModelHarness()
    m.socket("s", .udp4)
    m.bind("s", "127.0.0.1", 7000)
    #expect(m.bind("s", "127.0.0.1", 7001) == .failed(.EINVAL))
    #expect(m.last?.rule == .bindAlreadyBound)
  }

  @Test func `a specific IPv6 bind forces V6ONLY, so 0.0.0.0 still binds`() {
    var m = ModelHarness()
    m.socket("six", .tcp6)
    m.bind("six", "::1", 7000)
    #expect(m.namespace.socket(named: "six")?.v6Only == true)
    m.socket("four", .tcp4)
    #expect(m.bind("four", "0.0.0.0", 7000) == .ok)
  }

  @Test func `bindv6only makes new IPv6 sockets V6ONLY`() {
    var m = ModelHarness()
    m.perform(.sysctl(.bindv6only(true)))
    m.socket("six", .tcp6)
    m.bind("six", "::", 7000)
    m.socket("four", .tcp4)
    #expect(m.bind("four", "0.0.0.0", 7000) == .ok)
  }

  @Test func `ip_unprivileged_port_start lowers the privileged range`() {
    var m = ModelHarness()
    m.perform(.sysctl(.ipUnprivilegedPortStart(80)))
    m.socket("s", .tcp6, uid: 1000)
    #expect(m.bind("s", "::1", 80) == .ok)
  }

  @Test func `IPV6_V6ONLY on an IPv4 socket is ENOPROTOOPT, after bind EINVAL`() {
    var m = ModelHarness()
    #expect(m.socket("four", .udp4, [.ipv6V6Only(true)]) == .failed(.ENOPROTOOPT))
    m.socket("six", .udp6)
    m.bind("six", "::1", 7000)
    #expect(m.perform(.setsockopt(name: "six", option: .ipv6V6Only(true))) == .failed(.EINVAL))
  }

  @Test func `listen on UDP is EOPNOTSUPP, on an unbound TCP socket it autobinds`() {
    var m = ModelHarness()
    m.socket("u", .udp4)
    #expect(m.perform(.listen(name: "u")) == .failed(.EOPNOTSUPP))
    m.socket("t", .tcp4)
    #expect(m.perform(.listen(name: "t")) == .ok)
    #expect((32768...60999).contains(m.port("t")))
  }
}
