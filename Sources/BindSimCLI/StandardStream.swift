import Glibc

/// Writes straight to a file descriptor; no shared C `FILE*`, so nothing to isolate.
public struct StandardStream: TextOutputStream, Sendable {
  public let descriptor: Int32

  public init(descriptor: Int32) { self.descriptor = descriptor }

  public static var output: StandardStream { StandardStream(descriptor: 1) }
  public static var error: StandardStream { StandardStream(descriptor: 2) }

  public mutating func write(_ string: String) {
    var string = string
    string.withUTF8 { buffer in
      var offset = 0
      while offset < buffer.count {
        let n = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          return
        }
        offset += n
      }
    }
  }

  /// Whether the descriptor is a terminal.
  public var isTerminal: Bool { isatty(descriptor) == 1 }
}

/// Collects text in memory (tests, and reports built before printing).
public struct TextBuffer: TextOutputStream, Sendable {
  public var text = ""
  public init() {}
  public mutating func write(_ string: String) { text += string }
}
