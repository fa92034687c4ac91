import BindModel
import ScenarioLanguage
import Testing

/// Every statement form, parsed after a prelude that declares hosts `a` and `b` and defines
/// sockets `u` (udp4), `v` (udp6), `t` (tcp4) and `w` (tcp6).
struct StatementParsingTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var line: String
    var action: Action
    var testDescription: String { line }

    init(_ line: String, _ action: Action) {
      self.line = line
      self.action = action
    }
  }

  static let prelude =
    "host a\nhost b\nsocket u udp4\nsocket v udp6\nsocket t tcp4\nsocket w tcp6\n"

  static let environment: [Case] = [
    Case(
      "interface eth0 192.0.2.130/24 2001:db8::1/64",
      .interface(
        name: "eth0",
        addresses: [
          InterfaceAddress(address: address("192.0.2.130"), prefixLength: 24),
          InterfaceAddress(address: address("2001:db8::1"), prefixLength: 64),
        ])),
    Case("interface dummy0", .interface(name: "dummy0", addresses: [])),
    Case(
      "interface eth0.100 10.0.0.1/0 ::/128 fe80::1/128",
      .interface(
        name: "eth0.100",
        addresses: [
          InterfaceAddress(address: address("10.0.0.1"), prefixLength: 0),
          InterfaceAddress(address: address("::"), prefixLength: 128),
          InterfaceAddress(address: address("fe80::1"), prefixLength: 128),
        ])),
    Case(
      "interface abcdefghijklmno 10.0.0.1/32",
      .interface(
        name: "abcdefghijklmno",
        addresses: [
          InterfaceAddress(address: address("10.0.0.1"), prefixLength: 32)
        ])),
    Case(
      "sysctl net.ipv4.ip_local_port_range 40000 40100",
      .sysctl(.ipLocalPortRange(low: 40000, high: 40100))),
    Case(
      "sysctl net.ipv4.ip_local_port_range 5000 5000",
      .sysctl(.ipLocalPortRange(low: 5000, high: 5000))),
    Case(
      "sysctl net.ipv4.ip_local_reserved_ports 40000,40010-40020",
      .sysctl(.ipLocalReservedPorts([40000...40000, 40010...40020]))),
    Case(
      "sysctl net.ipv4.ip_unprivileged_port_start 0", .sysctl(.ipUnprivilegedPortStart(0))),
    Case(
      "sysctl net.ipv4.ip_unprivileged_port_start 65535",
      .sysctl(.ipUnprivilegedPortStart(65535))),
    Case("sysctl net.ipv4.ip_nonlocal_bind 1", .sysctl(.ipv4NonlocalBind(true))),
    Case("sysctl net.ipv6.ip_nonlocal_bind 0", .sysctl(.ipv6NonlocalBind(false))),
    Case("sysctl net.ipv6.bindv6only 1", .sysctl(.bindv6only(true))),
    Case("sysctl net.ipv4.ip_autobind_reuse 1", .sysctl(.ipAutobindReuse(true))),
    Case("host client", .host("client")),
    Case(
      "link a.eth0 b.eth1",
      .link(
        HostInterface(host: "a", interface: "eth0"), HostInterface(host: "b", interface: "eth1"))),
    Case(
      "link local.veth0 b.eth0.100",
      .link(
        HostInterface(host: "local", interface: "veth0"),
        HostInterface(host: "b", interface: "eth0.100"))),
  ]

  static let sockets: [Case] = [
    Case("socket s udp4", .socket(name: "s", kind: .udp4, options: [], uid: 0)),
    Case("socket s udp6", .socket(name: "s", kind: .udp6, options: [], uid: 0)),
    Case("socket s tcp4", .socket(name: "s", kind: .tcp4, options: [], uid: 0)),
    Case("socket s tcp6", .socket(name: "s", kind: .tcp6, options: [], uid: 0)),
    Case(
      "socket s tcp6 SO_REUSEADDR SO_REUSEPORT=1 IPV6_V6ONLY=0",
      .socket(
        name: "s", kind: .tcp6,
        options: [.reuseAddress(true), .reusePort(true), .ipv6V6Only(false)], uid: 0)),
    Case(
      "socket s udp4 IP_FREEBIND IP_TRANSPARENT SO_BROADCAST IP_BIND_ADDRESS_NO_PORT"
        + " IP_MULTICAST_ALL=0",
      .socket(
        name: "s", kind: .udp4,
        options: [
          .freebind(true), .transparent(true), .broadcast(true), .bindAddressNoPort(true),
          .multicastAll(false),
        ], uid: 0)),
    Case(
      "socket s tcp4 SO_LINGER=0 SO_LINGER=30 SO_BINDTODEVICE=eth0 SO_BINDTODEVICE=",
      .socket(
        name: "s", kind: .tcp4,
        options: [
          .linger(seconds: 0), .linger(seconds: 30), .bindToDevice("eth0"), .bindToDevice(""),
        ],
        uid: 0)),
    Case(
      "socket s udp6 IP_MULTICAST_IF=192.0.2.1 IPV6_MULTICAST_IF=eth1",
      .socket(
        name: "s", kind: .udp6,
        options: [.multicastInterface(IPv4Address(192, 0, 2, 1)), .ipv6MulticastInterface("eth1")],
        uid: 0)),
    Case(
      "socket s udp4 uid=1000 SO_REUSEPORT",
      .socket(name: "s", kind: .udp4, options: [.reusePort(true)], uid: 1000)),
    Case(
      "socket s_1.b-c udp4 uid=4294967294",
      .socket(name: "s_1.b-c", kind: .udp4, options: [], uid: 4_294_967_294)),
    Case("setsockopt u SO_REUSEPORT=0", .setsockopt(name: "u", option: .reusePort(false))),
    Case("setsockopt u SO_BROADCAST", .setsockopt(name: "u", option: .broadcast(true))),
  ]

  static let calls: [Case] = [
    Case("bind u 127.0.0.1:1060", .bind(name: "u", endpoint: endpoint("127.0.0.1", 1060))),
    Case("bind u 0.0.0.0:0", .bind(name: "u", endpoint: endpoint("0.0.0.0", 0))),
    Case("bind v [::1]:65535", .bind(name: "v", endpoint: endpoint("::1", 65535))),
    Case("bind v [::]:1060", .bind(name: "v", endpoint: endpoint("::", 1060))),
    Case(
      "bind v [::ffff:127.0.0.1]:80", .bind(name: "v", endpoint: endpoint("::ffff:127.0.0.1", 80))
    ),
    Case(
      "bind v [fe80::1%eth0]:1060",
      .bind(name: "v", endpoint: endpoint("fe80::1", 1060, scope: "eth0"))),
    Case(
      "bind v [::]:@t",
      .bind(name: "v", endpoint: EndpointSpec(address: address("::"), port: .heldBy("t")))),
    Case(
      "bind u 127.0.0.1:@u",
      .bind(name: "u", endpoint: EndpointSpec(address: address("127.0.0.1"), port: .heldBy("u")))),
    Case("listen t", .listen(name: "t")),
    Case("connect w [2001:db8::1]:80", .connect(name: "w", endpoint: endpoint("2001:db8::1", 80))),
    Case("connect u 192.0.2.1:53", .connect(name: "u", endpoint: endpoint("192.0.2.1", 53))),
    Case("disconnect u", .disconnect(name: "u")),
    Case("accept t conn", .accept(listener: "t", name: "conn")),
    Case("send u", .send(name: "u", endpoint: nil)),
    Case("send u 255.255.255.255:9", .send(name: "u", endpoint: endpoint("255.255.255.255", 9))),
    Case("join u 224.0.0.1", .join(name: "u", group: address("224.0.0.1"), interface: nil)),
    Case("join u 239.1.2.3 eth0", .join(name: "u", group: address("239.1.2.3"), interface: "eth0")),
    Case("join v [ff02::1] eth0", .join(name: "v", group: address("ff02::1"), interface: "eth0")),
    Case("join v ff02::1", .join(name: "v", group: address("ff02::1"), interface: nil)),
    Case("join v [ff02::1%eth1]", .join(name: "v", group: address("ff02::1"), interface: "eth1")),
    Case("close u", .close(name: "u")),
  ]

  @Test(arguments: environment + sockets + calls)
  func `each statement form parses to its action`(_ c: Case) throws {
    let scenario = try ScenarioParser.parse(Self.prelude + c.line)
    let statement = try #require(scenario.statements.last)
    #expect(statement.action == c.action)
    #expect(statement.location == SourceLocation(line: 7, column: 1))
    #expect(statement.expectation == nil)
    #expect(statement.text == c.line)
  }

  @Test func `text is single-spaced without comment or expectation`() throws {
    let source = "\tsocket   a\tudp4  SO_REUSEADDR   => ok   # first"
    let statement = try #require(try ScenarioParser.parse(source).statements.first)
    #expect(statement.text == "socket a udp4 SO_REUSEADDR")
    #expect(statement.location == SourceLocation(line: 1, column: 2))
    #expect(statement.expectation == OutcomeSet(.ok))
  }

  @Test func `comments, blank lines and an empty file hold no statements`() throws {
    #expect(try ScenarioParser.parse("").statements.isEmpty)
    #expect(
      try ScenarioParser.parse("\n\n   \t\n# only a comment\n  # another\n").statements.isEmpty)
    #expect(try ScenarioParser.parse(bytes: []).statements.isEmpty)
  }

  @Test func `CRLF line ends and a byte order mark are accepted`() throws {
    let source = "\u{FEFF}socket a udp4\r\nbind a 127.0.0.1:1 => ok\r\n"
    let scenario = try ScenarioParser.parse(source)
    #expect(scenario.statements.map(\.text) == ["socket a udp4", "bind a 127.0.0.1:1"])
    #expect(scenario.statements[0].location == SourceLocation(line: 1, column: 1))
    #expect(try ScenarioParser.parse(bytes: Array(source.utf8)) == scenario)
  }

  @Test func `accept defines its new socket and close ends a name`() throws {
    let source = """
      socket l tcp4
      listen l
      accept l c
      send c => ok
      close c
      close l
      """
    let scenario = try ScenarioParser.parse(source)
    #expect(scenario.statements.count == 6)
    #expect(scenario.statements[3].action == .send(name: "c", endpoint: nil))
  }

  @Test func `hosts may be revisited and links may come before their hosts`() throws {
    let source = """
      link a.eth0 b.eth0
      host a
      interface eth0 10.0.0.1/24
      socket x udp4
      host b
      interface eth0 10.0.0.2/24
      host a
      socket y udp4
      send y 10.0.0.2:9 => nobody
      """
    let scenario = try ScenarioParser.parse(source)
    #expect(
      scenario.statements.map(\.action.keyword) == [
        "link", "host", "interface", "socket", "host", "interface", "host", "socket", "send",
      ])
  }

  @Test func `options on socket may repeat and uid may come anywhere`() throws {
    let scenario = try ScenarioParser.parse("socket s udp4 SO_REUSEADDR uid=7 SO_REUSEADDR=0")
    #expect(
      scenario.statements[0].action
        == .socket(
          name: "s", kind: .udp4, options: [.reuseAddress(true), .reuseAddress(false)], uid: 7))
  }

  @Test(arguments: [
    "1.2.3.4", "0.0.0.0", "255.255.255.255", "01.2.3.4", "::", "::1", "1::", "1::2",
    "2001:db8::1", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "::ffff:1.2.3.4",
    "1:2:3:4:5:6:1.2.3.4", "::1.2.3.4", "FE80::AbCd", "1.2.3", "1.2.3.4.5", "256.1.1.1",
    "1..2.3", "1234.1.1.1", ":::", "1:::2", ":1", "1:", "1::2::3", "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7:8::", "12345::", "g::1", "::1.2.3", "1.2.3.4::", "1:2:3:4:5:6:7:1.2.3.4", "",
  ])
  func `addresses are read exactly as IPAddress reads them`(text: String) {
    let error = parseError("socket s udp6\njoin s \(text.isEmpty ? "[]" : text)")
    #expect((error == nil) == (IPAddress(text) != nil))
    if IPAddress(text) != nil {
      let scenario = try? ScenarioParser.parse("socket s udp6\njoin s \(text)")
      #expect(
        scenario?.statements.last?.action
          == .join(name: "s", group: IPAddress(text)!, interface: nil))
    }
  }
}
