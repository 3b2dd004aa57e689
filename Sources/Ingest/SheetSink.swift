import AlmanacCore

/// One CSV record as field bytes (UTF-8), valid only during the call it is passed to.
struct RecordBytes {
  let base: UnsafeRawPointer?
  /// End offset of each field in `base`; field `i` starts where field `i - 1` ends.
  let ends: UnsafeBufferPointer<Int>
  let lines: UnsafeBufferPointer<Int>

  var count: Int { ends.count }
  /// The physical line where the record starts.
  var line: Int { lines.first ?? 0 }

  func field(_ i: Int) -> UnsafeRawBufferPointer {
    let start = i == 0 ? 0 : ends[i - 1]
    guard let base else { return UnsafeRawBufferPointer(start: nil, count: 0) }
    return UnsafeRawBufferPointer(start: base + start, count: ends[i] - start)
  }

  /// The record with its fields decoded to strings.
  func record() -> Record {
    Record(fields: (0..<count).map { String(decoding: field($0), as: UTF8.self) }, lines: Array(lines))
  }
}

/// Feeds a `SheetReader` from `CSVReader`'s field bytes: a register's data rows are counted on
/// their bytes; only other rows (titles, headers, tables, footers) become `Record`s.
final class SheetSink: CSVFieldSink {
  private struct Pending {
    var bytes: [UInt8] = []
    var ends: [Int] = []
    var lines: [Int] = []
  }

  private(set) var reader: SheetReader
  /// Behind a pointer: no dynamic exclusivity check per field.
  private let pending: UnsafeMutablePointer<Pending>

  init(reader: SheetReader) {
    self.reader = reader
    pending = .allocate(capacity: 1)
    pending.initialize(to: Pending())
    pending.pointee.bytes.reserveCapacity(4096)
  }

  deinit {
    pending.deinitialize(count: 1)
    pending.deallocate()
  }

  func field(_ bytes: UnsafeRawBufferPointer, index: Int, line: Int) throws {
    pending.pointee.bytes.append(contentsOf: bytes)
    pending.pointee.ends.append(pending.pointee.bytes.count)
    pending.pointee.lines.append(line)
  }

  func endRecord(fieldCount: Int, line: Int) throws {
    pending.pointee.bytes.withUnsafeBytes { raw in
      pending.pointee.ends.withUnsafeBufferPointer { ends in
        pending.pointee.lines.withUnsafeBufferPointer { lines in
          reader.consume(RecordBytes(base: raw.baseAddress, ends: ends, lines: lines))
        }
      }
    }
    pending.pointee.bytes.removeAll(keepingCapacity: true)
    pending.pointee.ends.removeAll(keepingCapacity: true)
    pending.pointee.lines.removeAll(keepingCapacity: true)
  }
}
