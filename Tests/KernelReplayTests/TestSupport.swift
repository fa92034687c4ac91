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
