import BindModel
import Foundation

/// `bindsim bench`: the model's throughput on generated scenarios, each case at its size and
/// at twice its size in the same run, so growth shows as a ratio (about 2.0 is linear).
struct BenchCommand {
  var options: Invocation.BenchOptions

  /// A generated scenario, with endpoints already resolved: set-up calls that are not timed
  /// (the sockets that the measured binds bind, the receivers of the measured datagrams), then
  /// the measured calls, each checked so that a broken model cannot look fast.
  struct Workload {
    var name: String
    var setup: [(Action, Endpoint?)] = []
    /// The measured operations, one call each.
    var calls: [(Action, Endpoint?)]
    /// Whether the prediction for measured call `index` is the expected one.
    var check: (Prediction, Int) -> Bool
    var operations: Int { calls.count }
  }

  func execute(output: inout some TextOutputStream) -> ExitStatus {
    let scale = options.scale
    let binds = Int(100_000 * scale)
    let deliveries = Int(100_000 * scale)
    let receivers = max(1, Int(1_000 * scale))
    // The default range has 28,232 ports; the doubled case uses a 56,464-port range. The size
    // stays even: the kernel's scan leaves out the last port of an odd-sized range
    // (inet_csk_find_open_port), and the workload expects every port to be taken.
    let range = max(4, Int(28_232 * min(scale, 1))) & ~1
    let cases: [(Int) -> Workload] = [
      { Self.sockets($0 * binds) },
      { Self.explicitBinds($0 * binds) },
      { Self.exhaustRange(ports: $0 * range) },
      { Self.deliveries($0 * deliveries, receivers: receivers) },
    ]
    // The model's size first, while the process has touched few pages: later runs free memory
    // that the resident size keeps.
    let model = Self.modelSize(binds: binds)
    let header = [
      "case", "operations", "per operation", "2x size / 1x size", "with explanations",
    ]
    var rows = [header]
    var failed = false
    for make in cases {
      // Each run builds its workload just before and drops it right after, so that at most one
      // workload and one model are alive at a time (the peak resident size stays low).
      let (name, operations) = {
        let w = make(1)
        return (w.name, w.operations)
      }()
      // The best of three runs at each size, the sizes taking turns: the machine's other work
      // and memory that an earlier run left behind slow single runs by 10-20%.
      var fast: [Double?] = []
      var fastDouble: [Double?] = []
      for _ in 0..<Self.rounds {
        fast.append(Prediction.$explains.withValue(false) { Self.measure(make(1)) })
        fastDouble.append(Prediction.$explains.withValue(false) { Self.measure(make(2)) })
      }
      let explained = Self.measure(make(1))
      guard let t1 = Self.best(fast), let t2 = Self.best(fastDouble), let te = explained else {
        output.write("\(name): the model gave an unexpected outcome\n")
        failed = true
        continue
      }
      rows.append([
        name, "\(operations)",
        Self.nanoseconds(t1 / Double(operations)), String(format: "%.2f", t2 / t1),
        Self.nanoseconds(te / Double(operations)),
      ])
    }
    let widths = (0..<header.count).map { c in rows.map { $0[c].count }.max() ?? 0 }
    for row in rows {
      output.write(
        row.enumerated().map { i, cell in
          i == 0 ? cell.padding(to: widths[i]) : cell.leftPadded(to: widths[i])
        }.joined(separator: "  ") + "\n")
    }
    output.write(
      "memory: \(model.sockets) bound sockets take \(model.kilobytes / 1024) MiB in the model; "
        + "peak resident size \(model.peakKilobytes / 1024) MiB with them, "
        + "\(Self.peakKilobytes() / 1024) MiB for the whole run (the doubled cases hold twice as many)\n"
    )
    output.write(
      "per operation: model time per measured call, best of \(Self.rounds) runs (explanations off: one run with them on; the sockets that binds bind and the receivers of datagrams are set up untimed); ratios of 2.00 mean linear growth\n"
    )
    return failed ? .software : .success
  }

  /// The model's resident size after the explicit-bind workload (sockets, kilobytes), and the
  /// process's peak resident size so far, the first thing the bench runs: the peak with that
  /// many sockets, the workload's operands included.
  static func modelSize(binds: Int) -> (sockets: Int, kilobytes: Int, peakKilobytes: Int) {
    let workload = Self.explicitBinds(binds)
    let before = Self.residentKilobytes()
    var namespace = Namespace()
    var choices = Choices()
    Prediction.$explains.withValue(false) {
      for (action, endpoint) in workload.setup {
        _ = namespace.perform(action, endpoint: endpoint, choices: &choices)
      }
      for (action, endpoint) in workload.calls {
        _ = namespace.perform(action, endpoint: endpoint, choices: &choices)
      }
    }
    let after = Self.residentKilobytes()
    withExtendedLifetime(workload) {}
    return (namespace.sockets.count, after - before, peakKilobytes())
  }

  /// How many times each size is measured.
  static let rounds = 3

  /// The shortest of the times, nil when any run gave an unexpected outcome.
  static func best(_ times: [Double?]) -> Double? {
    let done = times.compactMap { $0 }
    return done.count == times.count ? done.min() : nil
  }

  static func nanoseconds(_ seconds: Double) -> String {
    String(format: "%.0f ns", seconds * 1e9)
  }

