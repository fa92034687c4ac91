import BindModel

/// Reads the operands of a statement that need no knowledge of earlier lines: names,
/// addresses, prefixes, ports and numbers. Errors point into the word that is wrong.
struct OperandParser {
  let line: SourceLine

  /// The longest interface name Linux accepts (`IFNAMSIZ - 1`).
  static let maximumInterfaceName = 15

  /// Whether the word matches `[A-Za-z_][A-Za-z0-9_.-]*`.
  static func isName(_ word: Word) -> Bool {
    guard word.count > 0 else { return false }
    let first = word[0]
    guard isLetter(first) || first == 0x5F else { return false }
    var i = 1
    while i < word.count {
      let byte = word[i]
      guard isLetter(byte) || isDigit(byte) || byte == 0x5F || byte == 0x2E || byte == 0x2D
      else { return false }
      i += 1
    }
    return true
  }

  static func isLetter(_ byte: UInt8) -> Bool {
    (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A)
  }

  static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

  /// Whether the word is all decimal digits (however many).
  static func isNumber(_ word: Word) -> Bool {
    guard word.count > 0 else { return false }
    var i = 0
    while i < word.count {
      if !isDigit(word[i]) { return false }
      i += 1
    }
    return true
  }

  /// The value of a word of decimal digits, or nil if it has anything else or exceeds
  /// `maximum`.
  static func decimal(_ word: Word, maximum: UInt64) -> UInt64? {
    guard word.count > 0 else { return nil }
    var value: UInt64 = 0
    var i = 0
    while i < word.count {
      let byte = word[i]
      guard isDigit(byte) else { return nil }
      value = value * 10 + UInt64(byte - 0x30)
      guard value <= maximum else { return nil }
      i += 1
    }
    return value
  }

  /// A name of a socket, interface or host (`what` says which, for the message).
  func name(_ word: Word, what: String) throws(ScenarioError) -> String {
    guard Self.isName(word) else {
      throw line.error("\(word.text.quoted) is not a valid \(what) name", at: word)
    }
    return word.text
  }

  /// An interface name: a name of at most 15 characters.
  func interfaceName(_ word: Word) throws(ScenarioError) -> String {
    let name = try name(word, what: "interface")
    guard word.count <= Self.maximumInterfaceName else {
      throw line.error(
        "interface name \(name.quoted) is longer than \(Self.maximumInterfaceName) characters",
        at: word)
    }
    return name
  }

  /// A host name: a name without `.` (which separates host and interface in `link`).
  func hostName(_ word: Word) throws(ScenarioError) -> String {
    let name = try name(word, what: "host")
    if let dot = word.firstOffset(of: 0x2E) {
      throw line.error("host name \(name.quoted) cannot contain '.'", at: word.slice(dot, dot + 1))
    }
    return name
  }

