/// Open sockets by scenario name: what `Dictionary<String, SocketID>` did, with FNV-1a over
/// the name's UTF-8 instead of SipHash, since every call looks its socket up by name.
///
/// The names sit densely in `entries`; `buckets` is an open-addressing (linear probing) index
/// of plain integers into them, so growing rehashes no strings and moves no references.
public struct NameTable: Hashable, Sendable {
  private struct Entry: Hashable, Sendable {
    var name: String
    var id: SocketID
    var hash: Int
  }

  private var entries: [Entry] = []
  /// 1 + the position of an entry in `entries`, 0 for an empty bucket. Power-of-two sized, at
  /// most half full; empty until the first insert.
  private var buckets: [Int32] = []

  public init() {}

  public var count: Int { entries.count }
  public var isEmpty: Bool { entries.isEmpty }

  public subscript(name: String) -> SocketID? {
    get {
      guard let (_, e) = find(name, hash: Self.hash(name)) else { return nil }
      return entries[e].id
    }
    set {
      if let id = newValue { insert(name, id) } else { remove(name) }
    }
  }

  /// Every name with its socket, in no particular order.
  public var all: [(name: String, id: SocketID)] { entries.map { ($0.name, $0.id) } }

  /// The bucket and the entry holding `name`.
  private func find(_ name: String, hash: Int) -> (bucket: Int, entry: Int)? {
    guard !entries.isEmpty else { return nil }
    let mask = buckets.count - 1
    var i = hash & mask
    while buckets[i] != 0 {
      let e = Int(buckets[i]) - 1
      if entries[e].hash == hash && entries[e].name == name { return (i, e) }
      i = (i + 1) & mask
    }
    return nil
  }

  private mutating func insert(_ name: String, _ id: SocketID) {
    let hash = Self.hash(name)
    if let (_, e) = find(name, hash: hash) {
      entries[e].id = id
      return
    }
    if (entries.count + 1) * 2 > buckets.count { rebuild(capacity: max(16, buckets.count * 2)) }
    entries.append(Entry(name: name, id: id, hash: hash))
    place(entries.count - 1, hash: hash)
  }

  /// Puts entry `e` into the first free bucket of its probe sequence.
  private mutating func place(_ e: Int, hash: Int) {
    let mask = buckets.count - 1
    var i = hash & mask
    while buckets[i] != 0 { i = (i + 1) & mask }
    buckets[i] = Int32(e + 1)
  }

  private mutating func remove(_ name: String) {
    guard let (bucket, e) = find(name, hash: Self.hash(name)) else { return }
    OpenAddressing.remove(
      bucket: bucket, entry: e, buckets: &buckets, entries: &entries, hash: \.hash)
  }

  private mutating func rebuild(capacity: Int) {
    buckets = [Int32](repeating: 0, count: capacity)
    for e in entries.indices { place(e, hash: entries[e].hash) }
  }

  /// FNV-1a over the UTF-8 bytes, then a 64-bit finaliser so that the low bits mix well.
  private static func hash(_ name: String) -> Int {
    var h =
      name.utf8.withContiguousStorageIfAvailable { fnv1a($0) }
      ?? fnv1a(Array(name.utf8))
    h ^= h >> 33
    h &*= 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 33
    return Int(truncatingIfNeeded: h)
  }

  private static func fnv1a(_ bytes: some Collection<UInt8>) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes {
      h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
    return h
  }

  public static func == (a: Self, b: Self) -> Bool {
    a.count == b.count && a.entries.allSatisfy { b[$0.name] == $0.id }
  }

  /// Order-independent, like the equality: a sum of per-entry hashes.
  public func hash(into hasher: inout Hasher) {
    var sum = 0
    for e in entries {
      var h = Hasher()
      h.combine(e.name)
      h.combine(e.id)
      sum = sum &+ h.finalize()
    }
    hasher.combine(count)
    hasher.combine(sum)
  }
}
