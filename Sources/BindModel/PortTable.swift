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

  /// One held port: its chain and how many of its sockets block each family's ephemeral
  /// choice outright.
  private struct PortSlot: Hashable, Sendable {
    var chain: [SocketID] = []
    var blockers4: Int32 = 0
    var blockers6: Int32 = 0
    /// TCP: the port's bind bucket (`inet_bind_bucket`), which lives as long as the port is held.
    var bucket = BindBucket()
  }

  /// Per port, 1 + the index of its slot in `slots`, 0 while no socket holds it: a flat array
  /// instead of a dictionary, so finding a port's chain hashes nothing. Empty until the first
  /// insert, then one entry per port.
  private var slotOfPort: [Int32] = []
  private var slots: [PortSlot] = []
  /// Slots of ports that emptied, for reuse.
  private var freeSlots: [Int32] = []
  /// The same sockets per (port, address), in the same relative order; kept only when
  /// `indexesAddresses` (the UDP table: TCP lookups go through the listeners instead).
  private var addressChains = AddressIndex()
  private let indexesAddresses: Bool
  /// Bit per port: some socket holds it.
  private var occupied = [UInt64](repeating: 0, count: 1024)
  /// Bit per port: some socket blocks every IPv4 / IPv6 ephemeral choice outright (a wildcard
  /// covering that family, no bound device, no reuse option).
  private var blocked4 = [UInt64](repeating: 0, count: 1024)
  private var blocked6 = [UInt64](repeating: 0, count: 1024)
  /// Bit per word of `blocked4` / `blocked6`: every port of the word (words 0-15), every even
  /// port (16-31) or every odd port (32-47) is blocked, so a scan of a nearly full range skips
  /// 64 words at a time.
  private var full4 = [UInt64](repeating: 0, count: 48)
  private var full6 = [UInt64](repeating: 0, count: 48)

  /// A table; `indexingAddresses` keeps the per-(port, address) chains that
  /// `chain(_:address:)` reads.
  public init(indexingAddresses: Bool = true) {
    indexesAddresses = indexingAddresses
  }

  private func slot(_ port: UInt16) -> Int? {
    guard !slotOfPort.isEmpty else { return nil }
    let s = Int(slotOfPort[Int(port)])
    return s == 0 ? nil : s - 1
  }

  /// The sockets on `port`, in chain order.
  public func chain(_ port: UInt16) -> [SocketID] {
    guard let s = slot(port) else { return [] }
    return slots[s].chain
  }

  /// The sockets on `port` whose address has `key`, in chain order (`udp4_lib_lookup2`).
  public func chain(_ port: UInt16, address key: AddressKey) -> [SocketID] {
    precondition(indexesAddresses, "this table keeps no per-address chains")
    return addressChains.chain(port, key)
  }

  /// TCP: the bind bucket of a held port; nil when no socket holds it.
  func bindBucket(_ port: UInt16) -> BindBucket? {
    slot(port).map { slots[$0].bucket }
  }

  /// TCP: replaces the bind bucket of a held port (a port nobody holds has none).
  mutating func setBindBucket(_ bucket: BindBucket, port: UInt16) {
    if let s = slot(port) { slots[s].bucket = bucket }
  }

  public func isOccupied(_ port: UInt16) -> Bool {
    occupied[Int(port >> 6)] & (1 << UInt64(port & 63)) != 0
  }

  /// Whether some socket on `port` blocks every choice of the given kind outright.
  public func isBlocked(_ port: UInt16, ipv4: Bool, ipv6: Bool) -> Bool {
    let word = Int(port >> 6)
    let bit: UInt64 = 1 << UInt64(port & 63)
    return (ipv4 && blocked4[word] & bit != 0) || (ipv6 && blocked6[word] & bit != 0)
  }

  /// Inserts at the head of the chain, or at the tail when `atTail`.
  public mutating func insert(
    _ id: SocketID, port: UInt16, address: AddressKey, atTail: Bool, blocks: (Bool, Bool)
  ) {
    if slotOfPort.isEmpty { slotOfPort = [Int32](repeating: 0, count: 65536) }
    var s = Int(slotOfPort[Int(port)]) - 1
    if s < 0 {
      if let free = freeSlots.popLast() {
        s = Int(free)
      } else {
        s = slots.count
        slots.append(PortSlot())
      }
      // Room for a few owners at once, rather than growing the chain one socket at a time.
      slots[s].chain.reserveCapacity(4)
      slotOfPort[Int(port)] = Int32(s + 1)
    }
    if atTail {
      slots[s].chain.append(id)
    } else {
      Self.insertAtHead(id, into: &slots[s].chain)
    }
    if indexesAddresses {
      addressChains.insert(id, port: port, key: address, atTail: atTail)
    }
    occupied[Int(port >> 6)] |= 1 << UInt64(port & 63)
    if blocks.0 || blocks.1 {
      if blocks.0 { slots[s].blockers4 += 1 }
      if blocks.1 { slots[s].blockers6 += 1 }
      setBlockedBits(
        port, ipv4: blocks.0 ? slots[s].blockers4 > 0 : nil,
        ipv6: blocks.1 ? slots[s].blockers6 > 0 : nil)
    }
  }

  /// `chain.insert(id, at: 0)` without the generic `replaceSubrange` path: chains are short.
  static func insertAtHead(_ id: SocketID, into chain: inout [SocketID]) {
    chain.append(id)
    chain.withUnsafeMutableBufferPointer { c in
      var i = c.count - 1
      while i > 0 {
        c[i] = c[i - 1]
        i -= 1
      }
      c[0] = id
    }
  }

  /// Sets or clears `port`'s bit in the blocked maps of the families whose blocker count
  /// changed (nil: unchanged), and their summaries.
  private mutating func setBlockedBits(_ port: UInt16, ipv4: Bool?, ipv6: Bool?) {
    let word = Int(port >> 6)
    let bit: UInt64 = 1 << UInt64(port & 63)
    if let blocked = ipv4 {
      if blocked { blocked4[word] |= bit } else { blocked4[word] &= ~bit }
      Self.summarize(blocked4[word], word: word, into: &full4)
    }
    if let blocked = ipv6 {
      if blocked { blocked6[word] |= bit } else { blocked6[word] &= ~bit }
      Self.summarize(blocked6[word], word: word, into: &full6)
    }
  }

  private static func summarize(_ blocked: UInt64, word: Int, into full: inout [UInt64]) {
    let bit: UInt64 = 1 << UInt64(word & 63)
    for kind in 0..<3 {
      let mask: UInt64 =
        kind == 0 ? .max : kind == 1 ? 0x5555_5555_5555_5555 : 0xAAAA_AAAA_AAAA_AAAA
      let i = kind << 4 | word >> 6
      if blocked & mask == mask { full[i] |= bit } else { full[i] &= ~bit }
    }
  }

  /// The first word at or after `word` and before `limit` that may hold a candidate: words
  /// whose every port of the parity is blocked for a family being skipped hold none.
  private func nextWord(from word: Int, limit: Int, kind: Int, ipv4: Bool, ipv6: Bool) -> Int {
    guard ipv4 || ipv6 else { return word }
    var w = word
    while w < limit {
      var full: UInt64 = 0
      if ipv4 { full |= full4[kind << 4 | w >> 6] }
      if ipv6 { full |= full6[kind << 4 | w >> 6] }
      let open = ~full & (UInt64.max << UInt64(w & 63))
      if open != 0 { return min((w & ~63) | open.trailingZeroBitCount, limit) }
      w = (w | 63) + 1
    }
    return limit
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
    for half in 0..<2 {
      let segment = half == 0 ? start..<range.upperBound : range.lowerBound..<start
      if segment.isEmpty { continue }
      var port = segment.lowerBound
      let kind = parity.map { $0 + 1 } ?? 0
      let lastWord = (segment.upperBound - 1) >> 6
      while port < segment.upperBound {
        let word = nextWord(
          from: port >> 6, limit: lastWord + 1, kind: kind, ipv4: ipv4, ipv6: ipv6)
        if word > lastWord { break }
        if word != port >> 6 { port = word << 6 }
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
    guard let s = slot(port), let i = slots[s].chain.firstIndex(of: id) else { return }
    slots[s].chain.remove(at: i)
    if indexesAddresses { addressChains.remove(id, port: port, key: address) }
    if blocks.0 || blocks.1 {
      if blocks.0 { slots[s].blockers4 -= 1 }
      if blocks.1 { slots[s].blockers6 -= 1 }
      setBlockedBits(
        port, ipv4: blocks.0 ? slots[s].blockers4 > 0 : nil,
        ipv6: blocks.1 ? slots[s].blockers6 > 0 : nil)
    }
    if slots[s].chain.isEmpty {
      occupied[Int(port >> 6)] &= ~(1 << UInt64(port & 63))
      slots[s] = PortSlot()
      slotOfPort[Int(port)] = 0
      freeSlots.append(Int32(s))
    }
  }

  /// Replaces a port's chain with the same sockets in another order, and puts the sockets
  /// whose address has `key` in that order in their address chain too (the lookup walks it).
  public mutating func reorder(port: UInt16, address key: AddressKey, _ chain: [SocketID]) {
    precondition(Set(chain) == Set(self.chain(port)))
    guard let s = slot(port) else { return }
    slots[s].chain = chain
    if indexesAddresses { addressChains.reorder(port: port, key: key, following: chain) }
  }

  /// Every port that some socket holds, in increasing order.
  public var ports: [UInt16] {
    var result: [UInt16] = []
    for (word, bits) in occupied.enumerated() where bits != 0 {
      var rest = bits
      while rest != 0 {
        result.append(UInt16(word << 6 | rest.trailingZeroBitCount))
        rest &= rest - 1
      }
    }
    return result
  }

  /// Equal when the same ports hold the same chains with the same blockers (however the slots
  /// happen to be laid out).
  public static func == (a: Self, b: Self) -> Bool {
    guard a.occupied == b.occupied, a.addressChains == b.addressChains else { return false }
    return a.ports.allSatisfy { p in a.slots[a.slot(p)!] == b.slots[b.slot(p)!] }
  }

  public func hash(into hasher: inout Hasher) {
    for p in ports {
      hasher.combine(p)
      hasher.combine(slots[slot(p)!])
    }
  }
}
