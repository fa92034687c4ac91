import BindModel

/// Mutates scenario files at random, at the level of bytes, words and lines, for fuzzing the
/// parser: flips, inserts and deletes bytes; duplicates, swaps and deletes lines; replaces a
/// word with another word of the corpus or a keyword, errno, option or sysctl name; inserts
/// NUL bytes, invalid UTF-8 and huge numbers.
struct ScenarioMutator: Sendable {
  /// The kinds of mutation, for tests and statistics.
  enum Mutation: CaseIterable, Sendable {
    case flipByte, insertByte, deleteBytes, duplicateLine, swapLines, deleteLine
    case replaceWord, insertWord, insertNUL, insertInvalidUTF8, replaceNumber
  }

  /// Inputs never grow past this many bytes (a mutation that would is skipped).
  static let sizeLimit = 1 << 16

  /// The words a mutation may splice in.
  let vocabulary: [String]

  /// The language's own words: statements, kinds, options, sysctls, errnos and outcomes.
  static let languageWords: [String] =
    [
      "interface", "sysctl", "host", "link", "socket", "setsockopt", "bind", "listen",
      "connect", "disconnect", "accept", "send", "join", "close", "udp4", "udp6", "tcp4",
      "tcp6", "ok", "nobody", "=>", "|", "+", "uid=1000", "uid=", "lo", "eth0", "#",
    ] + SocketOption.names + SocketOption.names.map { "\($0)=0" } + Sysctl.keys
    + [
      "EADDRINUSE", "EADDRNOTAVAIL", "EINVAL", "EAFNOSUPPORT", "EACCES", "EPERM", "ENODEV",
      "ECONNREFUSED", "EOPNOTSUPP", "EISCONN", "ENOTCONN", "EAGAIN", "EBOGUS",
    ]

  /// Built from the corpus: its words, plus the language's.
  init(corpus: [[UInt8]]) {
    var words: Set<String> = []
    for file in corpus {
      for word in file.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A }) {
        if word.count <= 64 { words.insert(String(decoding: word, as: UTF8.self)) }
      }
    }
    vocabulary = (Self.languageWords + words.sorted()).filter { !$0.isEmpty }
  }

  /// One to four random mutations of `input`.
  func mutate(_ input: [UInt8], random: inout FuzzRandom) -> [UInt8] {
    var bytes = input
    for _ in 0..<random.weighted([(50, 1), (30, 2), (15, 3), (5, 4)]) {
      let mutation = random.pick(Mutation.allCases)
      let mutated = apply(mutation, to: bytes, random: &random)
      if mutated.count <= Self.sizeLimit { bytes = mutated }
    }
    return bytes
  }

  /// Applies one mutation (an input too small for it comes back unchanged).
  func apply(_ mutation: Mutation, to input: [UInt8], random: inout FuzzRandom) -> [UInt8] {
    var bytes = input
    switch mutation {
    case .flipByte:
      guard !bytes.isEmpty else { return bytes }
      bytes[random.below(bytes.count)] ^= UInt8(1) << UInt8(random.below(8))
    case .insertByte:
      let special: [UInt8] = Array("\n\t #=>|+[]%@:.-_0123456789\r".utf8) + [0x7F]
      let byte = random.chance(0.7) ? random.pick(special) : UInt8(random.int(0x20...0x7E))
      bytes.insert(byte, at: random.int(0...bytes.count))
    case .deleteBytes:
      guard !bytes.isEmpty else { return bytes }
      let start = random.below(bytes.count)
      bytes.removeSubrange(start..<min(bytes.count, start + random.int(1...4)))
    case .duplicateLine, .swapLines, .deleteLine:
      return mutateLines(mutation, bytes, random: &random)
    case .replaceWord, .insertWord:
      return mutateWords(mutation, bytes, random: &random)
    case .insertNUL:
      bytes.insert(0, at: random.int(0...bytes.count))
    case .insertInvalidUTF8:
      let sequences: [[UInt8]] = [
        [0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80],
        [0xC0, 0xAF], [0x80], [0xF4, 0x90, 0x80, 0x80], [0xEF, 0xBB, 0xBF],
      ]
      bytes.insert(contentsOf: random.pick(sequences), at: random.int(0...bytes.count))
    case .replaceNumber:
      return replaceNumber(bytes, random: &random)
    }
    return bytes
  }

  private func mutateLines(
    _ mutation: Mutation, _ bytes: [UInt8], random: inout FuzzRandom
  ) -> [UInt8] {
    var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
    guard !lines.isEmpty else { return bytes }
    let i = random.below(lines.count)
    switch mutation {
    case .duplicateLine: lines.insert(lines[i], at: random.int(0...lines.count))
    case .swapLines: lines.swapAt(i, random.below(lines.count))
    default: lines.remove(at: i)
    }
    return Array(lines.joined(separator: [0x0A]))
  }

  private func mutateWords(
    _ mutation: Mutation, _ bytes: [UInt8], random: inout FuzzRandom
  ) -> [UInt8] {
    let word = Array(random.pick(vocabulary).utf8)
    let spans = Self.wordSpans(bytes)
    var result = bytes
    if mutation == .replaceWord, !spans.isEmpty {
      result.replaceSubrange(random.pick(spans), with: word)
    } else {
      let at = spans.isEmpty ? random.int(0...bytes.count) : random.pick(spans).upperBound
      result.insert(contentsOf: [0x20] + word, at: at)
    }
    return result
  }

  /// Replaces a run of digits with an edge value (0, 65535, 65536, huge, negative).
  private func replaceNumber(_ bytes: [UInt8], random: inout FuzzRandom) -> [UInt8] {
    var runs: [Range<Int>] = []
    var i = 0
    while i < bytes.count {
      guard (0x30...0x39).contains(bytes[i]) else {
        i += 1
        continue
      }
      let start = i
      while i < bytes.count, (0x30...0x39).contains(bytes[i]) { i += 1 }
      runs.append(start..<i)
    }
    guard !runs.isEmpty else { return bytes }
    let values = [
      "0", "1", "255", "256", "65535", "65536", "4294967295", "4294967296", "-1",
      "99999999999999999999999999", "00000000000000000001", "1e3",
    ]
    var result = bytes
    result.replaceSubrange(random.pick(runs), with: Array(random.pick(values).utf8))
    return result
  }

  /// The byte ranges of the words (runs without spaces, tabs or line breaks).
  static func wordSpans(_ bytes: [UInt8]) -> [Range<Int>] {
    var spans: [Range<Int>] = []
    var start: Int?
    for (i, byte) in bytes.enumerated() {
      let isSpace = byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
      if isSpace, let s = start {
        spans.append(s..<i)
        start = nil
      } else if !isSpace, start == nil {
        start = i
      }
    }
    if let s = start { spans.append(s..<bytes.count) }
    return spans
  }
}
