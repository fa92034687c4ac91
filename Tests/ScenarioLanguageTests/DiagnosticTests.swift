import BindModel
import ScenarioLanguage
import Testing

/// Exact compiler-style reports for files that are wrong: message, line, caret and note.
struct DiagnosticTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var source: String
    var report: String
    var testDescription: String { name }
  }

  static let statements: [Case] = [
    Case(
      name: "unknown statement with did-you-mean", source: "socket a udp4\nbnid a 1.2.3.4:5",
      report: """
        test.scenario:2:1: error: unknown statement 'bnid'
        bnid a 1.2.3.4:5
        ^~~~
        note: did you mean 'bind'?
        """),
    Case(
      name: "keywords are lower-case", source: "Socket a udp4",
      report: """
        test.scenario:1:1: error: unknown statement 'Socket'
        Socket a udp4
        ^~~~~~
        note: did you mean 'socket'?
        """),
    Case(
      name: "unknown statement without suggestion", source: "frobnicate x",
      report: """
        test.scenario:1:1: error: unknown statement 'frobnicate'
        frobnicate x
        ^~~~~~~~~~
        """),
    Case(
      name: "missing operand points past the last word", source: "socket a udp4\nlisten",
      report: """
        test.scenario:2:7: error: missing NAME: expected 'listen NAME'
        listen
              ^
        """),
    Case(
      name: "extra operand", source: "socket a udp4\nbind a 1.2.3.4:5 6",
      report: """
        test.scenario:2:18: error: unexpected '6': expected 'bind NAME ENDPOINT'
        bind a 1.2.3.4:5 6
                         ^
        """),
    Case(
      name: "expectation without statement", source: "  => ok",
      report: """
        test.scenario:1:3: error: missing statement before '=>'
          => ok
          ^~
        """),
  ]

  static let options: [Case] = [
    Case(
      name: "unknown option", source: "socket a udp4 SO_REUSEPROT",
      report: """
        test.scenario:1:15: error: unknown option 'SO_REUSEPROT'
        socket a udp4 SO_REUSEPROT
                      ^~~~~~~~~~~~
        note: did you mean 'SO_REUSEPORT'?
        """),
    Case(
      name: "lower-case option", source: "socket a udp4 so_reuseaddr=1",
      report: """
        test.scenario:1:15: error: unknown option 'so_reuseaddr'
        socket a udp4 so_reuseaddr=1
                      ^~~~~~~~~~~~
        note: did you mean 'SO_REUSEADDR'?
        """),
    Case(
      name: "flag value", source: "socket a udp4 SO_REUSEADDR=2",
      report: """
        test.scenario:1:28: error: 'SO_REUSEADDR' expects 0 or 1, not '2'
        socket a udp4 SO_REUSEADDR=2
                                   ^
        """),
    Case(
      name: "option that needs a value", source: "socket a tcp4 SO_LINGER",
      report: """
        test.scenario:1:15: error: 'SO_LINGER' needs a value, like 'SO_LINGER=0'
        socket a tcp4 SO_LINGER
                      ^~~~~~~~~
        """),
    Case(
      name: "multicast interface must be IPv4", source: "socket a udp4 IP_MULTICAST_IF=eth0",
      report: """
        test.scenario:1:31: error: 'eth0' is not an IPv4 address
        socket a udp4 IP_MULTICAST_IF=eth0
                                      ^~~~
        """),
    Case(
      name: "uid out of range", source: "socket a udp4 uid=4294967295",
      report: """
        test.scenario:1:19: error: uid 4294967295 is out of range (0-4294967294)
        socket a udp4 uid=4294967295
                          ^~~~~~~~~~
        """),
    Case(
      name: "uid is only for socket", source: "socket a udp4\nsetsockopt a uid=3",
      report: """
        test.scenario:2:14: error: 'uid' is not a socket option: it is only allowed on 'socket'
        setsockopt a uid=3
                     ^~~
        """),
    Case(
      name: "unknown socket kind", source: "socket a udp",
      report: """
        test.scenario:1:10: error: unknown socket kind 'udp'
        socket a udp
                 ^~~
        note: did you mean 'udp4'?
        """),
  ]

  static let sysctls: [Case] = [
    Case(
      name: "unknown sysctl", source: "sysctl net.ipv4.ip_local_port_rang 1 2",
      report: """
        test.scenario:1:8: error: unknown sysctl 'net.ipv4.ip_local_port_rang'
        sysctl net.ipv4.ip_local_port_rang 1 2
               ^~~~~~~~~~~~~~~~~~~~~~~~~~~
        note: did you mean 'net.ipv4.ip_local_port_range'?
        """),
    Case(
      name: "reversed port range", source: "sysctl net.ipv4.ip_local_port_range 100 10",
      report: """
        test.scenario:1:37: error: the low port 100 is above the high port 10
        sysctl net.ipv4.ip_local_port_range 100 10
                                            ^~~~~~
        """),
    Case(
      name: "port range starts at 1", source: "sysctl net.ipv4.ip_local_port_range 0 10",
      report: """
        test.scenario:1:37: error: 0 is out of range (1-65535)
        sysctl net.ipv4.ip_local_port_range 0 10
                                            ^
        """),
    Case(
      name: "missing sysctl value", source: "sysctl net.ipv4.ip_local_port_range 1",
      report: """
        test.scenario:1:38: error: missing HIGH: \
        expected 'sysctl net.ipv4.ip_local_port_range LOW HIGH'
        sysctl net.ipv4.ip_local_port_range 1
                                             ^
        """),
    Case(
      name: "reserved ports list", source: "sysctl net.ipv4.ip_local_reserved_ports 40000,,5",
      report: """
        test.scenario:1:47: error: expected a port or a range like '40010-40020'
        sysctl net.ipv4.ip_local_reserved_ports 40000,,5
                                                      ^
        """),
    Case(
      name: "flag sysctl", source: "sysctl net.ipv6.bindv6only yes",
      report: """
        test.scenario:1:28: error: expected 0 or 1, not 'yes'
        sysctl net.ipv6.bindv6only yes
                                   ^~~
        """),
  ]

  static let outcomes: [Case] = [
    Case(
      name: "unknown errno", source: "socket a udp4\nbind a 1.2.3.4:5 => EADDRINUS",
      report: """
        test.scenario:2:21: error: unknown errno name 'EADDRINUS'
        bind a 1.2.3.4:5 => EADDRINUS
                            ^~~~~~~~~
        note: did you mean 'EADDRINUSE'?
        """),
    Case(
      name: "unknown receiver", source: "socket a udp4\nsend a 1.2.3.4:5 => srv",
      report: """
        test.scenario:2:21: error: unknown outcome 'srv'
        send a 1.2.3.4:5 => srv
                            ^~~
        """),
    Case(
      name: "mixing plus and bar",
      source: "socket a udp4\nsocket b udp4\nsend a 1.2.3.4:5 => a+b|a",
      report: """
        test.scenario:3:24: error: cannot mix '+' and '|' in one outcome
        send a 1.2.3.4:5 => a+b|a
                               ^
        """),
    Case(
      name: "mixing errnos and receivers", source: "socket a udp4\nsend a 1.2.3.4:5 => EINVAL|a",
      report: """
        test.scenario:2:28: error: cannot mix 'EINVAL' and 'a' in one outcome
        send a 1.2.3.4:5 => EINVAL|a
                                   ^
        """),
    Case(
      name: "errno joined with plus", source: "socket a udp4\nsend a 1.2.3.4:5 => a+EPERM",
      report: """
        test.scenario:2:23: error: only sockets can be joined with '+'
        send a 1.2.3.4:5 => a+EPERM
                              ^~~~~
        """),
    Case(
      name: "missing outcome", source: "socket a udp4\nlisten a =>",
      report: """
        test.scenario:2:12: error: missing outcome after '=>'
        listen a =>
                   ^
        """),
    Case(
      name: "dangling operator", source: "socket a udp4\nsend a 1.2.3.4:5 => a|",
      report: """
        test.scenario:2:23: error: missing outcome after '|'
        send a 1.2.3.4:5 => a|
                              ^
        """),
    Case(
      name: "upper-case ok", source: "socket a udp4\nlisten a => OK",
      report: """
        test.scenario:2:13: error: unknown outcome 'OK'
        listen a => OK
                    ^~
        note: did you mean 'ok'?
        """),
  ]

  static let endpoints: [Case] = [
    Case(
      name: "IPv4 endpoint without port", source: "socket a udp4\nbind a 127.0.0.1",
      report: """
        test.scenario:2:8: error: endpoint '127.0.0.1' has no port
        bind a 127.0.0.1
               ^~~~~~~~~
        """),
    Case(
      name: "IPv6 endpoint without port", source: "socket a udp6\nbind a [::1]",
      report: """
        test.scenario:2:8: error: endpoint '[::1]' has no port
        bind a [::1]
               ^~~~~
        """),
    Case(
      name: "port out of range", source: "socket a udp4\nbind a 1.2.3.4:70000",
      report: """
        test.scenario:2:16: error: port 70000 is out of range (0-65535)
        bind a 1.2.3.4:70000
                       ^~~~~
        """),
    Case(
      name: "IPv6 endpoint without brackets", source: "socket a udp6\nbind a ::1:80",
      report: """
        test.scenario:2:8: error: an IPv6 endpoint must be written in brackets
        bind a ::1:80
               ^~~~~~
        note: did you mean '[::1]:80'?
        """),
    Case(
      name: "IPv4 address in brackets", source: "socket a udp4\nbind a [127.0.0.1]:80",
      report: """
        test.scenario:2:8: error: an IPv4 address is written without brackets
        bind a [127.0.0.1]:80
               ^~~~~~~~~~~~~~
        note: did you mean '127.0.0.1:80'?
        """),
    Case(
      name: "bad IPv4 address", source: "socket a udp4\nbind a 1.2.3:80",
      report: """
        test.scenario:2:8: error: '1.2.3' is not an IPv4 address
        bind a 1.2.3:80
               ^~~~~
        """),
    Case(
      name: "port is not a number", source: "socket a udp4\nconnect a 1.2.3.4:http",
      report: """
        test.scenario:2:19: error: 'http' is not a port number
        connect a 1.2.3.4:http
                          ^~~~
        """),
    Case(
      name: "empty scope", source: "socket a udp6\nbind a [fe80::1%]:80",
      report: """
        test.scenario:2:17: error: missing interface name after '%'
        bind a [fe80::1%]:80
                        ^
        """),
  ]

  static let names: [Case] = [
    Case(
      name: "socket used before definition", source: "bind a 1.2.3.4:5\nsocket a udp4",
      report: """
        test.scenario:1:6: error: socket 'a' is used before its definition on line 2
        bind a 1.2.3.4:5
             ^
        """),
    Case(
      name: "socket held port before definition",
      source: "socket a udp4\nbind a 1.2.3.4:@b\nsocket b udp4",
      report: """
        test.scenario:2:17: error: socket 'b' is used before its definition on line 3
        bind a 1.2.3.4:@b
                        ^
        """),
    Case(
      name: "socket used after close", source: "socket a udp4\n\n# gone\nclose a\nbind a 1.2.3.4:5",
      report: """
        test.scenario:5:6: error: socket 'a' was closed on line 4
        bind a 1.2.3.4:5
             ^
        """),
    Case(
      name: "receiver after close",
      source: "socket a udp4\nsocket b udp4\nclose b\nsend a 1.2.3.4:5 => b",
      report: """
        test.scenario:4:21: error: socket 'b' was closed on line 3
        send a 1.2.3.4:5 => b
                            ^
        """),
    Case(
      name: "unknown socket with suggestion", source: "socket server udp4\nlisten sever",
      report: """
        test.scenario:2:8: error: unknown socket 'sever'
        listen sever
               ^~~~~
        note: did you mean 'server'?
        """),
    Case(
      name: "duplicate socket name", source: "socket a udp4\nsocket a udp6",
      report: """
        test.scenario:2:8: error: socket 'a' is already defined on line 1
        socket a udp6
               ^
        """),
    Case(
      name: "accept reuses a name", source: "socket l tcp4\nsocket c tcp4\naccept l c",
      report: """
        test.scenario:3:10: error: socket 'c' is already defined on line 2
        accept l c
                 ^
        """),
    Case(
      name: "invalid socket name", source: "socket 1a udp4",
      report: """
        test.scenario:1:8: error: '1a' is not a valid socket name
        socket 1a udp4
               ^~
        """),
    Case(
      name: "an outcome word cannot name a socket", source: "socket nobody udp4",
      report: """
        test.scenario:1:8: error: 'nobody' cannot name a socket: it is an outcome
        socket nobody udp4
               ^~~~~~
        """),
  ]

  static let environment: [Case] = [
    Case(
      name: "bad CIDR prefix", source: "interface eth0 192.0.2.1/33",
      report: """
        test.scenario:1:26: error: prefix length 33 is out of range for IPv4 (0-32)
        interface eth0 192.0.2.1/33
                                 ^~
        """),
    Case(
      name: "bad IPv6 CIDR prefix", source: "interface eth0 2001:db8::1/129",
      report: """
        test.scenario:1:28: error: prefix length 129 is out of range for IPv6 (0-128)
        interface eth0 2001:db8::1/129
                                   ^~~
        """),
    Case(
      name: "CIDR without prefix", source: "interface eth0 192.0.2.1",
      report: """
        test.scenario:1:16: error: '192.0.2.1' is not an address with a prefix length, \
        like '192.0.2.1/24'
        interface eth0 192.0.2.1
                       ^~~~~~~~~
        """),
    Case(
      name: "CIDR with a bad address", source: "interface eth0 192.0.2/24",
      report: """
        test.scenario:1:16: error: '192.0.2' is not an IP address
        interface eth0 192.0.2/24
                       ^~~~~~~
        """),
    Case(
      name: "interface name too long", source: "interface abcdefghijklmnop",
      report: """
        test.scenario:1:11: error: interface name 'abcdefghijklmnop' is longer than 15 characters
        interface abcdefghijklmnop
                  ^~~~~~~~~~~~~~~~
        """),
    Case(
      name: "lo cannot be linked", source: "host a\nhost b\nlink a.lo b.eth0",
      report: """
        test.scenario:3:8: error: 'lo' cannot be linked
        link a.lo b.eth0
               ^~
        """),
    Case(
      name: "link ends on one host", source: "host a\nlink a.eth0 a.eth1",
      report: """
        test.scenario:2:13: error: a link must join two different hosts, not 'a' twice
        link a.eth0 a.eth1
                    ^~~~~~
        """),
    Case(
      name: "interface linked twice",
      source: "host a\nhost b\nhost c\nlink a.eth0 b.eth0\nlink c.eth0 a.eth0",
      report: """
        test.scenario:5:13: error: interface 'a.eth0' is already linked on line 4
        link c.eth0 a.eth0
                    ^~~~~~
        """),
    Case(
      name: "link to an undeclared host",
      source: "host alpha\nhost beta\nlink alpha.eth0 betta.eth0",
      report: """
        test.scenario:3:17: error: unknown host 'betta'
        link alpha.eth0 betta.eth0
                        ^~~~~
        note: did you mean 'beta'?
        """),
    Case(
      name: "link end without a dot", source: "link aeth0 b.eth0",
      report: """
        test.scenario:1:6: error: expected HOST.IFACE, not 'aeth0'
        link aeth0 b.eth0
             ^~~~~
        """),
  ]

  static let layout: [Case] = [
    Case(
      name: "tab-indented line keeps its tabs under the caret",
      source: "socket a udp4\n\tbind\ta\t1.2.3:5",
      report: """
        test.scenario:2:9: error: '1.2.3' is not an IPv4 address
        \tbind\ta\t1.2.3:5
        \t    \t \t^~~~~
        """),
    Case(
      name: "columns count characters, not bytes", source: "# café\n  socket é udp4",
      report: """
        test.scenario:2:10: error: 'é' is not a valid socket name
          socket é udp4
                 ^
        """),
    Case(
      name: "NUL byte is binary data", source: "socket a\u{0} udp4",
      report: """
        test.scenario:1:9: error: binary data (NUL byte)
        socket a\u{0} udp4
                ^
        """),
    Case(
      name: "control character", source: "socket a udp4 \u{1B}[0m",
      report: """
        test.scenario:1:15: error: unexpected control character U+001B
        socket a udp4 \u{1B}[0m
                      ^
        """),
  ]

  @Test(
    arguments: statements + options + sysctls + outcomes + endpoints + names + environment + layout)
  func `wrong files are reported like a compiler`(_ c: Case) {
    #expect(rendered(c.source) == c.report)
  }

  @Test func `the error carries location, span and note`() throws {
    let error = try #require(parseError("socket a udp4 SO_REUSEPROT"))
    #expect(error.message == "unknown option 'SO_REUSEPROT'")
    #expect(error.location == SourceLocation(line: 1, column: 15))
    #expect(error.length == 12)
    #expect(error.note == "did you mean 'SO_REUSEPORT'?")
    #expect(error.description == "1:15: error: unknown option 'SO_REUSEPROT'")
  }

  @Test func `invalid UTF-8 is located at the offending byte`() throws {
    let bytes =
      Array("socket a udp4\nbind a 1.2.3.4:5 # caf".utf8) + [0xC3, 0x28] + Array(" x".utf8)
    let error = #expect(throws: ScenarioError.self) { try ScenarioParser.parse(bytes: bytes) }
    #expect(error?.message == "file is not UTF-8 text")
    #expect(error?.location == SourceLocation(line: 2, column: 23))
  }

  @Test(
    arguments: [
      [0xFF], [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
      [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82], [0x80],
    ] as [[UInt8]])
  func `every kind of invalid UTF-8 is refused`(sequence: [UInt8]) {
    let bytes = Array("# é\n".utf8) + sequence
    let error = #expect(throws: ScenarioError.self) { try ScenarioParser.parse(bytes: bytes) }
    #expect(error?.message == "file is not UTF-8 text")
    #expect(error?.location == SourceLocation(line: 2, column: 1))
  }

  @Test func `binary data in raw bytes is refused at the NUL`() throws {
    let bytes = Array("socket a udp4\n# ok\n  \u{7F}ELF".utf8) + [0, 1, 2]
    let error = #expect(throws: ScenarioError.self) { try ScenarioParser.parse(bytes: bytes) }
    #expect(error?.message == "unexpected control character U+007F")
    let nul = #expect(throws: ScenarioError.self) {
      try ScenarioParser.parse(bytes: Array("socket a udp4 # \u{0}".utf8))
    }
    #expect(nul?.message == "binary data (NUL byte)")
    #expect(nul?.location == SourceLocation(line: 1, column: 17))
  }
}
