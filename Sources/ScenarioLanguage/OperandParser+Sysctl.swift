import BindModel

extension OperandParser {
  /// The operands a sysctl key takes, as shown in messages.
  static func sysctlOperands(_ key: String) -> [String] {
    switch key {
    case "net.ipv4.ip_local_port_range": ["LOW", "HIGH"]
    case "net.ipv4.ip_local_reserved_ports": ["LIST"]
    case "net.ipv4.ip_unprivileged_port_start": ["N"]
    default: ["0|1"]
    }
  }

  /// `sysctl KEY VALUE...`: `words` are the statement's words, `sysctl` included.
  func sysctl(_ words: [Word]) throws(ScenarioError) -> Sysctl {
    guard words.count >= 2 else {
      throw line.error("missing KEY: expected 'sysctl KEY VALUE...'", after: words[0])
    }
    let keyWord = words[1]
    let key = keyWord.text
    guard Sysctl.keys.contains(key) else {
      throw line.error(
        "unknown sysctl \(key.quoted)", at: keyWord,
        note: Suggestion.note(for: key, in: Sysctl.keys))
    }
    let operands = Self.sysctlOperands(key)
    let usage =
      "expected '\(["sysctl", key].joined(separator: " ")) \(operands.joined(separator: " "))'"
    guard words.count >= 2 + operands.count else {
      throw line.error("missing \(operands[words.count - 2]): \(usage)", after: words.last!)
    }
    guard words.count == 2 + operands.count else {
      let extra = words[2 + operands.count]
      throw line.error("unexpected \(extra.text.quoted): \(usage)", at: extra)
    }
    let values = Array(words[2...])
    switch key {
    case "net.ipv4.ip_local_port_range":
      let low = try number(values[0], in: 1...65535)
      let high = try number(values[1], in: 1...65535)
      guard low <= high else {
        throw line.error(
          "the low port \(low) is above the high port \(high)",
          from: values[0].start, to: values[1].end)
      }
      return .ipLocalPortRange(low: UInt16(low), high: UInt16(high))
    case "net.ipv4.ip_local_reserved_ports":
      return .ipLocalReservedPorts(try portList(values[0]))
    case "net.ipv4.ip_unprivileged_port_start":
      return .ipUnprivilegedPortStart(Int(try number(values[0], in: 0...65535)))
    case "net.ipv4.ip_nonlocal_bind": return .ipv4NonlocalBind(try flag(values[0]))
    case "net.ipv6.ip_nonlocal_bind": return .ipv6NonlocalBind(try flag(values[0]))
    case "net.ipv6.bindv6only": return .bindv6only(try flag(values[0]))
    default: return .ipAutobindReuse(try flag(values[0]))
    }
  }

  /// A decimal number within `range`.
  func number(_ word: Word, in range: ClosedRange<UInt64>) throws(ScenarioError) -> UInt64 {
    guard Self.isNumber(word) else {
      throw line.error("\(word.text.quoted) is not a number", at: word)
    }
    guard let value = Self.decimal(word, maximum: range.upperBound), value >= range.lowerBound
    else {
      throw line.error(
        "\(word.text.shortened) is out of range (\(range.lowerBound)-\(range.upperBound))",
        at: word)
    }
    return value
  }

  /// `0` or `1`.
  func flag(_ word: Word) throws(ScenarioError) -> Bool {
    switch word.text {
    case "0": return false
    case "1": return true
    default: throw line.error("expected 0 or 1, not \(word.text.quoted)", at: word)
    }
  }

  /// A list of ports and port ranges such as `40000,40010-40020`.
  func portList(_ word: Word) throws(ScenarioError) -> [ClosedRange<UInt16>] {
    var ranges: [ClosedRange<UInt16>] = []
    var start = 0
    while start <= word.count {
      let end = word.firstOffset(of: 0x2C, from: start) ?? word.count  // ','
      let item = word.slice(start, end)
      guard item.count > 0 else {
        throw line.error(
          "expected a port or a range like '40010-40020'",
          at: end < word.count ? word.slice(end, end + 1) : word)
      }
      if let dash = item.firstOffset(of: 0x2D) {  // '-'
        let low = try number(item.slice(0, dash), in: 0...65535)
        let high = try number(item.dropFirst(dash + 1), in: 0...65535)
        guard low <= high else {
          throw line.error("the range \(item.text.quoted) is reversed", at: item)
        }
        ranges.append(UInt16(low)...UInt16(high))
      } else {
        let port = UInt16(try number(item, in: 0...65535))
        ranges.append(port...port)
      }
      start = end + 1
    }
    return ranges
  }
}
