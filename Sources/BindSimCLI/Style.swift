/// ANSI colour, used only on a terminal and never when NO_COLOR is set.
struct Style: Sendable {
  var enabled: Bool

  static func forTerminal(_ isTerminal: Bool, environment: [String: String]) -> Style {
    let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
    return Style(enabled: isTerminal && !noColor && environment["TERM"] != "dumb")
  }

  private func wrap(_ code: String, _ text: String) -> String {
    enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

  func bold(_ text: String) -> String { wrap("1", text) }
  func dim(_ text: String) -> String { wrap("2", text) }
  func red(_ text: String) -> String { wrap("31", text) }
  func green(_ text: String) -> String { wrap("32", text) }
  func yellow(_ text: String) -> String { wrap("33", text) }
  func cyan(_ text: String) -> String { wrap("36", text) }
}
