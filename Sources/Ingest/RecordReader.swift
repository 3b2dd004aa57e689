import AlmanacCore
import Foundation

/// Reads one inbox file as CSV records, whatever Excel or WPS wrote (forms.md §1).
///
/// Gzip is detected by its magic bytes; the encoding by BOM, then strict UTF-8 over the whole
/// file, then GB18030; the delimiter by sniffing. Memory stays flat whatever the file size:
/// the file is streamed in chunks, twice at most (a detection pass that stops at the first
/// non-UTF-8 byte, then the parse pass, which also hashes the raw bytes).
public struct RecordReader: Sendable {
  public var limits: IngestLimits
  /// Bytes read from disk per step (also the inflate and decode buffer size).
  public var chunkSize: Int

  public init(limits: IngestLimits = .defaults) {
    self.init(limits: limits, chunkSize: 1 << 20)
  }

  /// `chunkSize` is injectable so tests can prove records do not depend on it.
  public init(limits: IngestLimits, chunkSize: Int) {
    self.limits = limits.resolved
    self.chunkSize = max(1, chunkSize)
  }

  /// Streams the records of `url` to `body` in file order and describes the file.
  ///
  /// `displayPath` names the file in errors and in the result. Throws `IngestError` for
  /// anything unreadable, or what `body` throws.
  public func read(_ url: URL, displayPath: String, body: (Record) throws -> Void) throws -> SourceFile {
    try read(url, displayPath: displayPath, sha256: nil, body: body)
  }

  /// Like `read(_:displayPath:body:)`; a known `sha256` (the runner's stat cache) is not
  /// recomputed.
  public func read(_ url: URL, displayPath: String, sha256: String?, body: (Record) throws -> Void) throws
    -> SourceFile
  {
    try withoutActuallyEscaping(body) { body in
      let sink = RecordSink(body: body)
      return try readFields(url, displayPath: displayPath, sha256: sha256, sink: sink)
    }
  }

  /// The low-level form: field bytes (UTF-8) go to `sink` without building strings.
  ///
  /// With `keepGB18030`, a GB18030 file is checked but not decoded: its fields reach `sink` as
  /// raw GB18030 (announced by `fieldsAreGB18030()`), for sinks that decode only what they use.
  public func readFields(
    _ url: URL, displayPath: String, sha256 known: String? = nil, keepGB18030: Bool = false, sink: any CSVFieldSink
  ) throws -> SourceFile {
    try readFields(atPath: url.path, displayPath: displayPath, sha256: known, keepGB18030: keepGB18030, sink: sink)
  }

  /// `readFields(_:…)` for a file system path.
  public func readFields(
    atPath path: String, displayPath: String, sha256 known: String? = nil, keepGB18030: Bool = false,
    sink: any CSVFieldSink
  ) throws -> SourceFile {
    let file = displayPath
    do {
      let (size, compressed, detection) = try detect(path, file: file)
      let raw = try FileChunks(path: path, chunkSize: chunkSize, hashing: known == nil)
      let stream: any ChunkSource =
        compressed ? try GzipStream.Inflater(source: raw, chunkSize: chunkSize, limit: maxDecompressed) : raw
      let decoder = try TextDecoder(
        encoding: detection.encoding, validate: detection.validateWhileParsing, chunkSize: chunkSize,
        keepGB18030: keepGB18030)
      if decoder.keepsGB18030 { sink.fieldsAreGB18030() }
      let feeder = Feeder(file: file, limits: limits, sink: sink)
      feeder.gb18030 = decoder.keepsGB18030
      do {
        var skip = detection.bomLength
        while let chunk = try stream.next() {
          var piece = chunk
          if skip > 0 {
            let n = min(skip, piece.count)
            piece = UnsafeRawBufferPointer(rebasing: piece[n...])
            skip -= n
          }
          try decoder.decode(piece, emit: feeder.feed)
        }
        try decoder.finish(emit: feeder.feed)
        let csv = try feeder.start(complete: true)
        try csv.finish()
      } catch let fault as ByteFault {
        let position = try feeder.start(complete: false).position
        // UTF-8 text up to a stray byte was read as GB18030 and failed at its first Chinese
        // text, lines before the byte: the error names the byte that is not UTF-8 instead.
        if case .invalidGB18030 = fault, let broke = detection.utf8Break, position.line < broke.line {
          throw IngestError.strayByteInUTF8(file, line: broke.line, bytes: broke.bytes)
        }
        throw Self.error(for: fault, file: file, line: position.line, column: position.column)
      }
      guard let csv = feeder.reader, csv.records > 0 else { throw IngestError.empty(file, bytes: false) }
      let sha = try known ?? raw.finishHash() ?? ""
      return SourceFile(
        path: displayPath, sha256: sha, size: size, compressed: compressed, encoding: detection.encoding,
        encodingReason: detection.reason, delimiter: String(UnicodeScalar(csv.delimiter)))
    } catch let fault as ByteFault {
      throw Self.error(for: fault, file: file, line: 0, column: 0)
    }
  }

