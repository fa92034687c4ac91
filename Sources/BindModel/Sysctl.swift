/// A per-namespace sysctl the language supports (`sysctl KEY VALUE...`).
public enum Sysctl: Hashable, Sendable, CustomStringConvertible {
  /// `net.ipv4.ip_local_port_range LOW HIGH` (also used by IPv6).
  case ipLocalPortRange(low: UInt16, high: UInt16)
  /// `net.ipv4.ip_local_reserved_ports LIST`.
  case ipLocalReservedPorts([ClosedRange<UInt16>])
  /// `net.ipv4.ip_unprivileged_port_start N` (also used by IPv6).
  case ipUnprivilegedPortStart(Int)
  /// `net.ipv4.ip_nonlocal_bind`.
  case ipv4NonlocalBind(Bool)
  /// `net.ipv6.ip_nonlocal_bind`.
  case ipv6NonlocalBind(Bool)
  /// `net.ipv6.bindv6only`: the default of IPV6_V6ONLY for new sockets.
  case bindv6only(Bool)
  /// `net.ipv4.ip_autobind_reuse`.
  case ipAutobindReuse(Bool)

  public static let keys = [
    "net.ipv4.ip_local_port_range", "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.ip_unprivileged_port_start", "net.ipv4.ip_nonlocal_bind",
    "net.ipv6.ip_nonlocal_bind", "net.ipv6.bindv6only", "net.ipv4.ip_autobind_reuse",
  ]

  public var key: String {
    switch self {
    case .ipLocalPortRange: "net.ipv4.ip_local_port_range"
    case .ipLocalReservedPorts: "net.ipv4.ip_local_reserved_ports"
    case .ipUnprivilegedPortStart: "net.ipv4.ip_unprivileged_port_start"
    case .ipv4NonlocalBind: "net.ipv4.ip_nonlocal_bind"
    case .ipv6NonlocalBind: "net.ipv6.ip_nonlocal_bind"
    case .bindv6only: "net.ipv6.bindv6only"
    case .ipAutobindReuse: "net.ipv4.ip_autobind_reuse"
    }
  }

  /// The value as written to `/proc/sys/net/...` (tab-separated for the port range).
  public var value: String {
    switch self {
    case .ipLocalPortRange(let low, let high): "\(low)\t\(high)"
    case .ipLocalReservedPorts(let ranges):
      ranges.map {
        $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)"
      }
      .joined(separator: ",")
    case .ipUnprivilegedPortStart(let n): "\(n)"
    case .ipv4NonlocalBind(let on), .ipv6NonlocalBind(let on), .bindv6only(let on),
      .ipAutobindReuse(let on):
      on ? "1" : "0"
    }
  }

  /// The path under `/proc/sys/`, e.g. `net/ipv4/ip_local_port_range`.
  public var procPath: String { key.split(separator: ".").joined(separator: "/") }

  public var description: String { "\(key) \(value.replacingTabs())" }
}

extension String {
  fileprivate func replacingTabs() -> String { split(separator: "\t").joined(separator: " ") }
}
