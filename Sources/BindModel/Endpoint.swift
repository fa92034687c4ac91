/// A concrete socket name: address, optional IPv6 scope (an interface name) and port.
public struct Endpoint: Hashable, Sendable, CustomStringConvertible {
  public var address: IPAddress
  /// The interface named after `%` in `[fe80::1%eth0]:1060`.
  public var scope: String?
  public var port: UInt16

  public init(address: IPAddress, scope: String? = nil, port: UInt16) {
    self.address = address
    self.scope = scope
    self.port = port
  }

  public var description: String {
    switch address {
    case .v4(let a): "\(a):\(port)"
    case .v6(let a): "[\(a)\(scope.map { "%\($0)" } ?? "")]:\(port)"
    }
  }
}

/// The port part of an endpoint as written: a number, or `@NAME` (the port socket NAME holds).
public enum PortSpec: Hashable, Sendable, CustomStringConvertible {
  case number(UInt16)
  case heldBy(String)

  public var description: String {
    switch self {
    case .number(let n): "\(n)"
    case .heldBy(let name): "@\(name)"
    }
  }
}

/// An endpoint as written in a scenario, before `@NAME` ports are resolved.
public struct EndpointSpec: Hashable, Sendable, CustomStringConvertible {
  public var address: IPAddress
  public var scope: String?
  public var port: PortSpec

  public init(address: IPAddress, scope: String? = nil, port: PortSpec) {
    self.address = address
    self.scope = scope
    self.port = port
  }

  /// The endpoint with its port filled in.
  public func resolved(port number: UInt16) -> Endpoint {
    Endpoint(address: address, scope: scope, port: number)
  }

  public var description: String {
    switch address {
    case .v4(let a): "\(a):\(port)"
    case .v6(let a): "[\(a)\(scope.map { "%\($0)" } ?? "")]:\(port)"
    }
  }
}