  private var maxDecompressed: Int64 { limits.maxDecompressedBytes ?? Int64.max }

  /// The detection pass: size, gzip, encoding.
  private func detect(_ path: String, file: String) throws -> (Int64, Bool, EncodingDetection) {
    // Small reads: GB18030 files are decided on their first line, BOM files on three bytes.
    let step = min(chunkSize, EncodingDetector.headLimit)
    let raw = try FileChunks(path: path, chunkSize: step, hashing: false)
    let size = try raw.size()
    if size == 0 { throw IngestError.empty(file, bytes: true) }
    let compressed = try raw.peek(2) == [0x1F, 0x8B]
    let stream: any ChunkSource =
      compressed ? try GzipStream.Inflater(source: raw, chunkSize: step, limit: maxDecompressed) : raw
    return (size, compressed, try EncodingDetector.detect(stream, file: file))
  }

  static func error(for fault: ByteFault, file: String, line: Int, column: Int) -> IngestError {
    switch fault {
    case .io(let reason):
      return .unreadable(file, reason: reason)
    case .gzipTruncated:
      return .gzipBroken(file, line: line, column: column, detail: "文件不完整，压缩数据在结尾前被截断")
    case .gzipCorrupt(let detail):
      return .gzipBroken(file, line: line, column: column, detail: "压缩数据损坏（\(detail)）")
    case .gzipTrailingGarbage:
      return .gzipBroken(file, line: line, column: column, detail: "压缩数据之后还有无法识别的内容")
    case .gzipTooLarge(let limit):
      var e = IngestError.gzipTooLarge(file, limit: limit)
      e.line = line
      return e
    case .invalidGB18030(let bytes):
      return .invalidGB18030(file, line: line, column: column, bytes: bytes)
    case .invalidUnicode(let encoding):
      return .invalidUnicode(file, line: line, column: column, encoding: encoding)
    }
  }
}

/// Holds decoded bytes until the delimiter is sniffed, then feeds the CSV parser.
private final class Feeder {
  let file: String
  let limits: IngestLimits
  let sink: any CSVFieldSink
  /// The text is raw GB18030 (`keepGB18030`).
  var gb18030 = false
  private(set) var reader: CSVReader?
  private var pending: [UInt8] = []

  init(file: String, limits: IngestLimits, sink: any CSVFieldSink) {
    self.file = file
    self.limits = limits
    self.sink = sink
  }

  func feed(_ bytes: UnsafeRawBufferPointer) throws {
    if let reader {
      try reader.parse(bytes)
      return
    }
    pending.append(contentsOf: bytes)
    if pending.count >= DelimiterSniffer.window { _ = try start(complete: false) }
  }

  /// Sniffs the delimiter over what has arrived and starts parsing (once).
  func start(complete: Bool) throws -> CSVReader {
    if let reader { return reader }
    let delimiter = pending.withUnsafeBytes { DelimiterSniffer.sniff($0, complete: complete) }
    let reader = try CSVReader(file: file, delimiter: delimiter, limits: limits, sink: sink)
    reader.textIsGB18030 = gb18030
    self.reader = reader
    try pending.withUnsafeBytes { try reader.parse($0) }
    pending = []
    return reader
  }
}

/// Builds `Record` values from field bytes.
private final class RecordSink: CSVFieldSink {
  private struct Pending {
    var fields: [String] = []
    var lines: [Int] = []
  }

  private let body: (Record) throws -> Void
  /// Behind a pointer: no dynamic exclusivity check per field.
  private let pending: UnsafeMutablePointer<Pending>

  init(body: @escaping (Record) throws -> Void) {
    self.body = body
    pending = .allocate(capacity: 1)
    pending.initialize(to: Pending())
  }

  deinit {
    pending.deinitialize(count: 1)
    pending.deallocate()
  }

  func field(_ bytes: UnsafeRawBufferPointer, index: Int, line: Int) throws {
    pending.pointee.fields.append(String(decoding: bytes, as: UTF8.self))
    pending.pointee.lines.append(line)
  }

  func endRecord(fieldCount: Int, line: Int) throws {
    let record = Record(fields: pending.pointee.fields, lines: pending.pointee.lines)
    pending.pointee.fields = []
    pending.pointee.fields.reserveCapacity(fieldCount)
    pending.pointee.lines = []
    pending.pointee.lines.reserveCapacity(fieldCount)
    try body(record)
  }
}
