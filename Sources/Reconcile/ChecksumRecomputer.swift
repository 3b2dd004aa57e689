import AlmanacCore
import Foundation

/// Recomputes checksum cells (a 总计 column, the （七）总计 row …) from breakdown cells.
///
/// The definitions come from the rules themselves: an `=` rule whose left side is one checksum
/// cell and whose right side names only current-year, non-checksum-or-already-computed cells
/// (S-1, S-2, S-4 of rules.yaml). So the pipeline file, not Swift code, says what a total is.
public struct ChecksumRecomputer: Sendable {
  /// Checksum cell → candidate right sides, in rule order.
  public private(set) var definitions: [CellKey: [FormulaExpr]] = [:]
  let catalog: FormCatalog
  /// Every checksum cell of every grid form (looked up often, so computed once).
  let checksums: Set<CellKey>

  public init(rules: [CompiledRule], catalog: FormCatalog) {
    self.catalog = catalog
    checksums = Set(catalog.gridOrder.flatMap { catalog.cellKeys($0) }.filter { catalog.isChecksum($0) })
    for rule in rules {
      for inst in rule.instances {
        let f = inst.formula
        guard f.comparison == .equal, case .cell(let key) = f.lhs, catalog.isChecksum(key), !catalog.isExtra(key),
          f.rhs.previousCells.isEmpty
        else { continue }
        let cells = f.rhs.cells
        guard !cells.isEmpty, !cells.contains(key), !cells.contains(where: catalog.isExtra) else { continue }
        definitions[key, default: []].append(f.rhs)
      }
    }
  }

  /// Fills every published checksum cell of `forms` from the breakdowns in `values` (absent
  /// breakdown cells count as 0). Existing values of checksum cells are replaced: a total is
  /// never taken from what was submitted. Checksums without a definition are left absent.
  public func complete(_ values: inout [CellKey: Decimal], forms: Set<String>) {
    var pending: [CellKey] = []
    for form in forms.sorted() {
      for key in catalog.cellKeys(form) where checksums.contains(key) {
        values[key] = nil
        pending.append(key)
      }
    }
    var done = Set<CellKey>()
    var progress = true
    while progress && !pending.isEmpty {
      progress = false
      var still: [CellKey] = []
      for key in pending {
        let ready = (definitions[key] ?? []).first { rhs in
          rhs.cells.allSatisfy { !checksums.contains($0) || done.contains($0) }
        }
        if let rhs = ready, let v = Self.value(rhs, values) {
          values[key] = v
          done.insert(key)
          progress = true
        } else {
          still.append(key)
        }
      }
      pending = still
    }
  }

  /// Exact value of a right side over plain values; absent cells count as 0.
  static func value(_ e: FormulaExpr, _ values: [CellKey: Decimal]) -> Decimal? {
    switch e {
    case .number(let d): return d
    case .cell(let k): return values[k] ?? 0
    case .sum(let ks): return ks.reduce(Decimal(0)) { $0 + (values[$1] ?? 0) }
    case .previous: return nil
    case .binary(let op, let a, let b):
      guard let x = value(a, values), let y = value(b, values) else { return nil }
      switch op {
      case .add: return x + y
      case .subtract: return x - y
      case .multiply: return x * y
      case .divide: return y == 0 ? nil : x / y
      }
    }
  }
}
