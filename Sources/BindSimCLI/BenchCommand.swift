import BindModel
import Foundation

/// `bindsim bench`: the model's throughput on generated scenarios, each case at its size and
/// at twice its size in the same run, so growth shows as a ratio (about 2.0 is linear).
struct BenchCommand {
  var options: Invocation.BenchOptions

  /// One measured case.
  struct Measurement {
    var name: String
    var operations: Int
    var seconds: Double
    var doubledSeconds: Double
    var perOperation: Double { seconds / Double(operations) }
    var growth: Double { doubledSeconds / seconds }
  }

  func execute(output: inout some TextOutputStream) -> ExitStatus {
    let scale = options.scale
    let binds = Int(100_000 * scale)
    let deliveries = Int(100_000 * scale)
    let receivers = Int(1_000 * scale)
    var results: [Measurement] = []
    var memory = ""

    results.append(
      Measurement(
        name: "explicit binds (5 addresses per port)", operations: binds,
        seconds: Self.time { Self.explicitBinds(binds) },
        doubledSeconds: Self.time { Self.explicitBinds(2 * binds) }))
    // The default range has 28,232 ports; its double is a 56,464-port range.
    let range = Int(28_232 * min(scale, 1))
    results.append(
      Measurement(
        name: "port-0 binds exhausting the range", operations: range + 1,
        seconds: Self.time { Self.exhaustRange(ports: range) },
        doubledSeconds: Self.time { Self.exhaustRange(ports: 2 * range) }))
    results.append(
      Measurement(
        name: "deliveries, \(receivers) sockets on one port", operations: deliveries,
        seconds: Self.time { Self.deliveries(deliveries, receivers: receivers) },
        doubledSeconds: Self.time { Self.deliveries(2 * deliveries, receivers: receivers) }))

    let before = Self.residentKilobytes()
    let namespace = Self.explicitBinds(binds)
    let after = Self.residentKilobytes()
    memory =
      "memory: \(namespace.sockets.count) sockets in the model add \((after - before) / 1024) MiB; "
      + "peak resident size of this run \(Self.peakKilobytes() / 1024) MiB\n"

    let header = ["case", "operations", "time", "per operation", "2x size / 1x size"]
    var rows = [header]
    for r in results {
      rows.append([
        r.name, "\(r.operations)", String(format: "%.1f ms", r.seconds * 1000),
        String(format: "%.0f ns", r.perOperation * 1e9), String(format: "%.2f", r.growth),
      ])
    }
    let widths = (0..<header.count).map { c in rows.map { $0[c].count }.max() ?? 0 }
    for row in rows {
      output.write(
        row.enumerated().map { i, cell in
          i == 0 ? cell.padding(to: widths[i]) : cell.leftPadded(to: widths[i])
        }.joined(separator: "  ") + "\n")
    }
    output.write(memory)
    return .success
  }

  static func time<T>(_ body: () -> T) -> Double {
    let clock = ContinuousClock()
    var result: T?
    let elapsed = clock.measure { result = body() }
    withExtendedLifetime(result) {}
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
  }

  /// `count` sockets, TCP and UDP alternately, each bound to one of five loopback addresses on
  /// `count / 5` ports: every port ends with the same number of sockets at any size.
  static func explicitBinds(_ count: Int) -> Namespace {
    var ns = Namespace()
    var choices = Choices()
    let ports = max(1, count / 5)
    for i in 0..<count {
      let name = "s\(i)"
      let kind: SocketKind = i % 2 == 0 ? .udp4 : .tcp4
      _ = ns.perform(.socket(name: name, kind: kind, options: [], uid: 0), endpoint: nil, choices: &choices)
      let port = UInt16(1024 + (i % ports) % 64_000)
      let address = IPv4Address(127, 0, 0, UInt8(1 + (i / ports) % 5))
      _ = ns.perform(
        .bind(name: name, endpoint: EndpointSpec(address: .v4(address), port: .number(port))),
        endpoint: Endpoint(address: .v4(address), port: port), choices: &choices)
    }
    return ns
  }

  /// TCP `bind(0.0.0.0:0)` until the range is exhausted (the last one fails).
  static func exhaustRange(ports: Int) -> Namespace {
    var ns = Namespace()
    var choices = Choices()
    let low = UInt16(2048)
    _ = ns.perform(
      .sysctl(.ipLocalPortRange(low: low, high: low + UInt16(ports - 1))), endpoint: nil,
      choices: &choices)
    for i in 0...ports {
      let name = "e\(i)"
      _ = ns.perform(.socket(name: name, kind: .tcp4, options: [], uid: 0), endpoint: nil, choices: &choices)
      let p = ns.perform(
        .bind(name: name, endpoint: EndpointSpec(address: .v4(.any), port: .number(0))),
        endpoint: Endpoint(address: .v4(.any), port: 0), choices: &choices)
      precondition((p.outcomes.single == .ok) == (i < ports), "exhaustion came early or late")
    }
    return ns
  }

  /// `receivers` UDP sockets on one port at distinct loopback addresses; `count` datagrams
  /// from one client, each to a pseudo-random receiver.
  static func deliveries(_ count: Int, receivers: Int) -> Namespace {
    var ns = Namespace()
    var choices = Choices()
    let port: UInt16 = 5000
    var addresses: [IPv4Address] = []
    for i in 0..<receivers {
      let address = IPv4Address(127, 1, UInt8(i / 250), UInt8(1 + i % 250))
      addresses.append(address)
      _ = ns.perform(.socket(name: "r\(i)", kind: .udp4, options: [], uid: 0), endpoint: nil, choices: &choices)
      _ = ns.perform(
        .bind(name: "r\(i)", endpoint: EndpointSpec(address: .v4(address), port: .number(port))),
        endpoint: Endpoint(address: .v4(address), port: port), choices: &choices)
    }
    _ = ns.perform(.socket(name: "client", kind: .udp4, options: [], uid: 0), endpoint: nil, choices: &choices)
    var state: UInt64 = 1
    for _ in 0..<count {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let target = addresses[Int(state >> 33) % addresses.count]
      let p = ns.perform(
        .send(name: "client", endpoint: nil), endpoint: Endpoint(address: .v4(target), port: port),
        choices: &choices)
      precondition(p.outcomes.single != .nobody, "a delivery found nobody")
    }
    return ns
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
