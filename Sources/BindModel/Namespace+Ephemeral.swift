extension Namespace {
  /// The sweeps of `inet_csk_find_open_port` (TCP `bind(port 0)` and `listen()` autobind,
  /// reference §6.1): with SO_REUSEADDR and at least 4 ports, the lower half first; in each part
  /// the ports of the parity opposite to the range start first (leaving the other parity to
  /// `connect()`), over a size rounded down to even, so an odd-sized range never gives its top
  /// port. With `ip_autobind_reuse=1` the same sweeps run again, relaxed.
  func tcpBindPasses(for n: ModelSocket) -> PortPasses {
    let low = Int(sysctls.portRange.lowerBound)
    let high = Int(sysctls.portRange.upperBound) + 1
    if n.reuseAddress && high - low >= 4 {
      let half = low + (((high - low) >> 2) << 1)
      return PortPasses(
        first: low..<half, second: half..<high, byParity: true,
        relaxedRound: sysctls.autobindReuse)
    }
    return PortPasses(
      first: low..<high, second: nil, byParity: true, relaxedRound: sysctls.autobindReuse)
  }

  /// `udp_lib_get_port` with port 0 (reference §6.3): every port of the range, no parity.
  func udpPasses() -> PortPasses {
    PortPasses(
      first: Int(sysctls.portRange.lowerBound)..<(Int(sysctls.portRange.upperBound) + 1),
      second: nil, byParity: false, relaxedRound: false)
  }

  /// Whether `port` is free for `n` in one sweep.
  ///
  /// TCP, strict (`inet_csk_bind_conflict(sk, tb, relax=false, reuseport_ok=false)`): no
  /// dev+address-overlapping socket at all, whatever its options. Relaxed: an owner that shares
  /// through SO_REUSEADDR (not listening, and not also SO_REUSEPORT-compatible) is tolerated.
  /// UDP (the bitmap of `udp_lib_lport_inuse`): no overlapping socket that is not mutually
  /// compatible (both SO_REUSEADDR, or both SO_REUSEPORT with one owner).
  func isFree(_ port: UInt16, for n: ModelSocket, relaxed: Bool) -> Bool {
    if n.transport == .tcp {
      let blocker = firstOwner(in: tcpTable.chain(port), overlapping: n) { e, overlapping in
        guard overlapping() else { return false }
        if !relaxed { return true }
        let reuseAddress = n.reuseAddress && e.reuseAddress && e.state != .listening
        let reusePort = n.reusePort && e.reusePort && (e.state == .timeWait || n.uid == e.uid)
        return !reuseAddress || reusePort
      }
      return blocker == nil
    }
    let blocker = firstOwner(in: udpTable.chain(port), overlapping: n) { e, overlapping in
      guard overlapping() else { return false }
      if n.reuseAddress && e.reuseAddress { return false }
      if n.reusePort && e.reusePort && n.uid == e.uid { return false }
      return true
    }
    return blocker == nil
  }

  /// Picks the ephemeral port for `n`: the set the kernel may choose from is the free ports of
  /// the first sweep that has any; the choice inside it is the kernel's when replaying (if it is
  /// in the set) and a seeded one otherwise. Returns nil when every sweep is exhausted.
  func chooseEphemeralPort(for n: ModelSocket, passes: PortPasses, choices: inout Choices)
    -> (port: UInt16, pass: PortPass)?
  {
    let coverage = Coverage(of: n)
    for pass in passes {
      // The kernel starts at a random offset; parity is applied by the scan itself.
      let start = pass.range.lowerBound + Int(choices.random() % UInt64(pass.range.count))
      let skipBlocked = !pass.relaxed
      // The table is passed, not copied into a local, so that no array in it is retained.
      func scan(_ table: PortTable) -> UInt16? {
        table.firstCandidate(
          in: pass.range, parity: pass.parity, startingAt: start,
          ipv4: skipBlocked && (coverage.allIPv4 || coverage.ipv4 != nil),
          ipv6: skipBlocked && (coverage.allIPv6 || coverage.ipv6 != nil),
          reserved: sysctls.reservedBits,
          accept: { isFree($0, for: n, relaxed: pass.relaxed) })
      }
      guard let found = n.transport == .tcp ? scan(tcpTable) : scan(udpTable) else { continue }
      if let observed = choices.observedPort, pass.range.contains(Int(observed)),
        pass.parity.map({ Int(observed) & 1 == $0 }) ?? true, !sysctls.isReserved(observed),
        isFree(observed, for: n, relaxed: pass.relaxed)
      {
        return (observed, pass)
      }
      return (found, pass)
    }
    return nil
  }
}
