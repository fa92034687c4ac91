import BindModel
import Glibc
import KernelReplay
import Testing

extension Trait where Self == ConditionTrait {
  /// Skips tests that need root: `unshare(CLONE_NEWNET)` on a thread, veth pairs, uid switches.
  static var requiresRoot: Self {
    .enabled("needs root for private network namespaces") { geteuid() == 0 }
  }
}

/// `127.0.0.1:1060`, `[::1]:1060` and friends, as a scenario writes them.
func endpoint(_ address: String, _ port: UInt16, scope: String? = nil) -> EndpointSpec {
  EndpointSpec(address: IPAddress(address)!, scope: scope, port: .number(port))
}

/// `ADDRESS:@NAME`.
func endpoint(_ address: String, heldBy name: String) -> EndpointSpec {
  EndpointSpec(address: IPAddress(address)!, port: .heldBy(name))
}

/// `interface NAME CIDR...`.
func interface(_ name: String, _ cidrs: String...) -> Action {
  .interface(
    name: name,
    addresses: cidrs.map { cidr in
      let parts = cidr.split(separator: "/")
      return InterfaceAddress(address: IPAddress(parts[0])!, prefixLength: Int(parts[1])!)
    })
}

/// Replays the actions on a fresh namespace thread and returns what the kernel did.
func replay(_ actions: [Action]) throws -> [Observation] {
  try NetworkNamespace.withFreshNamespaceThread {
    let stack = KernelStack()
    return actions.map { stack.perform($0) }
  }
}

/// The outcomes only.
func outcomes(_ actions: [Action]) throws -> [Outcome] {
  try replay(actions).map(\.outcome)
}

/// `link HOST.IFACE HOST.IFACE`.
func cable(_ a: String, _ b: String) -> (HostInterface, HostInterface) {
  func end(_ text: String) -> HostInterface {
    let parts = text.split(separator: ".", maxSplits: 1)
    return HostInterface(host: String(parts[0]), interface: String(parts[1]))
  }
  return (end(a), end(b))
}

/// Replays `(host, action)` steps on a network of hosts built on a fresh namespace thread,
/// calling `waitUntilReady()` before the first call, as the runner does.
func replay(
  hosts: [String], links: [(HostInterface, HostInterface)], _ steps: [(String, Action)]
) throws -> [Observation] {
  try NetworkNamespace.withFreshNamespaceThread {
    let network = try KernelNetwork(hosts: hosts, links: links)
    var ready = false
    var result: [Observation] = []
    for (host, action) in steps {
      if action.isCall, !ready {
        try network.waitUntilReady()
        ready = true
      }
      result.append(network.perform(action, host: host))
    }
    return result
  }
}

/// The outcomes only.
func outcomes(
  hosts: [String], links: [(HostInterface, HostInterface)], _ steps: [(String, Action)]
) throws -> [Outcome] {
  try replay(hosts: hosts, links: links, steps).map(\.outcome)
}
