/// What a network stack (the model or the kernel) reports for one call.
public struct Observation: Hashable, Sendable, Codable {
  /// The outcome of the call.
  public var outcome: Outcome
  /// The local port the socket holds after the call (0 if none), so that a port the kernel
  /// chose can be followed by the model.
  public var localPort: UInt16

  public init(outcome: Outcome, localPort: UInt16 = 0) {
    self.outcome = outcome
    self.localPort = localPort
  }
}

extension Outcome: Codable {
  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    if text == "ok" {
      self = .ok
    } else if text == "nobody" {
      self = .nobody
    } else if text.hasPrefix("E"), !text.contains("+"), let code = Int32(text.dropFirst()) {
      self = .failed(.code(code))
    } else if let errno = Errno.named(text) {
      self = .failed(errno)
    } else {
      self = .receivers(text.split(separator: "+").map(String.init))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}
