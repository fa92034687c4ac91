import BindModel
import Foundation
import ScenarioLanguage

/// A scenario file as the commands see it: its path, its text, and its parse.
struct ScenarioFile: Sendable {
  /// Files larger than this are refused before reading, so a huge input never exhausts memory.
  static let sizeLimit = 64 << 20

  var path: String
  var source: String
  var scenario: Scenario

  /// What went wrong while loading a file.
  enum LoadError: Error, Sendable {
    /// The file cannot be read (exit 66).
    case unreadable(path: String, reason: String)
    /// The file is not a valid scenario (exit 65): a rendered diagnostic.
    case invalid(path: String, rendered: String, error: ScenarioError)

    var status: ExitStatus {
      switch self {
      case .unreadable: .noInput
      case .invalid: .dataError
      }
    }

    var message: String {
      switch self {
      case .unreadable(let path, let reason): "error: cannot read '\(path)': \(reason)"
      case .invalid(_, let rendered, _): rendered
      }
    }
  }

  /// Reads and parses one file.
  static func load(_ path: String) -> Result<ScenarioFile, LoadError> {
    let manager = FileManager.default
    var isDirectory: ObjCBool = false
    guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
      return .failure(.unreadable(path: path, reason: "no such file"))
    }
    if isDirectory.boolValue {
      return .failure(.unreadable(path: path, reason: "is a directory"))
    }
    if let size = (try? manager.attributesOfItem(atPath: path))?[.size] as? Int,
      size > sizeLimit
    {
      let error = ScenarioError(
        message: "file is too large (\(size) bytes; the limit is \(sizeLimit >> 20) MiB)",
        location: SourceLocation(line: 1, column: 1))
      return .failure(
        .invalid(path: path, rendered: "\(path):1:1: error: \(error.message)", error: error))
    }
    guard let handle = FileHandle(forReadingAtPath: path) else {
      return .failure(.unreadable(path: path, reason: "permission denied"))
    }
    defer { try? handle.close() }
    let data: Data
    do {
      data = try handle.readToEnd() ?? Data()
    } catch {
      return .failure(.unreadable(path: path, reason: "\(error.localizedDescription)"))
    }
    let bytes = [UInt8](data)
    do {
      let scenario = try ScenarioParser.parse(bytes: bytes)
      return .success(
        ScenarioFile(path: path, source: String(decoding: bytes, as: UTF8.self), scenario: scenario)
      )
    } catch {
      let source = String(decoding: bytes, as: UTF8.self)
      return .failure(
        .invalid(path: path, rendered: error.rendered(fileName: path, source: source), error: error)
      )
    }
  }

  /// Expands the command line's paths: files as given, folders searched (recursively, in
  /// sorted order) for `*.scenario`. A path that does not exist is kept, so that loading it
  /// reports the problem.
  static func expand(_ paths: [String]) -> [String] {
    var result: [String] = []
    let manager = FileManager.default
    for path in paths {
      var isDirectory: ObjCBool = false
      guard manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue
      else {
        result.append(path)
        continue
      }
      let base = path.hasSuffix("/") ? String(path.dropLast()) : path
      let found = (manager.enumerator(atPath: path)?.allObjects as? [String] ?? [])
        .filter { $0.hasSuffix(".scenario") }
        .sorted()
        .map { "\(base)/\($0)" }
      result += found
    }
    return result
  }

  /// The render of a run error (an `@NAME` without a port) in compiler style.
  func rendered(_ error: RunError) -> String {
    ScenarioError(message: error.message, location: error.location, length: error.length)
      .rendered(fileName: path, source: source)
  }
}
