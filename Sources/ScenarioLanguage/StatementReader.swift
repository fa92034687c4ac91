import BindModel

/// Turns scanned lines into statements, one at a time, remembering the sockets, hosts and
/// links of the lines before.
struct StatementReader {
  let source: SourceText
  var symbols = SymbolTable()

  init(source: SourceText) {
    self.source = source
  }

  /// The statement of one non-blank line.
  mutating func statement(_ scanned: ScannedLine) throws(ScenarioError) -> Statement {
    let line = scanned.line
    guard let keyword = scanned.words.first else { throw Self.missingStatement(scanned) }
    let action = try self.action(scanned.words, in: line)
    var expectation: OutcomeSet?
    if let arrow = scanned.arrow {
      expectation = try outcome(scanned.outcome, after: arrow, in: line)
    }
    switch action {
    case .socket(let name, _, _, _), .accept(_, let name):
      symbols.sockets[name] = SymbolTable.SocketRecord(definedOn: line.number)
    case .close(let name):
      symbols.sockets[name]?.closedOn = line.number
    default:
      break
    }
    let location = SourceLocation(line: line.number, column: line.column(of: keyword.start))
    return Statement(
      action: action, location: location, expectation: expectation, text: scanned.statementText)
  }

  private static func missingStatement(_ scanned: ScannedLine) -> ScenarioError {
    scanned.line.error("missing statement before '=>'", at: scanned.arrow!)
  }

  private static func unknownStatement(_ keyword: Word, in line: SourceLine) -> ScenarioError {
    line.error(
      "unknown statement \(keyword.text.quoted)", at: keyword,
      note: Suggestion.note(for: keyword.text, in: StatementSyntax.keywords))
  }

  /// The action of a statement's words, checked against the lines before.
  private mutating func action(_ words: [Word], in line: SourceLine) throws(ScenarioError) -> Action
  {
    let command = words[0].text
    guard let syntax = StatementSyntax.named(command) else {
      throw Self.unknownStatement(words[0], in: line)
    }
    if command != "sysctl" { try syntax.check(words, in: line) }
    switch command {
    case "bind":
      return .bind(
        name: try openSocket(words[1], in: line), endpoint: try endpoint(words[2], in: line))
    case "connect":
      return .connect(
        name: try openSocket(words[1], in: line), endpoint: try endpoint(words[2], in: line))
    case "send":
      let name = try openSocket(words[1], in: line)
      return .send(name: name, endpoint: words.count > 2 ? try endpoint(words[2], in: line) : nil)
    case "listen": return .listen(name: try openSocket(words[1], in: line))
    case "disconnect": return .disconnect(name: try openSocket(words[1], in: line))
    case "close": return .close(name: try openSocket(words[1], in: line))
    case "accept":
      let listener = try openSocket(words[1], in: line)
      return .accept(listener: listener, name: try newSocketName(words[2], in: line))
    case "socket": return try socket(words, in: line)
    case "setsockopt": return try setsockopt(words, in: line)
    case "join": return try join(words, in: line)
    case "interface": return try interface(words, in: line)
    case "sysctl": return .sysctl(try OperandParser(line: line).sysctl(words))
    case "host":
      let name = try OperandParser(line: line).hostName(words[1])
      symbols.hosts.insert(name)
      return .host(name)
    default: return try link(words, in: line)
    }
  }

  /// `interface NAME CIDR...`.
  private func interface(_ words: [Word], in line: SourceLine) throws(ScenarioError) -> Action {
    let operands = OperandParser(line: line)
    let name = try operands.interfaceName(words[1])
    var addresses: [InterfaceAddress] = []
    for word in words.dropFirst(2) { addresses.append(try operands.interfaceAddress(word)) }
    return .interface(name: name, addresses: addresses)
  }

  /// `socket NAME KIND [OPTION...]`, where `uid=N` may stand among the options once.
  private func socket(_ words: [Word], in line: SourceLine) throws(ScenarioError) -> Action {
    let operands = OperandParser(line: line)
    let name = try newSocketName(words[1], in: line)
    let kind = try socketKind(words[2], in: line)
    var options: [SocketOption] = []
    var uid: (value: UInt32, word: Word)?
    for word in words.dropFirst(3) {
      if let value = try self.uid(word, in: line) {
        if let first = uid {
          throw line.error(
            "'uid' is given twice", at: word, note: "the first is \(first.word.text.quoted)")
        }
        uid = (value, word)
      } else {
        options.append(try operands.socketOption(word, extraNames: ["uid"]))
      }
    }
    return .socket(name: name, kind: kind, options: options, uid: uid?.value ?? 0)
  }

