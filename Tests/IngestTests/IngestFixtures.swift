import AlmanacCore
import AlmanacTestSupport
import Foundation
import Ingest

/// Paths of the byte-level fixtures and helpers that read them whole.
enum IngestFixtures {
  /// `Tests/Fixtures/ingest/`.
  static var root: URL { ProjectPaths.fixtures.appendingPathComponent("ingest") }

  static func bytes(_ name: String) -> URL {
    root.appendingPathComponent("bytes").appendingPathComponent(name)
  }

  /// Reads a fixture to the end and returns the source description and every record.
  static func read(_ name: String, reader: RecordReader = RecordReader()) throws -> (SourceFile, [Record]) {
    try read(url: bytes(name), display: name, reader: reader)
  }

  static func read(url: URL, display: String, reader: RecordReader = RecordReader()) throws -> (SourceFile, [Record]) {
    var records: [Record] = []
    let source = try reader.read(url, displayPath: display) { records.append($0) }
    return (source, records)
  }

  /// The IngestError a read throws, or nil when it succeeds.
  static func failure(_ name: String, reader: RecordReader = RecordReader()) -> IngestError? {
    do {
      _ = try read(name, reader: reader)
      return nil
    } catch let error as IngestError {
      return error
    } catch {
      return IngestError(code: "unexpected", file: name, message: "\(error)")
    }
  }

  /// A fresh temporary directory.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("almanac-ingest-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}

/// Collects what `CSVReader` reports, as records.
final class CollectingSink: CSVFieldSink {
  var records: [Record] = []
  private var fields: [String] = []
  private var lines: [Int] = []
  private(set) var indexesInOrder = true

  func field(_ bytes: UnsafeRawBufferPointer, index: Int, line: Int) throws {
    if index != fields.count { indexesInOrder = false }
    fields.append(String(decoding: bytes, as: UTF8.self))
    lines.append(line)
  }

  func endRecord(fieldCount: Int, line: Int) throws {
    if fieldCount != fields.count || line != lines.first { indexesInOrder = false }
    records.append(Record(fields: fields, lines: lines))
    fields = []
    lines = []
  }

  /// Parses `bytes` delivered in pieces of the given sizes (cycled).
  static func parse(
    _ bytes: [UInt8], pieces: [Int] = [Int.max], delimiter: UInt8 = UInt8(ascii: ","),
    limits: IngestLimits = .defaults
  ) throws -> [Record] {
    let sink = CollectingSink()
    let reader = try CSVReader(file: "mem.csv", delimiter: delimiter, limits: limits, sink: sink)
    var offset = 0
    var k = 0
    try bytes.withUnsafeBytes { raw in
      while offset < raw.count {
        let n = min(max(1, pieces[k % pieces.count]), raw.count - offset)
        try reader.parse(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + n)]))
        offset += n
        k += 1
      }
    }
    try reader.finish()
    return sink.records
  }
}

/// Shorthand for an expected record: fields and the line each starts on.
func rec(_ fields: [String], _ lines: [Int]) -> Record {
  Record(fields: fields, lines: lines)
}

/// An expected record whose fields all start on one line.
func rec(_ fields: [String], line: Int) -> Record {
  Record(fields: fields, lines: Array(repeating: line, count: fields.count))
}
