/// A stable name for one decision the model makes, such as `tcp.listener-blocks-reuseaddr`.
///
/// Reports, tests and JSON output carry it, so a prediction can be checked for *why* as well
/// as for *what*. The name is a string literal (a pointer and a length), so copying a rule,
/// which every prediction carries, costs no reference counting.
public struct Rule: Hashable, Sendable, Codable, CustomStringConvertible {
  private let name: StaticString

  init(_ name: StaticString) { self.name = name }

  public var rawValue: String { name.description }
  public var description: String { rawValue }

  /// The rule with this name; nil for a name the model does not use.
  public init?(rawValue: String) {
    guard let rule = Rule.all.first(where: { $0.rawValue == rawValue }) else { return nil }
    self = rule
  }

  public static func == (a: Rule, b: Rule) -> Bool {
    a.name.utf8Start == b.name.utf8Start || a.rawValue == b.rawValue
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let raw = try container.decode(String.self)
    guard let rule = Rule(rawValue: raw) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "'\(raw)' names no rule of the model")
    }
    self = rule
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}

extension Rule {
  // Environment and sockets.
  public static var environment: Rule { Rule("environment") }
  public static var socketCreated: Rule { Rule("socket.created") }
  public static var socketClosed: Rule { Rule("socket.closed") }
  public static var optionSet: Rule { Rule("setsockopt.ok") }
  public static var optionWrongLevel: Rule { Rule("setsockopt.ipv6-level-on-inet") }
  public static var optionV6OnlyAfterBind: Rule { Rule("setsockopt.v6only-after-bind") }
  public static var optionUnknownDevice: Rule { Rule("setsockopt.unknown-device") }
  public static var optionNotPermitted: Rule { Rule("setsockopt.needs-cap-net-admin") }
  public static var optionMulticastAddress: Rule { Rule("setsockopt.multicast-if-not-local") }
  public static var optionMulticastDevice: Rule { Rule("setsockopt.multicast-if-other-device") }

  // bind() validation (inet_bind / inet6_bind).
  public static var bindAddressLength: Rule { Rule("bind.address-length") }
  public static var bindFamily: Rule { Rule("bind.address-family") }
  public static var bindNotLocal: Rule { Rule("bind.address-not-local") }
  public static var bindPrivilegedPort: Rule { Rule("bind.privileged-port") }
  public static var bindAlreadyBound: Rule { Rule("bind.already-bound") }
  public static var bindMappedOnV6Only: Rule { Rule("bind.v4-mapped-on-v6only") }
  public static var bindScopeRequired: Rule { Rule("bind.scope-required") }
  public static var bindUnknownDevice: Rule { Rule("bind.unknown-device") }
  public static var bindMulticastTCP: Rule { Rule("bind.ipv6-multicast-on-tcp") }

  // Conflicts.
  public static var bindNoOverlap: Rule { Rule("bind.no-overlap") }
  public static var bindSharedReuseAddress: Rule { Rule("bind.shared-reuseaddr") }
  public static var bindSharedReusePort: Rule { Rule("bind.shared-reuseport") }
  public static var tcpConflict: Rule { Rule("tcp.bind-conflict") }
  public static var tcpListenerBlocksReuseAddress: Rule { Rule("tcp.listener-blocks-reuseaddr") }
  public static var tcpReusePortOwner: Rule { Rule("tcp.reuseport-owner-uid") }
  public static var tcpTimeWait: Rule { Rule("tcp.time-wait-conflict") }
  public static var tcpBindBucketFastPath: Rule { Rule("tcp.bind-bucket-fast-path") }
  public static var udpFirstMatch: Rule { Rule("udp.first-match") }
  public static var udpReusePortOwner: Rule { Rule("udp.reuseport-owner-uid") }

  // Ephemeral ports.
  public static var ephemeralTCP: Rule { Rule("ephemeral.tcp-bind") }
  public static var ephemeralUDP: Rule { Rule("ephemeral.udp") }
  public static var ephemeralExhausted: Rule { Rule("ephemeral.exhausted") }
  public static var ephemeralDeferred: Rule { Rule("ephemeral.bind-address-no-port") }
  public static var ephemeralConnect: Rule { Rule("ephemeral.tcp-connect") }

  // listen().
  public static var listenNotStream: Rule { Rule("listen.not-stream") }
  public static var listenOK: Rule { Rule("listen.ok") }
  public static var listenConflict: Rule { Rule("listen.conflict") }
  public static var listenInvalidState: Rule { Rule("listen.invalid-state") }

