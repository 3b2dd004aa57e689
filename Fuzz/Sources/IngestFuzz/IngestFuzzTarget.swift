import AlmanacCore
import Foundation
import Ingest

/// The libFuzzer entry point: every input is read as one inbox file through `SheetIngest`
/// (gzip → encoding → libcsv → sheet understanding) with the national forms and label aliases.
///
/// Success is a `Sheet` or an `IngestError`; a crash, a sanitizer report, a leak or a timeout
/// is a bug. The pipeline folder is found from this file's path, or `ALMANAC_ROOT`.
@_cdecl("LLVMFuzzerTestOneInput")
public func almanacIngestFuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = data.map { Data(bytes: $0, count: size) } ?? Data()
  IngestFuzzTarget.shared.run(bytes)
  return 0
}

/// Loaded once per fuzzing process.
final class IngestFuzzTarget: @unchecked Sendable {
  static let shared = IngestFuzzTarget()

  let ingest: SheetIngest
  let scratch: ScratchFile

  private init() {
    let env = ProcessInfo.processInfo.environment
    let root =
      env["ALMANAC_ROOT"].map { URL(fileURLWithPath: $0) }
      ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    do {
      let pipeline = try PipelineDefinition.load(folder: root.appendingPathComponent("pipelines/disclosure-2021"))
      let seeds = try SeedLoader.load(folder: root.appendingPathComponent("seeds"), names: pipeline.seeds)
      let aliases = LabelAliases(seeds: seeds).merged(forms: pipeline.forms)
      // Small limits and odd-sized chunks so the fuzzer reaches every limit's error path with short inputs.
      let limits = IngestLimits(maxDecompressedBytes: 1 << 22, maxFieldBytes: 1 << 16, maxColumns: 512, maxRecords: 4096)
      ingest = SheetIngest(
        forms: pipeline.forms, labelAliases: aliases, reader: RecordReader(limits: limits, chunkSize: Int(env["ALMANAC_FUZZ_CHUNK"] ?? "") ?? 61))
      scratch = try ScratchFile()
    } catch {
      FileHandle.standardError.write(Data("ingest-fuzz: cannot start: \(error)\n".utf8))
      exit(2)
    }
  }

  let name = "fuzz/input.csv"

  func run(_ bytes: Data) {
    do {
      let sheet = try ingest.read(bytes: bytes, name: name, scratch: scratch)
      // Invariants normalize relies on: ingest's own findings, each naming this file.
      precondition(sheet.recordCount >= 0, "negative record count")
      for finding in sheet.findings {
        precondition(finding.code.hasPrefix("ING-"), "foreign finding \(finding.code)")
        precondition(finding.sources.allSatisfy { $0.file == name }, "finding names another file")
      }
    } catch {
      // An IngestError is a correct answer to bad bytes.
      _ = error.description
    }
  }
}
