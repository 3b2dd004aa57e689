import AlmanacCore
private import CCSV

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Receives what `CSVReader` parsed, as bytes: the low-level API for callers that want to
/// avoid building a `String` per field.
public protocol CSVFieldSink: AnyObject {
  /// One field. `bytes` (UTF-8 when fed by `RecordReader`) is valid only during the call;
  /// `index` is 0-based within the record; `line` is the 1-based physical line where the
  /// field starts.
  func field(_ bytes: UnsafeRawBufferPointer, index: Int, line: Int) throws
  /// The end of a record of `fieldCount` fields (never 0: blank lines are not records) that
  /// started on `line`.
  func endRecord(fieldCount: Int, line: Int) throws
  /// Called once before the first field when the fields will arrive as raw GB18030 (the
  /// reader was asked to keep it, `RecordReader.readFields(…keepGB18030:)`), not UTF-8.
  func fieldsAreGB18030()
}

extension CSVFieldSink {
  public func fieldsAreGB18030() {}
}

/// The libcsv wrapper: a push parser that is fed byte chunks of any size and reports fields
/// with their physical line numbers.
///
/// Strict RFC 4180 quoting; CR, LF and CRLF all end a line; blank lines produce no record but
/// count in line numbers, as do line breaks inside quoted fields. The only file importing
/// `CCSV`: libcsv's callbacks reach this object through the `data` pointer.
public final class CSVReader {
  /// Path used in error messages.
  public let file: String
  /// The delimiter byte (`,`, `\t` or `;`).
  public let delimiter: UInt8
  /// The bytes are raw GB18030 (checked, not decoded): error details decode them as such.
  var textIsGB18030 = false
  /// Records reported so far.
  public var records: Int { state.pointee.records }

  /// Per-field counters, behind a pointer: stored class properties would pay a dynamic
  /// exclusivity check on every field.
  private struct ParseState {
    /// Line where the next field starts.
    var line = 1
    /// Index of the next field within the current record.
    var fieldIndex = 0
    var recordLine = 1
    /// A record or line just ended with CR: a directly following LF is the same line end.
    var pendingCR = false
    var records = 0
    var failed = false
    /// The fields being parsed may be quoted, hence may hold line breaks (`parse`).
    var breaksPossible = true
  }

  private let state: UnsafeMutablePointer<ParseState>
  private var line: Int { state.pointee.line }
  private var fieldIndex: Int { state.pointee.fieldIndex }
  /// First error raised inside a callback; libcsv cannot unwind, so later callbacks are skipped.
  private var failure: (any Error)? {
    didSet { state.pointee.failed = failure != nil }
  }
  private let parser: UnsafeMutablePointer<csv_parser>
  private let sink: any CSVFieldSink
  /// `sink` when it is ingest's `SheetSink`: called directly for the tens of millions of
  /// records of a province's registers, not through the protocol's witness table. Unmanaged
  /// because `sink` keeps it alive: a strong reference here cost a retain and a release per
  /// call (about 6 % of a whole 10M-row run's CPU in perf).
  private let sheetSink: Unmanaged<SheetSink>?
  /// The sheet sink's record in progress: its fields are appended inline, without a call.
  private let sheetFields: UnsafeMutablePointer<SheetSink.PendingRecord>?
  private let maxFieldBytes: Int
  private let maxColumns: Int
  private let maxRecords: Int

  public init(
    file: String, delimiter: UInt8 = UInt8(ascii: ","), limits: IngestLimits = .defaults,
    sink: any CSVFieldSink
  ) throws {
    self.file = file
    self.delimiter = delimiter
    self.sink = sink
    self.sheetSink = (sink as? SheetSink).map { Unmanaged.passUnretained($0) }
    self.sheetFields = (sink as? SheetSink)?.pending
    let resolved = limits.resolved
    maxFieldBytes = resolved.maxFieldBytes ?? Int.max
    maxColumns = resolved.maxColumns ?? Int.max
    maxRecords = resolved.maxRecords ?? Int.max
    state = .allocate(capacity: 1)
    state.initialize(to: ParseState())
    parser = UnsafeMutablePointer<csv_parser>.allocate(capacity: 1)
    let options = UInt8(CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL)
    guard csv_init(parser, options) == 0 else {
      parser.deallocate()
      state.deallocate()
      throw IngestError.unreadable(file, reason: "CSV 解析器初始化失败")
    }
    csv_set_delim(parser, delimiter)
    // Large blocks: fewer reallocations for long quoted fields. `onField` relies on the
    // entry buffer being at least 8 bytes long.
    csv_set_blk_size(parser, 4096)
  }

  deinit {
    csv_free(parser)
    parser.deallocate()
    state.deallocate()
  }

