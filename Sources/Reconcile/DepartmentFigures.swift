import AlmanacCore
import Foundation

/// One accepted department's figures as the rules see them: its submitted table cells, or, for
/// a form it sent only as a register, the register's counts (with totals recomputed).
struct DepartmentFigures: Sendable {
  var id: String
  var name: String
  /// The accepted entries of this department (one per file that won a form).
  var parts: [Submission]
  var figures: [CellKey: Figure] = [:]
  /// Grid forms provided.
  var forms: Set<String> = []

  init(parts: [Submission], builder: LedgerBuilder, recomputer: ChecksumRecomputer) {
    self.parts = parts
    id = parts.first?.department ?? ""
    let newest = parts.max { SubmissionOrder.isOlder($0, than: $1) }
    name = newest?.departmentName ?? id
    var tableForms = Set<String>()
    figures.reserveCapacity(parts.reduce(0) { $0 + $1.cells.count })
    for p in parts {
      forms.formUnion(builder.providedForms(p))
      for (k, fig) in p.cells {
        guard let key = CellKey(k) else { continue }
        figures[key] = fig
        tableForms.insert(key.form)
      }
    }
    for form in forms.subtracting(tableForms).sorted() {
      var values: [CellKey: Decimal] = [:]
      for p in parts {
        for (k, fig) in p.registerCells {
          guard let key = CellKey(k), key.form == form else { continue }
          figures[key] = fig
          if let n = fig.value.number { values[key] = n }
        }
      }
      recomputer.complete(&values, forms: [form])
      for key in builder.catalog.cellKeys(form) where builder.catalog.isChecksum(key) {
        guard figures[key] == nil, let v = values[key] else { continue }
        figures[key] = Figure(value: RegionFigures.typed(v, type: .count), raw: DecimalFormat.plain(v), sources: [])
      }
    }
  }

  func lookup(_ key: CellKey) -> CellLookup { CellLookup(figures[key]?.value) }
}
