import AlmanacCore

/// One CSV record as field bytes, valid only during the call it is passed to: UTF-8, or raw
/// GB18030 when `gb18030` is set (the reader checked it but left decoding to whoever needs
/// a field as text).
struct RecordBytes {
  let base: UnsafeRawPointer?
  /// End offset of each field in `base`; field `i` starts where field `i - 1` ends.
  let ends: UnsafeBufferPointer<Int>
  let lines: UnsafeBufferPointer<Int>
  /// Decodes raw GB18030 fields; nil for UTF-8. Owned by the `SheetSink`, which outlives the
  /// record (hence no reference count per record).
  unowned(unsafe) let gb18030: GB18030FieldDecoder?
  /// A field not copied (a data row's field no count needs) held something: the record is not
  /// blank beyond its copied fields.
  let skippedText: Bool

  init(
    base: UnsafeRawPointer?, ends: UnsafeBufferPointer<Int>, lines: UnsafeBufferPointer<Int>,
    gb18030: GB18030FieldDecoder? = nil, skippedText: Bool = false
  ) {
    self.base = base
    self.ends = ends
    self.lines = lines
    self.gb18030 = gb18030
    self.skippedText = skippedText
  }

  var count: Int { ends.count }
  /// The physical line where the record starts.
  var line: Int { lines.first ?? 0 }

  func field(_ i: Int) -> UnsafeRawBufferPointer {
    let start = i == 0 ? 0 : ends[i - 1]
    guard let base else { return UnsafeRawBufferPointer(start: nil, count: 0) }
    return UnsafeRawBufferPointer(start: base + start, count: ends[i] - start)
  }

  /// Field bytes of this record as text.
  func text(_ bytes: UnsafeRawBufferPointer) -> String {
    if let gb18030 { return gb18030.string(bytes) }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The record with its fields decoded to strings.
  func record() -> Record {
    Record(fields: (0..<count).map { text(field($0)) }, lines: Array(lines))
  }
}

/// Feeds a `SheetReader` from `CSVReader`'s field bytes: a register's data rows are counted on
/// their bytes; only other rows (titles, headers, tables, footers) become `Record`s.
///
/// Once a register is open, a row whose marker field (序号) holds digits is a data row: the
/// fields it is not counted on (dates, 备注 …) are not copied, only their ends recorded.
final class SheetSink: CSVFieldSink {
  /// The record being read, field by field. `CSVReader` appends fields here directly (through
  /// `pending`), with no call into the sink and no reference count per field.
  struct PendingRecord {
    var bytes = RawGrowable<UInt8>(capacity: 4096)
    var ends = RawGrowable<Int>(capacity: 64)
    var lines = RawGrowable<Int>(capacity: 64)
    /// The register's marker column and needed columns, as of the record's start; -1: none.
    var marker = -1
    var needed: UInt64 = 0
    /// The record's marker holds digits: skip the fields not needed.
    var skipping = false
    /// A skipped field of this record held something (`RecordBytes.skippedText`).
    var skippedText = false

    @inline(__always)
    mutating func field(_ field: UnsafeRawBufferPointer, index: Int, line: Int) {
      if index == 0 {
        skipping = false
        skippedText = false
      }
      if skipping, index < 64, needed & (1 << UInt64(index)) == 0 {
        // Spaces only are no text (a pre-numbered row with a space in its 备注 is no
        // application). Tested only until one skipped field of the record holds text, and a
        // field of text stops the test at its first byte: about one byte per row.
        if !skippedText, field.count > 0 { skippedText = RegisterAggregator.hasText(field) }
        ends.append(bytes.count)
        lines.append(line)
        return
      }
      if index == marker, RegisterAggregator.isDigits(field) == true { skipping = true }
      bytes.append(contentsOf: field)
      ends.append(bytes.count)
      lines.append(line)
    }
  }

  // Mutated once per record from libcsv's callback only, never while another access is open:
  // the dynamic exclusivity check per record was about 1 % of a 10M ingest.
  @exclusivity(unchecked) private(set) var reader: SheetReader
  /// Set when the fields arrive as raw GB18030.
  private var gb18030: GB18030FieldDecoder?
  /// Behind a pointer: no dynamic exclusivity check per field.
  let pending: UnsafeMutablePointer<PendingRecord>

  init(reader: SheetReader) {
    self.reader = reader
    pending = .allocate(capacity: 1)
    pending.initialize(to: PendingRecord())
  }

  deinit {
    pending.pointee.bytes.free()
    pending.pointee.ends.free()
    pending.pointee.lines.free()
    pending.deinitialize(count: 1)
    pending.deallocate()
  }

  func fieldsAreGB18030() {
    gb18030 = GB18030FieldDecoder()
  }

  func field(_ bytes: UnsafeRawBufferPointer, index: Int, line: Int) throws {
    pending.pointee.field(bytes, index: index, line: line)
  }

  func endRecord(fieldCount: Int, line: Int) throws {
    let p = pending
    let next = reader.consume(
      RecordBytes(
        base: UnsafeRawPointer(p.pointee.bytes.base), ends: p.pointee.ends.buffer, lines: p.pointee.lines.buffer,
        gb18030: gb18030, skippedText: p.pointee.skippedText))
    // The reader's state after this record decides how the next one is taken.
    p.pointee.marker = next.marker
    p.pointee.needed = next.needed
    p.pointee.bytes.count = 0
    p.pointee.ends.count = 0
    p.pointee.lines.count = 0
  }
}

/// A growable run of plain values behind a raw pointer: appending checks capacity and nothing
/// else (no uniqueness check, no exclusivity check), for the tens of millions of fields a
/// province's registers have. The owner calls `free()`.
struct RawGrowable<Element: BitwiseCopyable> {
  private(set) var base: UnsafeMutablePointer<Element>
  var count = 0
  private var capacity: Int

  init(capacity: Int) {
    self.capacity = max(1, capacity)
    base = .allocate(capacity: self.capacity)
  }

  var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

  @inline(__always)
  mutating func append(_ value: Element) {
    if count == capacity { grow(to: count + 1) }
    (base + count).initialize(to: value)
    count += 1
  }

  private mutating func grow(to needed: Int) {
    var c = capacity * 2
    while c < needed { c *= 2 }
    let b = UnsafeMutablePointer<Element>.allocate(capacity: c)
    b.initialize(from: base, count: count)
    base.deallocate()
    base = b
    capacity = c
  }

  func free() { base.deallocate() }
}

extension RawGrowable where Element == UInt8 {
  @inline(__always)
  mutating func append(contentsOf bytes: UnsafeRawBufferPointer) {
    guard let src = bytes.baseAddress, !bytes.isEmpty else { return }
    if count + bytes.count > capacity { grow(to: count + bytes.count) }
    UnsafeMutableRawPointer(base + count).copyMemory(from: src, byteCount: bytes.count)
    count += bytes.count
  }
}