  /// Runs a workload on a fresh model, timing only its measured calls; nil when an outcome
  /// check fails.
  static func measure(_ workload: consuming Workload) -> Double? {
    var namespace = Namespace()
    var choices = Choices()
    var setup = workload.setup
    workload.setup = []
    for (action, endpoint) in setup {
      guard namespace.perform(action, endpoint: endpoint, choices: &choices).isOK
      else { return nil }
    }
    setup = []
    // The operands in two plain arrays, in reverse order so that the loop can take each one
    // off the end instead of copying it: passing an element of the array of
    // (Action, Endpoint?) tuples goes through the runtime's generic tuple copy, a cost of this
    // loop and not of the model. The tuples are dropped first, so the peak resident size does
    // not grow.
    var calls = workload.calls
    workload.calls = []
    var actions = calls.reversed().map(\.0)
    var endpoints = calls.reversed().map(\.1)
    calls = []
    let check = workload.check
    var ok = true
    let clock = ContinuousClock()
    let elapsed = clock.measure {
      var index = 0
      while let action = actions.popLast(), let endpoint = endpoints.popLast() {
        let p = namespace.perform(action, endpoint: endpoint, choices: &choices)
        if !check(p, index) { ok = false }
        index += 1
      }
    }
    withExtendedLifetime(namespace) {}
    guard ok else { return nil }
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
  }

  /// `count` socket() calls, TCP and UDP alternately: what the bind cases set up untimed.
  static func sockets(_ count: Int) -> Workload {
    Workload(
      name: "socket() calls", calls: socketCalls(count), check: { p, _ in p.isOK }
    )
  }

  private static func socketCalls(_ count: Int) -> [(Action, Endpoint?)] {
    (0..<count).map { i in
      (.socket(name: "s\(i)", kind: i % 2 == 0 ? .udp4 : .tcp4, options: [], uid: 0), nil)
    }
  }

  /// `count` sockets, TCP and UDP alternately, each bound to one of five loopback addresses on
  /// `count / 5` ports: every port ends with the same number of sockets at any size. The
  /// socket() calls are set-up; the binds are measured.
  static func explicitBinds(_ count: Int) -> Workload {
    var calls: [(Action, Endpoint?)] = []
    calls.reserveCapacity(count)
    let ports = max(1, count / 5)
    for i in 0..<count {
      let port = UInt16(1024 + (i % ports) % 64_000)
      let address = IPAddress.v4(IPv4Address(127, 0, 0, UInt8(1 + (i / ports) % 5)))
      let spec = EndpointSpec(address: address, port: .number(port))
      calls.append((.bind(name: "s\(i)", endpoint: spec), spec.resolved(port: port)))
    }
    return Workload(
      name: "explicit binds, 5 addresses per port", setup: socketCalls(count), calls: calls,
      check: { p, _ in p.isOK })
  }

  /// TCP `bind(0.0.0.0:0)` until the range is exhausted (the last one fails).
  static func exhaustRange(ports: Int) -> Workload {
    let low = UInt16(2048)
    var setup: [(Action, Endpoint?)] = [
      (.sysctl(.ipLocalPortRange(low: low, high: low + UInt16(ports - 1))), nil)
    ]
    var calls: [(Action, Endpoint?)] = []
    let spec = EndpointSpec(address: .v4(.any), port: .number(0))
    for i in 0...ports {
      let name = "e\(i)"
      setup.append((.socket(name: name, kind: .tcp4, options: [], uid: 0), nil))
      calls.append((.bind(name: name, endpoint: spec), spec.resolved(port: 0)))
    }
    let last = calls.count - 1
    return Workload(
      name: "port-0 binds exhausting the range", setup: setup, calls: calls,
      check: { p, index in
        index == last ? p.outcomes.single == .failed(.EADDRINUSE) : p.isOK
      })
  }

  /// `receivers` UDP sockets on one port at distinct loopback addresses; `count` datagrams
  /// from one client, each to a pseudo-random receiver.
  static func deliveries(_ count: Int, receivers: Int) -> Workload {
    let port: UInt16 = 5000
    var setup: [(Action, Endpoint?)] = []
    var calls: [(Action, Endpoint?)] = []
    var addresses: [IPAddress] = []
    for i in 0..<receivers {
      let address = IPAddress.v4(IPv4Address(127, 1, UInt8(i / 250), UInt8(1 + i % 250)))
      addresses.append(address)
      let spec = EndpointSpec(address: address, port: .number(port))
      setup.append((.socket(name: "r\(i)", kind: .udp4, options: [], uid: 0), nil))
      setup.append((.bind(name: "r\(i)", endpoint: spec), spec.resolved(port: port)))
    }
    setup.append((.socket(name: "client", kind: .udp4, options: [], uid: 0), nil))
    var state: UInt64 = 1
    for _ in 0..<count {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let target = addresses[Int(state >> 33) % addresses.count]
      let spec = EndpointSpec(address: target, port: .number(port))
      calls.append((.send(name: "client", endpoint: spec), spec.resolved(port: port)))
    }
    return Workload(
      name: "deliveries, \(receivers) sockets on one port", setup: setup, calls: calls,
      check: { p, _ in
        // By pattern, without building an outcome to compare with.
        if case .delivered(let names)? = p.outcomes.single { return !names.isEmpty }
        return false
      })
  }

  static func residentKilobytes() -> Int { statusField("VmRSS:") }
  static func peakKilobytes() -> Int { statusField("VmHWM:") }

  private static func statusField(_ field: String) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field) })
    else { return 0 }
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
  }
}

extension Prediction {
  /// Whether the only outcome is `ok`, without building an `Outcome` to compare with.
  fileprivate var isOK: Bool {
    if case .ok? = outcomes.single { return true }
    return false
  }
}
