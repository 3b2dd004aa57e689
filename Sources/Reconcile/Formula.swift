import AlmanacCore
import Foundation

/// The comparison of a rule formula.
public enum FormulaComparison: String, Sendable, Hashable, CaseIterable {
  case equal = "="
  case lessOrEqual = "<="
  case greaterOrEqual = ">="
  case less = "<"
  case greater = ">"

  /// Whether `lhs CMP rhs` holds, exactly (Decimal).
  public func holds(_ lhs: Decimal, _ rhs: Decimal) -> Bool {
    switch self {
    case .equal: lhs == rhs
    case .lessOrEqual: lhs <= rhs
    case .greaterOrEqual: lhs >= rhs
    case .less: lhs < rhs
    case .greater: lhs > rhs
    }
  }

  /// The sign as printed in messages (`=`, `≤`, `≥`, `<`, `>`).
  public var symbol: String {
    switch self {
    case .equal: "="
    case .lessOrEqual: "≤"
    case .greaterOrEqual: "≥"
    case .less: "<"
    case .greater: ">"
    }
  }
}

public enum FormulaOperator: Character, Sendable, Hashable {
  case add = "+"
  case subtract = "-"
  case multiply = "*"
  case divide = "/"
}

/// A formula expression over concrete cells (placeholders expanded, wildcards resolved).
public indirect enum FormulaExpr: Sendable, Hashable {
  case number(Decimal)
  /// A cell of the department (or region) being checked.
  case cell(CellKey)
  /// The same cell in last year's dataset (`prev(t3.r4.np)`).
  case previous(CellKey)
  /// `sum(pattern)` with the pattern resolved to the form's defined keys, in official order.
  case sum([CellKey])
  case binary(FormulaOperator, FormulaExpr, FormulaExpr)

  /// Current-year cells named, in order of appearance, without duplicates.
  public var cells: [CellKey] {
    var current: [CellKey] = []
    var previous: [CellKey] = []
    collect(current: &current, previous: &previous)
    return current
  }

  /// Previous-year cells named.
  public var previousCells: [CellKey] {
    var current: [CellKey] = []
    var previous: [CellKey] = []
    collect(current: &current, previous: &previous)
    return previous
  }

  /// Whether the value is a sum of cells times constants: what makes a region's difference
  /// the sum of its departments' differences. A product of two cells (a rate times a count)
  /// or a division by a cell is not.
  public var isLinear: Bool {
    switch self {
    case .number, .cell, .previous, .sum: return true
    case .binary(.add, let a, let b), .binary(.subtract, let a, let b): return a.isLinear && b.isLinear
    case .binary(.multiply, let a, let b): return (a.isConstant && b.isLinear) || (b.isConstant && a.isLinear)
    case .binary(.divide, let a, let b): return b.isConstant && a.isLinear
    }
  }

  /// Whether the value has a term that is a number alone (`a + 3`), which each department's
  /// share would count once more: the departments' differences of `a + 3 = b` add up to the
  /// region's plus 3 for each department after the first. Numbers that scale cells (`2 * a`)
  /// are not terms; 0 is none.
  public var hasConstantTerm: Bool {
    switch self {
    case .number(let d): return d != 0
    case .cell, .previous, .sum: return false
    case .binary(.add, let a, let b), .binary(.subtract, let a, let b): return a.hasConstantTerm || b.hasConstantTerm
    case .binary(.multiply, let a, let b):
      if a.isConstant && b.isConstant { return true }
      if a.isConstant { return b.hasConstantTerm }
      if b.isConstant { return a.hasConstantTerm }
      return true
    case .binary(.divide, let a, let b):
      return b.isConstant && !a.isConstant ? a.hasConstantTerm : true
    }
  }

  /// Names no cell of either year.
  private var isConstant: Bool { cells.isEmpty && previousCells.isEmpty }

  /// Whether a division's divisor names no cell and comes to 0 (`a / 0`, `a / (2 - 2)`): the
  /// rule could never be evaluated, in any department, so it is refused with the definition.
  public var dividesByConstantZero: Bool {
    switch self {
    case .number, .cell, .previous, .sum: return false
    case .binary(let op, let a, let b):
      // A divisor that names no cell has one value (the recomputer's exact evaluator, never
      // asked for a cell); nil when it divides by 0 itself, which its own operands report.
      if op == .divide, b.isConstant, ChecksumRecomputer.value(b, { _ in 0 }) == 0 { return true }
      return a.dividesByConstantZero || b.dividesByConstantZero
    }
  }

  private func collect(current: inout [CellKey], previous: inout [CellKey]) {
    switch self {
    case .number: break
    case .cell(let k): if !current.contains(k) { current.append(k) }
    case .previous(let k): if !previous.contains(k) { previous.append(k) }
    case .sum(let ks): for k in ks where !current.contains(k) { current.append(k) }
    case .binary(_, let a, let b):
      a.collect(current: &current, previous: &previous)
      b.collect(current: &current, previous: &previous)
    }
  }
}

/// `lhs CMP rhs` over concrete cells: one instance of a rule.
public struct Formula: Sendable, Hashable {
  public var lhs: FormulaExpr
  public var comparison: FormulaComparison
  public var rhs: FormulaExpr

  public init(lhs: FormulaExpr, comparison: FormulaComparison, rhs: FormulaExpr) {
    self.lhs = lhs
    self.comparison = comparison
    self.rhs = rhs
  }

  /// Every current-year cell the formula names, left side first.
  public var cells: [CellKey] {
    var out = lhs.cells
    for k in rhs.cells where !out.contains(k) { out.append(k) }
    return out
  }

  /// Both sides linear (`FormulaExpr.isLinear`).
  public var isLinear: Bool { lhs.isLinear && rhs.isLinear }

  /// A sum of cells (of this year or last) times numbers on each side, nothing else: then the
  /// region's difference is the sum of its departments' differences
  /// (`RegionFigures.contributions`, which needs last year's dataset for last year's cells).
  public var isSharedByDepartments: Bool {
    isLinear && !lhs.hasConstantTerm && !rhs.hasConstantTerm
  }

  /// Every previous-year cell the formula names.
  public var previousCells: [CellKey] {
    var out = lhs.previousCells
    for k in rhs.previousCells where !out.contains(k) { out.append(k) }
    return out
  }
}