  /// Parses the next bytes of the file.
  public func parse(_ bytes: UnsafeRawBufferPointer) throws {
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
    // Only a quoted field can hold a line break. The bytes go to libcsv in pieces: runs
    // without a double quote, in which no field needs scanning for line breaks unless one
    // was open (quoted) when the run began, and from a double quote to the end of a line, in
    // which every field is scanned. A run shorter than `Self.shortestRun` joins the scanned
    // piece before it: with quotes on every line (some exporters quote every field) the chunk
    // stays one piece, as it was before runs were told apart.
    let count = bytes.count
    let start = UnsafeMutableRawPointer(mutating: base)
    func next(_ byte: Int32, from i: Int) -> Int? { memchr(base + i, byte, count - i).map { $0 - start } }
    func lineEnd(from i: Int) -> Int { next(0x0A, from: i).map { $0 + 1 } ?? count }
    var offset = 0
    while offset < count {
      guard let quote = next(0x22, from: offset) else {
        try parsePiece(bytes, offset..<count, breaksPossible: parser.pointee.quoted != 0)
        break
      }
      if quote > offset {
        try parsePiece(bytes, offset..<quote, breaksPossible: parser.pointee.quoted != 0)
      }
      var end = lineEnd(from: quote)
      while end < count, let following = next(0x22, from: end), following - end < Self.shortestRun {
        end = lineEnd(from: following)
      }
      try parsePiece(bytes, quote..<end, breaksPossible: true)
      offset = end
    }
  }

  /// Quote-free runs shorter than this are scanned with the quoted piece before them: a
  /// separate `csv_parse` call costs more than scanning a few short fields.
  static let shortestRun = 256

  private func parsePiece(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, breaksPossible: Bool) throws {
    guard let base = bytes.baseAddress else { return }
    state.pointee.breaksPossible = breaksPossible
    let ctx = Unmanaged.passUnretained(self).toOpaque()
    let n = csv_parse(parser, base + range.lowerBound, range.count, csvReaderOnField, csvReaderOnRow, ctx)
    if let failure { throw failure }
    if n < range.count {
      if csv_error(parser) == CSV_EPARSE {
        let pos = position
        throw IngestError.badQuote(
          file, line: pos.line, column: pos.column, detail: quoteDetail(bytes, at: range.lowerBound + n))
      }
      throw IngestError.fieldTooLarge(file, line: line, column: fieldIndex + 1, limit: maxFieldBytes)
    }
    // libcsv buffers the field in progress without bound; stop before memory does.
    if parser.pointee.entry_pos > maxFieldBytes {
      throw IngestError.fieldTooLarge(file, line: line, column: fieldIndex + 1, limit: maxFieldBytes)
    }
  }

  /// Ends the input: reports a last record without a line end, or throws for an open quote.
  public func finish() throws {
    state.pointee.breaksPossible = true
    let ctx = Unmanaged.passUnretained(self).toOpaque()
    let rc = csv_fini(parser, csvReaderOnField, csvReaderOnRow, ctx)
    if let failure { throw failure }
    if rc != 0 {
      throw IngestError.unterminatedQuote(file, line: line, column: fieldIndex + 1)
    }
  }

  /// Where the parser stands: the line of the next unread byte and the field number (1-based)
  /// it belongs to. Used to place decoding errors.
  public var position: (line: Int, column: Int) {
    var l = line
    let p = parser.pointee
    if let buf = p.entry_buf, p.entry_pos > 0 {
      l += Self.lineBreaks(in: UnsafeRawBufferPointer(start: buf, count: p.entry_pos), pendingCR: nil)
    }
    return (l, fieldIndex + 1)
  }

  /// One field from libcsv. The common case, a field for the sheet sink within the limits,
  /// takes this short path: everything that may fail or call through the protocol is in
  /// `onFieldChecked`, whose error handling made every field pay for a large stack frame.
  fileprivate func onField(_ s: UnsafeMutableRawPointer?, _ len: Int) {
    let st = state
    let index = st.pointee.fieldIndex
    guard let sheetFields, !st.pointee.failed, len <= maxFieldBytes, index < maxColumns else {
      return onFieldChecked(s, len)
    }
    st.pointee.pendingCR = false
    let line = st.pointee.line
    if index == 0 { st.pointee.recordLine = line }
    let bytes = UnsafeRawBufferPointer(start: s, count: len)
    sheetFields.pointee.field(bytes, index: index, line: line)
    st.pointee.fieldIndex = index + 1
    if st.pointee.breaksPossible { countLineBreaks(bytes, from: line) }
  }

  @inline(never)
  private func onFieldChecked(_ s: UnsafeMutableRawPointer?, _ len: Int) {
    let st = state
    if st.pointee.failed { return }
    st.pointee.pendingCR = false
    let index = st.pointee.fieldIndex
    let line = st.pointee.line
    if index == 0 { st.pointee.recordLine = line }
    if len > maxFieldBytes {
      failure = IngestError.fieldTooLarge(file, line: line, column: index + 1, limit: maxFieldBytes)
      return
    }
    if index >= maxColumns {
      failure = IngestError.tooManyColumns(file, line: st.pointee.recordLine, limit: maxColumns)
      return
    }
    // Past the checks above, only a sink other than the sheet sink gets here (`onField` takes
    // the sheet sink's fields within the limits).
    let bytes = UnsafeRawBufferPointer(start: s, count: len)
    do {
      try sink.field(bytes, index: index, line: line)
    } catch {
      failure = error
      return
    }
    st.pointee.fieldIndex = index + 1
    if st.pointee.breaksPossible { countLineBreaks(bytes, from: line) }
  }

