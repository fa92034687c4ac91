/// The deletion step shared by bindsim's open-addressing tables (`AddressIndex`, `NameTable`):
/// `buckets` (a power-of-two count) holds an entry's index + 1, 0 for an empty bucket, and the
/// entries stay dense in their own array.
enum OpenAddressing {
  /// Removes the entry `entry`, found in `bucket`: backward-shift deletion keeps every probe
  /// sequence unbroken without tombstones, then the last entry takes the removed one's place.
  static func remove<Entry>(
    bucket: Int, entry e: Int, buckets: inout [Int32], entries: inout [Entry],
    hash: (Entry) -> Int
  ) {
    let mask = buckets.count - 1
    var hole = bucket
    var next = (hole + 1) & mask
    while buckets[next] != 0 {
      let home = hash(entries[Int(buckets[next]) - 1]) & mask
      // Move `next` into the hole when the hole lies on its probe path, [home, next).
      if (hole - home) & mask < (next - home) & mask {
        buckets[hole] = buckets[next]
        hole = next
      }
      next = (next + 1) & mask
    }
    buckets[hole] = 0
    let last = entries.count - 1
    if e != last {
      var i = hash(entries[last]) & mask
      while buckets[i] != Int32(last + 1) { i = (i + 1) & mask }
      buckets[i] = Int32(e + 1)
      entries.swapAt(e, last)
    }
    entries.removeLast()
  }
}
