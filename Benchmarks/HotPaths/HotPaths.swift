import AlmanacCore
import Benchmark
import Foundation
import Ingest
import Normalize

/// The hot paths of a run, on files of the reference workload (`bench-data/r1m`, which
/// `make microbench` generates like `make bench`): reading registers into sheets, libcsv with
/// a sink that only counts (what the reader adds to the parse shows as the difference),
/// interning grouping values, and writing the ingest checkpoint. End-to-end figures and the
/// peers are `make bench`'s.
let benchmarks: @Sendable () -> Void = {
  let workload: Workload
  do {
    workload = try Workload.load(files: 100)
  } catch {
    fatalError("benchmark data: \(error) (run `make microbench`, which generates it)")
  }
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
    timeUnits: .microseconds, warmupIterations: 2, maxDuration: .seconds(10), maxIterations: 40)
  func megabytes(_ n: Int) -> String { String(format: "%.1f MB", Double(n) / 1e6) }
  let label = "\(workload.files.count) files, \(megabytes(Int(workload.bytes)))"

  Benchmark("ingest: SheetIngest.read (\(label))") { benchmark in
    for file in workload.files {
      do {
        blackHole(try workload.ingest.read(file.url, source: file.source))
      } catch {
        benchmark.error("\(file.source.path): \(error)")
      }
    }
  }

  /// libcsv over `texts` with a sink that only counts, as the benchmark `name`.
  func csvBenchmark(_ name: String, _ texts: [Data]) {
    let size = megabytes(texts.reduce(0) { $0 + $1.count })
    Benchmark("csv: \(name) (\(texts.count) files, \(size))") { benchmark in
      let sink = CountingSink()
      for text in texts {
        do {
          let reader = try CSVReader(file: "bench.csv", sink: sink)
          try text.withUnsafeBytes { try reader.parse($0) }
          try reader.finish()
        } catch {
          benchmark.error("\(error)")
        }
      }
      blackHole(sink.fields)
    }
  }
  csvBenchmark("libcsv with a counting sink, UTF-8 files", workload.utf8Texts)
  csvBenchmark("the same, every field quoted", workload.quotedTexts)

  Benchmark("interner: ByteInterner.find (\(workload.values.count) grouping values × 1000)") { _ in
    var found = 0
    for _ in 0..<1000 {
      for value in workload.values {
        value.withUnsafeBytes { bytes in
          if workload.interner.find(bytes, hash: ByteInterner.hash(bytes)) != nil { found += 1 }
        }
      }
    }
    blackHole(found)
  }

  Benchmark("checkpoint: CompactJSONEncoder of the sheets (\(label))") { benchmark in
    do {
      blackHole(try CompactJSONEncoder.encode(workload.sheets))
    } catch {
      benchmark.error("\(error)")
    }
  }
}

/// The files, seeds and pipeline of the benchmark job, loaded once.
struct Workload: @unchecked Sendable {
  struct File {
    let url: URL
    let source: SourceFile
  }

  let files: [File]
  let bytes: Int64
  let ingest: SheetIngest
  /// The uncompressed UTF-8 files' text, without the byte order mark.
  let utf8Texts: [Data]
  /// The same records with every field quoted, as some exporters write them: the reader's
  /// worst case for telling which fields may hold line breaks.
  let quotedTexts: [Data]
  let sheets: [Sheet]
  /// Every distinct grouping value of the sheets' registers, and an interner holding them.
  let values: [[UInt8]]
  let interner: ByteInterner

  static func load(files count: Int) throws -> Workload {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
      .standardizedFileURL
    let data = root.appendingPathComponent("bench-data/r1m")
    let pipeline = try PipelineDefinition.load(folder: root.appendingPathComponent("pipelines/bench-registers"))
    let seeds = try SeedLoader.load(folder: data.appendingPathComponent("almanac-seeds"), names: pipeline.seeds)
    let inbox = data.appendingPathComponent("inbox")
    let names = try FileManager.default.contentsOfDirectory(atPath: inbox.path).sorted().prefix(count)
    var files: [File] = []
    var texts: [Data] = []
    var bytes: Int64 = 0
    for name in names {
      let url = inbox.appendingPathComponent(name)
      let content = try Data(contentsOf: url)
      bytes += Int64(content.count)
      files.append(
        File(url: url, source: SourceFile(path: name, sha256: Digest.sha256Hex(content), size: Int64(content.count))))
      if content.starts(with: [0xEF, 0xBB, 0xBF]) { texts.append(content.dropFirst(3)) }
    }
    let ingest = SheetIngest(
      forms: pipeline.forms, labelAliases: LabelAliases(seeds: seeds).merged(forms: pipeline.forms),
      registerKeys: RegisterKeys(pipeline: pipeline, seeds: seeds, year: 2025))
    let sheets = try files.map { try ingest.read($0.url, source: $0.source) }
    var distinct: Set<[UInt8]> = []
    for sheet in sheets {
      for register in sheet.registers {
        for g in register.groups.indices {
          for i in 0..<register.groups.valueCount(g) { distinct.insert(Array(register.groups.value(g, i).utf8)) }
        }
      }
    }
    let values = distinct.sorted { $0.lexicographicallyPrecedes($1) }
    var interner = ByteInterner()
    for (n, v) in values.enumerated() {
      v.withUnsafeBytes { interner.insert($0, hash: ByteInterner.hash($0), value: Int32(n)) }
    }
    let quoted = try texts.map { text in
      let sink = QuotingSink()
      let reader = try CSVReader(file: "quote.csv", sink: sink)
      try text.withUnsafeBytes { try reader.parse($0) }
      try reader.finish()
      return sink.text
    }
    return Workload(
      files: files, bytes: bytes, ingest: ingest, utf8Texts: texts, quotedTexts: quoted, sheets: sheets, values: values,
      interner: interner)
  }
}

/// Counts what the reader reports, nothing else.
final class CountingSink: CSVFieldSink {
  var fields = 0
  var records = 0
  func field(_ bytes: UnsafeRawBufferPointer, index: Int, line: Int) throws { fields += 1 }
  func endRecord(fieldCount: Int, line: Int) throws { records += 1 }
}

/// Writes the records it is given back as CSV with every field quoted.
final class QuotingSink: CSVFieldSink {
  var text = Data()
  func field(_ bytes: UnsafeRawBufferPointer, index: Int, line: Int) throws {
    if index > 0 { text.append(UInt8(ascii: ",")) }
    text.append(UInt8(ascii: "\""))
    for b in bytes {
      if b == UInt8(ascii: "\"") { text.append(b) }
      text.append(b)
    }
    text.append(UInt8(ascii: "\""))
  }
  func endRecord(fieldCount: Int, line: Int) throws { text.append(contentsOf: [0x0D, 0x0A]) }
}
