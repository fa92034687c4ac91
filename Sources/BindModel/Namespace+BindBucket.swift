/// The SO_REUSEPORT fast path of a TCP bind bucket (`struct inet_bind_bucket`, one per port):
/// the last SO_REUSEPORT socket that bound without matching it, remembered so that a later one
/// of the same uid and address skips the conflict check. The fields are not updated when an
/// owner changes afterwards (connect() gives a wildcard or multicast binding its source
/// address; setsockopt() clears an option).
///
/// On 6.18 `inet_csk_update_fastreuse` always finds the bucket in use (the new `tb2` is already
/// on `tb->bhash2`), so `fastreuse` never becomes 1 and `fastreuseport` never
/// FASTREUSEPORT_ANY: only the FASTREUSEPORT_STRICT path exists (verified on 6.18).
struct BindBucket: Hashable, Sendable {
  /// FASTREUSEPORT_STRICT with the remembered socket's uid and addresses.
  var strict = false
  var fastUID: UInt32 = 0
  var fastFamily: AddressFamily = .inet
  /// `fast_rcv_saddr`, `fast_v6_rcv_saddr`, `fast_ipv6_only`.
  var fastIPv4: IPv4Address = .any
  var fastIPv6: IPv6Address = .any
  var fastV6Only = false
}

extension Namespace {
  /// `inet_rcv_saddr` of a socket: an AF_INET6 socket has the IPv4 address of a v4-mapped
  /// address, 0 for `[::]`, and LOOPBACK4_IPV6 (127.0.0.6) for any other IPv6 address.
  func rcvSaddr4(_ s: BindingView) -> IPv4Address {
    switch s.localAddress {
    case nil: return .any
    case .v4(let a)?: return a
    case .v6(let a)?:
      if let v4 = a.v4Mapped { return v4 }
      return a.isAny ? .any : IPv4Address(127, 0, 0, 6)
    }
  }

  /// `sk_reuseport_match`: a SO_REUSEPORT socket of the remembered uid whose address equals the
  /// remembered one (or the remembered one is the wildcard; `ipv6_rcv_saddr_equal` /
  /// `ipv4_rcv_saddr_equal` with only the bucket's wildcard matching) takes the fast path.
  func reusePortMatch(_ b: BindBucket, _ n: BindingView) -> Bool {
    guard b.strict, n.reusePort, b.fastUID == n.uid else { return false }
    let n4 = rcvSaddr4(n)
    if b.fastFamily == .inet6 {
      let mapped1 = b.fastIPv6.v4Mapped != nil
      let n6: IPv6Address? =
        n.family == .inet6
        ? (n.localAddress.flatMap { if case .v6(let a) = $0 { a } else { nil } } ?? .any) : nil
      let mapped2 = n6.map { $0.v4Mapped != nil } ?? true
      if mapped1 && mapped2 {
        return !n.v6Only && (b.fastIPv4 == n4 || b.fastIPv4 == .any)
      }
      if b.fastIPv6.isAny && n6?.isAny == true { return true }
      if b.fastIPv6.isAny && !(b.fastV6Only && mapped2) { return true }
      if let n6, n6 == b.fastIPv6 { return true }
      return false
    }
    return !n.v6Only && (b.fastIPv4 == n4 || b.fastIPv4 == .any)
  }

  /// The fast path of `inet_csk_get_port` for an explicit port (bind() or listen()): with
  /// other owners on the port, a socket for which `sk_reuseport_match` holds passes without the
  /// conflict check, even if an owner overlaps it by now.
  func bindBucketFastPath(_ n: ModelSocket, port: UInt16) -> Bool {
    guard let b = tcpTable.bindBucket(port), tcpTable.chain(port).contains(where: { $0 != n.id })
    else { return false }
    return reusePortMatch(b, BindingView(n))
  }

  /// `inet_csk_update_fastreuse` after a successful bind() or listen() on `port`: a
  /// SO_REUSEPORT socket that does not match the bucket becomes the remembered one; a socket
  /// without SO_REUSEPORT turns the fast path off.
  mutating func updateBindBucket(_ id: SocketID, port: UInt16) {
    let n = bindingView(id)
    guard let old = tcpTable.bindBucket(port) else { return }
    var b = old
    if !n.reusePort {
      b = BindBucket()
    } else if !reusePortMatch(b, n) {
      b.strict = true
      b.fastUID = n.uid
      b.fastFamily = n.family
      b.fastIPv4 = rcvSaddr4(n)
      if case .v6(let a)? = n.localAddress { b.fastIPv6 = a } else { b.fastIPv6 = .any }
      b.fastV6Only = n.v6Only
    }
    if b != old { tcpTable.setBindBucket(b, port: port) }
  }

  /// A socket left `port`: the bucket goes with its last owner (`inet_bind_bucket_destroy`;
  /// the port's slot in the table goes, bucket and all), and when only connect()-bound owners
  /// remain it is connect()'s again (fields back to -1, `inet_bind2_bucket_destroy`).
  mutating func releaseBindBucket(_ port: UInt16) {
    let owners = tcpTable.chain(port)
    if !owners.isEmpty && owners.allSatisfy({ self[$0].connectBound }) {
      tcpTable.setBindBucket(BindBucket(), port: port)
    }
  }
}

extension Namespace {
  /// Why the fast path let `n` through although `e` overlaps it now.
  func fastPathReason(_ n: ModelSocket, _ e: ModelSocket, port: UInt16) -> String {
    "\(overlapPhrase(n, address: n.localAddress, e, port: port)), \(heldBy(e)), but port \(port)'s bind bucket still remembers \(bindingName(n, port: port)) as free for SO_REUSEPORT sockets of uid \(n.uid) from before '\(e.name)' overlapped it: inet_csk_get_port skips the conflict check"
  }
}
