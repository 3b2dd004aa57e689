import Foundation

/// A glibc iconv conversion descriptor (GB18030 and UTF-16 ↔ UTF-8): ingest's decoders, and
/// the reading of inbox names that are not UTF-8 (`LegacyFileName`).
package final class Iconv {
  /// How a `convert` call stopped.
  package enum Stop {
    /// All input converted.
    case done
    /// The output buffer is full; call again with the rest.
    case outputFull
    /// The input ends inside a multibyte sequence; keep the rest for the next chunk.
    case incomplete
    /// The bytes at the stop offset are not valid in the source encoding.
    case invalid
  }

  private let cd: iconv_t

  package init?(from source: String, to target: String) {
    guard let cd = iconv_open(target, source), cd != iconv_t(bitPattern: -1) else { return nil }
    self.cd = cd
  }

  deinit { iconv_close(cd) }

  /// Converts from the start of `input` into `output`; returns bytes consumed and produced.
  package func convert(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
    -> (consumed: Int, produced: Int, stop: Stop)
  {
    guard let inBase = input.baseAddress, !input.isEmpty else { return (0, 0, .done) }
    var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(
      mutating: inBase.assumingMemoryBound(to: CChar.self))
    var inLeft = input.count
    var outPtr: UnsafeMutablePointer<CChar>? = output.baseAddress?.assumingMemoryBound(to: CChar.self)
    var outLeft = output.count
    let rc = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
    let consumed = input.count - inLeft
    let produced = output.count - outLeft
    if rc != -1 { return (consumed, produced, .done) }
    switch errno {
    case E2BIG: return (consumed, produced, .outputFull)
    case EINVAL: return (consumed, produced, .incomplete)
    default: return (consumed, produced, .invalid)
    }
  }
}
