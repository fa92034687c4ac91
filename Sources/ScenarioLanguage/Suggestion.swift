/// Finds the known word a misspelt one was probably meant to be, for "did you mean" notes.
enum Suggestion {
  /// The largest edit distance that still counts as a likely typo.
  static let maximumDistance = 2

  /// The candidate that matches `word` ignoring case, or else the nearest one by edit
  /// distance (at most 2, and less than the word's length); nil when nothing is close. Ties
  /// go to the alphabetically first candidate, so the order of `candidates` does not matter.
  static func nearest(to word: String, in candidates: some Sequence<String>) -> String? {
    let characters = Array(word.unicodeScalars)
    guard !characters.isEmpty, characters.count <= 64 else { return nil }
    let length = word.utf8.count
    let lowered = word.lowercased()
    var best: (distance: Int, candidate: String)?
    for candidate in candidates where candidate != word {
      // Cheap length check first: a file may define a great many sockets.
      guard abs(candidate.utf8.count - length) <= maximumDistance else { continue }
      let distance =
        candidate.lowercased() == lowered
        ? 0 : editDistance(characters, Array(candidate.unicodeScalars))
      guard distance <= maximumDistance, distance < characters.count else { continue }
      if let current = best,
        (current.distance, current.candidate) <= (distance, candidate)
      {
        continue
      }
      best = (distance, candidate)
    }
    return best?.candidate
  }

  /// The note text for a suggestion, if there is one.
  static func note(for word: String, in candidates: some Sequence<String>) -> String? {
    nearest(to: word, in: candidates).map { "did you mean '\($0)'?" }
  }

  /// The optimal-string-alignment distance: insertions, deletions, substitutions and
  /// transpositions of neighbours each cost 1.
  static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous2 = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          value = min(value, previous2[j - 2] + 1)
        }
        current[j] = value
      }
      (previous2, previous, current) = (previous, current, previous2)
    }
    return previous[b.count]
  }
}
