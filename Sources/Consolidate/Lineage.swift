import AlmanacCore
import Foundation

/// Where a figure comes from: the contributing departments, files, lines and columns behind a
/// region cell or a department's cell (`almanac explain`).
///
/// A region cell that is a plain breakdown cell is the sum of the accepted departments' figures
/// for that cell. A checksum cell (a 总计 row or column) is recomputed, so its lineage lists the
/// breakdown cells it adds up (`t3.r3_7.zj` → every department's `t3.r3_1.np` … `t3.r3_6_3.qt`).
/// For a department, a checksum cell lists that department's breakdown and its own written total
/// as `value`, so a department whose total does not add up shows `matches == false`.
/// A department that sent a register but no grid for a cell contributes its register count.
public struct Lineage: Sendable {
  public let reconciliation: Reconciliation
  public let catalog: FormCatalog
  public let regionName: String

  public init(reconciliation: Reconciliation, forms: [FormDefinition], regionName: String) {
    self.reconciliation = reconciliation
    self.catalog = FormCatalog(forms: forms)
    self.regionName = regionName
  }

  /// Reads the reconcile stage's checkpointed output (a `Reconciliation` as JSON).
  public static func load(from url: URL, forms: [FormDefinition], regionName: String) throws -> Lineage {
    do {
      let rec = try CompactJSONDecoder.decode(Reconciliation.self, contentsOf: url)
      return Lineage(reconciliation: rec, forms: forms, regionName: regionName)
    } catch let error as DecodingError {
      throw LineageError.noReconciliation(path: url.path, reason: "内容无法解析（\(error)）")
    } catch {
      throw LineageError.noReconciliation(path: url.path, reason: "无法读取（\(error.systemReason)）")
    }
  }

  /// True when `department` is the id or the exact name of a department whose submission was
  /// accepted.
  public func hasDepartment(_ department: String) -> Bool {
    reconciliation.ledger.accepted.contains { $0.department == department || $0.departmentName == department }
  }

