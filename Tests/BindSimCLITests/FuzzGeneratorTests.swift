import BindModel
import Foundation
import ScenarioLanguage
import Testing

@testable import BindSimCLI

/// The scenario generator: reproducible from a seed, always valid, and broad.
struct FuzzGeneratorTests {
  static let seeds = 0..<500
  static let corpus = seeds.map { ScenarioGenerator.scenario(seed: 42, index: $0) }

  @Test func `the same seed and index give the same scenario`() {
    for index in 0..<50 {
      #expect(
        ScenarioGenerator.scenario(seed: 7, index: index)
          == ScenarioGenerator.scenario(seed: 7, index: index))
    }
    let first = (0..<20).map { ScenarioGenerator.scenario(seed: 1, index: $0) }
    let other = (0..<20).map { ScenarioGenerator.scenario(seed: 2, index: $0) }
    #expect(first != other)
    #expect(Set(first).count == first.count)
  }

  @Test func `every generated scenario parses and runs on the model`() throws {
    for (index, text) in Self.corpus.enumerated() {
      let scenario = try ScenarioParser.parse(text)
      #expect(ScenarioGenerator.lengths.contains(scenario.statements.count), "\(index)")
      #expect(throws: Never.self, "scenario \(index)") { try Runner.run(scenario) }
    }
  }

  @Test func `no line the generator writes is refused by its own checks`() {
    for index in Self.seeds {
      var generator = ScenarioGenerator(random: FuzzRandom(seed: 42, index: index))
      _ = generator.build()
      #expect(generator.rejected == 0, "scenario \(index)")
    }
  }

  @Test func `addresses come only from the allowed ranges`() {
    let allowed = [
      "127.", "192.0.2.", "198.51.100.", "203.0.113.", "2001:db8", "fe80::", "239.", "ff1",
      "0.0.0.0", "::", "::1", "255.255.255.255", "::ffff:",
    ]
    for text in Self.corpus {
      for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
        let looksLikeAddress = word.contains(":") && !word.hasPrefix("net.") || word.contains("/")
        guard looksLikeAddress, !word.hasPrefix("uid=") else { continue }
        let value = word.split(separator: "=").last.map(String.init) ?? String(word)
        let address = value.hasPrefix("[") ? String(value.dropFirst()) : value
        #expect(allowed.contains { address.hasPrefix($0) }, "\(word)")
      }
    }
  }

  @Test func `every statement, kind, option, sysctl and address class appears`() {
    let all = Self.corpus.joined(separator: "\n")
    let keywords = [
      "interface", "sysctl", "socket", "setsockopt", "bind", "listen", "connect", "disconnect",
      "accept", "send", "join", "close",
    ]
    for keyword in keywords { #expect(all.contains("\n\(keyword) "), "\(keyword)") }
    for kind in SocketKind.allCases { #expect(all.contains(" \(kind.rawValue)"), "\(kind)") }
    for option in SocketOption.names { #expect(all.contains(" \(option)"), "\(option)") }
    for key in Sysctl.keys { #expect(all.contains("sysctl \(key) "), "\(key)") }
    let classes = [
      "wildcard v4": " 0.0.0.0:", "wildcard v6": " [::]:", "loopback range": " 127.0.0.2:",
      "v4-mapped": "[::ffff:127.0.0.1]:", "interface": " 192.0.2.1:",
      "link-local with scope": "[fe80::1%eth0]:", "link-local without scope": "[fe80::1]:",
      "non-local": " 192.0.2.99:", "broadcast": " 255.255.255.255:",
      "subnet broadcast": " 192.0.2.255:", "multicast v4": " 239.1.1.1:",
      "multicast v6": " [ff15::1]:", "uid": " uid=1000", "port 0": ":0\n", "@NAME": ":@s",
    ]
    for (name, pattern) in classes { #expect(all.contains(pattern), "\(name)") }
  }

  @Test func `sockets meet on the same ports`() throws {
    var meeting = 0
    for text in Self.corpus {
      var ports: [String: Int] = [:]
      for line in text.split(separator: "\n") where line.hasPrefix("bind ") {
        guard let port = line.split(separator: ":").last, port != "0" else { continue }
        ports[String(port), default: 0] += 1
      }
      if ports.values.contains(where: { $0 >= 2 }) { meeting += 1 }
    }
    #expect(meeting * 2 > Self.corpus.count, "only \(meeting) of \(Self.corpus.count)")
  }
}
