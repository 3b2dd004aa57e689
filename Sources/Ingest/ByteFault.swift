/// A problem in the byte layers below the CSV parser (file, gzip, decoding).
///
/// Internal: `RecordReader` turns it into an `IngestError` once it knows the line and column
/// the parser had reached.
enum ByteFault: Error, Equatable {
  case io(String)
  case gzipTruncated
  case gzipCorrupt(String)
  case gzipTrailingGarbage
  case gzipTooLarge(Int64)
  /// Bytes that are neither UTF-8 nor GB18030, shown as hex.
  case invalidGB18030(String)
  /// The encoding a BOM promised ("UTF-8", "UTF-16LE", …) does not hold.
  case invalidUnicode(String)
}

extension ByteFault {
  /// Faults the encoding detection pass reports at once instead of leaving them to the parse
  /// pass: I/O errors, and a decompression past the limit (never inflated twice).
  var stopsDetection: Bool {
    switch self {
    case .io, .gzipTooLarge: return true
    default: return false
    }
  }
}