  // connect(), disconnect(), accept().
  public static var connectUDP: Rule { Rule("connect.udp") }
  public static var connectFamily: Rule { Rule("connect.address-family") }
  public static var connectInvalidSource: Rule { Rule("connect.invalid-source") }
  public static var connectUnreachable: Rule { Rule("connect.network-unreachable") }
  public static var connectRefused: Rule { Rule("tcp.connection-refused") }
  public static var connectAlreadyConnected: Rule { Rule("tcp.already-connected") }
  public static var connectInvalid: Rule { Rule("connect.invalid") }
  public static var connectScopeRequired: Rule { Rule("connect.scope-required") }
  public static var connectNoSource: Rule { Rule("connect.no-source-address") }
  public static var connectUnknownDevice: Rule { Rule("connect.unknown-device") }
  public static var connectInProgress: Rule { Rule("tcp.connect-in-progress") }
  public static var connectCompleted: Rule { Rule("tcp.connect-completed") }
  public static var connectSelf: Rule { Rule("tcp.self-connect") }
  public static var connectReplyLost: Rule { Rule("tcp.reply-lost") }
  public static var connectMappedOps: Rule { Rule("tcp.mapped-ops-stick") }
  public static var connectTupleInUse: Rule { Rule("tcp.connection-exists") }
  public static var disconnect: Rule { Rule("disconnect.udp") }
  public static var disconnectTCP: Rule { Rule("disconnect.tcp") }
  public static var acceptOK: Rule { Rule("accept.ok") }
  public static var acceptEmpty: Rule { Rule("accept.queue-empty") }
  public static var acceptNotListening: Rule { Rule("accept.not-listening") }

  // Delivery.
  public static var deliveryExact: Rule { Rule("delivery.exact-before-wildcard") }
  public static var deliveryWildcard: Rule { Rule("delivery.wildcard") }
  public static var deliveryScore: Rule { Rule("delivery.score") }
  public static var deliveryChainOrder: Rule { Rule("delivery.chain-order") }
  public static var deliveryReusePort: Rule { Rule("delivery.reuseport-group") }
  public static var deliveryNobody: Rule { Rule("delivery.nobody") }
  public static var deliveryOffHost: Rule { Rule("delivery.leaves-host") }
  public static var deliveryDropped: Rule { Rule("delivery.dropped-by-receiver") }
  public static var deliveryBroadcast: Rule { Rule("delivery.broadcast") }
  public static var deliveryMulticast: Rule { Rule("delivery.multicast") }
  public static var sendPendingError: Rule { Rule("send.pending-error") }
  public static var sendNoDestination: Rule { Rule("send.no-destination") }
  public static var sendAutobindExhausted: Rule { Rule("send.autobind-exhausted") }
  public static var sendBroadcastDenied: Rule { Rule("send.broadcast-needs-so-broadcast") }
  public static var sendFamily: Rule { Rule("send.address-family") }
  public static var sendUnreachable: Rule { Rule("send.network-unreachable") }
  public static var sendInvalidSource: Rule { Rule("send.invalid-source") }
  public static var sendNoSource: Rule { Rule("send.no-source-address") }
  public static var sendTCP: Rule { Rule("send.tcp") }
  public static var joinOK: Rule { Rule("join.ok") }
  public static var joinFailed: Rule { Rule("join.failed") }

  /// Every rule the model uses, for decoding a name back into its rule.
  public static let all: [Rule] = [
    .environment,
    .socketCreated,
    .socketClosed,
    .optionSet,
    .optionWrongLevel,
    .optionV6OnlyAfterBind,
    .optionUnknownDevice,
    .optionNotPermitted,
    .optionMulticastAddress,
    .optionMulticastDevice,
    .bindAddressLength,
    .bindFamily,
    .bindNotLocal,
    .bindPrivilegedPort,
    .bindAlreadyBound,
    .bindMappedOnV6Only,
    .bindScopeRequired,
    .bindUnknownDevice,
    .bindMulticastTCP,
    .bindNoOverlap,
    .bindSharedReuseAddress,
    .bindSharedReusePort,
    .tcpConflict,
    .tcpListenerBlocksReuseAddress,
    .tcpReusePortOwner,
    .tcpTimeWait,
    .tcpBindBucketFastPath,
    .udpFirstMatch,
    .udpReusePortOwner,
    .ephemeralTCP,
    .ephemeralUDP,
    .ephemeralExhausted,
    .ephemeralDeferred,
    .ephemeralConnect,
    .listenNotStream,
    .listenOK,
    .listenConflict,
    .listenInvalidState,
    .connectUDP,
    .connectFamily,
    .connectInvalidSource,
    .connectUnreachable,
    .connectRefused,
    .connectAlreadyConnected,
    .connectInvalid,
    .connectScopeRequired,
    .connectNoSource,
    .connectUnknownDevice,
    .connectInProgress,
    .connectCompleted,
    .connectSelf,
    .connectReplyLost,
    .connectMappedOps,
    .connectTupleInUse,
    .disconnect,
    .disconnectTCP,
    .acceptOK,
    .acceptEmpty,
    .acceptNotListening,
    .deliveryExact,
    .deliveryWildcard,
    .deliveryScore,
    .deliveryChainOrder,
    .deliveryReusePort,
    .deliveryNobody,
    .deliveryOffHost,
    .deliveryDropped,
    .deliveryBroadcast,
    .deliveryMulticast,
    .sendPendingError,
    .sendNoDestination,
    .sendAutobindExhausted,
    .sendBroadcastDenied,
    .sendFamily,
    .sendUnreachable,
    .sendInvalidSource,
    .sendNoSource,
    .sendTCP,
    .joinOK,
    .joinFailed,
  ]
}
