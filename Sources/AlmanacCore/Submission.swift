import Foundation

/// A figure a department submitted for one canonical cell, with where it came from.
public struct Figure: Codable, Hashable, Sendable {
  public var value: CellValue
  public var unit: String?
  public var raw: String
  /// Every source position behind the figure: one cell of a grid, or register lines for a count.
  public var sources: [SourceRef]

  public init(value: CellValue, unit: String? = nil, raw: String, sources: [SourceRef]) {
    self.value = value
    self.unit = unit
    self.raw = raw
    self.sources = sources
  }
}

/// One department's accepted sheet after normalize: cells addressed by canonical keys.
public struct Submission: Codable, Hashable, Sendable {
  public var department: String
  public var departmentName: String
  public var year: Int
  public var source: SourceFile
  /// Forms present in this file (`t2`, `t3`, …).
  public var forms: [String]
  /// Submitted figures, keyed by `CellKey.description`.
  public var cells: FigureTable
  /// Figures computed from a register in this file (same keys as the grid form they fill).
  public var registerCells: FigureTable
  /// 填报日期 or nil; used with the file name to order resubmissions.
  public var filledOn: String?

  public init(
    department: String, departmentName: String, year: Int, source: SourceFile, forms: [String],
    cells: FigureTable, registerCells: FigureTable = [:], filledOn: String? = nil
  ) {
    self.department = department
    self.departmentName = departmentName
    self.year = year
    self.source = source
    self.forms = forms
    self.cells = cells
    self.registerCells = registerCells
    self.filledOn = filledOn
  }
}

/// Why a file did not make it into the ledger.
public enum HoldReason: String, Codable, Sendable {
  case unreadable  // quarantined by ingest: not a CSV, bad encoding, truncated gzip …
  case unknownDepartment
  case ambiguousDepartment
  case conflictingDepartment
  case wrongYear
  case noForm  // no known table found
}

public struct HeldBackFile: Codable, Hashable, Sendable {
  public var source: SourceFile
  public var reason: HoldReason
  /// Department claimed by the file, as written (for the submissions list).
  public var claimed: String?

  public init(source: SourceFile, reason: HoldReason, claimed: String?) {
    self.source = source
    self.reason = reason
    self.claimed = claimed
  }
}

/// What normalize hands to reconcile.
///
/// Stage outputs declare their properties in key order: the encoder then streams them to the
/// checkpoint instead of holding the whole JSON (`CompactJSONEncoder.stream`).
public struct NormalizedSet: Codable, Hashable, Sendable {
  public var heldBack: [HeldBackFile]
  /// Every resolved submission, superseded ones included, sorted by department then file.
  public var submissions: [Submission]

  public init(submissions: [Submission], heldBack: [HeldBackFile]) {
    self.submissions = submissions
    self.heldBack = heldBack
  }
}

/// The status of one expected department in `submissions.csv`.
public enum SubmissionStatus: String, Codable, Sendable {
  case received, missing, heldBack = "held_back", superseded

  public var label: String {
    switch self {
    case .received: "已报送"
    case .missing: "未报送"
    case .heldBack: "暂缓采用"
    case .superseded: "已被替代"
    }
  }
}

/// Every accepted submission for the run and the region's figures computed from them.
///
/// Properties in key order, so that the checkpoint is streamed (see `NormalizedSet`).
public struct Ledger: Codable, Hashable, Sendable {
  /// Newest submission per department (and form), sorted by department id.
  public var accepted: [Submission]
  public var heldBack: [HeldBackFile]
  /// Registered departments that sent nothing usable: (id, name).
  public var missing: [DepartmentRef]
  /// Region figures: sums of the accepted departments' breakdowns, keyed by `CellKey.description`.
  public var region: [String: CellValue]
  public var superseded: [Submission]
  public var year: Int

  public init(
    year: Int, accepted: [Submission], superseded: [Submission], heldBack: [HeldBackFile],
    missing: [DepartmentRef], region: [String: CellValue]
  ) {
    self.year = year
    self.accepted = accepted
    self.superseded = superseded
    self.heldBack = heldBack
    self.missing = missing
    self.region = region
  }

  /// Department id → name, from the accepted submissions first, then the superseded ones,
  /// then the missing departments (the first of each id wins; a run names each id one way,
  /// from the department registry). For the report's notes and the reconciliation page,
  /// which look names up per finding.
  public var departmentNames: [String: String] {
    var names: [String: String] = [:]
    for s in accepted where names[s.department] == nil { names[s.department] = s.departmentName }
    for s in superseded where names[s.department] == nil { names[s.department] = s.departmentName }
    for m in missing where names[m.id] == nil { names[m.id] = m.name }
    return names
  }
}

public struct DepartmentRef: Codable, Hashable, Sendable, Comparable {
  public var id: String
  public var name: String
  public init(id: String, name: String) {
    self.id = id
    self.name = name
  }
  public static func < (a: DepartmentRef, b: DepartmentRef) -> Bool { (a.id, a.name) < (b.id, b.name) }
  /// `安屯乡（at）`, or the id alone when the registry gives no name.
  public var displayName: String { name.isEmpty ? id : "\(name)（\(id)）" }
}

/// What reconcile hands to consolidate and draft.
///
/// Properties in key order, so that the checkpoint is streamed (see `NormalizedSet`).
public struct Reconciliation: Codable, Hashable, Sendable {
  /// Every finding of every stage so far, sorted, ids unique.
  public var findings: [Finding]
  public var ledger: Ledger

  public init(ledger: Ledger, findings: [Finding]) {
    self.ledger = ledger
    self.findings = findings
  }
}

/// Last year's consolidated figures (`--previous DIR`), for the cross-year conventions C-1/C-2.
public struct PreviousDataset: Codable, Hashable, Sendable {
  public var year: Int
  /// Region figures keyed by `CellKey.description`.
  public var region: [String: CellValue]
  /// Department id → figures keyed by `CellKey.description`.
  public var departments: [String: [String: CellValue]]
  /// Department id → the name last year's dataset gave it: a region finding names a
  /// department that sent last year and not this year by it.
  public var departmentNames: [String: String]
  /// Where it was read from (the previous outbox's consolidated.csv), for findings.
  public var source: SourceFile

  public init(
    year: Int, region: [String: CellValue], departments: [String: [String: CellValue]],
    departmentNames: [String: String] = [:], source: SourceFile
  ) {
    self.year = year
    self.region = region
    self.departments = departments
    self.departmentNames = departmentNames
    self.source = source
  }
}