  /// `setsockopt NAME OPTION`.
  private func setsockopt(_ words: [Word], in line: SourceLine) throws(ScenarioError) -> Action {
    let name = try openSocket(words[1], in: line)
    if try uid(words[2], in: line) != nil {
      throw line.error(
        "'uid' is not a socket option: it is only allowed on 'socket'",
        from: words[2].start, to: words[2].start + 3)
    }
    return .setsockopt(name: name, option: try OperandParser(line: line).socketOption(words[2]))
  }

  /// Checks what only the whole file can tell: that every host a `link` names is declared.
  func finish() throws(ScenarioError) {
    for (host, error) in symbols.linkedHosts
    where host != SymbolTable.implicitHost && !symbols.hosts.contains(host) {
      var error = error
      error.note = Suggestion.note(for: host, in: symbols.hosts.sorted())
      throw error
    }
  }

  /// `udp4`, `udp6`, `tcp4` or `tcp6`.
  private func socketKind(_ word: Word, in line: SourceLine) throws(ScenarioError) -> SocketKind {
    guard let kind = SocketKind(rawValue: word.text) else {
      throw line.error(
        "unknown socket kind \(word.text.quoted)", at: word,
        note: Suggestion.note(for: word.text, in: SocketKind.allCases.map(\.rawValue)))
    }
    return kind
  }

  /// The user id of `uid=N`, or nil when the word is not a `uid`.
  private func uid(_ word: Word, in line: SourceLine) throws(ScenarioError) -> UInt32? {
    let isUID =
      word.count >= 3 && word[0] == 0x75 && word[1] == 0x69 && word[2] == 0x64  // "uid"
      && (word.count == 3 || word[3] == 0x3D)
    guard isUID else { return nil }
    guard word.count > 4 else {
      throw line.error("'uid' needs a value, like 'uid=1000'", at: word)
    }
    let value = word.dropFirst(4)
    guard OperandParser.isNumber(value) else {
      throw line.error("\(value.text.quoted) is not a user id", at: value)
    }
    guard let id = OperandParser.decimal(value, maximum: 4_294_967_294) else {
      throw line.error("uid \(value.text.shortened) is out of range (0-4294967294)", at: value)
    }
    return UInt32(id)
  }

  /// An endpoint whose `@NAME` port, if any, names a socket that may be used here.
  private func endpoint(_ word: Word, in line: SourceLine) throws(ScenarioError) -> EndpointSpec {
    let (endpoint, heldBy) = try OperandParser(line: line).endpoint(word)
    if let heldBy { _ = try openSocket(heldBy, in: line) }
    return endpoint
  }

  /// `join NAME GROUP [INTERFACE]`; the interface may also be the group's `%` scope.
  private func join(_ words: [Word], in line: SourceLine) throws(ScenarioError) -> Action {
    let operands = OperandParser(line: line)
    let name = try openSocket(words[1], in: line)
    let (group, scope) = try operands.groupAddress(words[2])
    var interface = scope
    if words.count > 3 {
      if scope != nil {
        throw line.error(
          "the interface is given twice, as a scope and as \(words[3].text.quoted)", at: words[3])
      }
      interface = try operands.interfaceName(words[3])
    }
    return .join(name: name, group: group, interface: interface)
  }

  /// `link HOST.IFACE HOST.IFACE`, checked and remembered.
  private mutating func link(_ words: [Word], in line: SourceLine) throws(ScenarioError) -> Action {
    var ends: [HostInterface] = []
    for word in words[1...2] {
      guard let dot = word.firstOffset(of: 0x2E) else {
        throw line.error("expected HOST.IFACE, not \(word.text.quoted)", at: word)
      }
      let operands = OperandParser(line: line)
      let hostWord = word.slice(0, dot)
      let interfaceWord = word.dropFirst(dot + 1)
      let host = try operands.hostName(hostWord)
      let interface = try operands.interfaceName(interfaceWord)
      guard interface != "lo" else { throw line.error("'lo' cannot be linked", at: interfaceWord) }
      let end = HostInterface(host: host, interface: interface)
      if let other = symbols.linkedInterfaces[end] {
        throw line.error(
          "interface \(end.description.quoted) is already linked on line \(other)", at: word)
      }
      if let first = ends.first {
        guard first.host != host else {
          throw line.error(
            "a link must join two different hosts, not \(host.quoted) twice", at: word)
        }
      }
      ends.append(end)
    }
    for (end, word) in zip(ends, words[1...2]) {
      symbols.linkedInterfaces[end] = line.number
      let hostWord = word.slice(0, end.host.utf8.count)
      symbols.linkedHosts.append(
        (end.host, line.error("unknown host \(end.host.quoted)", at: hostWord)))
    }
    return .link(ends[0], ends[1])
  }
}
