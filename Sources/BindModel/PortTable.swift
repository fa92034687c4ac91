/// One protocol's binding table, keyed by port as the kernel's bind hash is (`bhash` for TCP,
/// the UDP primary hash), so a bind costs O(sockets on that port).
///
/// Each port's list is in chain order: the order in which the kernel's lookups meet the
/// sockets (newest first, AF_INET6 SO_REUSEPORT sockets appended; reference §9.3).
public struct PortTable: Hashable, Sendable {
  /// The address part of the kernel's secondary hash (`hash2`, keyed by port and address):
  /// `0.0.0.0`, `::` and `::ffff:0.0.0.0` share the wildcard key, `::ffff:a.b.c.d` shares
  /// a.b.c.d's (`ipv6_portaddr_hash`).
  public enum AddressKey: Hashable, Sendable {
    case v4(UInt32)
    case v6(IPv6Address)

    public init(_ address: IPAddress) {
      switch address {
      case .v4(let a): self = .v4(a.rawValue)
      case .v6(let a):
        if a.isAny {
          self = .v4(0)
        } else if let v4 = a.v4Mapped {
          self = .v4(v4.rawValue)
        } else {
          self = .v6(a)
        }
      }
    }
  }

  private struct SlotKey: Hashable {
    var port: UInt16
    var address: AddressKey
  }

  private var chains: [UInt16: [SocketID]] = [:]
  /// The same sockets per (port, address), in the same relative order.
  private var addressChains: [SlotKey: [SocketID]] = [:]
  /// Per port, how many sockets block every IPv4 (index 0) or IPv6 (index 1) ephemeral choice
  /// outright: a wildcard covering that family, no bound device, no reuse option.
  private var blockers: [UInt16: [Int]] = [:]
  /// Bit per port: some socket holds it.
  private var occupied = [UInt64](repeating: 0, count: 1024)
  /// Bit per port: `blockers` is non-zero for IPv4 / IPv6.
  private var blocked4 = [UInt64](repeating: 0, count: 1024)
  private var blocked6 = [UInt64](repeating: 0, count: 1024)

  public init() {}

  /// The sockets on `port`, in chain order.
  public func chain(_ port: UInt16) -> [SocketID] { chains[port] ?? [] }

  /// The sockets on `port` whose address has `key`, in chain order (`udp4_lib_lookup2`).
  public func chain(_ port: UInt16, address key: AddressKey) -> [SocketID] {
    addressChains[SlotKey(port: port, address: key)] ?? []
  }

  public func isOccupied(_ port: UInt16) -> Bool {
    occupied[Int(port >> 6)] & (1 << UInt64(port & 63)) != 0
  }

  /// Whether some socket on `port` blocks every choice of the given kind outright.
  public func isBlocked(_ port: UInt16, ipv4: Bool, ipv6: Bool) -> Bool {
    guard let counts = blockers[port] else { return false }
    return (ipv4 && counts[0] > 0) || (ipv6 && counts[1] > 0)
  }

  /// Inserts at the head of the chain, or at the tail when `atTail`.
  public mutating func insert(
    _ id: SocketID, port: UInt16, address: AddressKey, atTail: Bool, blocks: (Bool, Bool)
  ) {
    let slot = SlotKey(port: port, address: address)
    if atTail {
      chains[port, default: []].append(id)
      addressChains[slot, default: []].append(id)
    } else {
      chains[port, default: []].insert(id, at: 0)
      addressChains[slot, default: []].insert(id, at: 0)
    }
    occupied[Int(port >> 6)] |= 1 << UInt64(port & 63)
    if blocks.0 || blocks.1 {
      var counts = blockers[port] ?? [0, 0]
      if blocks.0 { counts[0] += 1 }
      if blocks.1 { counts[1] += 1 }
      blockers[port] = counts
      setBlockedBits(port, counts)
    }
  }

  private mutating func setBlockedBits(_ port: UInt16, _ counts: [Int]) {
    let word = Int(port >> 6)
    let bit: UInt64 = 1 << UInt64(port & 63)
    if counts[0] > 0 { blocked4[word] |= bit } else { blocked4[word] &= ~bit }
    if counts[1] > 0 { blocked6[word] |= bit } else { blocked6[word] &= ~bit }
  }

  /// The first port at or after `start` (wrapping inside `range`, only ports of `parity` when
  /// given) that is not known to be blocked for the given families and not reserved, and that
  /// `accept` takes. Scans 64 ports a word at a time, so a nearly full range costs little.
  public func firstCandidate(
    in range: Range<Int>, parity: Int?, startingAt start: Int, ipv4: Bool, ipv6: Bool,
    reserved: [UInt64], accept: (UInt16) -> Bool
  ) -> UInt16? {
    guard !range.isEmpty else { return nil }
    // Visit [start, upperBound) then [lowerBound, start), same parity when stride is 2.
    let segments = [start..<range.upperBound, range.lowerBound..<start]
    for segment in segments where !segment.isEmpty {
      var port = segment.lowerBound
      while port < segment.upperBound {
        let word = port >> 6
        var bits = ~reserved[word]
        if ipv4 { bits &= ~blocked4[word] }
        if ipv6 { bits &= ~blocked6[word] }
        // Mask off ports below `port` in this word.
        bits &= UInt64.max << UInt64(port & 63)
        if let parity { bits &= parity == 0 ? 0x5555_5555_5555_5555 : 0xAAAA_AAAA_AAAA_AAAA }
        while bits != 0 {
          let candidate = (word << 6) | bits.trailingZeroBitCount
          if candidate >= segment.upperBound { break }
          if accept(UInt16(candidate)) { return UInt16(candidate) }
          bits &= bits - 1
        }
        port = (word + 1) << 6
      }
    }
    return nil
  }

  public mutating func remove(
    _ id: SocketID, port: UInt16, address: AddressKey, blocks: (Bool, Bool)
  ) {
    guard var chain = chains[port], let i = chain.firstIndex(of: id) else { return }
    chain.remove(at: i)
    let slot = SlotKey(port: port, address: address)
    if var byAddress = addressChains[slot], let j = byAddress.firstIndex(of: id) {
      byAddress.remove(at: j)
      addressChains[slot] = byAddress.isEmpty ? nil : byAddress
    }
    if chain.isEmpty {
      chains[port] = nil
      occupied[Int(port >> 6)] &= ~(1 << UInt64(port & 63))
    } else {
      chains[port] = chain
    }
    if blocks.0 || blocks.1, var counts = blockers[port] {
      if blocks.0 { counts[0] -= 1 }
      if blocks.1 { counts[1] -= 1 }
      blockers[port] = counts == [0, 0] ? nil : counts
      setBlockedBits(port, counts)
    }
  }

  /// Replaces a port's chain with the same sockets in another order.
  public mutating func reorder(port: UInt16, _ chain: [SocketID]) {
    precondition(Set(chain) == Set(self.chain(port)))
    chains[port] = chain
  }

  /// Every port that some socket holds, in increasing order.
  public var ports: [UInt16] { chains.keys.sorted() }
}
