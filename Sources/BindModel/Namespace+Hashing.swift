extension Namespace {
  /// Which families of ephemeral choice a socket blocks outright on its port: a wildcard
  /// binding with no device (and, for UDP, no reuse option that a newcomer could share).
  @inline(__always)
  static func blockerBits(of s: BindingView) -> (Bool, Bool) {
    guard s.deviceKey == 0 else { return (false, false) }
    if s.kind.transport == .udp && (s.reuseAddress || s.reusePort) { return (false, false) }
    let c = s.coverage
    return (c.allIPv4, c.allIPv6)
  }

  /// Puts a socket into its protocol's table on `port` (`inet_bind_hash` / `udp_lib_get_port`):
  /// at the head of the chain, at the tail for AF_INET6 sockets with SO_REUSEPORT.
  mutating func hash(_ id: SocketID, port: UInt16) {
    let s = bindingView(id)
    let bits = Self.blockerBits(of: s)
    let atTail = s.family == .inet6 && s.reusePort
    let key = PortTable.AddressKey(s.localAddress ?? (s.family == .inet ? .v4(.any) : .v6(.any)))
    let transport = s.kind.transport
    // One access to the record for the four fields.
    func record(_ s: inout ModelSocket) {
      s.localPort = port
      s.staleLocalPort = 0
      s.hashKey = key
      s.blockerFlags = (bits.0 ? 1 : 0) | (bits.1 ? 2 : 0)
    }
    record(&self[id])
    if transport == .tcp {
      tcpTable.insert(id, port: port, address: key, atTail: atTail, blocks: bits)
    } else {
      udpTable.insert(id, port: port, address: key, atTail: atTail, blocks: bits)
    }
  }

  /// Removes a socket from its table (`inet_put_port` / `udp_lib_unhash`).
  mutating func unhash(_ id: SocketID) {
    guard self[id].isHashed else { return }
    let flags = self[id].blockerFlags
    let bits = (flags & 1 != 0, flags & 2 != 0)
    let key = self[id].hashKey ?? PortTable.AddressKey(self[id].boundAddress)
    let port = self[id].localPort
    if self[id].transport == .tcp {
      tcpTable.remove(id, port: port, address: key, blocks: bits)
      removeListener(id)
      releaseBindBucket(port)
    } else {
      udpTable.remove(id, port: port, address: key, blocks: bits)
    }
    self[id].hashKey = nil
    self[id].blockerFlags = 0
    self[id].localPort = 0
  }

  /// Moves a socket to the head of its chain again after its address changed
  /// (`udp_lib_rehash`, `inet_bhash2_update_saddr`).
  mutating func rehash(_ id: SocketID) {
    let port = self[id].localPort
    guard port != 0 else { return }
    let bucket = tcpTable.bindBucket(port)
    unhash(id)
    hash(id, port: port)
    if let bucket, self[id].transport == .tcp { tcpTable.setBindBucket(bucket, port: port) }
  }

  /// Adds a listener to the port's listening chain (`inet_hash` → `lhash2`), head or tail.
  mutating func addListener(_ id: SocketID) {
    let s = self[id]
    if s.family == .inet6 && s.reusePort {
      tcpListeners[s.localPort, default: []].append(id)
    } else {
      tcpListeners[s.localPort, default: []].insert(id, at: 0)
    }
  }

  mutating func removeListener(_ id: SocketID) {
    let port = self[id].localPort
    guard var chain = tcpListeners[port], let i = chain.firstIndex(of: id) else { return }
    chain.remove(at: i)
    tcpListeners[port] = chain.isEmpty ? nil : chain
  }
}
