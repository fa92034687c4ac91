/// A 1-based position in a scenario file.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
  public var line: Int
  public var column: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  public var description: String { "\(line):\(column)" }
  public static func < (a: Self, b: Self) -> Bool { (a.line, a.column) < (b.line, b.column) }
}

/// An address with its prefix length, as in `interface eth0 192.0.2.130/24`.
public struct InterfaceAddress: Hashable, Sendable, CustomStringConvertible {
  public var address: IPAddress
  public var prefixLength: Int

  public init(address: IPAddress, prefixLength: Int) {
    self.address = address
    self.prefixLength = prefixLength
  }

  public var description: String { "\(address)/\(prefixLength)" }
}

/// One interface of one host, as named by `link HOST.IFACE HOST.IFACE`.
public struct HostInterface: Hashable, Sendable, CustomStringConvertible {
  public var host: String
  public var interface: String

  public init(host: String, interface: String) {
    self.host = host
    self.interface = interface
  }

  public var description: String { "\(host).\(interface)" }
}

/// What a statement does, with its operands.
public enum Action: Hashable, Sendable {
  case interface(name: String, addresses: [InterfaceAddress])
  case sysctl(Sysctl)
  case host(String)
  case link(HostInterface, HostInterface)
  case socket(name: String, kind: SocketKind, options: [SocketOption], uid: UInt32)
  case setsockopt(name: String, option: SocketOption)
  case bind(name: String, endpoint: EndpointSpec)
  case listen(name: String)
  case connect(name: String, endpoint: EndpointSpec)
  case disconnect(name: String)
  case accept(listener: String, name: String)
  case send(name: String, endpoint: EndpointSpec?)
  case join(name: String, group: IPAddress, interface: String?)
  case close(name: String)

  /// The keyword that starts the statement.
  public var keyword: String {
    switch self {
    case .interface: "interface"
    case .sysctl: "sysctl"
    case .host: "host"
    case .link: "link"
    case .socket: "socket"
    case .setsockopt: "setsockopt"
    case .bind: "bind"
    case .listen: "listen"
    case .connect: "connect"
    case .disconnect: "disconnect"
    case .accept: "accept"
    case .send: "send"
    case .join: "join"
    case .close: "close"
    }
  }

  /// The socket a call acts on (the listener for `accept`); nil for environment statements.
  public var socketName: String? {
    switch self {
    case .interface, .sysctl, .host, .link: nil
    case .socket(let name, _, _, _), .setsockopt(let name, _), .bind(let name, _),
      .listen(let name), .connect(let name, _), .disconnect(let name), .send(let name, _),
      .join(let name, _, _), .close(let name):
      name
    case .accept(let listener, _): listener
    }
  }

  /// Whether the statement is a call that has an outcome (everything but the environment).
  public var isCall: Bool { socketName != nil }
}

/// One line of a scenario: an action, where it was written and what the author expects.
public struct Statement: Hashable, Sendable {
  public var action: Action
  public var location: SourceLocation
  /// The outcomes the file allows, if it wrote `=> ...`.
  public var expectation: OutcomeSet?
  /// The source text of the statement (without comment or expectation), for reports.
  public var text: String

  public init(action: Action, location: SourceLocation, expectation: OutcomeSet?, text: String) {
    self.action = action
    self.location = location
    self.expectation = expectation
    self.text = text
  }
}

/// A parsed scenario file.
public struct Scenario: Hashable, Sendable {
  public var statements: [Statement]

  public init(statements: [Statement]) { self.statements = statements }
}
