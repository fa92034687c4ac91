/// The set of packet destinations a binding can match (reference §1.1): the basis of every
/// overlap test, as computed by `inet_rcv_saddr_equal(sk, sk2, match_wildcard=true)`.
public struct Coverage: Hashable, Sendable {
  /// Every IPv4 destination.
  public var allIPv4 = false
  /// Every IPv6 destination.
  public var allIPv6 = false
  /// One IPv4 destination.
  public var ipv4: IPv4Address?
  /// One IPv6 destination.
  public var ipv6: IPv6Address?

  /// The coverage of a socket of `family` bound to `address` (nil = the family's wildcard).
  @inline(__always)
  public init(family: AddressFamily, address: IPAddress?, v6Only: Bool) {
    switch (family, address) {
    case (.inet, nil): allIPv4 = true
    case (.inet, .v4(let a)?): if a.isAny { allIPv4 = true } else { ipv4 = a }
    case (.inet, .v6?): break
    case (.inet6, nil):
      allIPv6 = true
      allIPv4 = !v6Only
    case (.inet6, .v6(let a)?):
      if a.isAny {
        allIPv6 = true
        allIPv4 = !v6Only
      } else if let v4 = a.v4Mapped {
        if v4.isAny { allIPv4 = true } else { ipv4 = v4 }
      } else {
        ipv6 = a
      }
    case (.inet6, .v4(let a)?):
      if a.isAny { allIPv4 = true } else { ipv4 = a }
    }
  }

  @inline(__always)
  public init(of socket: borrowing ModelSocket) {
    self.init(family: socket.family, address: socket.localAddress, v6Only: socket.v6Only)
  }

  /// `overlap(A, B) := coverage(A) ∩ coverage(B) ≠ ∅`.
  @inline(__always)
  public func overlaps(_ other: Coverage) -> Bool {
    if allIPv4 && (other.allIPv4 || other.ipv4 != nil) { return true }
    if other.allIPv4 && ipv4 != nil { return true }
    if let a = ipv4, let b = other.ipv4, a == b { return true }
    if allIPv6 && (other.allIPv6 || other.ipv6 != nil) { return true }
    if other.allIPv6 && ipv6 != nil { return true }
    if let a = ipv6, let b = other.ipv6, a == b { return true }
    return false
  }

  /// Whether the binding matches a packet for `destination`.
  public func contains(_ destination: IPAddress) -> Bool {
    switch destination {
    case .v4(let a): allIPv4 || ipv4 == a
    case .v6(let a):
      if let v4 = a.v4Mapped { allIPv4 || ipv4 == v4 } else { allIPv6 || ipv6 == a }
    }
  }

  /// Whether it covers every address of some family (a wildcard binding).
  public var isWildcard: Bool { allIPv4 || allIPv6 }
}
