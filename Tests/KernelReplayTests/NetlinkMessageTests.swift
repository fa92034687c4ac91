import BindModel
import Testing

@testable import KernelReplay

/// Byte-exact expectations, written out from the kernel's UAPI layouts:
/// `struct nlmsghdr { __u32 nlmsg_len; __u16 nlmsg_type; __u16 nlmsg_flags; __u32 nlmsg_seq;
/// __u32 nlmsg_pid; }`, `struct ifinfomsg { u8 family; u8 pad; u16 type; s32 index;
/// u32 flags; u32 change; }`, `struct ifaddrmsg { u8 family; u8 prefixlen; u8 flags; u8 scope;
/// u32 index; }`, `struct rtattr { u16 rta_len; u16 rta_type; }` padded to 4 bytes.
/// Integers are little-endian (x86_64/AArch64), addresses in network order.
@Suite struct NetlinkMessageTests {
  @Test func `link up is RTM_NEWLINK with IFF_UP in flags and change`() {
    let expected: [UInt8] = [
      32, 0, 0, 0,  // nlmsg_len
      16, 0,  // RTM_NEWLINK
      0x05, 0x00,  // NLM_F_REQUEST | NLM_F_ACK
      1, 0, 0, 0,  // seq
      0, 0, 0, 0,  // pid
      0, 0, 0, 0,  // ifi_family AF_UNSPEC, pad, ifi_type
      7, 0, 0, 0,  // ifi_index
      1, 0, 0, 0,  // ifi_flags IFF_UP
      1, 0, 0, 0,  // ifi_change IFF_UP
    ]
    #expect(NetlinkMessage.setLinkUp(index: 7, sequence: 1).bytes == expected)
  }

  @Test func `a veth pair nests the peer's ifinfomsg and name inside IFLA_LINKINFO`() {
    let zeros16 = [UInt8](repeating: 0, count: 16)
    let expected: [UInt8] =
      [
        92, 0, 0, 0, 16, 0,
        0x05, 0x06,  // REQUEST | ACK | EXCL (0x200) | CREATE (0x400)
        2, 0, 0, 0, 0, 0, 0, 0,
      ]
      + zeros16  // ifinfomsg
      + [7, 0, 3, 0, 0x76, 0x30, 0, 0]  // IFLA_IFNAME "v0\0", 1 byte of padding
      + [52, 0, 18, 0]  // IFLA_LINKINFO, 4 + 12 + 36
      + [9, 0, 1, 0, 0x76, 0x65, 0x74, 0x68, 0, 0, 0, 0]  // IFLA_INFO_KIND "veth\0" + 3 pad
      + [36, 0, 2, 0]  // IFLA_INFO_DATA, 4 + 32
      + [32, 0, 1, 0]  // VETH_INFO_PEER, 4 + 16 + 12
      + zeros16  // the peer's ifinfomsg
      + [9, 0, 3, 0, 0x62, 0x73, 0x70, 0x30, 0, 0, 0, 0]  // IFLA_IFNAME "bsp0\0" + 3 pad
    #expect(NetlinkMessage.createVethPair(name: "v0", peer: "bsp0", sequence: 2).bytes == expected)
  }

