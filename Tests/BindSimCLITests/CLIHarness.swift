import BindSimCLI
import Foundation
import Glibc

/// Runs the command line in-process and captures what it prints.
struct CLIResult {
  var status: ExitStatus
  var output: String
  var errors: String
}

enum CLI {
  static func run(
    _ arguments: [String], environment: [String: String] = [:], terminal: Bool = false
  ) -> CLIResult {
    var output = TextBuffer()
    var errors = TextBuffer()
    var env = environment
    if env["BINDSIM_EXECUTABLE"] == nil, let binary = builtBinary {
      env["BINDSIM_EXECUTABLE"] = binary
    }
    let status = BindSim.run(
      arguments, output: &output, errors: &errors, environment: env, outputIsTerminal: terminal)
    return CLIResult(status: status, output: output.text, errors: errors.text)
  }

  /// The `bindsim` executable next to the test bundle (`swift test` builds it too).
  static let builtBinary: String? = {
    let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let candidates = [
      bundleDirectory.appendingPathComponent("bindsim").path,
      URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug/bindsim").path,
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
  }()

  /// This test process's folder for temporary files, removed when the process exits.
  static let root: URL = {
    let root = FileManager.default.temporaryDirectory
      .appendingPathComponent("bindsim-test-\(getpid())")
    atexit {
      let root = FileManager.default.temporaryDirectory
        .appendingPathComponent("bindsim-test-\(getpid())")
      try? FileManager.default.removeItem(at: root)
    }
    return root
  }()

  /// Writes an executable script. The descriptor is opened with O_CLOEXEC: a child that
  /// another test spawns meanwhile must not inherit it, or executing the script fails with
  /// ETXTBSY for as long as that child lives.
  static func writeExecutable(_ text: String, to path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
    guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    defer { close(fd) }
    let bytes = Array(text.utf8)
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    guard written == bytes.count else { throw POSIXError(.EIO) }
  }

  /// A fresh temporary folder holding the given files (under `root`).
  static func folder(_ files: [String: String]) throws -> String {
    let base = root.appendingPathComponent(UUID().uuidString)
    try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
    for (name, text) in files {
      let url = base.appendingPathComponent(name)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try text.write(to: url, atomically: false, encoding: .utf8)
    }
    return base.path
  }
}
