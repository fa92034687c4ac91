/// An address of either family, as written in a scenario or stored in a socket.
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
  case v4(IPv4Address)
  case v6(IPv6Address)

  /// Parses `127.0.0.1` or `::1` (no brackets, no scope).
  public init?(_ text: some StringProtocol) {
    if let v4 = IPv4Address(text) {
      self = .v4(v4)
    } else if let v6 = IPv6Address(text) {
      self = .v6(v6)
    } else {
      return nil
    }
  }

  public var family: AddressFamily {
    switch self {
    case .v4: .inet
    case .v6: .inet6
    }
  }

  /// `0.0.0.0` or `::`.
  public var isAny: Bool {
    switch self {
    case .v4(let a): a.isAny
    case .v6(let a): a.isAny
    }
  }

  public var isMulticast: Bool {
    switch self {
    case .v4(let a): a.isMulticast
    case .v6(let a): a.isMulticast
    }
  }

  public var description: String {
    switch self {
    case .v4(let a): a.description
    case .v6(let a): a.description
    }
  }

  /// The IPv4 address a packet to this address is really for (`::ffff:a.b.c.d` is a.b.c.d).
  public var ipv4View: IPv4Address? {
    switch self {
    case .v4(let a): a
    case .v6(let a): a.v4Mapped
    }
  }
}

/// The address family of a socket: `AF_INET` or `AF_INET6`.
public enum AddressFamily: String, Hashable, Sendable, Codable {
  case inet = "AF_INET"
  case inet6 = "AF_INET6"
}

/// The transport protocol; TCP and UDP keep separate binding tables.
public enum TransportProtocol: String, Hashable, Sendable, Codable {
  case tcp
  case udp
}
