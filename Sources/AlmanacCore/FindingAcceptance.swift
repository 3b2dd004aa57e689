import Foundation

/// An auditor's decision that a finding was reviewed and stands as it is: a figure the
/// department confirms although an identity fails (the published 2016 report's own 60 against
/// 56), a unit that will never send a form. The finding stays in every log with the decision
/// beside it, but no longer holds the report as a draft nor makes the exit code 1.
///
/// Written by `almanac accept` as a row of `seeds/accepted_findings.csv`. A decision holds for
/// the finding it names as it was: its id (a digest of its code, department, cell and first
/// source file's content, so a resubmitted file gives a new finding) and its two values (a
/// region finding keeps its id when another department's file changes its difference).
public struct FindingAcceptance: Codable, Hashable, Sendable {
  /// Why the finding stands (zh-CN, the auditor's words).
  public var reason: String
  /// Who accepted it.
  public var by: String
  /// When (`YYYY-MM-DD`).
  public var on: String
  /// The row of `seeds/accepted_findings.csv` that says so.
  public var line: Int

  public init(reason: String, by: String, on: String, line: Int) {
    self.reason = reason
    self.by = by
    self.on = on
    self.line = line
  }

  /// `已审核确认（李四，2026-01-20）：理由`
  public var text: String { "已审核确认（\(by)，\(on)）：\(reason)" }
}

/// The accepted findings of one report year, from the seed table `accepted_findings`.
public struct AcceptedFindings: Sendable {
  public static let table = "accepted_findings"
  public static let columns = [
    "id", "year", "code", "department", "cell", "expected", "actual", "reason", "accepted_by", "accepted_on",
  ]

  /// One row of the table, for the report year.
  public struct Entry: Hashable, Sendable {
    public var id: String
    public var code: String
    public var department: String
    public var cell: String
    /// The finding's values when it was accepted (empty for a finding without them).
    public var expected: String
    public var actual: String
    public var acceptance: FindingAcceptance

    public init(
      id: String, code: String, department: String, cell: String, expected: String, actual: String,
      acceptance: FindingAcceptance
    ) {
      self.id = id
      self.code = code
      self.department = department
      self.cell = cell
      self.expected = expected
      self.actual = actual
      self.acceptance = acceptance
    }

    /// Whether `finding` is the one decided on: the same id and values (compared as the table
    /// reads them, trimmed: a cell written `无　` keeps its full-width space in the finding).
    public func decides(_ finding: Finding) -> Bool {
      finding.id == id && (finding.expected ?? "").trimmingWhitespace == expected
        && (finding.actual ?? "").trimmingWhitespace == actual
    }
  }

  /// This year's rows in file order. A finding whose values changed is accepted again in a new
  /// row (the old one stays, as history); a row repeating one before it counts once.
  public let entries: [Entry]
  private let byID: [String: [Entry]]

  public init(entries: [Entry] = []) {
    var seen = Set<String>()
    self.entries = entries.filter { seen.insert("\($0.id)\u{1F}\($0.expected)\u{1F}\($0.actual)").inserted }
    byID = Dictionary(grouping: self.entries, by: \.id)
  }

  /// The rows of `seeds` for `year` (none when the table is absent). Rows without an id, a
  /// reason or a name are not decisions and are left to validation.
  public init(seeds: Seeds, year: Int) {
    guard let table = seeds[Self.table] else {
      self.init()
      return
    }
    let value = table.value
    var entries: [Entry] = []
    for row in table.rows.indices where Int(value(row, "year")) == year {
      let id = value(row, "id").lowercased()
      let reason = value(row, "reason")
      let by = value(row, "accepted_by")
      guard Self.isFindingID(id), !reason.isEmpty, !by.isEmpty else { continue }
      entries.append(
        Entry(
          id: id, code: value(row, "code"), department: value(row, "department"), cell: value(row, "cell"),
          expected: value(row, "expected"), actual: value(row, "actual"),
          acceptance: FindingAcceptance(reason: reason, by: by, on: value(row, "accepted_on"), line: table.line(row))))
    }
    self.init(entries: entries)
  }

  public var isEmpty: Bool { entries.isEmpty }

  /// Codes no decision can close: REC-SUB-005 (nothing accepted for the year) has neither
  /// department, cell nor file, so one decision would pass every empty run of the year.
  public static let neverAccepted: Set<String> = [ReconcileCodes.nothingAccepted]

  /// The decision on `finding`, if a row names it with its present values (the latest such).
  public func acceptance(of finding: Finding) -> FindingAcceptance? {
    guard !Self.neverAccepted.contains(finding.code) else { return nil }
    return byID[finding.id]?.last { $0.decides(finding) }?.acceptance
  }

  /// A finding id as `Finding.stableID` makes it: 16 lowercase hex digits.
  public static func isFindingID(_ text: String) -> Bool {
    text.utf8.count == 16 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
  }
}
