import BindModel

/// Reads the operands of a statement that need no knowledge of earlier lines: names,
/// addresses, prefixes, ports and numbers. Errors point into the word that is wrong.
struct OperandParser {
  let line: SourceLine

  /// The longest interface name Linux accepts (`IFNAMSIZ - 1`).
  static let maximumInterfaceName = 15

  /// Whether `text` matches `[A-Za-z_][A-Za-z0-9_.-]*`.
  static func isName(_ text: String) -> Bool {
    var bytes = text.utf8.makeIterator()
    guard let first = bytes.next(), isLetter(first) || first == UInt8(ascii: "_") else {
      return false
    }
    while let byte = bytes.next() {
      guard isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "_")
        || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
      else { return false }
    }
    return true
  }

  static func isLetter(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
      || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
  }

  static func isDigit(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
  }

  /// The value of a string of decimal digits, or nil if it has anything else or exceeds
  /// `maximum`.
  static func decimal(_ text: some StringProtocol, maximum: UInt64) -> UInt64? {
    guard !text.isEmpty else { return nil }
    var value: UInt64 = 0
    for byte in text.utf8 {
      guard isDigit(byte) else { return nil }
      value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
      guard value <= maximum else { return nil }
    }
    return value
  }

  /// Whether `text` is all decimal digits (however large).
  static func isNumber(_ text: some StringProtocol) -> Bool {
    !text.isEmpty && text.utf8.allSatisfy(isDigit)
  }

  /// A name of a socket, interface or host (`what` says which, for the message).
  func name(_ word: Word, what: String) throws(ScenarioError) -> String {
    guard Self.isName(word.text) else {
      throw line.error("\(word.text.quoted) is not a valid \(what) name", at: word)
    }
    return word.text
  }

  /// An interface name: a name of at most 15 characters.
  func interfaceName(_ word: Word) throws(ScenarioError) -> String {
    let name = try name(word, what: "interface")
    guard name.utf8.count <= Self.maximumInterfaceName else {
      throw line.error(
        "interface name \(name.quoted) is longer than \(Self.maximumInterfaceName) characters",
        at: word)
    }
    return name
  }

  /// A host name: a name without `.` (which separates host and interface in `link`).
  func hostName(_ word: Word) throws(ScenarioError) -> String {
    let name = try name(word, what: "host")
    if let dot = name.utf8.firstIndex(of: UInt8(ascii: ".")) {
      let offset = name.utf8.distance(from: name.utf8.startIndex, to: dot)
      throw line.error(
        "host name \(name.quoted) cannot contain '.'", at: word.slice(offset, offset + 1))
    }
    return name
  }

  /// `ADDRESS/PREFIX`, as in `192.0.2.130/24` or `2001:db8::1/64`.
  func interfaceAddress(_ word: Word) throws(ScenarioError) -> InterfaceAddress {
    let bytes = Array(word.text.utf8)
    guard let slash = bytes.firstIndex(of: UInt8(ascii: "/")) else {
      throw line.error(
        "\(word.text.quoted) is not an address with a prefix length, like '192.0.2.1/24'",
        at: word)
    }
    let addressWord = word.slice(0, slash)
    let prefixWord = word.dropFirst(slash + 1)
    guard let address = IPAddress(addressWord.text) else {
      throw line.error("\(addressWord.text.quoted) is not an IP address", at: addressWord)
    }
    let maximum = address.family == .inet ? 32 : 128
    guard Self.isNumber(prefixWord.text) else {
      throw line.error(
        "\(prefixWord.text.quoted) is not a prefix length",
        at: prefixWord.text.isEmpty ? word.slice(slash, slash + 1) : prefixWord)
    }
    guard let length = Self.decimal(prefixWord.text, maximum: UInt64(maximum)) else {
      let family = address.family == .inet ? "IPv4" : "IPv6"
      throw line.error(
        "prefix length \(prefixWord.text.shortened) is out of range for \(family) (0-\(maximum))",
        at: prefixWord)
    }
    return InterfaceAddress(address: address, prefixLength: Int(length))
  }

  /// An address written bare (`224.0.0.1`, `ff02::1`) or in brackets (`[ff02::1%eth0]`),
  /// with the scope after `%` when there is one.
  func groupAddress(_ word: Word) throws(ScenarioError) -> (IPAddress, scope: String?) {
    var inner = word
    if word.text.hasPrefix("[") {
      guard word.text.hasSuffix("]"), word.text.utf8.count >= 2 else {
        throw line.error("missing ']' in \(word.text.quoted)", at: word)
      }
      inner = word.slice(1, word.text.utf8.count - 1)
    }
    let bytes = Array(inner.text.utf8)
    if let percent = bytes.firstIndex(of: UInt8(ascii: "%")) {
      let addressWord = inner.slice(0, percent)
      guard let address = IPv6Address(addressWord.text) else {
        throw line.error("\(addressWord.text.quoted) is not an IPv6 address", at: addressWord)
      }
      let scope = try scopeName(inner.dropFirst(percent + 1), after: inner.slice(percent, percent + 1))
      return (.v6(address), scope)
    }
    guard let address = IPAddress(inner.text) else {
      throw line.error("\(inner.text.quoted) is not an IP address", at: inner)
    }
    return (address, nil)
  }

  /// The interface name after `%` in an IPv6 address.
  private func scopeName(_ word: Word, after percent: Word) throws(ScenarioError) -> String {
    guard !word.text.isEmpty else {
      throw line.error("missing interface name after '%'", after: percent)
    }
    return try interfaceName(word)
  }

  /// An endpoint: `127.0.0.1:1060`, `[::1]:1060`, `[fe80::1%eth0]:1060`, with a port number
  /// or `@NAME`. For `@NAME` the name's word is returned too, so the caller can check it.
  func endpoint(_ word: Word) throws(ScenarioError) -> (EndpointSpec, heldBy: Word?) {
    let bytes = Array(word.text.utf8)
    let address: IPAddress
    var scope: String?
    let portStart: Int
    if bytes.first == UInt8(ascii: "[") {
      guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else {
        throw line.error("missing ']' in endpoint \(word.text.quoted)", at: word)
      }
      let innerBytes = bytes[1..<close]
      let addressEnd = innerBytes.firstIndex(of: UInt8(ascii: "%")) ?? close
      let addressWord = word.slice(1, addressEnd)
      if let v6 = IPv6Address(addressWord.text) {
        address = .v6(v6)
      } else if IPv4Address(addressWord.text) != nil {
        throw line.error(
          "an IPv4 address is written without brackets", at: word,
          note: "did you mean '\(addressWord.text)\(word.dropFirst(close + 1).text)'?")
      } else {
        throw line.error(
          "\(addressWord.text.quoted) is not an IPv6 address",
          at: addressWord.text.isEmpty ? word.slice(0, close + 1) : addressWord)
      }
      if addressEnd < close {
        scope = try scopeName(
          word.slice(addressEnd + 1, close), after: word.slice(addressEnd, addressEnd + 1))
      }
      guard close + 1 < bytes.count else {
        throw line.error("endpoint \(word.text.quoted) has no port", at: word)
      }
      guard bytes[close + 1] == UInt8(ascii: ":") else {
        throw line.error("expected ':' and a port after ']'", at: word.dropFirst(close + 1))
      }
      portStart = close + 2
    } else {
      let colons = bytes.indices.filter { bytes[$0] == UInt8(ascii: ":") }
      guard let lastColon = colons.last else {
        if IPAddress(word.text) != nil {
          throw line.error("endpoint \(word.text.quoted) has no port", at: word)
        }
        throw line.error("\(word.text.quoted) is not an endpoint, like '127.0.0.1:1060'", at: word)
      }
      if colons.count > 1 {
        let head = word.slice(0, lastColon).text
        let tail = word.dropFirst(lastColon + 1).text
        var note: String?
        if IPv6Address(head) != nil, Self.decimal(tail, maximum: 65535) != nil || tail.hasPrefix("@")
        {
          note = "did you mean '[\(head)]:\(tail)'?"
        } else if IPv6Address(word.text) != nil {
          note = "did you mean '[\(word.text)]:PORT'?"
        }
        throw line.error("an IPv6 endpoint must be written in brackets", at: word, note: note)
      }
      let addressWord = word.slice(0, lastColon)
      guard let v4 = IPv4Address(addressWord.text) else {
        throw line.error(
          "\(addressWord.text.quoted) is not an IPv4 address",
          at: addressWord.text.isEmpty ? word.slice(0, 1) : addressWord)
      }
      address = .v4(v4)
      portStart = lastColon + 1
    }
    let (port, heldBy) = try port(word.dropFirst(portStart), in: word)
    return (EndpointSpec(address: address, scope: scope, port: port), heldBy)
  }

  /// The port of an endpoint: a number from 0 to 65535, or `@NAME`.
  private func port(_ word: Word, in endpoint: Word) throws(ScenarioError) -> (PortSpec, Word?) {
    if word.text.isEmpty {
      throw line.error("missing port after ':'", after: endpoint)
    }
    if word.text.hasPrefix("@") {
      let name = word.dropFirst(1)
      guard !name.text.isEmpty else {
        throw line.error("missing socket name after '@'", after: endpoint)
      }
      return (.heldBy(try self.name(name, what: "socket")), name)
    }
    guard Self.isNumber(word.text) else {
      throw line.error("\(word.text.quoted) is not a port number", at: word)
    }
    guard let number = Self.decimal(word.text, maximum: 65535) else {
      throw line.error("port \(word.text.shortened) is out of range (0-65535)", at: word)
    }
    return (.number(UInt16(number)), nil)
  }
}
