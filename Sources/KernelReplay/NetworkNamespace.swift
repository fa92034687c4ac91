@preconcurrency import Glibc
import Synchronization

/// Private network namespaces: entering one (`unshare(2)`), giving it the kernel's default
/// settings, and running code in one on a dedicated thread.
///
/// bindsim never falls back to the caller's namespace: when no private namespace can be had,
/// these functions throw.
public enum NetworkNamespace {
  /// The hint appended to every "cannot unshare" sentence.
  private static let hint =
    "run as root or enable unprivileged user namespaces "
    + "(kernel.unprivileged_userns_clone / user.max_user_namespaces)"

  /// Moves the calling process into a new, empty network namespace
  /// (`unshare(CLONE_NEWNET)`), for a single-threaded child process.
  ///
  /// As root that is all. Otherwise it first creates a user namespace
  /// (`unshare(CLONE_NEWUSER | CLONE_NEWNET)`) in which the caller is root: writes `deny` to
  /// `/proc/self/setgroups`, `0 <uid> 1` to `/proc/self/uid_map` and `0 <gid> 1` to
  /// `/proc/self/gid_map`. (`CLONE_NEWUSER` requires a single-threaded process.)
  public static func enterFresh() throws(NamespaceError) {
    if geteuid() == 0 {
      try unshare(LinuxCalls.cloneNewNet, named: "CLONE_NEWNET")
      return
    }
    let uid = geteuid()
    let gid = getegid()
    try unshare(
      LinuxCalls.cloneNewUser | LinuxCalls.cloneNewNet, named: "CLONE_NEWUSER | CLONE_NEWNET")
    for (file, text) in [
      ("/proc/self/setgroups", "deny"), ("/proc/self/uid_map", "0 \(uid) 1"),
      ("/proc/self/gid_map", "0 \(gid) 1"),
    ] {
      do {
        try writeExistingFile(file, text)
      } catch {
        throw NamespaceError(
          "cannot map the user into the new user namespace: writing '\(text)' to \(file) failed: "
            + "\(String(cString: strerror(error.code)))",
          underlying: error)
      }
    }
  }

  /// The IPv4 settings a new namespace may inherit from the machine's main namespace
  /// (reference §15.1 item 12); bindsim sets each to the kernel default, 0.
  static let inheritedIPv4Settings = [
    "rp_filter", "accept_local", "route_localnet", "arp_ignore", "arp_filter", "arp_announce",
  ]

  /// Gives the calling thread's (new) namespace the configuration the scenario language
  /// promises: `lo` up; `net.ipv4.conf.{all,default,lo}.*` of `inheritedIPv4Settings` at 0;
  /// and `net.ipv6.conf.default.addr_gen_mode = 1` so that interfaces created later get no
  /// automatic link-local address (the language declares every address explicitly).
  ///
  /// `/proc/sys/net` follows the network namespace of the calling thread.
  public static func configureFresh() throws(NamespaceError) {
    do throws(SystemError) {
      var netlink = try RouteNetlink()
      guard let loopback = interfaceIndex("lo") else {
        throw SystemError(code: ENODEV, call: "if_nametoindex(lo)")
      }
      try netlink.setLinkUp(index: loopback)
    } catch {
      throw NamespaceError(
        "cannot bring lo up in the new namespace: \(error)", underlying: error)
    }
    var settings: [(String, String)] = []
    for device in ["all", "default", "lo"] {
      for name in inheritedIPv4Settings {
        settings.append(("/proc/sys/net/ipv4/conf/\(device)/\(name)", "0"))
      }
    }
    settings.append(("/proc/sys/net/ipv6/conf/default/addr_gen_mode", "1"))
    for (path, value) in settings {
      do {
        try writeExistingFile(path, value)
      } catch {
        throw NamespaceError(
          "cannot set \(path) to \(value) in the new namespace: \(error)", underlying: error)
      }
    }
  }

  /// Runs `body` on a dedicated thread that first moves itself into a new network namespace
  /// (`unshare(CLONE_NEWNET)`, which changes only the calling thread) and configures it
  /// (`configureFresh()`); the caller blocks in `pthread_join` until the thread ends, and the
  /// namespace dies with the thread (once `body` has closed its sockets).
  ///
  /// Needs root (`CLONE_NEWNET` without a new user namespace); safe in a multithreaded
  /// process such as a test runner, because no other thread changes namespace.
  public static func withFreshNamespaceThread<T: Sendable>(
    _ body: @Sendable () throws -> T
  ) throws -> T {
    let result = Mutex<Result<T, any Error>?>(nil)
    // The thread is joined before this function returns, so `body` does not really escape.
    try withoutActuallyEscaping(body) { body in
      let work = ThreadWork {
        let outcome: Result<T, any Error>
        do {
          try unshare(LinuxCalls.cloneNewNet, named: "CLONE_NEWNET")
          try configureFresh()
          outcome = .success(try body())
        } catch {
          outcome = .failure(error)
        }
        result.withLock { $0 = outcome }
      }
      try work.runOnNewThread()
    }
    guard let outcome = result.withLock({ $0 }) else {
      throw NamespaceError("the namespace thread ended without a result")
    }
    return try outcome.get()
  }

  /// `uname -r`: the running kernel's release, such as `6.18.44`.
  public static func kernelRelease() -> String {
    var names = utsname()
    guard uname(&names) == 0 else { return "unknown" }
    return withUnsafeBytes(of: &names.release) { raw in
      String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
  }

  /// `unshare(2)` with a sentence that says why it failed and what to do.
  static func unshare(_ flags: CInt, named: String) throws(NamespaceError) {
    do {
      _ = try retryingInterrupts("unshare(\(named))") { LinuxCalls.unshare(flags) }
    } catch {
      throw NamespaceError(
        "unshare(\(named)) failed: \(String(cString: strerror(error.code))); \(hint)",
        underlying: error)
    }
  }
}
