import BindModel

/// One rtnetlink message: `struct nlmsghdr` (`<linux/netlink.h>`) followed by a family header
/// (`struct ifinfomsg`, `struct ifaddrmsg`, `struct rtmsg`) and routing attributes.
///
/// This is pure byte encoding and decoding, in host byte order for the kernel's integers and
/// network byte order for addresses, exactly as `ip(8)` (iproute2) lays requests out.
public struct NetlinkMessage: Hashable, Sendable {
  /// `nlmsg_type`, such as `RTM_NEWLINK` (16).
  public var type: UInt16
  /// `nlmsg_flags`, such as `NLM_F_REQUEST | NLM_F_ACK`.
  public var flags: UInt16
  /// `nlmsg_seq`: matches a reply to its request.
  public var sequence: UInt32
  /// `nlmsg_pid`: 0 for messages to and from the kernel.
  public var portID: UInt32
  /// Everything after the 16-byte header: the family header and the attributes.
  public var payload: [UInt8]

  public init(type: UInt16, flags: UInt16, sequence: UInt32, portID: UInt32 = 0, payload: [UInt8]) {
    self.type = type
    self.flags = flags
    self.sequence = sequence
    self.portID = portID
    self.payload = payload
  }

  /// The encoding: `nlmsg_len` (header plus aligned payload), type, flags, sequence, port id,
  /// then the payload padded to 4 bytes.
  public var bytes: [UInt8] {
    var body = payload
    body.padToAlignment()
    var result: [UInt8] = []
    result.appendNative(UInt32(16 + body.count))
    result.appendNative(type)
    result.appendNative(flags)
    result.appendNative(sequence)
    result.appendNative(portID)
    return result + body
  }

  /// Splits a buffer received from a netlink socket (`NLMSG_OK`/`NLMSG_NEXT`); stops at the
  /// first malformed message.
  public static func parse(_ bytes: [UInt8]) -> [NetlinkMessage] {
    let all = bytes[...]
    var result: [NetlinkMessage] = []
    var offset = 0
    while offset + 16 <= all.count {
      guard let length: UInt32 = all.loadNative(at: offset),
        let type: UInt16 = all.loadNative(at: offset + 4),
        let flags: UInt16 = all.loadNative(at: offset + 6),
        let sequence: UInt32 = all.loadNative(at: offset + 8),
        let portID: UInt32 = all.loadNative(at: offset + 12),
        length >= 16, offset + Int(length) <= all.count
      else { break }
      result.append(
        NetlinkMessage(
          type: type, flags: flags, sequence: sequence, portID: portID,
          payload: Array(all[(offset + 16)..<(offset + Int(length))])))
      offset += netlinkAligned(Int(length))
    }
    return result
  }

  /// For `NLMSG_ERROR`: the `error` field of `struct nlmsgerr` (0 is an acknowledgement, a
  /// failure is a negative errno). nil for any other message.
  public var acknowledgementError: Int32? {
    guard type == RTNL.messageError else { return nil }
    return payload[...].loadNative(at: 0)
  }

  /// For `RTM_NEWROUTE`: `rtm_type` of `struct rtmsg` (`RTN_LOCAL` is 2).
  public var routeType: UInt8? {
    guard type == RTNL.newRoute, payload.count >= 12 else { return nil }
    return payload[7]
  }

  /// For `RTM_NEWLINK`: the `IFLA_OPERSTATE` attribute after the 16-byte `struct ifinfomsg`
  /// (`IF_OPER_UP` is 6). nil for any other message or when the attribute is missing.
  public var operationalState: UInt8? {
    guard type == RTNL.newLink, payload.count >= 16 else { return nil }
    let attributes = NetlinkAttribute.parse(payload[16...])
    return attributes.first { $0.type == RTNL.linkOperationalState }?.value.first
  }

  // MARK: Requests

  private static let requestAck = RTNL.flagRequest | RTNL.flagAck
  private static let create = requestAck | RTNL.flagCreate | RTNL.flagExclusive

  /// `ip link set dev <index> up`: `RTM_NEWLINK` with `ifi_flags = ifi_change = IFF_UP`.
  public static func setLinkUp(index: Int32, sequence: UInt32) -> NetlinkMessage {
    NetlinkMessage(
      type: RTNL.newLink, flags: requestAck, sequence: sequence,
      payload: interfaceInfo(index: index, flags: RTNL.interfaceUp, change: RTNL.interfaceUp))
  }

  /// `ip link add <name> type veth peer name <peer> [netns <fd>]`: `RTM_NEWLINK` with
  /// `IFLA_IFNAME` and `IFLA_LINKINFO { IFLA_INFO_KIND "veth", IFLA_INFO_DATA {
  /// VETH_INFO_PEER { ifinfomsg, IFLA_IFNAME [, IFLA_NET_NS_FD] } } }`, the nesting
  /// `veth_newlink` (drivers/net/veth.c) expects. With `peerNamespace` (a descriptor of a
  /// network namespace file) the peer is created in that namespace (`rtnl_get_peer_net`).
  public static func createVethPair(
    name: String, peer: String, peerNamespace: Int32? = nil, sequence: UInt32
  ) -> NetlinkMessage {
    var peerAttributes = [NetlinkAttribute.string(RTNL.linkName, peer)]
    if let peerNamespace {
      peerAttributes.append(
        .uint32(RTNL.linkNamespaceDescriptor, UInt32(bitPattern: peerNamespace)))
    }
    let peerInfo = NetlinkAttribute.nested(
      RTNL.vethPeer, header: interfaceInfo(index: 0, flags: 0, change: 0), peerAttributes)
    let linkInfo = NetlinkAttribute.nested(
      RTNL.linkInfo,
      [.string(RTNL.infoKind, "veth"), .nested(RTNL.infoData, [peerInfo])])
    let attributes = [NetlinkAttribute.string(RTNL.linkName, name), linkInfo]
    return NetlinkMessage(
      type: RTNL.newLink, flags: create, sequence: sequence,
      payload: interfaceInfo(index: 0, flags: 0, change: 0) + attributes.flatMap(\.bytes))
  }

