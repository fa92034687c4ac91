import Foundation
import Glibc
import Synchronization

/// Ends a parser fuzz run that hangs: a thread that watches the input being checked and, when
/// one runs past the limit, writes it into the output folder, says so, and exits with 1.
final class ParserWatchdog: Sendable {
  /// The input being checked, and since when.
  private struct Current: Sendable {
    var index: Int
    var name: String
    var input: [UInt8]
    var started: ContinuousClock.Instant
  }

  private let current = Mutex<Current?>(nil)
  private let stopped = Atomic<Bool>(false)
  private let limit: Duration
  private let folder: String
  private let seed: UInt64

  init(limit: Duration, folder: String, seed: UInt64) {
    self.limit = limit
    self.folder = folder
    self.seed = seed
  }

  /// Starts the watching thread.
  func start() {
    let thread = Thread { [self] in
      while !stopped.load(ordering: .relaxed) {
        Thread.sleep(forTimeInterval: 0.1)
        guard let item = current.withLock({ $0 }),
          item.started.duration(to: .now) > limit
        else { continue }
        hang(item)
      }
    }
    thread.start()
  }

  /// The input now being checked.
  func begin(_ index: Int, name: String, input: [UInt8]) {
    current.withLock {
      $0 = Current(index: index, name: name, input: input, started: .now)
    }
  }

  func end() { current.withLock { $0 = nil } }

  func stop() { stopped.store(true, ordering: .relaxed) }

  private func hang(_ item: Current) -> Never {
    let path = (folder as NSString).appendingPathComponent(
      "parser-hang-s\(seed)-\(item.index).scenario")
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: path, contents: Data(item.input))
    var errors = StandardStream.error
    errors.write(
      "error: mutation \(item.index) of \(item.name) ran for more than \(limit); "
        + "the input is in \(path)\n")
    exit(ExitStatus.failure.rawValue)
  }
}
