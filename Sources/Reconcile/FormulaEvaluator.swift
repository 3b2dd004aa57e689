import AlmanacCore
import Foundation

/// What a cell holds, as the evaluator needs to tell apart.
public enum CellLookup: Sendable, Hashable {
  /// A figure (integer or decimal), exact.
  case value(Decimal)
  /// The department wrote a "nothing" token (`/`, `-`, `—`, `无`, empty): C-10 reports it.
  case blank(token: String)
  /// Text where a figure was expected: S-5 reports it.
  case text(String)
  /// The cell is not in the submission at all (row deleted, form not sent).
  case missing

  public var isBlank: Bool {
    if case .blank = self { return true }
    return false
  }

  /// Maps a submitted value.
  public init(_ value: CellValue?) {
    switch value {
    case .integer(let i)?: self = .value(Decimal(i))
    case .decimal(let d)?: self = .value(d)
    case .blank(let t)?: self = .blank(token: t)
    case .text(let t)?: self = .text(t)
    case nil: self = .missing
    }
  }
}

/// The result of checking one formula instance.
public enum FormulaOutcome: Sendable, Hashable {
  case holds(lhs: Decimal, rhs: Decimal)
  case violated(lhs: Decimal, rhs: Decimal)
  /// The formula could not be evaluated (text in a cell, no previous dataset, `requireAll` with a
  /// missing cell, division by zero); the reason is for logs, the cause has its own finding.
  case notEvaluable(String)
}

/// Evaluates formulas with exact Decimal arithmetic against cell lookups.
///
/// Blank tokens count as 0 (the pipeline's choice, stated in rules.yaml; C-10 reports each one).
/// Missing cells count as 0 too — departments may delete unused rows — unless `requireAll`.
/// A previous-year cell that is missing makes the formula not evaluable: no history, no check.
public struct FormulaEvaluator: Sendable {
  public var current: @Sendable (CellKey) -> CellLookup
  /// Last year's cells; nil when no previous dataset was given.
  public var previous: (@Sendable (CellKey) -> CellLookup)?

  public init(
    current: @escaping @Sendable (CellKey) -> CellLookup, previous: (@Sendable (CellKey) -> CellLookup)? = nil
  ) {
    self.current = current
    self.previous = previous
  }

  private struct Skip: Error { var reason: String }

  public func evaluate(_ formula: Formula, requireAll: Bool = false) -> FormulaOutcome {
    do {
      let l = try value(formula.lhs, requireAll)
      let r = try value(formula.rhs, requireAll)
      return formula.comparison.holds(l, r) ? .holds(lhs: l, rhs: r) : .violated(lhs: l, rhs: r)
    } catch {
      return .notEvaluable(error.reason)
    }
  }

  /// The value of one expression, or why it has none.
  public func value(_ expr: FormulaExpr, requireAll: Bool = false) -> Decimal? {
    try? value(expr, requireAll)
  }

  private func value(_ e: FormulaExpr, _ requireAll: Bool) throws(Skip) -> Decimal {
    switch e {
    case .number(let d):
      return d
    case .cell(let k):
      return try cell(k, requireAll)
    case .sum(let keys):
      var total = Decimal(0)
      for k in keys { total += try cell(k, requireAll) }
      return total
    case .previous(let k):
      guard let previous else { throw Skip(reason: "no previous dataset") }
      switch previous(k) {
      case .value(let v): return v
      case .blank: return 0
      case .missing: throw Skip(reason: "\(k) missing in the previous dataset")
      case .text(let t): throw Skip(reason: "\(k) is text '\(t)' in the previous dataset")
      }
    case .binary(let op, let a, let b):
      let x = try value(a, requireAll)
      let y = try value(b, requireAll)
      switch op {
      case .add: return x + y
      case .subtract: return x - y
      case .multiply: return x * y
      case .divide:
        guard y != 0 else { throw Skip(reason: "division by zero") }
        return x / y
      }
    }
  }

  private func cell(_ k: CellKey, _ requireAll: Bool) throws(Skip) -> Decimal {
    switch current(k) {
    case .value(let v): return v
    case .blank: return 0
    case .missing:
      if requireAll { throw Skip(reason: "\(k) not submitted") }
      return 0
    case .text(let t): throw Skip(reason: "\(k) is text '\(t)'")
    }
  }
}
