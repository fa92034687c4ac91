/// One sweep of the ephemeral search: a part of the port range, one parity or all ports.
struct PortPass: Sendable {
  var range: Range<Int>
  var parity: Int?
  /// The second TCP search with `ip_autobind_reuse=1` tolerates SO_REUSEADDR owners.
  var relaxed = false

  var phrase: String {
    let kind =
      switch parity {
      case 1?: "an odd port"
      case 0?: "an even port"
      default: "a port"
      }
    return "\(kind) in \(range.lowerBound)-\(range.upperBound - 1)"
  }
}

/// The sweeps of one ephemeral search in the order they are tried, made as the search asks for
/// them (no array per bind): each part of the range (the whole range, or its lower then its
/// upper half), TCP in two parities per part, then, with `ip_autobind_reuse=1`, the same sweeps
/// again, relaxed.
struct PortPasses: Sequence {
  var first: Range<Int>
  var second: Range<Int>?
  /// TCP (`inet_csk_find_open_port`): each part's size rounded down to even, odd or even ports
  /// in turn. UDP: one sweep of every port.
  var byParity: Bool
  var relaxedRound: Bool

  /// Sweep number `step` of `part`, nil past its last one.
  func pass(of part: Range<Int>, step: Int) -> PortPass? {
    guard byParity else { return step == 0 ? PortPass(range: part, parity: nil) : nil }
    var remaining = part.count
    if remaining > 1 { remaining &= ~1 }
    let searched = part.lowerBound..<(part.lowerBound + remaining)
    if remaining == 1 { return step == 0 ? PortPass(range: searched, parity: nil) : nil }
    switch step {
    case 0: return PortPass(range: searched, parity: (part.lowerBound + 1) & 1)
    case 1: return PortPass(range: searched, parity: part.lowerBound & 1)
    default: return nil
    }
  }

  struct Iterator: IteratorProtocol {
    let passes: PortPasses
    var round = 0
    var part = 0
    var step = 0

    mutating func next() -> PortPass? {
      while round < (passes.relaxedRound ? 2 : 1) {
        if let range = part == 0 ? passes.first : passes.second,
          var pass = passes.pass(of: range, step: step)
        {
          step += 1
          pass.relaxed = round == 1
          return pass
        }
        step = 0
        part += 1
        if part == 2 || passes.second == nil {
          part = 0
          round += 1
        }
      }
      return nil
    }
  }

  func makeIterator() -> Iterator { Iterator(passes: self) }
}
