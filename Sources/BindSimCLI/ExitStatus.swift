/// Process exit codes, following sysexits(3) where one fits.
public enum ExitStatus: Int32, Sendable {
  /// Everything agrees (or the command did its job).
  case success = 0
  /// `check`/`verify`/`fuzz`: at least one disagreement.
  case failure = 1
  /// `EX_USAGE`: a bad command line.
  case usage = 64
  /// `EX_DATAERR`: a scenario file has errors.
  case dataError = 65
  /// `EX_NOINPUT`: a scenario file is missing or unreadable.
  case noInput = 66
  /// `EX_SOFTWARE`: an internal error (a replay child crashed).
  case software = 70
  /// `EX_CANTCREAT`: `--update` could not write a file.
  case cannotCreate = 73
  /// `EX_NOPERM`: no private network namespace can be made here.
  case noNamespace = 77

  /// Combines the statuses of several files: the most serious one wins.
  static func worst(_ a: ExitStatus, _ b: ExitStatus) -> ExitStatus {
    func rank(_ s: ExitStatus) -> Int {
      switch s {
      case .success: 0
      case .failure: 1
      case .dataError: 2
      case .noInput: 3
      case .cannotCreate: 4
      case .software: 5
      case .noNamespace: 6
      case .usage: 7
      }
    }
    return rank(a) >= rank(b) ? a : b
  }
}
