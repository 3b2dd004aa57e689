import AlmanacCore
import Foundation

/// How one file is read, for `almanac inspect` (cli.md): bytes, records exactly as parsed,
/// and what the sheet reader made of them.
public struct Inspection: Sendable {
  /// One table found, summarized.
  public struct TableSummary: Codable, Hashable, Sendable {
    public var form: String?
    public var caption: String?
    public var headerLines: [Int]
    public var rows: Int
    public var cells: Int
  }

  /// One register found, summarized.
  public struct RegisterSummary: Codable, Hashable, Sendable {
    public var form: String
    public var headerLine: Int
    public var dataRows: Int64
    public var groups: Int
    /// Application numbers written on more than one row (NRM-031 in a run), nil when none.
    public var repeatedNumbers: RegisterRepeatedNumbers?

    /// Every key written, nulls too (scripts read `inspect --json` with fixed schemas).
    public func encode(to encoder: Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(form, forKey: .form)
      try c.encode(headerLine, forKey: .headerLine)
      try c.encode(dataRows, forKey: .dataRows)
      try c.encode(groups, forKey: .groups)
      try c.encode(repeatedNumbers, forKey: .repeatedNumbers)
    }
  }

  /// The path as given on the command line.
  public var file: String
  public var sha256: String
  public var encoding: String?
  public var encodingReason: String?
  public var delimiter: String?
  /// Every record as parsed, before any header detection; empty when the inspector was asked
  /// not to keep them (`Inspector.writeJSONLine` reads them again as it writes them).
  public var records: [[String]]
  /// How many records the file has (`records.count` when they were kept).
  public var recordCount: Int
  /// Forms found (tables, then registers), each once, in file order.
  public var form: [String]
  /// The best department claim (metadata cell, title, file name).
  public var department: String?
  public var year: Int?
  public var findings: [Finding]
  public var tables: [TableSummary]
  public var registers: [RegisterSummary]
  public var claims: SheetClaims
  /// What the department claim is in the seeds' registry (zh-CN: 已登记 / 未登记 and the closest
  /// names / 有歧义), set by the caller that has the seeds; nil when not looked up.
  public var registry: String?
  /// Physical line of each record (same count as `records`).
  public var recordLines: [Int]

  /// True when any finding has error severity (the file cannot be used as it is).
  public var hasErrors: Bool { findings.contains { $0.severity == .error } }

  init(sheet: Sheet, records: [Record], recordCount: Int, recordLines: [Int]) {
    file = sheet.source.path
    sha256 = sheet.source.sha256
    encoding = sheet.source.encoding?.rawValue
    encodingReason = sheet.source.encodingReason
    delimiter = sheet.source.delimiter
    self.records = records.map(\.fields)
    self.recordCount = recordCount
    self.recordLines = recordLines
    var forms: [String] = []
    for id in sheet.tables.compactMap(\.form) + sheet.registers.map(\.form) where !forms.contains(id) {
      forms.append(id)
    }
    form = forms
    department = sheet.claims.bestDepartment
    year = sheet.claims.bestYear
    findings = sheet.findings
    tables = sheet.tables.map {
      TableSummary(
        form: $0.form, caption: $0.caption, headerLines: $0.headerLines, rows: $0.rows.count,
        cells: $0.rows.reduce(0) { $0 + $1.cells.count })
    }
    registers = sheet.registers.map {
      RegisterSummary(
        form: $0.form, headerLine: $0.headerLine, dataRows: $0.dataRows, groups: $0.groups.count,
        repeatedNumbers: $0.repeatedNumbers)
    }
    claims = sheet.claims
  }
}

extension Inspection: Encodable {
  enum CodingKeys: String, CodingKey {
    case file, sha256, encoding, encodingReason, delimiter, records, recordLines, form, department, year, findings
    case tables, registers, claims, registry
  }

  /// Every key on every line, nulls written out: scripts read these with fixed schemas.
  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(file, forKey: .file)
    try c.encode(sha256, forKey: .sha256)
    try c.encode(encoding, forKey: .encoding)
    try c.encode(encodingReason, forKey: .encodingReason)
    try c.encode(delimiter, forKey: .delimiter)
    try c.encode(records, forKey: .records)
    try c.encode(recordLines, forKey: .recordLines)
    try c.encode(form, forKey: .form)
    try c.encode(department, forKey: .department)
    try c.encode(year, forKey: .year)
    try c.encode(findings, forKey: .findings)
    try c.encode(tables, forKey: .tables)
    try c.encode(registry, forKey: .registry)
    try c.encode(registers, forKey: .registers)
    try c.encode(claims, forKey: .claims)
  }

  /// One line of JSON with sorted keys (JSON lines output of `inspect --json`).
  public func jsonLine() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = Self.jsonFormatting
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }

  static let jsonFormatting: JSONEncoder.OutputFormatting = [.sortedKeys, .withoutEscapingSlashes]
}

