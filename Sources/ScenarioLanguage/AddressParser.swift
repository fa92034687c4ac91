import BindModel

/// Reads IPv4 and IPv6 addresses straight from the bytes of a word.
///
/// It accepts exactly what `IPv4Address(_:)` and `IPv6Address(_:)` accept (the tests hold
/// them to that), but with plain loops, so a file of a million endpoints parses quickly even
/// in a debug build.
enum AddressParser {
  /// `a.b.c.d` with four decimal octets of at most three digits each.
  static func ipv4(_ word: Word) -> IPv4Address? {
    ipv4(word, from: 0, to: word.count)
  }

  /// An IPv4 address in the bytes `lower..<upper` of `word`.
  static func ipv4(_ word: Word, from lower: Int, to upper: Int) -> IPv4Address? {
    var value: UInt32 = 0
    var octets = 0
    var octet: UInt32 = 0
    var digits = 0
    var i = lower
    while i <= upper {
      if i == upper || word[i] == 0x2E {  // '.'
        guard digits > 0, octet <= 255 else { return nil }
        value = value << 8 | octet
        octets += 1
        octet = 0
        digits = 0
      } else {
        let byte = word[i]
        guard byte >= 0x30, byte <= 0x39, digits < 3 else { return nil }
        octet = octet * 10 + UInt32(byte - 0x30)
        digits += 1
      }
      i += 1
    }
    guard octets == 4 else { return nil }
    return IPv4Address(rawValue: value)
  }

  /// RFC 4291 text: up to eight hex groups, one `::`, an optional dotted IPv4 tail.
  static func ipv6(_ word: Word) -> IPv6Address? {
    ipv6(word, from: 0, to: word.count)
  }

  /// An IPv6 address in the bytes `lower..<upper` of `word`.
  static func ipv6(_ word: Word, from lower: Int, to upper: Int) -> IPv6Address? {
    guard upper > lower, upper - lower <= 45 else { return nil }
    // The groups before `::` (or all of them) and those after it, as 128-bit registers.
    var head = GroupRegister()
    var tail = GroupRegister()
    var hasGap = false
    var i = lower
    if upper - lower >= 2, word[i] == 0x3A, word[i + 1] == 0x3A {
      hasGap = true
      i += 2
      if i == upper { return IPv6Address(high: 0, low: 0) }
    }
    while true {
      // One group (or the IPv4 tail) starts at i.
      var end = i
      var isDotted = false
      while end < upper, word[end] != 0x3A {
        if word[end] == 0x2E { isDotted = true }
        end += 1
      }
      let count = head.count + tail.count
      if isDotted {
        guard end == upper, count <= 6, let v4 = ipv4(word, from: i, to: end) else { return nil }
        if hasGap {
          tail.push(UInt16(v4.rawValue >> 16))
          tail.push(UInt16(v4.rawValue & 0xFFFF))
        } else {
          head.push(UInt16(v4.rawValue >> 16))
          head.push(UInt16(v4.rawValue & 0xFFFF))
        }
        break
      }
      guard end > i, end - i <= 4, count < 8 else { return nil }
      var group: UInt16 = 0
      var k = i
      while k < end {
        guard let digit = hexValue(word[k]) else { return nil }
        group = group << 4 | UInt16(digit)
        k += 1
      }
      if hasGap { tail.push(group) } else { head.push(group) }
      if end == upper { break }
      // A colon follows: a second one right after it is the `::`.
      i = end + 1
      if i < upper, word[i] == 0x3A {
        guard !hasGap else { return nil }
        hasGap = true
        i += 1
        if i == upper { break }
      } else if i == upper {
        return nil
      }
    }
    let count = head.count + tail.count
    guard hasGap ? count <= 7 : count == 8 else { return nil }
    var address = head
    while address.count < 8 - tail.count { address.push(0) }
    address.append(tail)
    return IPv6Address(high: address.high, low: address.low)
  }

  /// Sixteen-bit groups shifted in from the right of a 128-bit value.
  private struct GroupRegister {
    var high: UInt64 = 0
    var low: UInt64 = 0
    var count = 0

    mutating func push(_ group: UInt16) {
      high = high << 16 | low >> 48
      low = low << 16 | UInt64(group)
      count += 1
    }

    /// Shifts in every group of `other`, in order.
    mutating func append(_ other: GroupRegister) {
      var k = 0
      while k < other.count {
        push(0)
        k += 1
      }
      high |= other.high
      low |= other.low
    }
  }

  /// An address of either family.
  static func ip(_ word: Word) -> IPAddress? {
    if word.firstOffset(of: 0x3A) != nil { return ipv6(word).map(IPAddress.v6) }
    return ipv4(word).map(IPAddress.v4)
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    if byte >= 0x30 && byte <= 0x39 { return byte - 0x30 }
    if byte >= 0x61 && byte <= 0x66 { return byte - 0x61 + 10 }
    if byte >= 0x41 && byte <= 0x46 { return byte - 0x41 + 10 }
    return nil
  }
}
