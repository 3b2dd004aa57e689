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
