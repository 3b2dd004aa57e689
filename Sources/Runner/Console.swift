import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Serializes what goes to the terminal: log lines and the progress bar share stderr, so a
/// line clears the bar first and the bar is redrawn after it.
public final class Console: @unchecked Sendable {
  private let lock = NSLock()
  private let write: @Sendable (String) -> Void
  /// True when stderr is a terminal (progress bars and colours are for people only).
  public let isTerminal: Bool
  private var statusLine: String?

  /// Writes to stderr.
  public static func standardError() -> Console {
    Console(isTerminal: isatty(2) == 1) { text in
      // One write(2) per piece keeps lines whole when stdout and stderr share a terminal.
      var bytes = Array(text.utf8)
      var off = 0
      while off < bytes.count {
        let n = bytes.withUnsafeMutableBytes { buf -> Int in
          guard let base = buf.baseAddress else { return 0 }
          return Glibc.write(2, base + off, buf.count - off)
        }
        if n == 0 { return }
        if n < 0 {
          if errno == EINTR { continue }
          return
        }
        off += n
      }
    }
  }

  public init(isTerminal: Bool, write: @escaping @Sendable (String) -> Void) {
    self.isTerminal = isTerminal
    self.write = write
  }

  /// Prints one line (a newline is added).
  public func line(_ text: String) {
    lock.lock()
    defer { lock.unlock() }
    if statusLine != nil { write("\r\u{1B}[K") }
    write(text + "\n")
    if let s = statusLine { write(s) }
  }

  /// Replaces the transient status line (the progress bar); nil clears it.
  public func status(_ text: String?) {
    lock.lock()
    defer { lock.unlock() }
    guard isTerminal else { return }
    write("\r\u{1B}[K")
    if let text { write(text) }
    statusLine = text
  }
}
