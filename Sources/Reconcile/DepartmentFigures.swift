import AlmanacCore
import Foundation

/// One accepted department's figures as the rules see them: its submitted table cells, or, for
/// a form it sent only as a register, the register's counts (with totals recomputed).
struct DepartmentFigures: Sendable {
  var id: String
  var name: String
  /// The accepted entries of this department (one per file that won a form).
  var parts: [Submission]
  var figures: CellFigures
  /// Grid forms provided.
  var forms: Set<String> = []

  init(parts: [Submission], builder: LedgerBuilder, recomputer: ChecksumRecomputer) {
    self.parts = parts
    figures = CellFigures(numbers: builder.catalog.cellNumbers)
    id = parts.first?.department ?? ""
    let newest = parts.max { SubmissionOrder.isOlder($0, than: $1) }
    name = newest?.departmentName ?? id
    var tableForms = Set<String>()
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

/// A department's figures by cell key: the catalog's cells in an array numbered by the
/// catalog (one hash of the key finds its number, as it found the figure in a dictionary),
/// other keys in a dictionary. A province's departments hold a few hundred thousand figures
/// through reconcile; a dictionary of about a hundred of them had 256 buckets of key and
/// figure (about 290 bytes a figure), the array has a slot of 64 bytes per catalog cell.
struct CellFigures: Sendable {
  private let numbers: [CellKey: Int]
  private var slots: [Figure?]
  private var others: [CellKey: Figure] = [:]

  init(numbers: [CellKey: Int]) {
    self.numbers = numbers
    slots = Array(repeating: nil, count: numbers.count)
  }

  subscript(key: CellKey) -> Figure? {
    get {
      if let n = numbers[key] { return slots[n] }
      return others[key]
    }
    set {
      if let n = numbers[key] {
        slots[n] = newValue
      } else {
        others[key] = newValue
      }
    }
  }
}
