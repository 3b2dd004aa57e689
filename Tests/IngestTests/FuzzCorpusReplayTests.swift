import AlmanacCore
import Foundation
import Ingest
import Testing

/// Replays the fuzz corpus that is committed — every byte fixture, sheet fixture and input the
/// fuzzer ever found (`Fixtures/fuzz-regressions/`) — through `SheetIngest`, the fuzz target's
/// entry point, with the fuzzer's limits and chunk size and with the defaults.
///
/// `make fuzz` explores; this test keeps what it found fixed, with no time-dependent fuzzing.
/// Each input's outcome is pinned in `fuzz-regressions/expected.tsv`.
@Suite struct FuzzCorpusReplayTests {
  /// What the fuzz target (Fuzz/Sources/IngestFuzz) uses.
  static let fuzzLimits = IngestLimits(
    maxDecompressedBytes: 1 << 22, maxFieldBytes: 1 << 16, maxColumns: 512, maxRecords: 4096)

  static var folders: [String] { ["bytes", "sheets", "fuzz-regressions"] }

  /// `folder/name` of every replayed input, sorted.
  static func inputs() throws -> [String] {
    var out: [String] = []
    for folder in folders {
      let dir = IngestFixtures.root.appendingPathComponent(folder)
      for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
        var isDir: ObjCBool = false
        let path = dir.appendingPathComponent(name).path
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else { continue }
        if name.hasSuffix(".py") || name.hasSuffix(".md") || name == "expected.tsv" { continue }
        out.append("\(folder)/\(name)")
      }
    }
    return out.sorted()
  }

  /// `folder/name` → outcome, from `expected.tsv` (`#` comments, tab-separated).
  static func expected() throws -> [String: String] {
    let url = IngestFixtures.root.appendingPathComponent("fuzz-regressions/expected.tsv")
    var out: [String: String] = [:]
    for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
      let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
      if parts.count == 2 { out[parts[0]] = parts[1] }
    }
    return out
  }

  /// A stable one-line summary: the error code, or the sheet's forms, registers and finding codes.
  static func outcome(_ result: Result<Sheet, IngestError>) -> String {
    switch result {
    case .failure(let e):
      return "error \(e.code) line \(e.line) column \(e.column)"
    case .success(let sheet):
      let forms = sheet.tables.map { $0.form ?? "?" }.joined(separator: ",")
      let registers = sheet.registers.map(\.form).joined(separator: ",")
      let findings = sheet.findings.map(\.code).joined(separator: ",")
      return "sheet records \(sheet.recordCount) tables [\(forms)] registers [\(registers)] findings [\(findings)]"
    }
  }

  static func read(_ data: Data, name: String, reader: RecordReader, scratch: ScratchFile) throws -> Result<
    Sheet, IngestError
  > {
    let ingest = SheetIngest(forms: try SheetTestSupport.forms(), labelAliases: [:], reader: reader)
    return Result { () throws(IngestError) in try ingest.read(bytes: data, name: name, scratch: scratch) }
  }

  @Test func testFuzzCorpus_everyInputHasItsPinnedOutcome() throws {
    let expected = try Self.expected()
    let scratch = try ScratchFile()
    let inputs = try Self.inputs()
    #expect(inputs.count >= 30)
    var missing: [String] = []
    for input in inputs {
      let data = try Data(contentsOf: IngestFixtures.root.appendingPathComponent(input))
      let fuzz = Self.outcome(
        try Self.read(data, name: input, reader: RecordReader(limits: Self.fuzzLimits, chunkSize: 61), scratch: scratch)
      )
      guard let pinned = expected[input] else {
        missing.append("\(input)\t\(fuzz)")
        continue
      }
      #expect(fuzz == pinned, "\(input)")
    }
    #expect(missing.isEmpty, "add to fuzz-regressions/expected.tsv:\n\(missing.joined(separator: "\n"))")
  }

  @Test func testFuzzCorpus_defaultLimitsAndChunksAgreeWithTheFuzzerWhereNoLimitIsHit() throws {
    let scratch = try ScratchFile()
    for input in try Self.inputs() {
      let data = try Data(contentsOf: IngestFixtures.root.appendingPathComponent(input))
      let fuzz = Self.outcome(
        try Self.read(data, name: input, reader: RecordReader(limits: Self.fuzzLimits, chunkSize: 61), scratch: scratch)
      )
      if ["ING-005", "ING-010", "ING-011", "ING-012"].contains(where: { fuzz.contains($0) }) { continue }
      let normal = Self.outcome(try Self.read(data, name: input, reader: RecordReader(), scratch: scratch))
      #expect(normal == fuzz, "\(input)")
    }
  }

  @Test func testScratchFile_isRewrittenInPlace() throws {
    let scratch = try ScratchFile()
    try scratch.replaceContents(with: Data("a much longer first content\n".utf8))
    try scratch.replaceContents(with: Data("short\n".utf8))
    #expect(try Data(contentsOf: scratch.url) == Data("short\n".utf8))
    let attributes = try FileManager.default.attributesOfItem(atPath: scratch.url.path)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
  }
}
