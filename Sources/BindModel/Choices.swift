/// Where the model takes a concrete value when the kernel may choose among several: the
/// kernel's own choice while replaying (if it lies inside the predicted set), otherwise a
/// fixed-seed pseudo-random choice, so output is reproducible.
public struct Choices: Sendable {
  private var state: UInt64
  /// The port the kernel's socket holds after the call being predicted, when replaying.
  public var observedPort: UInt16?
  /// The receivers the kernel reported for the call being predicted, when replaying.
  public var observedReceivers: [String]?

  public init(seed: UInt64 = 0x5EED_B1ED) { state = seed }

  /// Sets what the kernel did for the next call (nil when only the model runs).
  public mutating func observe(_ observation: Observation?) {
    observedPort = observation.flatMap { $0.localPort == 0 ? nil : $0.localPort }
    if case .delivered(let names)? = observation?.outcome {
      observedReceivers = names
    } else {
      observedReceivers = nil
    }
  }

  /// SplitMix64: small, fast, and the same on every machine.
  public mutating func random() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// One member of a non-empty set: the observed receiver if it is a member, else seeded.
  public mutating func member(of candidates: [SocketID], names: (SocketID) -> String) -> SocketID {
    if let observed = observedReceivers, observed.count == 1,
      let match = candidates.first(where: { names($0) == observed[0] })
    {
      return match
    }
    return candidates[Int(random() % UInt64(candidates.count))]
  }
}
