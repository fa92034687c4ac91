import BindModel
@preconcurrency import Glibc

/// The kernel as a network of hosts: every host of a scenario is a network namespace of its
/// own, cables are veth pairs whose two ends sit in two hosts' namespaces, and scenario
/// statements are performed for real, on real sockets, reporting what the kernel did.
///
/// The calling thread moves between the hosts' namespaces with `setns(2)`; a socket keeps
/// the namespace it was created in, so calls on it work from anywhere, but interface names
/// (`if_nametoindex`), rtnetlink requests and `/proc/sys/net` follow the thread. Every call
/// on an existing socket therefore runs in its socket's host.
///
/// The network owns every descriptor it opens (sockets keyed by their file-wide unique name,
/// and one descriptor per namespace), and closes them all when it is released, so that every
/// socket of a scenario lives (and holds its port) until the scenario ends. Use it from one
/// thread: namespaces and the `uid=N` switch are per thread.
public final class KernelNetwork {
  /// One socket of the scenario.
  struct OpenSocket {
    var descriptor: CInt
    var kind: SocketKind
    var identity: EffectiveIdentity
    /// The host whose namespace the socket was created in (an accepted socket: its
    /// listener's).
    var host: String
    var isListening = false
  }

  /// One host: its namespace, and what bindsim created in it.
  struct Host {
    /// The namespace, or nil for the calling thread's own, never switched (`KernelStack`).
    var namespace: NamespaceHandle?
    /// The interfaces bindsim created here (cable ends, `interface` names and their peers).
    var interfaces: [String] = []
    /// The IPv6 addresses bindsim added here.
    var ipv6Addresses: [IPv6Address] = []
    /// How many same-host veth pairs have been made, for their peers' names.
    var vethPairs = 0
  }

  /// Host names in declaration order; the first is the one the thread came from.
  let hostNames: [String]
  var hosts: [String: Host]
  /// The host whose namespace the calling thread is in.
  var currentHost: String
  var sockets: [String: OpenSocket] = [:]
  /// Socket names in creation order, so that scans are deterministic.
  var order: [String] = []
  var datagramsSent = 0
  /// Set when interfaces or addresses changed since the last `waitUntilReady()`.
  var needsReadiness = false

  /// Creates one network namespace per host and the cables between them, for a replay
  /// child that has already entered a fresh namespace (`NetworkNamespace.enterFresh()`):
  /// the first host keeps that namespace, every other host gets a new one
  /// (`unshare(CLONE_NEWNET)`, kept open through `/proc/thread-self/ns/net`), and every host
  /// is configured as `NetworkNamespace.configureFresh()` does.
  ///
  /// Each link `(a, b)` becomes a veth pair created in `a`'s namespace, named `a.interface`,
  /// whose peer `b.interface` is created in `b`'s namespace (`IFLA_NET_NS_FD` in the peer's
  /// `VETH_INFO_PEER`); both ends are brought up. A link is wiring: it exists before any
  /// statement runs. The calling thread ends up in the first host's namespace.
  ///
  /// As a non-root user this works inside the user namespace `enterFresh()` made, where
  /// the caller has `CAP_SYS_ADMIN` (needed by `unshare` and `setns`).
  public init(
    hosts names: [String], links: [(HostInterface, HostInterface)]
  ) throws(NamespaceError) {
    try Self.validate(hosts: names, links: links)
    hostNames = names
    try NetworkNamespace.configureFresh()
    var made = [names[0]: Host(namespace: try NamespaceHandle.current())]
    for name in names.dropFirst() {
      made[name] = Host(namespace: try NamespaceHandle.createFresh())
    }
    hosts = made
    currentHost = names[names.count - 1]
    for (a, b) in links {
      do {
        try wire(a, b)
      } catch {
        throw NamespaceError("cannot lay the cable \(a) \(b): \(error)", underlying: error)
      }
    }
    needsReadiness = !links.isEmpty
    do {
      try enter(names[0])
    } catch {
      throw NamespaceError("cannot return to host \(names[0]): \(error)", underlying: error)
    }
  }

  /// A single host that is the calling thread's own namespace, never switched: the
  /// behaviour of `KernelStack`.
  init(callingThreadAs name: String) {
    hostNames = [name]
    hosts = [name: Host(namespace: nil)]
    currentHost = name
  }

  deinit {
    for name in order {
      if let socket = sockets[name] { closeDescriptor(socket.descriptor) }
    }
    // Leave the thread where it came from; the namespace descriptors close after this.
    if let first = hostNames.first, currentHost != first {
      try? hosts[first]?.namespace?.enter()
    }
  }

  /// Host names unique and non-empty, and every link between declared hosts.
  private static func validate(
    hosts names: [String], links: [(HostInterface, HostInterface)]
  ) throws(NamespaceError) {
    if names.isEmpty { throw NamespaceError("a network needs at least one host") }
    var seen: Set<String> = []
    for name in names where !seen.insert(name).inserted {
      throw NamespaceError("host \(name) is declared twice")
    }
    for (a, b) in links {
      for end in [a, b] where !seen.contains(end.host) {
        throw NamespaceError("the cable \(a) \(b) names an unknown host \(end.host)")
      }
    }
  }

  // MARK: Statements