  /// `ip addr add <address>/<prefix> [broadcast +] dev <index> [nodad]`: `RTM_NEWADDR` with
  /// `IFA_LOCAL` and `IFA_ADDRESS`; IPv4 adds `IFA_BROADCAST` for prefixes shorter than 31
  /// and uses host scope inside 127/8 (as iproute2 does); IPv6 sets `IFA_F_NODAD`.
  public static func addAddress(
    _ address: InterfaceAddress, index: Int32, sequence: UInt32
  ) -> NetlinkMessage {
    var header: [UInt8] = []
    var attributes: [NetlinkAttribute] = []
    switch address.address {
    case .v4(let v4):
      let bytes = v4.networkBytes
      header = [
        RTNL.familyInet, UInt8(address.prefixLength), 0, v4.isLoopback ? RTNL.scopeHost : 0,
      ]
      attributes = [
        NetlinkAttribute(type: RTNL.addressLocal, value: bytes),
        NetlinkAttribute(type: RTNL.addressAddress, value: bytes),
      ]
      if address.prefixLength < 31 {
        let broadcast = IPv4Address(
          rawValue: v4.rawValue | ~IPv4Address.mask(prefixLength: address.prefixLength))
        attributes.append(
          NetlinkAttribute(type: RTNL.addressBroadcast, value: broadcast.networkBytes))
      }
    case .v6(let v6):
      let bytes = v6.networkBytes
      header = [RTNL.familyInet6, UInt8(address.prefixLength), RTNL.addressNoDAD, 0]
      attributes = [
        NetlinkAttribute(type: RTNL.addressLocal, value: bytes),
        NetlinkAttribute(type: RTNL.addressAddress, value: bytes),
      ]
    }
    header.appendNative(UInt32(bitPattern: index))
    return NetlinkMessage(
      type: RTNL.newAddress, flags: create, sequence: sequence,
      payload: header + attributes.flatMap(\.bytes))
  }

  /// `ip link show dev <index>`: `RTM_GETLINK` with a `struct ifinfomsg` naming the index;
  /// the kernel answers with one `RTM_NEWLINK` (`rtnl_getlink`).
  public static func getLink(index: Int32, sequence: UInt32) -> NetlinkMessage {
    NetlinkMessage(
      type: RTNL.getLink, flags: RTNL.flagRequest, sequence: sequence,
      payload: interfaceInfo(index: index, flags: 0, change: 0))
  }

  /// `ip -6 route get <address>`: `RTM_GETROUTE` with a `struct rtmsg` for a /128 and
  /// `RTA_DST`; the kernel answers with the route it would use (`RTM_NEWROUTE`).
  public static func getRoute(to address: IPv6Address, sequence: UInt32) -> NetlinkMessage {
    let header: [UInt8] = [RTNL.familyInet6, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    let destination = NetlinkAttribute(type: RTNL.routeDestination, value: address.networkBytes)
    return NetlinkMessage(
      type: RTNL.getRoute, flags: RTNL.flagRequest, sequence: sequence,
      payload: header + destination.bytes)
  }

  /// `ip -6 route add multicast ff00::/8 dev <index> table local proto kernel metric 256`:
  /// the route `addrconf_add_mroute` gives an interface when its carrier comes on.
  public static func addIPv6MulticastRoute(index: Int32, sequence: UInt32) -> NetlinkMessage {
    // struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type, flags.
    let header: [UInt8] = [
      RTNL.familyInet6, 8, 0, 0, RTNL.tableLocal, RTNL.protocolKernel, 0,
      RTNL.routeTypeMulticast, 0, 0, 0, 0,
    ]
    let attributes = [
      NetlinkAttribute(
        type: RTNL.routeDestination, value: [0xff] + [UInt8](repeating: 0, count: 15)),
      .uint32(RTNL.routeOutputInterface, UInt32(bitPattern: index)),
      .uint32(RTNL.routePriority, 256),
    ]
    return NetlinkMessage(
      type: RTNL.newRoute, flags: create, sequence: sequence,
      payload: header + attributes.flatMap(\.bytes))
  }

  /// `struct ifinfomsg`: family `AF_UNSPEC`, padding, type 0, index, flags, change.
  private static func interfaceInfo(index: Int32, flags: UInt32, change: UInt32) -> [UInt8] {
    var result: [UInt8] = [RTNL.familyUnspecified, 0, 0, 0]
    result.appendNative(index)
    result.appendNative(flags)
    result.appendNative(change)
    return result
  }
}

extension IPv4Address {
  /// The four octets in network byte order (`struct in_addr`).
  var networkBytes: [UInt8] {
    [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: rawValue >> $0) }
  }
}

extension IPv6Address {
  /// The sixteen octets in network byte order (`struct in6_addr`).
  var networkBytes: [UInt8] {
    stride(from: 56, through: 0, by: -8).map { UInt8(truncatingIfNeeded: high >> UInt64($0)) }
      + stride(from: 56, through: 0, by: -8).map { UInt8(truncatingIfNeeded: low >> UInt64($0)) }
  }
}
