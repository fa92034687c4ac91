import BindModel

/// What the parser knows from the lines read so far: sockets, hosts and links.
struct SymbolTable {
  /// Where a socket name was defined and, once it is, closed.
  struct SocketRecord {
    var definedOn: Int
    var closedOn: Int?
  }

  /// Every socket name defined so far (by `socket` or `accept`).
  var sockets: [String: SocketRecord] = [:]
  /// The host names that `host` lines declared.
  var hosts: Set<String> = []
  /// Each linked interface, with the line of its link.
  var linkedInterfaces: [HostInterface: Int] = [:]
  /// The hosts `link` lines name, each with the error to report if no `host` line declares it.
  var linkedHosts: [(host: String, error: ScenarioError)] = []

  /// The host every file has when it has no `host` line.
  static let implicitHost = "local"

  /// The sockets that may be used now, for suggestions (in no particular order).
  var openSockets: [String] {
    sockets.compactMap { $0.value.closedOn == nil ? $0.key : nil }
  }
}