  /// Performs one statement on `host` and reports its outcome and the local port the
  /// statement's socket holds afterwards (`getsockname`, 0 if none or if the socket is gone).
  ///
  /// Environment statements and `socket` run on `host`; every other call runs on the host
  /// of its socket (for `accept`, the listener's, and the new socket belongs there too),
  /// whatever `host` says. `.host` and `.link` are no-ops (`.ok`): the wiring was done by
  /// `init`. An unknown host is `ENONET`. Before the first call after interfaces or cables
  /// changed, the network waits until it is ready (`waitUntilReady()`).
  public func perform(_ action: Action, host: String) -> Observation {
    let outcome = outcome(of: action, host: host)
    var port: UInt16 = 0
    if let name = action.socketName, let socket = sockets[name] {
      port = SocketAddress.localPort(of: socket.descriptor)
    }
    return Observation(outcome: outcome, localPort: port)
  }

  private func outcome(of action: Action, host: String) -> Outcome {
    let target: String
    switch action {
    case .socket: target = host
    default: target = action.socketName.flatMap { sockets[$0]?.host } ?? host
    }
    guard hosts[target] != nil else { return .failed(.code(ENONET)) }
    do {
      try enter(target)
    } catch {
      return .failed(error.errno)
    }
    if action.isCall, needsReadiness {
      // Best effort: the runner's own call to waitUntilReady() reports a failure.
      try? waitUntilReady()
      try? enter(target)
    }
    return performHere(action)
  }

  /// Performs a statement in the current host's namespace.
  private func performHere(_ action: Action) -> Outcome {
    switch action {
    case .interface(let name, let addresses):
      return run { () throws(SystemError) in try configureInterface(name, addresses: addresses) }
    case .sysctl(let setting):
      return run { () throws(SystemError) in
        try writeExistingFile("/proc/sys/" + setting.procPath, setting.value)
      }
    case .host, .link:
      return .ok
    case .socket(let name, let kind, let options, let uid):
      return openSocket(name, kind: kind, options: options, identity: EffectiveIdentity(id: uid))
    case .setsockopt(let name, let option):
      return onSocket(name) { (socket) throws(SystemError) in try apply(option, to: socket) }
    case .bind(let name, let spec):
      let address = socketAddress(spec)
      return onSocket(name) { (socket) throws(SystemError) in
        _ = try address.withSockAddr { (pointer, length) throws(SystemError) in
          try retryingInterrupts("bind") { Glibc.bind(socket.descriptor, pointer, length) }
        }
      }
    case .listen(let name):
      let outcome = onSocket(name) { (socket) throws(SystemError) in
        try retryingInterrupts("listen") { Glibc.listen(socket.descriptor, Self.backlog) }
      }
      if outcome == .ok { sockets[name]?.isListening = true }
      return outcome
    case .connect(let name, let spec):
      return connect(name, to: socketAddress(spec))
    case .disconnect(let name):
      return onSocket(name) { (socket) throws(SystemError) in
        _ = try SocketAddress.unspecified.withSockAddr { (pointer, length) throws(SystemError) in
          try retryingInterrupts("connect(AF_UNSPEC)") {
            Glibc.connect(socket.descriptor, pointer, length)
          }
        }
      }
    case .accept(let listener, let name):
      return accept(listener, as: name)
    case .send(let name, let spec):
      return send(name, to: spec.map(socketAddress))
    case .join(let name, let group, let interface):
      let index = interface.map { interfaceIndex($0) ?? missingInterfaceIndex } ?? 0
      return onSocket(name) { (socket) throws(SystemError) in
        try join(group, interfaceIndex: index, on: socket)
      }
    case .close(let name):
      guard let socket = sockets.removeValue(forKey: name) else { return .failed(.EBADF) }
      order.removeAll { $0 == name }
      closeDescriptor(socket.descriptor)
      return .ok
    }
  }

  // MARK: Helpers

  /// Moves the calling thread into a host's namespace (`setns(2)`) unless it is there.
  func enter(_ name: String) throws(SystemError) {
    guard name != currentHost else { return }
    guard let host = hosts[name] else { throw SystemError(code: ENONET, call: "host \(name)") }
    try host.namespace?.enter()
    currentHost = name
  }

  /// `.ok`, or `.failed` with the errno the body threw.
  func run(_ body: () throws(SystemError) -> Void) -> Outcome {
    do {
      try body()
      return .ok
    } catch {
      return .failed(error.errno)
    }
  }

  /// Runs a call on a known socket as the socket's user; an unknown (never opened or closed)
  /// name is `EBADF`, as for a closed descriptor.
  func onSocket(_ name: String, _ body: (OpenSocket) throws(SystemError) -> Void) -> Outcome {
    guard let socket = sockets[name] else { return .failed(.EBADF) }
    return run { () throws(SystemError) in
      try socket.identity.run { () throws(SystemError) in try body(socket) }
    }
  }

  /// The C address of an endpoint: `@NAME` ports come from the kernel (`getsockname` of
  /// NAME, on whichever host), scope names become interface indexes of the current host
  /// (an unknown name, an index nobody has).
  private func socketAddress(_ spec: EndpointSpec) -> SocketAddress {
    let port: UInt16
    switch spec.port {
    case .number(let number): port = number
    case .heldBy(let holder):
      port = sockets[holder].map { SocketAddress.localPort(of: $0.descriptor) } ?? 0
    }
    let scope = spec.scope.map { interfaceIndex($0) ?? missingInterfaceIndex } ?? 0
    return SocketAddress(spec.resolved(port: port), scopeIndex: scope)
  }
}
