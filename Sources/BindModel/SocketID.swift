/// Identifies one socket of a scenario, in order of creation (`accept` creates sockets too).
public struct SocketID: RawRepresentable, Hashable, Sendable, Comparable {
  public var rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }
  public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}
