import AlmanacCore
import Foundation

/// The progress bar people see at a terminal: files and MB done, rate, time left, redrawn at
/// most ten times a second.
public final class TerminalProgress: ProgressReporter, @unchecked Sendable {
  private let console: Console
  private let clock: @Sendable () -> Date
  private let lock = NSLock()
  private var stage = ""
  private var totalFiles = 0
  private var totalBytes: Int64 = 0
  private var files = 0
  private var bytes: Int64 = 0
  private var started = Date.distantPast
  private var lastDraw = Date.distantPast

  public init(console: Console, clock: @escaping @Sendable () -> Date = { Date() }) {
    self.console = console
    self.clock = clock
  }

  public func begin(stage: String, totalFiles: Int, totalBytes: Int64) {
    lock.lock()
    self.stage = stage
    self.totalFiles = totalFiles
    self.totalBytes = totalBytes
    files = 0
    bytes = 0
    started = clock()
    lastDraw = .distantPast
    lock.unlock()
    draw(force: true)
  }

  public func advance(files: Int, bytes: Int64) {
    lock.lock()
    self.files += files
    self.bytes += bytes
    lock.unlock()
    draw(force: false)
  }

  public func end() {
    console.status(nil)
  }

  private func draw(force: Bool) {
    lock.lock()
    let now = clock()
    guard force || now.timeIntervalSince(lastDraw) >= 0.1 else {
      lock.unlock()
      return
    }
    lastDraw = now
    let text = Self.render(
      stage: stage, files: files, totalFiles: totalFiles, bytes: bytes, totalBytes: totalBytes,
      elapsed: now.timeIntervalSince(started))
    lock.unlock()
    console.status(text)
  }

  /// `ingest [######------]  12/40 文件  35.2/120.0 MB  8.1 MB/s  剩余 0:12`
  public static func render(
    stage: String, files: Int, totalFiles: Int, bytes: Int64, totalBytes: Int64, elapsed: TimeInterval
  ) -> String {
    let width = 24
    let fraction: Double =
      totalBytes > 0 ? Double(bytes) / Double(totalBytes) : (totalFiles > 0 ? Double(files) / Double(totalFiles) : 0)
    let filled = min(width, max(0, Int(fraction * Double(width))))
    let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
    let mb = { (b: Int64) in String(format: "%.1f", Double(b) / 1_048_576) }
    var text = "\(stage) [\(bar)] \(files)/\(totalFiles) 文件  \(mb(bytes))/\(mb(totalBytes)) MB"
    if elapsed > 0.5, bytes > 0 {
      let rate = Double(bytes) / elapsed
      text += "  \(mb(Int64(rate))) MB/s"
      let left = Double(totalBytes - bytes) / rate
      if left.isFinite, left >= 0 {
        let s = Int(left.rounded())
        text += "  剩余 \(s / 60):\(String(format: "%02d", s % 60))"
      }
    }
    return text
  }
}
