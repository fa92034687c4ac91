/// A stable name for one decision the model makes, such as `tcp.listener-blocks-reuseaddr`.
///
/// Reports, tests and JSON output carry it, so a prediction can be checked for *why* as well
/// as for *what*.
public struct Rule: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
  public var rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }
  public var description: String { rawValue }
}

extension Rule {
  // Environment and sockets.
  public static let environment = Rule(rawValue: "environment")
  public static let socketCreated = Rule(rawValue: "socket.created")
  public static let socketClosed = Rule(rawValue: "socket.closed")
  public static let optionSet = Rule(rawValue: "setsockopt.ok")
  public static let optionWrongLevel = Rule(rawValue: "setsockopt.ipv6-level-on-inet")
  public static let optionV6OnlyAfterBind = Rule(rawValue: "setsockopt.v6only-after-bind")
  public static let optionUnknownDevice = Rule(rawValue: "setsockopt.unknown-device")
  public static let optionNotPermitted = Rule(rawValue: "setsockopt.needs-cap-net-admin")
  public static let optionMulticastAddress = Rule(rawValue: "setsockopt.multicast-if-not-local")
  public static let optionMulticastDevice = Rule(rawValue: "setsockopt.multicast-if-other-device")

  // bind() validation (inet_bind / inet6_bind).
  public static let bindAddressLength = Rule(rawValue: "bind.address-length")
  public static let bindFamily = Rule(rawValue: "bind.address-family")
  public static let bindNotLocal = Rule(rawValue: "bind.address-not-local")
  public static let bindPrivilegedPort = Rule(rawValue: "bind.privileged-port")
  public static let bindAlreadyBound = Rule(rawValue: "bind.already-bound")
  public static let bindMappedOnV6Only = Rule(rawValue: "bind.v4-mapped-on-v6only")
  public static let bindScopeRequired = Rule(rawValue: "bind.scope-required")
  public static let bindUnknownDevice = Rule(rawValue: "bind.unknown-device")
  public static let bindMulticastTCP = Rule(rawValue: "bind.ipv6-multicast-on-tcp")

  // Conflicts.
  public static let bindNoOverlap = Rule(rawValue: "bind.no-overlap")
  public static let bindSharedReuseAddress = Rule(rawValue: "bind.shared-reuseaddr")
  public static let bindSharedReusePort = Rule(rawValue: "bind.shared-reuseport")
  public static let tcpConflict = Rule(rawValue: "tcp.bind-conflict")
  public static let tcpListenerBlocksReuseAddress = Rule(rawValue: "tcp.listener-blocks-reuseaddr")
  public static let tcpReusePortOwner = Rule(rawValue: "tcp.reuseport-owner-uid")
  public static let tcpTimeWait = Rule(rawValue: "tcp.time-wait-conflict")
  public static let tcpBindBucketFastPath = Rule(rawValue: "tcp.bind-bucket-fast-path")
  public static let udpFirstMatch = Rule(rawValue: "udp.first-match")
  public static let udpReusePortOwner = Rule(rawValue: "udp.reuseport-owner-uid")

  // Ephemeral ports.
  public static let ephemeralTCP = Rule(rawValue: "ephemeral.tcp-bind")
  public static let ephemeralUDP = Rule(rawValue: "ephemeral.udp")
  public static let ephemeralExhausted = Rule(rawValue: "ephemeral.exhausted")
  public static let ephemeralDeferred = Rule(rawValue: "ephemeral.bind-address-no-port")
  public static let ephemeralConnect = Rule(rawValue: "ephemeral.tcp-connect")

  // listen().
  public static let listenNotStream = Rule(rawValue: "listen.not-stream")
  public static let listenOK = Rule(rawValue: "listen.ok")
  public static let listenConflict = Rule(rawValue: "listen.conflict")
  public static let listenInvalidState = Rule(rawValue: "listen.invalid-state")

