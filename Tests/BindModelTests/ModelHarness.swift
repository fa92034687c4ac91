import BindModel

/// A small driver for model tests: performs actions by name and returns the outcome.
struct ModelHarness {
  var namespace = Namespace()
  var choices = Choices(seed: 42)
  var last: Prediction?

  @discardableResult
  mutating func socket(
    _ name: String, _ kind: SocketKind, _ options: [SocketOption] = [], uid: UInt32 = 0
  )
    -> Outcome
  {
    perform(.socket(name: name, kind: kind, options: options, uid: uid))
  }

  /// Binds to `address` (bare, as in `127.0.0.1` or `::1`) and `port`.
  @discardableResult
  mutating func bind(_ name: String, _ address: String, _ port: UInt16, scope: String? = nil)
    -> Outcome
  {
    let a = IPAddress(address)!
    let spec = EndpointSpec(address: a, scope: scope, port: .number(port))
    return perform(.bind(name: name, endpoint: spec), endpoint: spec.resolved(port: port))
  }

  @discardableResult
  mutating func send(_ name: String, _ address: String, _ port: UInt16) -> Outcome {
    let spec = EndpointSpec(address: IPAddress(address)!, port: .number(port))
    return perform(.send(name: name, endpoint: spec), endpoint: spec.resolved(port: port))
  }

  @discardableResult
  mutating func connect(_ name: String, _ address: String, _ port: UInt16) -> Outcome {
    let spec = EndpointSpec(address: IPAddress(address)!, port: .number(port))
    return perform(.connect(name: name, endpoint: spec), endpoint: spec.resolved(port: port))
  }

  @discardableResult
  mutating func perform(_ action: Action, endpoint: Endpoint? = nil) -> Outcome {
    let p = namespace.perform(action, endpoint: endpoint, choices: &choices)
    last = p
    return p.outcomes.single ?? .failed(Errno(code: -1, name: "SEVERAL:\(p.outcomes)"))
  }

  func port(_ name: String) -> UInt16 { namespace.socket(named: name)?.localPort ?? 0 }
}

extension Outcome {
  static let inUse = Outcome.failed(.EADDRINUSE)
}
