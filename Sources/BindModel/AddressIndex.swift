/// The sockets of one table per (port, address key), in chain order: the model of the kernel's
/// secondary UDP hash (`hash2`, `udp4_lib_lookup2`), so a delivery to one address costs
/// O(sockets on that address) however many addresses share the port.
///
/// The chains sit densely in `entries`; `buckets` is an open-addressing (linear probing) index
/// of plain integers into them with a cheap integer mix instead of `Dictionary`'s SipHash, so
/// growing rehashes nothing and moves no references.
struct AddressIndex: Hashable, Sendable {
  private struct Entry: Hashable, Sendable {
    var port: UInt16
    var key: PortTable.AddressKey
    var hash: Int
    var chain: [SocketID]
  }

  private var entries: [Entry] = []
  /// 1 + the position of an entry in `entries`, 0 for an empty bucket. Power-of-two sized, at
  /// most half full; empty until the first insert.
  private var buckets: [Int32] = []

  init() {}

  var count: Int { entries.count }

  /// The sockets on `port` whose address has `key`, in chain order.
  func chain(_ port: UInt16, _ key: PortTable.AddressKey) -> [SocketID] {
    guard let (_, e) = find(port, key, hash: Self.hash(port, key)) else { return [] }
    return entries[e].chain
  }

  /// Inserts at the head of the (port, key) chain, or at the tail when `atTail`.
  mutating func insert(_ id: SocketID, port: UInt16, key: PortTable.AddressKey, atTail: Bool) {
    let hash = Self.hash(port, key)
    if let (_, e) = find(port, key, hash: hash) {
      if atTail {
        entries[e].chain.append(id)
      } else {
        PortTable.insertAtHead(id, into: &entries[e].chain)
      }
      return
    }
    if (entries.count + 1) * 2 > buckets.count { rebuild(capacity: max(16, buckets.count * 2)) }
    entries.append(Entry(port: port, key: key, hash: hash, chain: [id]))
    place(entries.count - 1, hash: hash)
  }

  /// Puts the (port, key) chain in the relative order its sockets have in `chain`.
  mutating func reorder(port: UInt16, key: PortTable.AddressKey, following chain: [SocketID]) {
    guard let (_, e) = find(port, key, hash: Self.hash(port, key)) else { return }
    let members = Set(entries[e].chain)
    entries[e].chain = chain.filter { members.contains($0) }
  }

  /// Removes `id` from the (port, key) chain; the entry goes when its chain empties.
  mutating func remove(_ id: SocketID, port: UInt16, key: PortTable.AddressKey) {
    guard let (bucket, e) = find(port, key, hash: Self.hash(port, key)),
      let j = entries[e].chain.firstIndex(of: id)
    else { return }
    entries[e].chain.remove(at: j)
    guard entries[e].chain.isEmpty else { return }
    OpenAddressing.remove(
      bucket: bucket, entry: e, buckets: &buckets, entries: &entries, hash: \.hash)
  }

  /// The bucket and the entry holding (port, key).
  private func find(_ port: UInt16, _ key: PortTable.AddressKey, hash: Int)
    -> (bucket: Int, entry: Int)?
  {
    guard !entries.isEmpty else { return nil }
    let mask = buckets.count - 1
    var i = hash & mask
    while buckets[i] != 0 {
      let e = Int(buckets[i]) - 1
      if entries[e].hash == hash && entries[e].port == port && entries[e].key == key {
        return (i, e)
      }
      i = (i + 1) & mask
    }
    return nil
  }

  /// Puts entry `e` into the first free bucket of its probe sequence.
  private mutating func place(_ e: Int, hash: Int) {
    let mask = buckets.count - 1
    var i = hash & mask
    while buckets[i] != 0 { i = (i + 1) & mask }
    buckets[i] = Int32(e + 1)
  }

  private mutating func rebuild(capacity: Int) {
    buckets = [Int32](repeating: 0, count: capacity)
    for e in entries.indices { place(e, hash: entries[e].hash) }
  }

  /// A 64-bit finaliser (MurmurHash3's `fmix64`) over the port and the address.
  private static func hash(_ port: UInt16, _ key: PortTable.AddressKey) -> Int {
    var h: UInt64
    switch key {
    case .v4(let a): h = UInt64(a) | 1 << 32
    case .v6(let a): h = a.high &* 0x9E37_79B9_7F4A_7C15 ^ a.low
    }
    h ^= UInt64(port) << 40
    h ^= h >> 33
    h &*= 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 33
    h &*= 0xC4CE_B9FE_1A85_EC53
    h ^= h >> 33
    return Int(truncatingIfNeeded: h)
  }

  static func == (a: Self, b: Self) -> Bool {
    a.count == b.count && a.entries.allSatisfy { b.chain($0.port, $0.key) == $0.chain }
  }

  /// Order-independent, like the equality: a sum of per-entry hashes.
  func hash(into hasher: inout Hasher) {
    var sum = 0
    for e in entries {
      var h = Hasher()
      h.combine(e.port)
      h.combine(e.key)
      h.combine(e.chain)
      sum = sum &+ h.finalize()
    }
    hasher.combine(count)
    hasher.combine(sum)
  }
}
