/// An IPv6 address, stored as two 64-bit halves in network order of significance.
public struct IPv6Address: Hashable, Sendable, Comparable, CustomStringConvertible {
  public var high: UInt64
  public var low: UInt64

  public init(high: UInt64, low: UInt64) {
    self.high = high
    self.low = low
  }

  /// The eight 16-bit groups, most significant first.
  public init(groups: [UInt16]) {
    precondition(groups.count == 8)
    var h: UInt64 = 0
    var l: UInt64 = 0
    for i in 0..<4 { h = h << 16 | UInt64(groups[i]) }
    for i in 4..<8 { l = l << 16 | UInt64(groups[i]) }
    self.init(high: h, low: l)
  }

  /// `::ffff:a.b.c.d`, the v4-mapped form of an IPv4 address.
  public init(v4Mapped v4: IPv4Address) {
    self.init(high: 0, low: 0x0000_FFFF_0000_0000 | UInt64(v4.rawValue))
  }

  /// Parses RFC 4291 text (`::1`, `2001:db8::1`, `::ffff:127.0.0.1`); nil for anything else.
  public init?(_ text: some StringProtocol) {
    let text = String(text)
    guard !text.isEmpty, text.count <= 45, text.allSatisfy({ $0.isASCII }) else { return nil }
    let halves = text.split(separator: "::", maxSplits: 2, omittingEmptySubsequences: false)
    guard halves.count <= 2 else { return nil }
    func groups(_ part: Substring, allowV4Tail: Bool) -> [UInt16]? {
      if part.isEmpty { return [] }
      var result: [UInt16] = []
      let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
      for (i, piece) in pieces.enumerated() {
        if allowV4Tail, i == pieces.count - 1, piece.contains(".") {
          guard let v4 = IPv4Address(piece) else { return nil }
          result += [UInt16(v4.rawValue >> 16), UInt16(v4.rawValue & 0xFFFF)]
        } else {
          guard (1...4).contains(piece.count), piece.allSatisfy({ $0.isHexDigit }),
            let group = UInt16(piece, radix: 16)
          else { return nil }
          result.append(group)
        }
      }
      return result
    }
    if halves.count == 1 {
      guard let all = groups(halves[0], allowV4Tail: true), all.count == 8 else { return nil }
      self.init(groups: all)
    } else {
      guard let head = groups(halves[0], allowV4Tail: false),
        let tail = groups(halves[1], allowV4Tail: true), head.count + tail.count <= 7
      else { return nil }
      self.init(groups: head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail)
    }
  }

  public static let any = IPv6Address(high: 0, low: 0)
  public static let loopback = IPv6Address(high: 0, low: 1)

  public var groups: [UInt16] {
    (0..<4).map { UInt16(truncatingIfNeeded: high >> UInt64(48 - 16 * $0)) }
      + (0..<4).map { UInt16(truncatingIfNeeded: low >> UInt64(48 - 16 * $0)) }
  }

  public var isAny: Bool { high == 0 && low == 0 }
  public var isLoopback: Bool { high == 0 && low == 1 }
  /// `::ffff:0:0/96`.
  public var isV4Mapped: Bool { high == 0 && low >> 32 == 0xFFFF }
  /// The IPv4 address inside a v4-mapped address.
  public var v4Mapped: IPv4Address? {
    isV4Mapped ? IPv4Address(rawValue: UInt32(truncatingIfNeeded: low)) : nil
  }
  /// `ff00::/8`.
  public var isMulticast: Bool { high >> 56 == 0xFF }
  /// `fe80::/10`.
  public var isLinkLocal: Bool { high >> 54 == 0x3FA }
  /// Link-local or interface-local multicast (`ff02::/16`, `ff01::/16` scopes): needs a scope id.
  public var isScopedMulticast: Bool {
    isMulticast && (high >> 48 & 0xF == 2 || high >> 48 & 0xF == 1)
  }
  /// Whether binding this address needs a scope (`__ipv6_addr_needs_scope_id`).
  public var needsScope: Bool { isLinkLocal || isScopedMulticast }

  /// Whether the first `prefixLength` bits of both addresses agree.
  public func matches(_ other: IPv6Address, prefixLength: Int) -> Bool {
    if prefixLength <= 0 { return true }
    if prefixLength <= 64 {
      let m: UInt64 = prefixLength == 64 ? .max : ~(UInt64.max >> UInt64(prefixLength))
      return high & m == other.high & m
    }
    guard high == other.high else { return false }
    let bits = prefixLength - 64
    let m: UInt64 = bits == 64 ? .max : ~(UInt64.max >> UInt64(bits))
    return low & m == other.low & m
  }

  /// RFC 5952 text: lower case, the longest run of zero groups compressed, v4-mapped dotted.
  public var description: String {
    if let v4 = v4Mapped { return "::ffff:\(v4)" }
    let g = groups
    var bestStart = -1
    var bestLength = 1
    var i = 0
    while i < 8 {
      if g[i] == 0 {
        var j = i
        while j < 8, g[j] == 0 { j += 1 }
        if j - i > bestLength {
          bestStart = i
          bestLength = j - i
        }
        i = j
      } else {
        i += 1
      }
    }
    func hex(_ r: Range<Int>) -> String {
      r.map { String(g[$0], radix: 16) }.joined(separator: ":")
    }
    if bestStart < 0 { return hex(0..<8) }
    return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
  }

  public static func < (a: Self, b: Self) -> Bool { (a.high, a.low) < (b.high, b.low) }
}