  /// Moves the line past the line breaks inside a (quoted) field that started on `line`.
  @inline(__always)
  private func countLineBreaks(_ bytes: UnsafeRawBufferPointer, from line: Int) {
    let len = bytes.count
    if len > 8 {
      state.pointee.line = line + Self.lineBreaks(in: bytes, pendingCR: nil)
    } else if len > 0, let s = bytes.baseAddress {
      // Fields always start at libcsv's entry buffer, which holds at least one block
      // (csv_set_blk_size, 4096 bytes): one masked word load covers a short field.
      let w = s.loadUnaligned(as: UInt64.self) & (len == 8 ? ~0 : (1 &<< UInt64(len &* 8)) &- 1)
      if Self.hasLineBreak(w) { state.pointee.line = line + Self.lineBreaks(in: bytes, pendingCR: nil) }
    }
  }

  fileprivate func onRow(_ c: Int32) {
    let st = state
    if st.pointee.failed { return }
    let count = st.pointee.fieldIndex
    if count > 0 {
      st.pointee.records += 1
      if st.pointee.records > maxRecords {
        failure = IngestError.tooManyRecords(file, line: st.pointee.recordLine, limit: maxRecords)
        return
      }
      do {
        if let sheetSink {
          let line = st.pointee.recordLine
          try sheetSink._withUnsafeGuaranteedRef { try $0.endRecord(fieldCount: count, line: line) }
        } else {
          try sink.endRecord(fieldCount: count, line: st.pointee.recordLine)
        }
      } catch {
        failure = error
        return
      }
      st.pointee.fieldIndex = 0
    }
    switch c {
    case 13:
      st.pointee.line += 1
      st.pointee.pendingCR = true
    case 10:
      if st.pointee.pendingCR { st.pointee.pendingCR = false } else { st.pointee.line += 1 }
    default:
      st.pointee.pendingCR = false
    }
  }

  /// Counts line ends in `bytes`: LF, CR and CRLF each count once. `pendingCR` carries a CR
  /// that ended the previous piece (its LF, if next, is the same line end).
  static func lineBreaks(in bytes: UnsafeRawBufferPointer, pendingCR: UnsafeMutablePointer<Bool>?) -> Int {
    guard let base = bytes.baseAddress else { return 0 }
    let n = bytes.count
    // Most fields hold no line break: answer that with word loads (the last one overlapping)
    // before looking at single bytes.
    if n >= 8 {
      var i = 0
      var found = false
      while i + 8 <= n {
        if Self.hasLineBreak(base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) {
          found = true
          break
        }
        i += 8
      }
      if !found && i < n {
        found = Self.hasLineBreak(base.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
      }
      if !found {
        pendingCR?.pointee = false
        return 0
      }
    }
    var count = 0
    var previousCR = pendingCR?.pointee ?? false
    for i in 0..<n {
      Self.step(base.load(fromByteOffset: i, as: UInt8.self), &count, &previousCR)
    }
    pendingCR?.pointee = previousCR
    return count
  }

  @inline(__always)
  static func hasLineBreak(_ w: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let lf = w ^ (ones &* 0x0A)
    let cr = w ^ (ones &* 0x0D)
    return ((lf &- ones) & ~lf & highs) | ((cr &- ones) & ~cr & highs) != 0
  }

  @inline(__always)
  private static func step(_ b: UInt8, _ count: inout Int, _ previousCR: inout Bool) {
    if b == 10 {
      if !previousCR { count += 1 }
      previousCR = false
    } else if b == 13 {
      count += 1
      previousCR = true
    } else {
      previousCR = false
    }
  }

  private func quoteDetail(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> String {
    let end = min(bytes.count, offset + 4)
    let piece = UnsafeRawBufferPointer(rebasing: bytes[offset..<end])
    let text = textIsGB18030 ? GB18030FieldDecoder()?.string(piece) : String(decoding: piece, as: UTF8.self)
    let shown = text?.first.map { String($0) } ?? "?"
    if parser.pointee.quoted == 0 {
      return "没有用双引号括起的单元格中间出现了双引号"
    }
    if shown == "\"" {
      return "结束双引号之后出现了空格和另一个双引号"
    }
    return "用双引号括起的单元格在结束双引号之后紧跟了字符“\(shown)”，而不是分隔符或换行"
  }
}

private func csvReaderOnField(_ s: UnsafeMutableRawPointer?, _ len: Int, _ data: UnsafeMutableRawPointer?) {
  guard let data else { return }
  // The reader outlives every csv_parse call it makes: no retain needed per field.
  Unmanaged<CSVReader>.fromOpaque(data)._withUnsafeGuaranteedRef { $0.onField(s, len) }
}

private func csvReaderOnRow(_ c: Int32, _ data: UnsafeMutableRawPointer?) {
  guard let data else { return }
  Unmanaged<CSVReader>.fromOpaque(data)._withUnsafeGuaranteedRef { $0.onRow(c) }
}
