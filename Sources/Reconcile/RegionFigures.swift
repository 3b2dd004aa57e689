import AlmanacCore
import Foundation

/// The region's figures (S-6): every breakdown cell is the sum of the accepted departments'
/// values; every checksum cell is recomputed from the region's breakdowns, never summed from
/// the departments' own totals (report-2021.md §6.3 item 1).
struct RegionFigures: Sendable {
  var values: [CellKey: Decimal] = [:]
  /// Every department figure behind a region cell (the departments' own totals for checksums).
  var sources: [CellKey: [SourceRef]] = [:]
  /// Grid forms at least one accepted department provided.
  var forms: Set<String> = []
  let catalog: FormCatalog

  init(departments: [DepartmentFigures], catalog: FormCatalog, recomputer: ChecksumRecomputer) {
    self.catalog = catalog
    for d in departments { forms.formUnion(d.forms) }
    // Each region cell is summed on its own: the cells are summed on every core.
    let keys = forms.sorted().flatMap { form in catalog.cellKeys(form).map { (form: form, key: $0) } }
    let sums = keys.parallelMap(minimumPerTask: 4) { cell -> (total: Decimal?, sources: [SourceRef]?) in
      let checksum = catalog.isChecksum(cell.key)
      var total = Decimal(0)
      var refs: Set<SourceRef> = []
      var found = false
      for d in departments where d.forms.contains(cell.form) {
        guard let fig = d.figures[cell.key] else { continue }
        found = true
        refs.formUnion(fig.sources)
        // Blank and text contribute nothing (C-10 / S-5 report them).
        if !checksum, let n = fig.value.number { total += n }
      }
      return (checksum ? nil : total, found ? refs.sorted() : nil)
    }
    for (cell, sum) in zip(keys, sums) {
      if let total = sum.total { values[cell.key] = total }
      if let refs = sum.sources { sources[cell.key] = refs }
    }
    recomputer.complete(&values, forms: forms)
  }

  func lookup(_ key: CellKey) -> CellLookup {
    values[key].map { .value($0) } ?? .missing
  }

  /// Region values as the ledger stores them: counts as integers, amounts as decimals.
  var cellValues: [String: CellValue] {
    var out: [String: CellValue] = [:]
    for (k, v) in values {
      out[k.description] = Self.typed(v, type: catalog[k.form]?.valueType(row: k.row) ?? .count)
    }
    return out
  }

  /// `.integer` for a whole count that fits Int64, else `.decimal` (amounts always decimal).
  static func typed(_ v: Decimal, type: ValueType) -> CellValue {
    if type == .count, let i = integer(v) { return .integer(i) }
    return .decimal(v)
  }

  static func integer(_ v: Decimal) -> Int64? {
    var x = v
    var r = Decimal()
    NSDecimalRound(&r, &x, 0, .plain)
    guard r == v, let i = Int64(DecimalFormat.plain(r)) else { return nil }
    return i
  }
}
