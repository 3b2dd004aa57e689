import AlmanacCore
import ArgumentParser
import Dispatch
import Foundation
import Ingest

/// `almanac debug-read FILE...`: reads files through `RecordReader` and prints what it saw.
///
/// A development tool (hidden) used by `scripts/bench.sh` to time ingest alone.
struct DebugReadCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "debug-read",
    abstract: "Read files through the ingest record reader and print encoding, records and bytes.",
    shouldDisplay: false)

  @Argument(help: "Files (or folders, read recursively) to read.")
  var paths: [String]

  @Option(help: "Files read in parallel.")
  var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

  @Flag(help: "Count fields through the byte-level API instead of building records.")
  var bytesOnly = false

  @Flag(help: "Print only the totals line.")
  var quiet = false

  func run() throws {
    let files = try expand(paths)
    let reader = RecordReader()
    let results = ResultBox(count: files.count)
    let queue = DispatchQueue(label: "debug-read", attributes: .concurrent)
    let group = DispatchGroup()
    let gate = DispatchSemaphore(value: max(1, jobs))
    for (i, url) in files.enumerated() {
      gate.wait()
      queue.async(group: group) {
        defer { gate.signal() }
        results.set(i, Self.readOne(url, reader: reader, bytesOnly: bytesOnly))
      }
    }
    group.wait()
    var records = 0
    var bytes: Int64 = 0
    var failed = 0
    for (url, result) in zip(files, results.values) {
      switch result {
      case .success(let (source, count)):
        records += count
        bytes += source.size
        if !quiet {
          print("\(url.path)\t\(source.encoding?.rawValue ?? "-")\t\(count)\t\(source.size)")
        }
      case .failure(let error):
        failed += 1
        FileHandle.standardError.write(Data("\(error)\n".utf8))
      case .none:
        failed += 1
      }
    }
    print("files=\(files.count) failed=\(failed) records=\(records) bytes=\(bytes)")
    if failed > 0 { throw ExitCode(1) }
  }

  private static func readOne(_ url: URL, reader: RecordReader, bytesOnly: Bool) -> Result<(SourceFile, Int), Error> {
    Result {
      if bytesOnly {
        let sink = CountingSink()
        let source = try reader.readFields(url, displayPath: url.path, sink: sink)
        return (source, sink.records)
      }
      var count = 0
      let source = try reader.read(url, displayPath: url.path) { _ in count += 1 }
      return (source, count)
    }
  }

  private func expand(_ paths: [String]) throws -> [URL] {
    var files: [URL] = []
    for path in paths {
      var isDir: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
        throw ValidationError("no such file: \(path)")
      }
      if isDir.boolValue {
        let names = try FileManager.default.subpathsOfDirectory(atPath: path).sorted()
        for name in names {
          let url = URL(fileURLWithPath: path).appendingPathComponent(name)
          var sub: ObjCBool = false
          if FileManager.default.fileExists(atPath: url.path, isDirectory: &sub), !sub.boolValue { files.append(url) }
        }
      } else {
        files.append(URL(fileURLWithPath: path))
      }
    }
    return files
  }
}

/// Results written by worker threads, one slot each.
private final class ResultBox: @unchecked Sendable {
  private let lock = NSLock()
  private var storage: [Result<(SourceFile, Int), Error>?]

  init(count: Int) { storage = Array(repeating: nil, count: count) }

  func set(_ i: Int, _ value: Result<(SourceFile, Int), Error>) {
    lock.lock()
    storage[i] = value
    lock.unlock()
  }

  var values: [Result<(SourceFile, Int), Error>?] {
    lock.lock()
    defer { lock.unlock() }
    return storage
  }
}

/// Counts records without building strings.
private final class CountingSink: CSVFieldSink {
  var records = 0
  var fields = 0
  func field(_ bytes: UnsafeRawBufferPointer, index: Int, line: Int) throws { fields += 1 }
  func endRecord(fieldCount: Int, line: Int) throws { records += 1 }
}
