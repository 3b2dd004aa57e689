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
  /// never taken from what was submitted. Checksums without a definition are left absent, and
  /// so is a total whose ready definition divides by zero, with every total that adds it up
  /// (until another of its definitions is ready).
  /// Returns the definition each total was computed by.
  @discardableResult
  public func complete(_ values: inout [CellKey: Decimal], forms: Set<String>) -> [CellKey: FormulaExpr] {
    var used: [CellKey: FormulaExpr] = [:]
    var pending = checksumKeys(forms)
    for key in pending { values[key] = nil }
    var done = Set<CellKey>()
    var progress = true
    while progress && !pending.isEmpty {
      progress = false
      var still: [CellKey] = []
      for key in pending {
        let ready = (definitions[key] ?? []).first { rhs in
          rhs.cells.allSatisfy { !checksums.contains($0) || done.contains($0) }
        }
        if let rhs = ready, let v = Self.value(rhs, { values[$0] ?? 0 }) {
          values[key] = v
          used[key] = rhs
          done.insert(key)
          progress = true
        } else {
          still.append(key)
        }
      }
      pending = still
    }
    return used
  }

  /// The values of the `missing` totals of a table that left them out, from the cells `written`
  /// gives (nil for a total it did not write and one it left blank): each by the first
  /// definition over written cells, else over totals computed here — a total's rows' written
  /// totals before a （七）总计 row itself computed. Unlike `complete`, a written total is
  /// never replaced: a 总计 column rebuilt from rows whose written （七）总计 disagrees with
  /// them invented an S-3 difference no column has. A total no definition reaches is left out.
  func omitted(_ missing: [CellKey], written: (CellKey) -> Decimal?) -> [CellKey: Decimal] {
    var pending = missing
    var computed: [CellKey: Decimal] = [:]
    func known(_ k: CellKey) -> Decimal? { computed[k] ?? written(k) }
    for allowComputed in [false, true] {
      var progress = true
      while progress && !pending.isEmpty {
        progress = false
        pending = pending.filter { key in
          for rhs in definitions[key] ?? []
          where rhs.cells.allSatisfy({ known($0) != nil && (allowComputed || computed[$0] == nil) }) {
            guard let v = Self.value(rhs, { known($0) ?? 0 }) else { continue }
            computed[key] = v
            progress = true
            return false
          }
          return true
        }
      }
    }
    return computed
  }

  /// The checksum cells of `forms`, in the forms' order.
  private func checksumKeys(_ forms: Set<String>) -> [CellKey] {
    forms.sorted().flatMap { catalog.cellKeys($0).filter { checksums.contains($0) } }
  }

  /// Exact value of a right side over plain values (`cell` gives each cell's, 0 when absent;
  /// `previous` last year's); nil for a division by zero or last year's cell without `previous`.
  static func value(
    _ e: FormulaExpr, _ cell: (CellKey) -> Decimal, previous: ((CellKey) -> Decimal)? = nil
  ) -> Decimal? {
    switch e {
    case .number(let d): return d
    case .cell(let k): return cell(k)
    case .sum(let ks): return ks.reduce(Decimal(0)) { $0 + cell($1) }
    case .previous(let k): return previous?(k)
    case .binary(let op, let a, let b):
      guard let x = value(a, cell, previous: previous), let y = value(b, cell, previous: previous) else { return nil }
      switch op {
      case .add: return x + y
      case .subtract: return x - y
      case .multiply: return x * y
      case .divide: return y == 0 ? nil : x / y
      }
    }
  }
}
