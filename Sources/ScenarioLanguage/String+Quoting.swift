extension String {
  /// The text in single quotes for a message, shortened when it is very long.
  var quoted: String { "'\(shortened)'" }

  /// The text itself, or its first 37 characters and `...` when it is longer than 40.
  var shortened: String {
    let limit = 40
    guard utf8.count > limit, count > limit else { return self }
    return "\(prefix(limit - 3))..."
  }
}