  // connect(), disconnect(), accept().
  public static let connectUDP = Rule(rawValue: "connect.udp")
  public static let connectFamily = Rule(rawValue: "connect.address-family")
  public static let connectInvalidSource = Rule(rawValue: "connect.invalid-source")
  public static let connectUnreachable = Rule(rawValue: "connect.network-unreachable")
  public static let connectRefused = Rule(rawValue: "tcp.connection-refused")
  public static let connectAlreadyConnected = Rule(rawValue: "tcp.already-connected")
  public static let connectInvalid = Rule(rawValue: "connect.invalid")
  public static let connectScopeRequired = Rule(rawValue: "connect.scope-required")
  public static let connectNoSource = Rule(rawValue: "connect.no-source-address")
  public static let connectUnknownDevice = Rule(rawValue: "connect.unknown-device")
  public static let connectInProgress = Rule(rawValue: "tcp.connect-in-progress")
  public static let connectCompleted = Rule(rawValue: "tcp.connect-completed")
  public static let connectSelf = Rule(rawValue: "tcp.self-connect")
  public static let connectReplyLost = Rule(rawValue: "tcp.reply-lost")
  public static let connectMappedOps = Rule(rawValue: "tcp.mapped-ops-stick")
  public static let connectTupleInUse = Rule(rawValue: "tcp.connection-exists")
  public static let disconnect = Rule(rawValue: "disconnect.udp")
  public static let disconnectTCP = Rule(rawValue: "disconnect.tcp")
  public static let acceptOK = Rule(rawValue: "accept.ok")
  public static let acceptEmpty = Rule(rawValue: "accept.queue-empty")
  public static let acceptNotListening = Rule(rawValue: "accept.not-listening")

  // Delivery.
  public static let deliveryExact = Rule(rawValue: "delivery.exact-before-wildcard")
  public static let deliveryWildcard = Rule(rawValue: "delivery.wildcard")
  public static let deliveryScore = Rule(rawValue: "delivery.score")
  public static let deliveryChainOrder = Rule(rawValue: "delivery.chain-order")
  public static let deliveryReusePort = Rule(rawValue: "delivery.reuseport-group")
  public static let deliveryNobody = Rule(rawValue: "delivery.nobody")
  public static let deliveryOffHost = Rule(rawValue: "delivery.leaves-host")
  public static let deliveryDropped = Rule(rawValue: "delivery.dropped-by-receiver")
  public static let deliveryBroadcast = Rule(rawValue: "delivery.broadcast")
  public static let deliveryMulticast = Rule(rawValue: "delivery.multicast")
  public static let sendPendingError = Rule(rawValue: "send.pending-error")
  public static let sendNoDestination = Rule(rawValue: "send.no-destination")
  public static let sendAutobindExhausted = Rule(rawValue: "send.autobind-exhausted")
  public static let sendBroadcastDenied = Rule(rawValue: "send.broadcast-needs-so-broadcast")
  public static let sendFamily = Rule(rawValue: "send.address-family")
  public static let sendUnreachable = Rule(rawValue: "send.network-unreachable")
  public static let sendInvalidSource = Rule(rawValue: "send.invalid-source")
  public static let sendNoSource = Rule(rawValue: "send.no-source-address")
  public static let sendTCP = Rule(rawValue: "send.tcp")
  public static let joinOK = Rule(rawValue: "join.ok")
  public static let joinFailed = Rule(rawValue: "join.failed")
}

/// The model's answer for one call: the outcomes the kernel may produce, the rule that decided
/// it, and one sentence that names the sockets involved.
public struct Prediction: Hashable, Sendable, Codable {
  public var outcomes: OutcomeSet
  public var rule: Rule
  public var explanation: String
  /// The ports the kernel may have picked, when the call chose an ephemeral port.
  public var portChoice: String?

  /// Whether predictions render their explanations. Rendering costs more than deciding;
  /// `bench` and bulk runs that only compare outcomes switch it off for a scope with
  /// `Prediction.$explains.withValue(false) { ... }`.
  @TaskLocal public static var explains = true

  public init(
    _ outcomes: OutcomeSet, rule: Rule, _ explanation: @autoclosure () -> String,
    portChoice: @autoclosure () -> String? = nil
  ) {
    self.outcomes = outcomes
    self.rule = rule
    let explains = Prediction.explains
    self.explanation = explains ? explanation() : ""
    self.portChoice = explains ? portChoice() : nil
  }

  /// A prediction whose explanation and port choice are already rendered (empty and nil when
  /// explanations are off), so the task-local switch is not read again.
  init(_ outcomes: OutcomeSet, rule: Rule, rendered explanation: String, portChoice: String?) {
    self.outcomes = outcomes
    self.rule = rule
    self.explanation = explanation
    self.portChoice = portChoice
  }

  public init(_ outcome: Outcome, rule: Rule, _ explanation: @autoclosure () -> String) {
    self.init(OutcomeSet(outcome), rule: rule, explanation())
  }

  public static func failure(
    _ errno: Errno, rule: Rule, _ explanation: @autoclosure () -> String
  ) -> Prediction {
    Prediction(.failed(errno), rule: rule, explanation())
  }
}
