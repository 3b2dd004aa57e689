import AlmanacCore
import Foundation

/// Writes stage folders one after another on a serial queue, so that encoding and writing a
/// stage's output (tens of megabytes of JSON at province scale) overlaps the next stage's
/// work instead of delaying it.
///
/// Order is what makes this safe: a stage's checkpoint is written only after every earlier
/// stage's checkpoint, and a stage's fingerprint — which includes the hash of the previous
/// stage's output — is computed inside its own commit, once that hash is known. A kill at any
/// moment therefore leaves a prefix of committed stages, exactly as when commits were inline.
/// The runner waits for the queue (`upstreamAfterPending()`) only when it must compare a fingerprint with
/// an existing checkpoint, and before publishing.
final class CommitQueue: @unchecked Sendable {
  /// What one commit produced, for the run report and for publishing.
  struct Committed: Sendable {
    var fingerprint: String
    var checkpoint: Checkpoint
  }

  private let queue = DispatchQueue(label: "almanac.runner.commit", qos: .userInitiated)
  private let lock = NSLock()
  // Only touched on `queue`.
  private var upstream: Fingerprint.Upstream?
  // Behind `lock`: read by the runner's loop while commits run.
  private var failure: (stage: String, error: any Error)?
  private var committed: [String: Committed] = [:]

  /// A reused stage: its output is the upstream of the next one.
  func reuse(_ next: Fingerprint.Upstream) {
    queue.async { self.upstream = next }
  }

  /// Queues a commit. `body` gets the upstream of the stage (the previous stage's fingerprint and
  /// output hash) and returns what it committed. Skipped once an earlier commit failed.
  func enqueue(
    stage: String, _ body: @escaping @Sendable (Fingerprint.Upstream?) throws -> Committed
  ) {
    queue.async {
      if self.failed != nil { return }
      do {
        let done = try body(self.upstream)
        // The commit's encoding buffers are gone (and, for an output evicted from the store,
        // the output itself).
        HeapPages.releaseFree()
        self.upstream = Fingerprint.Upstream(
          fingerprint: done.fingerprint, outputSHA: done.checkpoint.outputs[StageFolder.outputFile] ?? "-")
        self.lock.withLock { self.committed[stage] = done }
      } catch {
        self.lock.withLock { self.failure = (stage, error) }
      }
    }
  }

  /// The first commit that failed so far (without waiting).
  var failed: (stage: String, error: any Error)? {
    lock.withLock { failure }
  }

  /// Waits for every queued commit; the upstream of the next stage.
  func upstreamAfterPending() -> Fingerprint.Upstream? {
    queue.sync { upstream }
  }

  /// Waits for every queued commit; what each committed stage recorded.
  func drain() -> [String: Committed] {
    queue.sync {}
    return lock.withLock { committed }
  }
}