/// Reads files for `almanac inspect`: the same `RecordReader` and `SheetReader` as the ingest
/// stage, keeping every record.
public struct Inspector: Sendable {
  public var forms: [FormDefinition]
  public var labelAliases: [String: String]
  public var limits: IngestLimits

  public init(forms: [FormDefinition], labelAliases: [String: String], limits: IngestLimits = .defaults) {
    self.forms = forms
    self.labelAliases = labelAliases
    self.limits = limits
  }

  /// Inspects the file at `path` (relative to the working directory or absolute). Never throws:
  /// an unreadable file gives an inspection holding the error's finding. Without
  /// `keepingRecords` only their number and lines are kept: a register of two million rows
  /// held as strings took 753 MB, for a summary that prints how many there are.
  public func inspect(path: String, keepingRecords: Bool = true) -> Inspection {
    let url = URL(fileURLWithPath: path)
    var records: [Record] = []
    var recordCount = 0
    var recordLines: [Int] = []
    // Hashed first so findings made while reading already carry the file's sha256.
    let sha = (try? Digest.sha256Hex(fileAt: url)) ?? ""
    var reader = SheetReader(
      source: SourceFile(path: path, sha256: sha, size: 0), forms: forms, labelAliases: labelAliases)
    do {
      // A name given in bytes that are not UTF-8 (a shell's glob over GBK names) arrives with
      // U+FFFD and names nothing: say so, not "no such file".
      if let bad = InboxPathGuard.badName(path, shown: path) { throw bad }
      // As a run: a published folder is not a department's (ING-019), a workbook, an archive
      // or a PDF is never opened as a sheet (ING-018).
      if path.hasSuffix("/"), InboxFileKind.isPublishedFolder(url) { throw IngestError.publishedOutput(path) }
      if InboxFileKind(path: path) == .other { throw IngestError.notASheet(path) }
      let source = try RecordReader(limits: limits).read(url, displayPath: path, sha256: sha.isEmpty ? nil : sha) {
        record in
        recordCount += 1
        recordLines.append(record.line)
        if keepingRecords { records.append(record) }
        reader.consume(record)
      }
      var sheet = reader.finish()
      sheet.source = source
      return Inspection(sheet: sheet, records: records, recordCount: recordCount, recordLines: recordLines)
    } catch {
      let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int64
      let ingestError =
        (error as? IngestError)
        ?? IngestError(
          code: IngestError.Code.unreadable, file: path,
          message: "无法读取文件：\(error.systemReason)。请确认文件存在且可读。")
      let sheet = Sheet(
        source: SourceFile(path: path, sha256: sha, size: size ?? 0), findings: [ingestError.finding(sha256: sha)])
      return Inspection(sheet: sheet, records: records, recordCount: recordCount, recordLines: recordLines)
    }
  }

  /// Records written per batch by `writeJSONLine`.
  static let recordBatch = 1_024

  /// Writes `inspection` (made without keeping records) as the line `Inspection.jsonLine()`
  /// gives, byte for byte, its records read from the file again and written in batches as they
  /// come, so memory does not grow with the file. The line is written in pieces, without its
  /// line break. Returns false when the second reading differed from the first (the file was
  /// changed while inspected): the line is still whole JSON, but its records are not those of
  /// the summary.
  public func writeJSONLine(_ inspection: Inspection, write: (String) -> Void) throws -> Bool {
    let line = try inspection.jsonLine()
    // The top-level key: inside a string every quote is escaped, so the first match is it.
    let key = "\"records\":[]"
    guard inspection.records.isEmpty, inspection.recordCount > 0, let at = line.range(of: key) else {
      write(line)
      return true
    }
    write(String(line[..<at.lowerBound]) + "\"records\":[")
    let encoder = JSONEncoder()
    encoder.outputFormatting = Inspection.jsonFormatting
    var batch: [[String]] = []
    batch.reserveCapacity(Self.recordBatch)
    var written = 0
    func flush() throws {
      guard !batch.isEmpty else { return }
      let json = String(decoding: try encoder.encode(batch), as: UTF8.self)
      write((written > 0 ? "," : "") + json.dropFirst().dropLast())
      written += batch.count
      batch.removeAll(keepingCapacity: true)
    }
    struct Changed: Error {}
    var same = true
    do {
      let url = URL(fileURLWithPath: inspection.file)
      let source = try RecordReader(limits: limits).read(url, displayPath: inspection.file, sha256: nil) { record in
        guard written + batch.count < inspection.recordCount else { throw Changed() }
        batch.append(record.fields)
        if batch.count == Self.recordBatch { try flush() }
      }
      same = source.sha256 == inspection.sha256
    } catch is Changed {
      same = false
    } catch {
      // The first reading stopped at this error too (its finding is in the summary), after
      // as many records, unless the file changed in between.
    }
    try flush()
    write("]" + line[at.upperBound...])
    return same && written == inspection.recordCount
  }
}
