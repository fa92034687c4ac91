/// A network interface of the modelled namespace: `lo`, or one declared by `interface`.
///
/// The name and the address lists live in one copy-on-write record, so that walking the
/// interfaces (every route and locality check does) copies one reference per interface.
public struct Interface: Hashable, Sendable {
  private struct Storage: Sendable {
    var name: String
    var addresses: [InterfaceAddress]
    var ipv4: [(address: IPv4Address, prefixLength: Int)] = []
    var ipv6: [(address: IPv6Address, prefixLength: Int)] = []
  }

  /// Always exactly one element.
  private var storage: [Storage]

  public var name: String {
    get { storage[0].name }
    set { storage[0].name = newValue }
  }
  /// The interface index (`ifindex`); `lo` is 1, declared interfaces follow in order.
  public var index: Int
  public var addresses: [InterfaceAddress] {
    get { storage[0].addresses }
    set {
      storage[0].addresses = newValue
      split()
    }
  }
  /// The IPv4 addresses with their prefix lengths.
  public var ipv4: [(address: IPv4Address, prefixLength: Int)] { storage[0].ipv4 }
  /// The IPv6 addresses with their prefix lengths.
  public var ipv6: [(address: IPv6Address, prefixLength: Int)] { storage[0].ipv6 }

  public init(name: String, index: Int, addresses: [InterfaceAddress]) {
    self.storage = [Storage(name: name, addresses: addresses)]
    self.index = index
    split()
  }

  private mutating func split() {
    storage[0].ipv4 = addresses.compactMap {
      if case .v4(let a) = $0.address { (a, $0.prefixLength) } else { nil }
    }
    storage[0].ipv6 = addresses.compactMap {
      if case .v6(let a) = $0.address { (a, $0.prefixLength) } else { nil }
    }
  }

  public static func == (a: Interface, b: Interface) -> Bool {
    a.name == b.name && a.index == b.index && a.addresses == b.addresses
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(name)
    hasher.combine(addresses)
  }

  public var isLoopback: Bool { name == "lo" }

}

/// The per-namespace sysctls the model reads, with a fresh namespace's defaults.
public struct SysctlSettings: Hashable, Sendable {
  public var portRange: ClosedRange<UInt16> = 32768...60999
  public var reservedPorts: [ClosedRange<UInt16>] = []
  public var unprivilegedPortStart = 1024
  public var ipv4NonlocalBind = false
  public var ipv6NonlocalBind = false
  public var bindv6only = false
  public var autobindReuse = false
  /// `reservedPorts` as a bitmap, one bit per port.
  public var reservedBits = [UInt64](repeating: 0, count: 1024)

  public init() {}

  public mutating func apply(_ sysctl: Sysctl) {
    switch sysctl {
    case .ipLocalPortRange(let low, let high): portRange = low...high
    case .ipLocalReservedPorts(let ranges):
      reservedPorts = ranges
      reservedBits = [UInt64](repeating: 0, count: 1024)
      for r in ranges {
        for p in r { reservedBits[Int(p >> 6)] |= 1 << UInt64(p & 63) }
      }
    case .ipUnprivilegedPortStart(let n): unprivilegedPortStart = n
    case .ipv4NonlocalBind(let on): ipv4NonlocalBind = on
    case .ipv6NonlocalBind(let on): ipv6NonlocalBind = on
    case .bindv6only(let on): bindv6only = on
    case .ipAutobindReuse(let on): autobindReuse = on
    }
  }

  /// `inet_is_local_reserved_port`.
  public func isReserved(_ port: UInt16) -> Bool {
    reservedPorts.contains { $0.contains(port) }
  }
}
