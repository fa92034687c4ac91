/// The live progress line of `bindsim fuzz`: rewritten in place with `\r` on a terminal, and
/// nothing at all otherwise (so logs and pipes get only the summary).
struct FuzzProgress {
  /// Whether standard output is a terminal.
  var isLive: Bool
  private var stream = StandardStream.output
  private var shown = false

  init(isLive: Bool) { self.isLive = isLive }

  /// Replaces the line with `text`.
  mutating func show(_ text: String) {
    guard isLive else { return }
    stream.write("\r\u{1B}[K" + text)
    shown = true
  }

  /// Clears the line, before the summary is printed.
  mutating func clear() {
    guard isLive, shown else { return }
    stream.write("\r\u{1B}[K")
    shown = false
  }
}
