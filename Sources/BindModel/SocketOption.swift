/// A socket option as a scenario writes it (`SO_REUSEADDR`, `SO_BINDTODEVICE=eth0`, ...).
///
/// Flags carry their value: a bare name sets 1, `=0` clears.
public enum SocketOption: Hashable, Sendable, CustomStringConvertible {
  /// `SO_REUSEADDR` (`sk_reuse`).
  case reuseAddress(Bool)
  /// `SO_REUSEPORT` (`sk_reuseport`).
  case reusePort(Bool)
  /// `IPV6_V6ONLY` (`sk_ipv6only`); an IPv6-level option.
  case ipv6V6Only(Bool)
  /// `IP_FREEBIND`: bind to an address that is not local.
  case freebind(Bool)
  /// `IP_TRANSPARENT`: also allows non-local binds.
  case transparent(Bool)
  /// `SO_BROADCAST`: may send to a broadcast address.
  case broadcast(Bool)
  /// `IP_BIND_ADDRESS_NO_PORT`: `bind(addr, 0)` defers the port to `connect()`.
  case bindAddressNoPort(Bool)
  /// `IP_MULTICAST_ALL` (default 1): a wildcard socket receives every joined group.
  case multicastAll(Bool)
  /// `SO_LINGER` with `l_onoff=1` and this linger time; 0 makes `close` send a reset.
  case linger(seconds: Int)
  /// `SO_BINDTODEVICE=IFNAME` (`sk_bound_dev_if`); an empty name unbinds.
  case bindToDevice(String)
  /// `IP_MULTICAST_IF=ADDRESS`.
  case multicastInterface(IPv4Address)
  /// `IPV6_MULTICAST_IF=IFNAME`.
  case ipv6MulticastInterface(String)

  /// The C name, as in the scenario language.
  public var name: String {
    switch self {
    case .reuseAddress: "SO_REUSEADDR"
    case .reusePort: "SO_REUSEPORT"
    case .ipv6V6Only: "IPV6_V6ONLY"
    case .freebind: "IP_FREEBIND"
    case .transparent: "IP_TRANSPARENT"
    case .broadcast: "SO_BROADCAST"
    case .bindAddressNoPort: "IP_BIND_ADDRESS_NO_PORT"
    case .multicastAll: "IP_MULTICAST_ALL"
    case .linger: "SO_LINGER"
    case .bindToDevice: "SO_BINDTODEVICE"
    case .multicastInterface: "IP_MULTICAST_IF"
    case .ipv6MulticastInterface: "IPV6_MULTICAST_IF"
    }
  }

  /// Every option name the language knows, for "did you mean" suggestions.
  public static let names = [
    "SO_REUSEADDR", "SO_REUSEPORT", "IPV6_V6ONLY", "IP_FREEBIND", "IP_TRANSPARENT",
    "SO_BROADCAST", "IP_BIND_ADDRESS_NO_PORT", "IP_MULTICAST_ALL", "SO_LINGER",
    "SO_BINDTODEVICE", "IP_MULTICAST_IF", "IPV6_MULTICAST_IF",
  ]

  /// The scenario spelling: `SO_REUSEADDR`, `SO_REUSEADDR=0`, `SO_BINDTODEVICE=eth0`.
  public var description: String {
    switch self {
    case .reuseAddress(let on), .reusePort(let on), .ipv6V6Only(let on), .freebind(let on),
      .transparent(let on), .broadcast(let on), .bindAddressNoPort(let on), .multicastAll(let on):
      on ? name : "\(name)=0"
    case .linger(let seconds): "\(name)=\(seconds)"
    case .bindToDevice(let device): "\(name)=\(device)"
    case .multicastInterface(let address): "\(name)=\(address)"
    case .ipv6MulticastInterface(let device): "\(name)=\(device)"
    }
  }

  /// Whether the option is set at the IPv6 level (`SOL_IPV6`) and so refused on AF_INET sockets.
  public var isIPv6Level: Bool {
    switch self {
    case .ipv6V6Only, .ipv6MulticastInterface: true
    default: false
    }
  }
}
