/// The KIND of a `socket` statement: protocol and address family.
public enum SocketKind: String, Hashable, Sendable, CaseIterable, Codable {
  case udp4, udp6, tcp4, tcp6

  public var transport: TransportProtocol {
    switch self {
    case .udp4, .udp6: .udp
    case .tcp4, .tcp6: .tcp
    }
  }

  public var family: AddressFamily {
    switch self {
    case .udp4, .tcp4: .inet
    case .udp6, .tcp6: .inet6
    }
  }
}
