import Foundation

extension Array where Element: Sendable {
  /// `map` on every core, results in the order of the array: independent per-department or
  /// per-sheet work runs in parallel and outputs stay deterministic.
  ///
  /// Arrays with fewer than `minimumPerTask` elements per core are mapped in place.
  public func parallelMap<Result: Sendable>(
    minimumPerTask: Int = 8, _ transform: @Sendable (Element) -> Result
  ) -> [Result] {
    let cores = Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)
    let tasks = Swift.min(cores * 4, count / Swift.max(1, minimumPerTask))
    if tasks < 2 || cores < 2 { return map(transform) }
    let items = self
    return [Result](unsafeUninitializedCapacity: count) { buffer, initialized in
      guard let base = buffer.baseAddress else { return }
      let out = SharedBuffer(base: base)
      // Each task initializes its own range of indices.
      DispatchQueue.concurrentPerform(iterations: tasks) { t in
        let start = items.count * t / tasks
        let end = items.count * (t + 1) / tasks
        for i in start..<end { (out.base + i).initialize(to: transform(items[i])) }
      }
      initialized = items.count
    }
  }
}

/// The output buffer of `parallelMap`, shared by tasks that write disjoint indices.
private struct SharedBuffer<T>: @unchecked Sendable {
  let base: UnsafeMutablePointer<T>
}
