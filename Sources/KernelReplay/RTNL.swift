/// The rtnetlink constants bindsim uses, with the values of the Linux UAPI headers
/// (`<linux/netlink.h>`, `<linux/rtnetlink.h>`, `<linux/if_link.h>`, `<linux/if_addr.h>`,
/// `<linux/veth.h>`), which the Glibc module does not import.
enum RTNL {
  // <linux/netlink.h>
  /// `NETLINK_ROUTE`.
  static let protocolRoute: Int32 = 0
  /// `NLMSG_ERROR`: an error or (error 0) an acknowledgement.
  static let messageError: UInt16 = 2
  /// `NLMSG_DONE`: the end of a multipart dump.
  static let messageDone: UInt16 = 3
  /// `NLM_F_REQUEST`.
  static let flagRequest: UInt16 = 0x1
  /// `NLM_F_ACK`.
  static let flagAck: UInt16 = 0x4
  /// `NLM_F_EXCL`.
  static let flagExclusive: UInt16 = 0x200
  /// `NLM_F_CREATE`.
  static let flagCreate: UInt16 = 0x400

  // <linux/rtnetlink.h>
  /// `RTM_NEWLINK`.
  static let newLink: UInt16 = 16
  /// `RTM_GETLINK`.
  static let getLink: UInt16 = 18
  /// `RTM_NEWADDR`.
  static let newAddress: UInt16 = 20
  /// `RTM_NEWROUTE`.
  static let newRoute: UInt16 = 24
  /// `RTM_GETROUTE`.
  static let getRoute: UInt16 = 26
  /// `RTN_LOCAL`: a route whose packets are delivered to this host.
  static let routeTypeLocal: UInt8 = 2
  /// `RTN_MULTICAST`.
  static let routeTypeMulticast: UInt8 = 5
  /// `RT_TABLE_LOCAL`.
  static let tableLocal: UInt8 = 255
  /// `RTPROT_KERNEL`.
  static let protocolKernel: UInt8 = 2
  /// `RTA_DST`.
  static let routeDestination: UInt16 = 1
  /// `RTA_OIF`.
  static let routeOutputInterface: UInt16 = 4
  /// `RTA_PRIORITY`: the route's metric.
  static let routePriority: UInt16 = 6
  /// `RT_SCOPE_HOST`.
  static let scopeHost: UInt8 = 254

  // <linux/if_link.h>, <linux/veth.h>, <net/if.h>
  /// `IFLA_IFNAME`.
  static let linkName: UInt16 = 3
  /// `IFLA_OPERSTATE`: a `u8` RFC 2863 state (`IF_OPER_*`).
  static let linkOperationalState: UInt16 = 16
  /// `IFLA_LINKINFO`.
  static let linkInfo: UInt16 = 18
  /// `IFLA_NET_NS_FD`: a `u32` descriptor of the network namespace a new link goes into.
  static let linkNamespaceDescriptor: UInt16 = 28
  /// `IF_OPER_UP`: carrier on and the device's queues activated (`linkwatch_do_dev`).
  static let operationalStateUp: UInt8 = 6
  /// `IFLA_INFO_KIND`.
  static let infoKind: UInt16 = 1
  /// `IFLA_INFO_DATA`.
  static let infoData: UInt16 = 2
  /// `VETH_INFO_PEER`.
  static let vethPeer: UInt16 = 1
  /// `IFF_UP`.
  static let interfaceUp: UInt32 = 0x1

  // <linux/if_addr.h>
  /// `IFA_ADDRESS`.
  static let addressAddress: UInt16 = 1
  /// `IFA_LOCAL`.
  static let addressLocal: UInt16 = 2
  /// `IFA_BROADCAST`.
  static let addressBroadcast: UInt16 = 4
  /// `IFA_F_NODAD`: no duplicate address detection, the address is usable at once.
  static let addressNoDAD: UInt8 = 0x02

  // <bits/socket.h>
  /// `AF_UNSPEC`.
  static let familyUnspecified: UInt8 = 0
  /// `AF_INET`.
  static let familyInet: UInt8 = 2
  /// `AF_INET6`.
  static let familyInet6: UInt8 = 10
}