  /// `ADDRESS/PREFIX`, as in `192.0.2.130/24` or `2001:db8::1/64`.
  func interfaceAddress(_ word: Word) throws(ScenarioError) -> InterfaceAddress {
    guard let slash = word.firstOffset(of: 0x2F) else {
      throw line.error(
        "\(word.text.quoted) is not an address with a prefix length, like '192.0.2.1/24'",
        at: word)
    }
    let addressWord = word.slice(0, slash)
    let prefixWord = word.dropFirst(slash + 1)
    guard let address = AddressParser.ip(addressWord) else {
      throw line.error(
        "\(addressWord.text.quoted) is not an IP address",
        at: addressWord.count == 0 ? word.slice(slash, slash + 1) : addressWord)
    }
    let maximum = address.family == .inet ? 32 : 128
    guard Self.isNumber(prefixWord) else {
      throw line.error(
        "\(prefixWord.text.quoted) is not a prefix length",
        at: prefixWord.count == 0 ? word.slice(slash, slash + 1) : prefixWord)
    }
    guard let length = Self.decimal(prefixWord, maximum: UInt64(maximum)) else {
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
    if word[0] == 0x5B {  // '['
      guard word.count >= 2, word[word.count - 1] == 0x5D else {
        throw line.error("missing ']' in \(word.text.quoted)", at: word)
      }
      inner = word.slice(1, word.count - 1)
    }
    if let percent = inner.firstOffset(of: 0x25) {  // '%'
      let addressWord = inner.slice(0, percent)
      guard let address = AddressParser.ipv6(addressWord) else {
        throw line.error(
          "\(addressWord.text.quoted) is not an IPv6 address",
          at: addressWord.count == 0 ? inner.slice(0, 1) : addressWord)
      }
      let scope = try scopeName(
        inner.dropFirst(percent + 1), after: inner.slice(percent, percent + 1))
      return (.v6(address), scope)
    }
    guard let address = AddressParser.ip(inner) else {
      throw line.error(
        "\(inner.text.quoted) is not an IP address", at: inner.count == 0 ? word : inner)
    }
    return (address, nil)
  }

  /// The interface name after `%` in an IPv6 address.
  private func scopeName(_ word: Word, after percent: Word) throws(ScenarioError) -> String {
    guard word.count > 0 else {
      throw line.error("missing interface name after '%'", after: percent)
    }
    return try interfaceName(word)
  }

  /// An endpoint: `127.0.0.1:1060`, `[::1]:1060`, `[fe80::1%eth0]:1060`, with a port number
  /// or `@NAME`. For `@NAME` the name's word is returned too, so the caller can check it.
  func endpoint(_ word: Word) throws(ScenarioError) -> (EndpointSpec, heldBy: Word?) {
    let address: IPAddress
    var scope: String?
    let portStart: Int
    if word[0] == 0x5B {  // '['
      guard let close = word.firstOffset(of: 0x5D) else {
        throw line.error("missing ']' in endpoint \(word.text.quoted)", at: word)
      }
      let addressEnd = word.firstOffset(of: 0x25).map { min($0, close) } ?? close
      let addressWord = word.slice(1, addressEnd)
      if let v6 = AddressParser.ipv6(addressWord) {
        address = .v6(v6)
      } else if AddressParser.ipv4(addressWord) != nil {
        throw line.error(
          "an IPv4 address is written without brackets", at: word,
          note: "did you mean '\(addressWord.text)\(word.dropFirst(close + 1).text)'?")
      } else {
        throw line.error(
          "\(addressWord.text.quoted) is not an IPv6 address",
          at: addressWord.count == 0 ? word.slice(0, close + 1) : addressWord)
      }
      if addressEnd < close {
        scope = try scopeName(
          word.slice(addressEnd + 1, close), after: word.slice(addressEnd, addressEnd + 1))
      }
      guard close + 1 < word.count else {
        throw line.error("endpoint \(word.text.quoted) has no port", at: word)
      }
      guard word[close + 1] == 0x3A else {
        throw line.error("expected ':' and a port after ']'", at: word.dropFirst(close + 1))
      }
      portStart = close + 2
    } else {
      guard let colon = word.firstOffset(of: 0x3A) else {
        if AddressParser.ip(word) != nil {
          throw line.error("endpoint \(word.text.quoted) has no port", at: word)
        }
        throw line.error("\(word.text.quoted) is not an endpoint, like '127.0.0.1:1060'", at: word)
      }
      if word.firstOffset(of: 0x3A, from: colon + 1) != nil {
        throw unbracketedIPv6(word)
      }
      let addressWord = word.slice(0, colon)
      guard let v4 = AddressParser.ipv4(addressWord) else {
        throw line.error(
          "\(addressWord.text.quoted) is not an IPv4 address",
          at: addressWord.count == 0 ? word.slice(0, 1) : addressWord)
      }
      address = .v4(v4)
      portStart = colon + 1
    }
    let (port, heldBy) = try port(word.dropFirst(portStart), in: word)
    return (EndpointSpec(address: address, scope: scope, port: port), heldBy)
  }

  /// The error for `::1:80`, with the bracketed spelling as a suggestion where there is one.
  private func unbracketedIPv6(_ word: Word) -> ScenarioError {
    var lastColon = word.count - 1
    while word[lastColon] != 0x3A { lastColon -= 1 }
    let head = word.slice(0, lastColon)
    let tail = word.dropFirst(lastColon + 1)
    var note: String?
    if AddressParser.ipv6(head) != nil,
      Self.decimal(tail, maximum: 65535) != nil || (tail.count > 1 && tail[0] == 0x40)
    {
      note = "did you mean '[\(head.text)]:\(tail.text)'?"
    } else if AddressParser.ipv6(word) != nil {
      note = "did you mean '[\(word.text)]:PORT'?"
    }
    return line.error("an IPv6 endpoint must be written in brackets", at: word, note: note)
  }

  /// The port of an endpoint: a number from 0 to 65535, or `@NAME`.
  private func port(_ word: Word, in endpoint: Word) throws(ScenarioError) -> (PortSpec, Word?) {
    if word.count == 0 {
      throw line.error("missing port after ':'", after: endpoint)
    }
    if word[0] == 0x40 {  // '@'
      let name = word.dropFirst(1)
      guard name.count > 0 else {
        throw line.error("missing socket name after '@'", after: endpoint)
      }
      return (.heldBy(try self.name(name, what: "socket")), name)
    }
    guard Self.isNumber(word) else {
      throw line.error("\(word.text.quoted) is not a port number", at: word)
    }
    guard let number = Self.decimal(word, maximum: 65535) else {
      throw line.error("port \(word.text.shortened) is out of range (0-65535)", at: word)
    }
    return (.number(UInt16(number)), nil)
  }
}
