/// What one call did: succeeded, failed with an errno, or delivered to some sockets.
public enum Outcome: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// The call succeeded (`ok`).
  case ok
  /// The call failed with this errno.
  case failed(Errno)
  /// A datagram reached these sockets (each its own copy; empty is `nobody`), or a TCP
  /// connection was taken by the one listener named.
  case delivered([String])

  /// `nobody`.
  public static let nobody = Outcome.delivered([])

  /// Builds a delivery with its receivers in a canonical (sorted) order.
  public static func receivers(_ names: some Sequence<String>) -> Outcome {
    .delivered(names.sorted())
  }

  public var description: String {
    switch self {
    case .ok: "ok"
    case .failed(let errno): errno.name
    case .delivered(let names): names.isEmpty ? "nobody" : names.joined(separator: "+")
    }
  }

  private var order: (Int, String) {
    switch self {
    case .ok: (0, "")
    case .failed(let e): (1, e.name)
    case .delivered(let n): (2, n.joined(separator: "+"))
    }
  }

  public static func < (a: Self, b: Self) -> Bool { a.order < b.order }
}

/// A set of outcomes: what a file allows (`EINVAL|EAFNOSUPPORT`, `a|b`) or what the model
/// says the kernel may do. Almost every set has one element, so the smallest outcome is kept
/// inline and only the others take an array: a single outcome allocates nothing.
public struct OutcomeSet: Hashable, Sendable, CustomStringConvertible {
  /// The smallest outcome; nil only for the empty set.
  private var first: Outcome?
  /// The other outcomes, sorted and without duplicates.
  private var others: [Outcome] = []

  public init(_ outcomes: some Sequence<Outcome>) {
    var array = Array(outcomes)
    if array.count > 1 {
      array.sort()
      var unique: [Outcome] = []
      for o in array where unique.last != o { unique.append(o) }
      array = unique
    }
    first = array.first
    if array.count > 1 { others = Array(array.dropFirst()) }
  }

  public init(_ outcome: Outcome) { first = outcome }

  /// The outcomes, sorted and without duplicates.
  public var sorted: [Outcome] {
    guard let first else { return [] }
    return [first] + others
  }

  public var outcomes: Set<Outcome> { Set(sorted) }
  public var count: Int { first == nil ? 0 : 1 + others.count }
  public func contains(_ outcome: Outcome) -> Bool {
    first == outcome || others.contains(outcome)
  }
  public func isSubset(of other: OutcomeSet) -> Bool { sorted.allSatisfy(other.contains) }
  public var single: Outcome? { others.isEmpty ? first : nil }

  /// The scenario spelling: alternatives joined by `|`, in a stable order.
  public var description: String {
    sorted.map(\.description).joined(separator: "|")
  }
}

extension OutcomeSet: Codable {
  public init(from decoder: any Decoder) throws {
    self.init(try decoder.singleValueContainer().decode([Outcome].self))
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(sorted)
  }
}
