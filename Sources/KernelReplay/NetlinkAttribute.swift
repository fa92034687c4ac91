/// One routing attribute, `struct rtattr` (`<linux/rtnetlink.h>`) with its value: a 16-bit
/// length (header plus value, without padding), a 16-bit type, the value, then zero padding
/// to a 4-byte boundary (`RTA_ALIGN`).
///
/// A nested attribute (`IFLA_LINKINFO`, `IFLA_INFO_DATA`, `VETH_INFO_PEER`) is an attribute
/// whose value is a sequence of encoded attributes, optionally after a fixed header.
public struct NetlinkAttribute: Hashable, Sendable {
  /// `rta_type`.
  public var type: UInt16
  /// The value bytes, unpadded.
  public var value: [UInt8]

  public init(type: UInt16, value: [UInt8]) {
    self.type = type
    self.value = value
  }

  /// A NUL-terminated C string value (`IFLA_IFNAME`, `IFLA_INFO_KIND`).
  public static func string(_ type: UInt16, _ text: String) -> NetlinkAttribute {
    NetlinkAttribute(type: type, value: Array(text.utf8) + [0])
  }

  /// A 32-bit value in host byte order (`RTA_TABLE`, `IFA_FLAGS`).
  public static func uint32(_ type: UInt16, _ number: UInt32) -> NetlinkAttribute {
    var value: [UInt8] = []
    value.appendNative(number)
    return NetlinkAttribute(type: type, value: value)
  }

  /// A nested attribute: `header` (already 4-byte aligned, such as a `struct ifinfomsg`)
  /// followed by the encoded `children`, as `nla_nest_start`/`nla_nest_end` build it.
  public static func nested(
    _ type: UInt16, header: [UInt8] = [], _ children: [NetlinkAttribute]
  ) -> NetlinkAttribute {
    NetlinkAttribute(type: type, value: header + children.flatMap(\.bytes))
  }

  /// The encoding: `rta_len`, `rta_type`, value, padding.
  public var bytes: [UInt8] {
    var result: [UInt8] = []
    result.appendNative(UInt16(4 + value.count))
    result.appendNative(type)
    result += value
    result.padToAlignment()
    return result
  }

  /// Splits a run of encoded attributes (`RTA_OK`/`RTA_NEXT`); stops at the first malformed one.
  public static func parse(_ bytes: ArraySlice<UInt8>) -> [NetlinkAttribute] {
    var result: [NetlinkAttribute] = []
    var offset = bytes.startIndex
    while offset + 4 <= bytes.endIndex {
      guard let length: UInt16 = bytes.loadNative(at: offset),
        let type: UInt16 = bytes.loadNative(at: offset + 2),
        length >= 4, offset + Int(length) <= bytes.endIndex
      else { break }
      result.append(
        NetlinkAttribute(type: type, value: Array(bytes[(offset + 4)..<(offset + Int(length))])))
      offset += netlinkAligned(Int(length))
    }
    return result
  }
}

/// `NLMSG_ALIGN` / `RTA_ALIGN`: rounds up to a multiple of 4.
func netlinkAligned(_ length: Int) -> Int { (length + 3) & ~3 }

extension Array<UInt8> {
  /// Appends an integer in host byte order, as the kernel's netlink structs hold them.
  mutating func appendNative<T: FixedWidthInteger>(_ value: T) {
    Swift.withUnsafeBytes(of: value) { append(contentsOf: $0) }
  }

  /// Appends zero bytes up to the next multiple of 4.
  mutating func padToAlignment() {
    append(contentsOf: repeatElement(0, count: netlinkAligned(count) - count))
  }
}

extension ArraySlice<UInt8> {
  /// Reads an integer in host byte order at an absolute index, or nil past the end.
  func loadNative<T: FixedWidthInteger>(at offset: Int) -> T? {
    let size = MemoryLayout<T>.size
    guard offset >= startIndex, offset + size <= endIndex else { return nil }
    var value = T.zero
    Swift.withUnsafeMutableBytes(of: &value) { raw in
      for i in 0..<size { raw[i] = self[offset + i] }
    }
    return value
  }
}
