import BindModel
@preconcurrency import Glibc

extension KernelNetwork {
  /// `socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)` as the socket's user, in the
  /// current host's namespace, then one `setsockopt` per option; a failing option leaves the
  /// socket open with the options before it applied.
  func openSocket(
    _ name: String, kind: SocketKind, options: [SocketOption], identity: EffectiveIdentity
  ) -> Outcome {
    let family = kind.family == .inet ? AF_INET : AF_INET6
    let type = CInt((kind.transport == .udp ? SOCK_DGRAM : SOCK_STREAM).rawValue)
    let descriptor: CInt
    do {
      descriptor = try identity.run { () throws(SystemError) in
        try retryingInterrupts("socket") {
          Glibc.socket(family, type | LinuxCalls.nonBlocking | LinuxCalls.closeOnExec, 0)
        }
      }
    } catch {
      return .failed(error.errno)
    }
    register(
      name,
      OpenSocket(descriptor: descriptor, kind: kind, identity: identity, host: currentHost))
    for option in options {
      let outcome = onSocket(name) { (socket) throws(SystemError) in try apply(option, to: socket) }
      if outcome != .ok { return outcome }
    }
    return .ok
  }

  /// Files a new descriptor under its name (closing an older one of the same name).
  func register(_ name: String, _ socket: OpenSocket) {
    if let old = sockets.updateValue(socket, forKey: name) {
      closeDescriptor(old.descriptor)
      order.removeAll { $0 == name }
    }
    order.append(name)
  }

  /// One `setsockopt(2)` for a scenario option, at the level and with the value type the C
  /// option has; the kernel judges whether it fits the socket (an IPv6-level option on an
  /// AF_INET socket is its ENOPROTOOPT to give). Interface names are the current host's.
  func apply(_ option: SocketOption, to socket: OpenSocket) throws(SystemError) {
    let fd = socket.descriptor
    let call = "setsockopt(\(option.name))"
    switch option {
    case .reuseAddress, .reusePort, .broadcast, .ipv6V6Only, .freebind, .transparent,
      .bindAddressNoPort, .multicastAll:
      if let (level, name, on) = Self.flag(option) {
        try setIntOption(fd, level, name, on ? 1 : 0, call: call)
      }
    case .linger(let seconds):
      var value = linger(l_onoff: 1, l_linger: CInt(clamping: seconds))
      try setRawOption(fd, SOL_SOCKET, SO_LINGER, &value, call: call)
    case .bindToDevice(let device):
      // The name without its NUL (the kernel adds one); an empty name unbinds.
      var bytes = Array(device.utf8) + [0]
      let length = socklen_t(bytes.count - 1)
      _ = try retryingInterrupts(call) {
        bytes.withUnsafeMutableBytes {
          setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, $0.baseAddress, length)
        }
      }
    case .multicastInterface(let address):
      var value = in_addr(s_addr: address.rawValue.bigEndian)
      try setRawOption(fd, CInt(IPPROTO_IP), IP_MULTICAST_IF, &value, call: call)
    case .ipv6MulticastInterface(let device):
      let index = device.isEmpty ? 0 : interfaceIndex(device) ?? missingInterfaceIndex
      try setIntOption(fd, CInt(IPPROTO_IPV6), IPV6_MULTICAST_IF, index, call: call)
    }
  }

  /// The level and name of an `int` flag option, with the value to set; nil for the options
  /// that take another type.
  private static func flag(_ option: SocketOption) -> (CInt, CInt, Bool)? {
    let ip = CInt(IPPROTO_IP)
    switch option {
    case .reuseAddress(let on): return (SOL_SOCKET, SO_REUSEADDR, on)
    case .reusePort(let on): return (SOL_SOCKET, SO_REUSEPORT, on)
    case .broadcast(let on): return (SOL_SOCKET, SO_BROADCAST, on)
    case .ipv6V6Only(let on): return (CInt(IPPROTO_IPV6), IPV6_V6ONLY, on)
    case .freebind(let on): return (ip, IP_FREEBIND, on)
    case .transparent(let on): return (ip, IP_TRANSPARENT, on)
    case .bindAddressNoPort(let on): return (ip, IP_BIND_ADDRESS_NO_PORT, on)
    case .multicastAll(let on): return (ip, IP_MULTICAST_ALL, on)
    case .linger, .bindToDevice, .multicastInterface, .ipv6MulticastInterface: return nil
    }
  }

  /// `IP_ADD_MEMBERSHIP` (`struct ip_mreqn`) for an IPv4 group, `IPV6_JOIN_GROUP`
  /// (`struct ipv6_mreq`) for an IPv6 group.
  func join(
    _ group: IPAddress, interfaceIndex index: CInt, on socket: OpenSocket
  ) throws(SystemError) {
    switch group {
    case .v4(let address):
      var request = ip_mreqn()
      request.imr_multiaddr = in_addr(s_addr: address.rawValue.bigEndian)
      request.imr_ifindex = index
      try setRawOption(
        socket.descriptor, CInt(IPPROTO_IP), IP_ADD_MEMBERSHIP, &request,
        call: "setsockopt(IP_ADD_MEMBERSHIP)")
    case .v6(let address):
      var request = ipv6_mreq()
      withUnsafeMutableBytes(of: &request.ipv6mr_multiaddr) {
        $0.copyBytes(from: address.networkBytes)
      }
      request.ipv6mr_interface = UInt32(bitPattern: index)
      try setRawOption(
        socket.descriptor, CInt(IPPROTO_IPV6), IPV6_JOIN_GROUP, &request,
        call: "setsockopt(IPV6_JOIN_GROUP)")
    }
  }
}