  /// The lineage of `key` for the region, or for `department` (id or exact name) when given.
  public func explain(_ key: CellKey, department: String? = nil) throws -> CellLineage {
    guard catalog.contains(key), let form = catalog.form(key.form) else {
      throw LineageError.unknownCell(key.description, patterns: catalog.keyPatterns)
    }
    let ledger = reconciliation.ledger
    let recomputed = catalog.isChecksum(key)
    var subs = ledger.accepted
    var deptID: String?
    var deptName = regionName
    if let department {
      subs = subs.filter { $0.department == department || $0.departmentName == department }
      guard let first = subs.first else {
        // Each with its name: ids alone mean little to an auditor choosing one.
        let known = Set(ledger.accepted.map { "\($0.department)（\($0.departmentName)）" })
        throw LineageError.unknownDepartment(department, accepted: known.sorted())
      }
      deptID = first.department
      deptName = first.departmentName
    }
    subs.sort { ($0.department, $0.source.path) < ($1.department, $1.source.path) }

    let cells = recomputed ? catalog.breakdown(of: key) : [key]
    var tables: [String: Set<String>] = [:]
    /// The departments that sent a table of `form`.
    func withTable(_ form: String) -> Set<String> {
      if let known = tables[form] { return known }
      let found = Set(subs.filter { s in s.cells.keys.contains { $0.hasPrefix(form + ".") } }.map(\.department))
      tables[form] = found
      return found
    }
    var contributions: [Contribution] = []
    for k in cells {
      for s in subs {
        if let f = s.cells[k.description] {
          // The region sums only what S-5 accepts; a department's own breakdown is read as its
          // rules read it (a −1 in it is S-5's to report, and S-2 adds it).
          let counted = deptID == nil ? f.value.summand(catalog.valueType(of: k)) != nil : f.value.isNumber
          contributions.append(Contribution(s, k, f, kind: .submitted, counted: counted))
          if deptID != nil, !recomputed, let r = s.registerCells[k.description] {
            contributions.append(Contribution(s, k, r, kind: .register, counted: false))
          }
        } else if let r = s.registerCells[k.description],
          !subs.contains(where: { $0.cells[k.description] != nil && $0.department == s.department })
        {
          // The region reads a unit's register only for a form it sent no table of (a table
          // lacking the row is that form's figures): otherwise the count is compared only.
          let tabled = withTable(k.form).contains(s.department)
          contributions.append(
            Contribution(
              s, k, r, kind: .register, counted: !tabled && r.value.summand(catalog.valueType(of: k)) != nil))
        }
      }
    }
    contributions.sort { a, b in
      if a.department != b.department { return a.department < b.department }
      if a.cell != b.cell {
        return catalog.precedes(CellKey(a.cell) ?? key, CellKey(b.cell) ?? key)
      }
      return a.kind.rawValue > b.kind.rawValue
    }
    var total = Decimal(0)
    for c in contributions where c.counted {
      if let d = DecimalFormat.parse(c.value) { total += d }
    }
    // A rate is not added up (`RegionFigures.isRate`): the region's is the one figure other
    // than 0 a unit wrote; several leave it without one (REC-RATE-001).
    let rate = deptID == nil && catalog.isRate(key)
    var rateWriters = 0
    if rate {
      let figures = contributions.filter(\.counted).compactMap { DecimalFormat.parse($0.value) }.filter { $0 != 0 }
      rateWriters = figures.count
      total = figures.count == 1 ? figures[0] : 0
    }
    let value: CellValue?
    var written: Figure?
    var fromRegister = false
    if deptID != nil {
      written = subs.lazy.compactMap { $0.cells[key.description] }.first
      // Only where it sent no table of the form: a table lacking the row is the form's figures.
      if written == nil, withTable(key.form).isEmpty,
        let counted = subs.lazy.compactMap({ $0.registerCells[key.description] }).first
      {
        // A unit that sent its register and no table: the register's count is its figure, the
        // one the region adds (it was “（无数值）… 与表中数值不一致”).
        written = counted
        fromRegister = true
      }
      value = written?.value
    } else {
      value = ledger.region[key.description]
    }
    // A blank the department wrote (`—`, `/`, empty) in a plain cell is counted as 0, as the
    // region counts it. A blank 总计 asserts nothing: no rule checks it, the region recomputes it.
    let blank: Bool = if case .blank = value { true } else { false }
    let valueNumber: Decimal? = blank ? (recomputed ? nil : 0) : value?.number
    var lineage = CellLineage(
      cell: key.description, form: key.form, formName: form.name, rowLabel: catalog.rowLabel(key),
      columnLabel: catalog.columnLabel(key), department: deptID, departmentName: deptName,
      value: value?.outputText, total: DecimalFormat.plain(total), recomputed: recomputed,
      matches: valueNumber.map { $0 == total } ?? (blank && recomputed), contributions: contributions)
    lineage.written = written.map { WrittenFigure(raw: $0.raw, counted: valueNumber != nil, sources: $0.sources) }
    lineage.year = ledger.year
    if rate { lineage.rateWriters = rateWriters }
    if fromRegister { lineage.fromRegister = true }
    return lineage
  }
}

/// Why `explain` cannot answer.
public enum LineageError: Error, CustomStringConvertible, Sendable, Equatable {
  case unknownCell(String, patterns: [String])
  case unknownDepartment(String, accepted: [String])
  case noReconciliation(path: String, reason: String)

  public var description: String {
    switch self {
    case .unknownCell(let cell, let patterns):
      "未知的单元格 \(cell)。单元格写作 表.行.列，可用的键为：\n" + patterns.map { "  " + $0 }.joined(separator: "\n")
    case .unknownDepartment(let d, let accepted):
      "单位 \(d) 没有被采用的报送（--department 写单位编号、全称，或登记过的简称、曾用名）。已采用报送的单位："
        + (accepted.isEmpty ? "无" : accepted.joined(separator: "、"))
    case .noReconciliation(let path, let reason):
      "找不到核对阶段的结果 \(path)：\(reason)。请先运行 almanac run。"
    }
  }
}
