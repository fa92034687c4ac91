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
    let words = scanned.words
    guard let keyword = words.first else {
      throw line.error("missing statement before '=>'", at: scanned.arrow!)
    }
    let command = keyword.text
    guard let syntax = StatementSyntax.named(command) else {
      throw line.error(
        "unknown statement \(command.quoted)", at: keyword,
        note: Suggestion.note(for: command, in: StatementSyntax.keywords))
    }
    if command != "sysctl" { try syntax.check(words, in: line) }
    let operands = OperandParser(line: line)
    var newSocket: String?
    var closedSocket: String?
    let action: Action
    switch command {
    case "interface":
      var addresses: [InterfaceAddress] = []
      for word in words.dropFirst(2) { addresses.append(try operands.interfaceAddress(word)) }
      action = .interface(name: try operands.interfaceName(words[1]), addresses: addresses)
    case "sysctl":
      action = .sysctl(try operands.sysctl(words))
    case "host":
      let name = try operands.hostName(words[1])
      symbols.hosts.insert(name)
      action = .host(name)
    case "link":
      action = try link(words, in: line)
    case "socket":
      let name = try newSocketName(words[1], in: line)
      let kind = try socketKind(words[2], in: line)
      var options: [SocketOption] = []
      var uid: (value: UInt32, word: Word)?
      for word in words.dropFirst(3) {
        if let value = try self.uid(word, in: line) {
          if let first = uid {
            throw line.error(
              "'uid' is given twice", at: word,
              note: "the first is \(first.word.text.quoted)")
          }
          uid = (value, word)
        } else {
          options.append(try operands.socketOption(word, extraNames: ["uid"]))
        }
      }
      newSocket = name
      action = .socket(name: name, kind: kind, options: options, uid: uid?.value ?? 0)
    case "setsockopt":
      let name = try openSocket(words[1], in: line)
      if try uid(words[2], in: line) != nil {
        throw line.error(
          "'uid' is not a socket option: it is only allowed on 'socket'",
          from: words[2].start, to: words[2].start + 3)
      }
      action = .setsockopt(name: name, option: try operands.socketOption(words[2]))
    case "bind":
      action = .bind(name: try openSocket(words[1], in: line), endpoint: try endpoint(words[2], in: line))
    case "connect":
      action = .connect(name: try openSocket(words[1], in: line), endpoint: try endpoint(words[2], in: line))
    case "listen":
      action = .listen(name: try openSocket(words[1], in: line))
    case "disconnect":
      action = .disconnect(name: try openSocket(words[1], in: line))
    case "accept":
      let listener = try openSocket(words[1], in: line)
      let name = try newSocketName(words[2], in: line)
      newSocket = name
      action = .accept(listener: listener, name: name)
    case "send":
      let name = try openSocket(words[1], in: line)
      action = .send(name: name, endpoint: words.count > 2 ? try endpoint(words[2], in: line) : nil)
    case "join":
      action = try join(words, in: line)
    default:
      let name = try openSocket(words[1], in: line)
      closedSocket = name
      action = .close(name: name)
    }
    var expectation: OutcomeSet?
    if let arrow = scanned.arrow {
      expectation = try outcome(scanned.outcome, after: arrow, in: line)
    }
    if let newSocket { symbols.sockets[newSocket] = .init(definedOn: line.number) }
    if let closedSocket { symbols.sockets[closedSocket]?.closedOn = line.number }
    return Statement(
      action: action, location: SourceLocation(line: line.number, column: line.column(of: keyword.start)),
      expectation: expectation, text: scanned.statementText)
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
          throw line.error("a link must join two different hosts, not \(host.quoted) twice", at: word)
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