  @Test func `a cable's peer carries IFLA_NET_NS_FD next to its name`() {
    let zeros16 = [UInt8](repeating: 0, count: 16)
    let expected: [UInt8] =
      [
        104, 0, 0, 0, 16, 0, 0x05, 0x06,  // RTM_NEWLINK, REQUEST | ACK | EXCL | CREATE
        3, 0, 0, 0, 0, 0, 0, 0,
      ]
      + zeros16  // ifinfomsg
      + [9, 0, 3, 0, 0x65, 0x74, 0x68, 0x30, 0, 0, 0, 0]  // IFLA_IFNAME "eth0\0" + 3 pad
      + [60, 0, 18, 0]  // IFLA_LINKINFO, 4 + 12 + 44
      + [9, 0, 1, 0, 0x76, 0x65, 0x74, 0x68, 0, 0, 0, 0]  // IFLA_INFO_KIND "veth\0" + 3 pad
      + [44, 0, 2, 0]  // IFLA_INFO_DATA, 4 + 40
      + [40, 0, 1, 0]  // VETH_INFO_PEER, 4 + 16 + 12 + 8
      + zeros16  // the peer's ifinfomsg
      + [9, 0, 3, 0, 0x65, 0x74, 0x68, 0x31, 0, 0, 0, 0]  // IFLA_IFNAME "eth1\0" + 3 pad
      + [8, 0, 28, 0, 5, 0, 0, 0]  // IFLA_NET_NS_FD 5
    #expect(
      NetlinkMessage.createVethPair(name: "eth0", peer: "eth1", peerNamespace: 5, sequence: 3)
        .bytes == expected)
  }

  @Test func `a link query is RTM_GETLINK for one index, and the answer has IFLA_OPERSTATE`() {
    let expected: [UInt8] = [
      32, 0, 0, 0, 18, 0, 0x01, 0x00, 6, 0, 0, 0, 0, 0, 0, 0,  // RTM_GETLINK, REQUEST
      0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // ifinfomsg, index 4
    ]
    #expect(NetlinkMessage.getLink(index: 4, sequence: 6).bytes == expected)
    let reply: [UInt8] =
      [52, 0, 0, 0, 16, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0]  // RTM_NEWLINK
      + [0, 0, 1, 0, 4, 0, 0, 0, 0x43, 0x10, 1, 0, 0, 0, 0, 0]  // ifinfomsg, UP|RUNNING...
      + [9, 0, 3, 0, 0x65, 0x74, 0x68, 0x30, 0, 0, 0, 0]  // IFLA_IFNAME "eth0"
      + [5, 0, 16, 0, 6, 0, 0, 0]  // IFLA_OPERSTATE IF_OPER_UP
    #expect(NetlinkMessage.parse(reply).first?.operationalState == 6)
    #expect(NetlinkMessage.parse(Array(reply[..<48])).isEmpty)  // shorter than nlmsg_len
    var withoutState = reply
    withoutState[0] = 44
    #expect(NetlinkMessage.parse(Array(withoutState[..<44])).first?.operationalState == nil)
  }

  @Test func `an IPv4 address carries local, address and broadcast`() {
    let address = InterfaceAddress(address: IPAddress("192.0.2.1")!, prefixLength: 24)
    let expected: [UInt8] = [
      48, 0, 0, 0, 20, 0, 0x05, 0x06, 3, 0, 0, 0, 0, 0, 0, 0,  // RTM_NEWADDR, create
      2, 24, 0, 0, 3, 0, 0, 0,  // AF_INET, /24, no flags, universe scope, index 3
      8, 0, 2, 0, 192, 0, 2, 1,  // IFA_LOCAL
      8, 0, 1, 0, 192, 0, 2, 1,  // IFA_ADDRESS
      8, 0, 4, 0, 192, 0, 2, 255,  // IFA_BROADCAST
    ]
    #expect(NetlinkMessage.addAddress(address, index: 3, sequence: 3).bytes == expected)
  }

  @Test func `a /31 has no broadcast and loopback addresses get host scope`() {
    let pointToPoint = InterfaceAddress(address: IPAddress("198.51.100.0")!, prefixLength: 31)
    #expect(
      NetlinkMessage.addAddress(pointToPoint, index: 2, sequence: 9).bytes == [
        40, 0, 0, 0, 20, 0, 0x05, 0x06, 9, 0, 0, 0, 0, 0, 0, 0,
        2, 31, 0, 0, 2, 0, 0, 0,
        8, 0, 2, 0, 198, 51, 100, 0,
        8, 0, 1, 0, 198, 51, 100, 0,
      ])
    let loopback = InterfaceAddress(address: IPAddress("127.0.0.2")!, prefixLength: 8)
    let bytes = NetlinkMessage.addAddress(loopback, index: 1, sequence: 1).bytes
    #expect(bytes[16..<24] == [2, 8, 0, 254, 1, 0, 0, 0])  // RT_SCOPE_HOST
    #expect(bytes[40..<48] == [8, 0, 4, 0, 127, 255, 255, 255])
  }

  @Test func `an IPv6 address is added with IFA_F_NODAD`() {
    let address = InterfaceAddress(address: IPAddress("2001:db8::1")!, prefixLength: 64)
    let raw: [UInt8] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    let expected: [UInt8] =
      [64, 0, 0, 0, 20, 0, 0x05, 0x06, 4, 0, 0, 0, 0, 0, 0, 0]
      + [10, 64, 0x02, 0, 3, 0, 0, 0]  // AF_INET6, /64, IFA_F_NODAD, scope 0, index 3
      + [20, 0, 2, 0] + raw  // IFA_LOCAL
      + [20, 0, 1, 0] + raw  // IFA_ADDRESS
    #expect(NetlinkMessage.addAddress(address, index: 3, sequence: 4).bytes == expected)
  }

  @Test func `a route lookup asks for one /128 destination`() {
    let expected: [UInt8] =
      [48, 0, 0, 0, 26, 0, 0x01, 0x00, 5, 0, 0, 0, 0, 0, 0, 0]  // RTM_GETROUTE, REQUEST
      + [10, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]  // struct rtmsg
      + [20, 0, 1, 0] + [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]  // RTA_DST ::1
    #expect(NetlinkMessage.getRoute(to: .loopback, sequence: 5).bytes == expected)
  }

  @Test(arguments: [
    ("abc", [8, 0, 3, 0, 0x61, 0x62, 0x63, 0] as [UInt8]),
    ("eth0", [9, 0, 3, 0, 0x65, 0x74, 0x68, 0x30, 0, 0, 0, 0]),
    ("", [5, 0, 3, 0, 0, 0, 0, 0]),
  ])
  func `attribute length excludes padding, encoding includes it`(name: String, bytes: [UInt8]) {
    #expect(NetlinkAttribute.string(3, name).bytes == bytes)
    #expect(NetlinkAttribute.parse(bytes[...]) == [NetlinkAttribute.string(3, name)])
  }

  @Test func `an error reply parses to its negative errno`() {
    let reply: [UInt8] =
      [36, 0, 0, 0, 2, 0, 0, 1, 42, 0, 0, 0, 0, 0, 0, 0]  // NLMSG_ERROR, seq 42
      + [0xEF, 0xFF, 0xFF, 0xFF]  // error = -17 (EEXIST)
      + [48, 0, 0, 0, 20, 0, 0x05, 0x06, 42, 0, 0, 0, 0, 0, 0, 0]  // the request's header
      + [16, 0, 0, 0, 3, 0, 2, 0, 43, 0, 0, 0, 0, 0, 0, 0]  // NLMSG_DONE, seq 43
    let messages = NetlinkMessage.parse(reply)
    #expect(messages.count == 2)
    #expect(messages.first?.sequence == 42)
    #expect(messages.first?.acknowledgementError == -17)
    #expect(messages.last?.acknowledgementError == nil)
  }

  @Test func `a route reply exposes rtm_type`() {
    let reply: [UInt8] =
      [28, 0, 0, 0, 24, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]  // RTM_NEWROUTE
      + [10, 128, 0, 0, 255, 2, 0, 2, 0, 0, 0, 0]  // table local, RTN_LOCAL
    #expect(NetlinkMessage.parse(reply).first?.routeType == 2)
  }

  @Test func `truncated input parses to nothing`() {
    #expect(NetlinkMessage.parse([32, 0, 0, 0, 16, 0]).isEmpty)
    #expect(NetlinkMessage.parse([64, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).isEmpty)
  }
}
