import Foundation

/// How bad a finding is. Ordered so that `max()` gives the worst.
public enum Severity: String, DefinitionChoice, Sendable, Comparable {
  case info, warning, error

  private var rank: Int {
    switch self {
    case .info: 0
    case .warning: 1
    case .error: 2
    }
  }

  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

  /// The word staff read in logs and `status` (zh-CN).
  public var label: String {
    switch self {
    case .info: "提示"
    case .warning: "警告"
    case .error: "错误"
    }
  }
}

/// Where a figure or a problem sits in an inbox file: what auditors trace back to.
public struct SourceRef: Codable, Hashable, Sendable, Comparable {
  /// Path relative to the inbox (or the path given on the command line for `inspect`).
  public var file: String
  public var sha256: String
  /// 1-based physical line in the decoded file (embedded newlines counted); 0 when unknown.
  public var line: Int
  /// 1-based field number in the record (the spreadsheet column); 0 when the whole line or file is meant.
  public var column: Int

  public init(file: String, sha256: String, line: Int = 0, column: Int = 0) {
    self.file = file
    self.sha256 = sha256
    self.line = line
    self.column = column
  }

  public static func < (lhs: SourceRef, rhs: SourceRef) -> Bool {
    (lhs.file, lhs.line, lhs.column, lhs.sha256) < (rhs.file, rhs.line, rhs.column, rhs.sha256)
  }

  /// `file:line:column`, the compiler-diagnostic form used in logs.
  public var location: String {
    var s = file
    if line > 0 { s += ":\(line)" }
    if column > 0 { s += ":\(column)" }
    return s
  }

  /// How a source names a seed file (a reference table in the seeds folder, not an inbox
  /// file): `seeds/NAME.csv`, with no digest. Only the runner knows where the operator's seeds
  /// folder is, and shows such a source under it.
  public static func seedFile(_ name: String) -> String { seedFolder + name + ".csv" }

  /// The folder part of `seedFile` names.
  public static let seedFolder = "seeds/"
}

/// Something a stage noticed in the data. Never thrown: emitted and carried to the outbox.
///
/// Serialized with sorted keys as one line of `reconciliation.jsonl` (see cli.md).
public struct Finding: Codable, Hashable, Sendable {
  /// Stable across runs: digest of code, department, cell and first source (see `Finding.stableID`).
  public var id: String
  /// Stage prefix and rule, e.g. `ING-001`, `REC-T3-S2`.
  public var code: String
  public var severity: Severity
  public var stage: String
  /// zh-CN, says what is wrong and what to do.
  public var message: String
  /// Canonical department id, or nil for the region or an unresolved file.
  public var department: String?
  public var form: String?
  /// Canonical cell key (`t3.r1.zj`) or nil.
  public var cell: String?
  public var expected: String?
  public var actual: String?
  public var difference: String?
  public var sources: [SourceRef]
  /// An auditor's decision that the finding stands as it is (`accepted_findings.csv`), or nil
  /// while it is open. Set by the sink the finding is emitted into, never by its stage.
  public var acceptance: FindingAcceptance?

  /// Stages whose findings without a department are the region's: reconcile and after. Before
  /// them, a finding without a department is about a file whose sender is not known.
  public static let regionStages: Set<String> = ["reconcile", "consolidate", "draft"]

  /// About the region as a whole (全区汇总), not a department or a file.
  public var isRegions: Bool { department == nil && Self.regionStages.contains(stage) }

  /// Open: no auditor accepted it. Only open errors hold the report as a draft and make the
  /// exit code 1 (open warnings with `--strict`).
  public var isOpen: Bool { acceptance == nil }

  public init(
    code: String, severity: Severity, stage: String, message: String,
    department: String? = nil, form: String? = nil, cell: String? = nil,
    expected: String? = nil, actual: String? = nil, difference: String? = nil,
    sources: [SourceRef] = [], idSalt: String = ""
  ) {
    self.code = code
    self.severity = severity
    self.stage = stage
    self.message = message
    self.department = department
    self.form = form
    self.cell = cell
    self.expected = expected
    self.actual = actual
    self.difference = difference
    self.sources = sources
    self.id = Finding.stableID(
      code: code, department: department, cell: cell,
      anchor: (sources.first.map { "\($0.file)@\($0.sha256)" } ?? "") + idSalt)
  }

  /// Ids must survive reruns and reordering, so they hash only what identifies the problem.
  public static func stableID(code: String, department: String?, cell: String?, anchor: String) -> String {
    let text = [code, department ?? "-", cell ?? "-", anchor].joined(separator: "\u{1F}")
    return String(Digest.sha256Hex(Data(text.utf8)).prefix(16))
  }

  /// `inbox/x.csv:42:3: warning: message [CODE]`
  public var diagnostic: String {
    let place = sources.first?.location ?? (department ?? "全区")
    return "\(place): \(severity.rawValue): \(message) [\(code)]"
  }

  enum CodingKeys: String, CodingKey {
    case id, code, severity, stage, message, department, form, cell, expected, actual, difference, sources
    case acceptance = "accepted"
  }

  /// Encode nulls explicitly: auditors' tools expect every key on every line.
  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(id, forKey: .id)
    try c.encode(code, forKey: .code)
    try c.encode(severity, forKey: .severity)
    try c.encode(stage, forKey: .stage)
    try c.encode(message, forKey: .message)
    try c.encode(department, forKey: .department)
    try c.encode(form, forKey: .form)
    try c.encode(cell, forKey: .cell)
    try c.encode(expected, forKey: .expected)
    try c.encode(actual, forKey: .actual)
    try c.encode(difference, forKey: .difference)
    try c.encode(sources, forKey: .sources)
    try c.encode(acceptance, forKey: .acceptance)
  }
}

extension Finding: Comparable {
  /// Deterministic order for every output: department, form, cell, code, then id.
  public static func < (lhs: Finding, rhs: Finding) -> Bool {
    (lhs.department ?? "", lhs.form ?? "", lhs.cell ?? "", lhs.code, lhs.sources.first?.location ?? "", lhs.id)
      < (rhs.department ?? "", rhs.form ?? "", rhs.cell ?? "", rhs.code, rhs.sources.first?.location ?? "", rhs.id)
  }
}

/// Collects findings from a stage. Thread-safe so parallel ingest can share one.
public final class FindingSink: @unchecked Sendable {
  private let lock = NSLock()
  private var storage: [Finding] = []
  /// Per-code severity overrides from the pipeline file (`severities:`), applied on emit.
  private let overrides: [String: Severity]
  /// Auditors' decisions on findings by id (`accepted_findings.csv`), applied on emit.
  public let accepted: AcceptedFindings

  public init(overrides: [String: Severity] = [:], accepted: AcceptedFindings = AcceptedFindings()) {
    self.overrides = overrides
    self.accepted = accepted
  }

  public func emit(_ finding: Finding) {
    var f = finding
    if let s = overrides[f.code] { f.severity = s }
    if let a = accepted.acceptance(of: f) { f.acceptance = a }
    lock.lock()
    storage.append(f)
    lock.unlock()
  }

  public func emit(contentsOf findings: [Finding]) {
    for f in findings { emit(f) }
  }

  /// Findings in deterministic order, duplicates (same id) removed.
  public var findings: [Finding] {
    lock.lock()
    defer { lock.unlock() }
    var seen = Set<String>()
    return storage.sorted().filter { seen.insert($0.id).inserted }
  }

  public func counts() -> [Severity: Int] {
    var c: [Severity: Int] = [:]
    for f in findings { c[f.severity, default: 0] += 1 }
    return c
  }
}
