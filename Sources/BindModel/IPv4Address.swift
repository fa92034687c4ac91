/// An IPv4 address in host byte order (`in_addr_t` after `ntohl`).
public struct IPv4Address: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// The address as a 32-bit number, most significant octet first.
  public var rawValue: UInt32

  public init(rawValue: UInt32) { self.rawValue = rawValue }

  public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
    rawValue = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
  }

  /// Parses dotted-quad text such as `127.0.0.1`; returns nil for anything else.
  public init?(_ text: some StringProtocol) {
    var value: UInt32 = 0
    var octets = 0
    for part in text.split(separator: ".", omittingEmptySubsequences: false) {
      guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
        let octet = UInt32(part), octet <= 255
      else { return nil }
      value = value << 8 | octet
      octets += 1
    }
    guard octets == 4 else { return nil }
    rawValue = value
  }

  public static let any = IPv4Address(rawValue: 0)
  public static let loopback = IPv4Address(127, 0, 0, 1)
  public static let limitedBroadcast = IPv4Address(rawValue: 0xFFFF_FFFF)

  public var isAny: Bool { rawValue == 0 }
  /// 127.0.0.0/8.
  public var isLoopback: Bool { rawValue >> 24 == 127 }
  /// 224.0.0.0/4.
  public var isMulticast: Bool { rawValue >> 28 == 0xE }
  public var isLimitedBroadcast: Bool { rawValue == 0xFFFF_FFFF }

  public var description: String {
    "\(rawValue >> 24).\(rawValue >> 16 & 0xFF).\(rawValue >> 8 & 0xFF).\(rawValue & 0xFF)"
  }

  public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

  /// The network mask of a prefix length (0...32).
  public static func mask(prefixLength: Int) -> UInt32 {
    prefixLength == 0 ? 0 : UInt32.max << UInt32(32 - prefixLength)
  }
}
