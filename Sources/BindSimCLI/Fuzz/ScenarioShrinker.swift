import BindModel
import ScenarioLanguage

/// Shrinks a scenario that shows a disagreement to a minimal one that still shows it.
///
/// It removes statements (a socket's other statements go with its `socket` line, an accepted
/// socket's with its `accept`), options (and `uid=`) from `socket` lines, addresses from
/// `interface` lines and the interface of a `join`, one at a time, keeping each removal that
/// leaves the disagreement in place, until no single removal does. Candidates that do not
/// parse, or that stop the model at an `@NAME` without a port, are skipped without asking the
/// oracle.
///
/// The oracle decides; the kernel fuzzer's oracle replays candidates on the kernel. It gets
/// several candidates at a time (`parallelism`), so that they can be replayed in parallel, and
/// answers for each whether the same disagreement persists. The first candidate (in order)
/// that keeps it wins.
struct ScenarioShrinker {
  /// Answers, for each candidate text, whether it still shows the disagreement.
  var oracle: ([String]) -> [Bool]
  /// How many candidates the oracle is asked about at once.
  var parallelism = 1
  /// How many candidates were sent to the oracle (for reports and tests).
  private(set) var tested = 0

  init(parallelism: Int = 1, oracle: @escaping ([String]) -> [Bool]) {
    self.parallelism = max(1, parallelism)
    self.oracle = oracle
  }

  /// The smallest scenario found. `focusLine`, the line of the disagreement in `text`, lets
  /// the shrinker first try dropping every statement after it.
  mutating func shrink(_ text: String, focusLine: Int? = nil) -> String {
    var lines = Self.statementLines(of: text)
    if let focusLine, focusLine < lines.count {
      let cut = Array(lines.prefix(focusLine))
      if ask([cut]).first == true { lines = cut }
    }
    var changed = true
    while changed {
      changed = false
      var position = 0
      while true {
        let candidates = Self.candidates(lines)
        guard position < candidates.count else { break }
        let chunk = Array(candidates[position..<min(candidates.count, position + parallelism)])
        let answers = ask(chunk)
        if let winner = answers.firstIndex(of: true) {
          lines = chunk[winner]
          changed = true
          position += winner
        } else {
          position += chunk.count
        }
      }
    }
    return Self.text(lines)
  }

  /// Asks the oracle about the candidates that are valid scenarios; invalid ones are false.
  private mutating func ask(_ candidates: [[String]]) -> [Bool] {
    let valid = candidates.map { Self.isValid(Self.text($0)) }
    let texts = zip(candidates, valid).filter(\.1).map { Self.text($0.0) }
    guard !texts.isEmpty else { return valid.map { _ in false } }
    tested += texts.count
    var answers = oracle(texts).makeIterator()
    return valid.map { $0 ? (answers.next() ?? false) : false }
  }

  /// Whether the text parses and the model runs it to the end.
  static func isValid(_ text: String) -> Bool {
    guard let scenario = try? ScenarioParser.parse(text) else { return false }
    return Prediction.$explains.withValue(false) { (try? Runner.run(scenario)) != nil }
  }

  static func text(_ lines: [String]) -> String {
    lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
  }

  /// The statement lines of a scenario: comments, expectations and blank lines dropped.
  static func statementLines(of text: String) -> [String] {
    text.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line in
      var statement = line.prefix { $0 != "#" }
      if let arrow = statement.firstRange(of: "=>") { statement = statement[..<arrow.lowerBound] }
      let words = statement.split(whereSeparator: { $0 == " " || $0 == "\t" })
      return words.isEmpty ? nil : words.joined(separator: " ")
    }
  }

  // MARK: Candidates

  /// Every scenario one removal away, in the order they are tried: statements from the last
  /// to the first, then words (options, addresses, a join's interface).
  static func candidates(_ lines: [String]) -> [[String]] {
    var result: [[String]] = []
    for index in lines.indices.reversed() {
      result.append(removingStatement(at: index, from: lines))
    }
    for (index, line) in lines.enumerated() {
      let words = line.split(separator: " ").map(String.init)
      let removable: Range<Int>
      switch words.first {
      case "socket": removable = min(3, words.count)..<words.count
      case "interface" where words.count > 3: removable = 2..<words.count
      case "join" where words.count > 3: removable = 3..<words.count
      default: continue
      }
      for word in removable {
        var shorter = words
        shorter.remove(at: word)
        var candidate = lines
        candidate[index] = shorter.joined(separator: " ")
        result.append(candidate)
      }
    }
    return result
  }

  /// The lines without line `index`, and, when it creates a socket, without every later line
  /// that uses that socket (and, for an `accept` among them, the accepted socket's lines).
  static func removingStatement(at index: Int, from lines: [String]) -> [String] {
    var gone: Set<String> = []
    if let created = createdSocket(lines[index]) { gone.insert(created) }
    var result = Array(lines[..<index])
    for line in lines[(index + 1)...] {
      if gone.contains(where: { mentions(line, socket: $0) }) {
        if let created = createdSocket(line) { gone.insert(created) }
      } else {
        result.append(line)
      }
    }
    return result
  }

  /// The socket a `socket` or `accept` line creates.
  static func createdSocket(_ line: String) -> String? {
    let words = line.split(separator: " ")
    switch words.first {
    case "socket" where words.count > 1: return String(words[1])
    case "accept" where words.count > 2: return String(words[2])
    default: return nil
    }
  }

  /// Whether a statement line names the socket (as an operand, or as `@NAME`).
  static func mentions(_ line: String, socket name: String) -> Bool {
    line.split(separator: " ").dropFirst().contains { word in
      word == name || word.hasSuffix(":@\(name)")
    }
  }
}
