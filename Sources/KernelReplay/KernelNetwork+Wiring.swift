import BindModel
@preconcurrency import Glibc

extension KernelNetwork {
  /// Lays one cable: a veth pair created in `a`'s namespace (`RTM_NEWLINK`), whose peer is
  /// created in `b`'s (`IFLA_NET_NS_FD`), then each end brought up in its own namespace
  /// (`IFF_UP`; the carrier comes on when both are up, `veth_open`).
  func wire(_ a: HostInterface, _ b: HostInterface) throws(SystemError) {
    guard let peerNamespace = hosts[b.host]?.namespace else {
      throw SystemError(code: EINVAL, call: "setns(\(b.host))")
    }
    try enter(a.host)
    var netlink = try RouteNetlink()
    try netlink.createVethPair(
      name: a.interface, peer: b.interface, peerNamespace: peerNamespace.descriptor)
    try bringUp(a.interface, with: &netlink)
    try enter(b.host)
    var there = try RouteNetlink()
    try bringUp(b.interface, with: &there)
  }

  /// `ip link set NAME up` in the current host, which remembers the interface as its own.
  ///
  /// An interface of the scenario also gets its `multicast ff00::/8` route at once. addrconf
  /// would add it only when the carrier comes on (`NETDEV_CHANGE`, from the link-watch work),
  /// so two interfaces declared one after the other got their routes in either order, and
  /// IPv6 multicast without an interface takes the first (`fib6_add_rt2node` appends routes
  /// of equal metric); added here, the routes are in declaration order, as the model has it.
  private func bringUp(
    _ name: String, isHiddenPeer: Bool = false, with netlink: inout RouteNetlink
  ) throws(SystemError) {
    guard let index = interfaceIndex(name) else {
      throw SystemError(code: ENODEV, call: "if_nametoindex(\(name))")
    }
    try netlink.setLinkUp(index: index)
    if !isHiddenPeer {
      try netlink.addIPv6MulticastRoute(index: index)
      // A SYN to an on-link address nobody has waits for neighbour resolution, which gives
      // up after mcast_solicit probes a second apart (3 s by default) and then fails the
      // connection with EHOSTUNREACH. Whether a scenario's later steps come before or after
      // that depends on how loaded the machine is; with 100 probes no scenario lives long
      // enough to see it, and the SYN simply stays unanswered, as the model has it.
      for family in ["ipv4", "ipv6"] {
        try writeExistingFile("/proc/sys/net/\(family)/neigh/\(name)/mcast_solicit", "100")
      }
    }
    hosts[currentHost]?.interfaces.append(name)
    needsReadiness = true
  }

  /// `interface NAME CIDR...` in the current host: a name the host does not have yet (a
  /// cable end already exists) becomes one end of a veth pair whose peer (`bsp<N>`) stays
  /// in this namespace, both ends up so that the carrier is on; then each address is added
  /// (an address already present is fine) and every IPv6 address is waited for until the
  /// kernel delivers to it locally (reference §15 item 6).
  ///
  /// The peer is a replay artifact, so IPv6 is disabled on it before it comes up: otherwise
  /// addrconf gives it a `multicast ff00::/8` route too, often ahead of the interface's own,
  /// and IPv6 multicast without an interface would leave by the peer (or not, by timing).
  func configureInterface(_ name: String, addresses: [InterfaceAddress]) throws(SystemError) {
    var netlink = try RouteNetlink()
    if interfaceIndex(name) == nil {
      let peer = nextPeerName()
      try netlink.createVethPair(name: name, peer: peer)
      try writeExistingFile("/proc/sys/net/ipv6/conf/\(peer)/disable_ipv6", "1")
      try bringUp(name, with: &netlink)
      try bringUp(peer, isHiddenPeer: true, with: &netlink)
    }
    guard let index = interfaceIndex(name) else {
      throw SystemError(code: ENODEV, call: "if_nametoindex(\(name))")
    }
    for address in addresses {
      do {
        try netlink.addAddress(address, index: index)
      } catch  where error.code == EEXIST {
        continue
      }
      if case .v6(let v6) = address.address { hosts[currentHost]?.ipv6Addresses.append(v6) }
      needsReadiness = true
    }
    for address in addresses {
      if case .v6(let v6) = address.address { try netlink.waitUntilLocal(v6) }
    }
  }

  /// `bsp0`, `bsp1`, ...: the first peer name no interface of the current host has yet.
  private func nextPeerName() -> String {
    while true {
      let number = hosts[currentHost]?.vethPairs ?? 0
      hosts[currentHost]?.vethPairs = number + 1
      let name = "bsp\(number)"
      if interfaceIndex(name) == nil { return name }
    }
  }

  /// Waits until every host can use what it was given: every interface bindsim created is
  /// operationally up (`IF_OPER_UP` in `RTM_GETLINK`: the link-watch work has activated its
  /// transmit queue, so packets over a cable are no longer dropped) and every IPv6 address
  /// has its local route (`RTM_GETROUTE` answers `RTN_LOCAL`: `addrconf` has finished with
  /// it, including joining its solicited-node group, so neighbour discovery across a cable
  /// works; addresses are added with `IFA_F_NODAD`, so there is no duplicate-address
  /// detection to wait for).
  ///
  /// Call it after the `interface` statements and before the first socket call; `perform`
  /// also calls it, best effort, before the first call after a change. The thread stays in
  /// (or returns to) the host it was in.
  public func waitUntilReady() throws(SystemError) {
    let back = currentHost
    defer { try? enter(back) }
    for name in hostNames {
      guard let host = hosts[name], !(host.interfaces.isEmpty && host.ipv6Addresses.isEmpty)
      else { continue }
      try enter(name)
      var netlink = try RouteNetlink()
      for interface in host.interfaces {
        guard let index = interfaceIndex(interface) else {
          throw SystemError(code: ENODEV, call: "if_nametoindex(\(interface))")
        }
        try netlink.waitUntilUp(index: index)
      }
      for address in host.ipv6Addresses { try netlink.waitUntilLocal(address) }
    }
    needsReadiness = false
  }
}
