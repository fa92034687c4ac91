import BindModel
import ScenarioLanguage
import Testing

/// The example at the top of `SCENARIO-LANGUAGE.md`, exactly as printed there.
struct ExampleTests {
  static let example = """
    # Foundations of Python Network Programming, chapter 2: two UDP servers, one port.
    interface eth0 192.0.2.130/24

    socket first udp4
    bind first 127.0.0.1:1060          => ok
    socket second udp4
    bind second 127.0.0.1:1060         => EADDRINUSE
    bind second 0.0.0.0:1060           => EADDRINUSE   # the wildcard includes 127.0.0.1
    bind second 192.0.2.130:1060       => ok

    socket client udp4
    send client 127.0.0.1:1060         => first
    send client 192.0.2.130:1060       => second

    """

  @Test func `the language page's example parses to its statements`() throws {
    let scenario = try ScenarioParser.parse(Self.example)
    let v4 = { (text: String, port: UInt16) in
      EndpointSpec(address: IPAddress(text)!, port: .number(port))
    }
    let expected: [(Int, Int, Action, OutcomeSet?, String)] = [
      (
        2, 1,
        .interface(
          name: "eth0",
          addresses: [InterfaceAddress(address: IPAddress("192.0.2.130")!, prefixLength: 24)]),
        nil, "interface eth0 192.0.2.130/24"
      ),
      (4, 1, .socket(name: "first", kind: .udp4, options: [], uid: 0), nil, "socket first udp4"),
      (
        5, 1, .bind(name: "first", endpoint: v4("127.0.0.1", 1060)), OutcomeSet(.ok),
        "bind first 127.0.0.1:1060"
      ),
      (6, 1, .socket(name: "second", kind: .udp4, options: [], uid: 0), nil, "socket second udp4"),
      (
        7, 1, .bind(name: "second", endpoint: v4("127.0.0.1", 1060)),
        OutcomeSet(.failed(.EADDRINUSE)), "bind second 127.0.0.1:1060"
      ),
      (
        8, 1, .bind(name: "second", endpoint: v4("0.0.0.0", 1060)),
        OutcomeSet(.failed(.EADDRINUSE)), "bind second 0.0.0.0:1060"
      ),
      (
        9, 1, .bind(name: "second", endpoint: v4("192.0.2.130", 1060)), OutcomeSet(.ok),
        "bind second 192.0.2.130:1060"
      ),
      (11, 1, .socket(name: "client", kind: .udp4, options: [], uid: 0), nil, "socket client udp4"),
      (
        12, 1, .send(name: "client", endpoint: v4("127.0.0.1", 1060)),
        OutcomeSet(.delivered(["first"])), "send client 127.0.0.1:1060"
      ),
      (
        13, 1, .send(name: "client", endpoint: v4("192.0.2.130", 1060)),
        OutcomeSet(.delivered(["second"])), "send client 192.0.2.130:1060"
      ),
    ]
    #expect(
      scenario.statements
        == expected.map {
          Statement(
            action: $0.2, location: SourceLocation(line: $0.0, column: $0.1), expectation: $0.3,
            text: $0.4)
        })
  }
}
