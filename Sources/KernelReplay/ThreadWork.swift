@preconcurrency import Glibc

/// A closure to run on a new POSIX thread (`pthread_create`, then `pthread_join`).
///
/// A C thread entry point cannot capture context, so the closure travels as the thread's
/// argument: retained before `pthread_create`, released by the thread.
final class ThreadWork: Sendable {
  private let body: @Sendable () -> Void

  init(_ body: @escaping @Sendable () -> Void) { self.body = body }

  /// Starts a thread that runs the closure and ends, and waits for it.
  func runOnNewThread() throws(SystemError) {
    let argument = Unmanaged.passRetained(self).toOpaque()
    var thread = pthread_t()
    let created = pthread_create(
      &thread, nil,
      { raw in
        guard let raw else { return nil }
        Unmanaged<ThreadWork>.fromOpaque(raw).takeRetainedValue().body()
        return nil
      }, argument)
    if created != 0 {
      Unmanaged<ThreadWork>.fromOpaque(argument).release()
      throw SystemError(code: created, call: "pthread_create")
    }
    let joined = pthread_join(thread, nil)
    if joined != 0 { throw SystemError(code: joined, call: "pthread_join") }
  }
}
