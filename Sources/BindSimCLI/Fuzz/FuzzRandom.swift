/// The fuzzer's random numbers: SplitMix64, small, fast and the same on every machine, so a
/// seed names the same scenarios everywhere.
struct FuzzRandom: RandomNumberGenerator, Sendable {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  /// A generator for item `index` of a run with `seed`: independent streams, so any one
  /// scenario (or mutation) is reproducible without making the ones before it.
  init(seed: UInt64, index: Int) {
    var mixer = FuzzRandom(seed: seed ^ 0x6A09_E667_F3BC_C908)
    for _ in 0...(index % 3) { _ = mixer.next() }
    state = mixer.next() ^ (UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15)
    _ = next()
  }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform integer in `range`.
  mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

  /// A uniform integer in `0..<bound` (`bound` > 0).
  mutating func below(_ bound: Int) -> Int { Int.random(in: 0..<bound, using: &self) }

  /// True with probability `p`.
  mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }

  /// One element of a non-empty collection.
  mutating func pick<C: Collection>(_ items: C) -> C.Element {
    items[items.index(items.startIndex, offsetBy: below(items.count))]
  }

  /// One value, chosen with the given (positive) weights.
  mutating func weighted<T>(_ choices: [(Int, T)]) -> T {
    let total = choices.reduce(0) { $0 + max(0, $1.0) }
    var roll = below(max(1, total))
    for (weight, value) in choices where weight > 0 {
      if roll < weight { return value }
      roll -= weight
    }
    return choices[choices.count - 1].1
  }
}
