import AlmanacCore
import Foundation

/// A parsed rule formula before `forEach` expansion: cell references may hold `{var}`
/// placeholders and, inside `sum(...)`, `*` wildcards.
public struct FormulaTemplate: Sendable, Hashable {
  /// One piece of a reference segment: literal text, a `{var}` placeholder or `*`.
  public enum Piece: Sendable, Hashable {
    case literal(String)
    case variable(String)
    case wildcard
  }

  /// `FORM`, `ROW` or `COL` of a reference, as written.
  public struct Segment: Sendable, Hashable {
    public var pieces: [Piece]
    /// 1-based position of the segment's first character.
    public var position: Int
  }

  /// `FORM.ROW.COL` as written.
  public struct Reference: Sendable, Hashable {
    public var form: Segment
    public var row: Segment
    public var column: Segment
    public var position: Int
    public var text: String
  }

  public indirect enum Expr: Sendable, Hashable {
    case number(Decimal)
    case cell(Reference)
    case sum(Reference)
    case previous(Reference)
    case binary(FormulaOperator, Expr, Expr)
  }

  public var lhs: Expr
  public var comparison: FormulaComparison
  public var rhs: Expr

  /// Placeholder names used anywhere in the formula, sorted.
  public var variables: [String] {
    var names = Set<String>()
    func visit(_ e: Expr) {
      switch e {
      case .number: break
      case .cell(let r), .sum(let r), .previous(let r):
        for s in [r.form, r.row, r.column] {
          for case .variable(let v) in s.pieces { names.insert(v) }
        }
      case .binary(_, let a, let b):
        visit(a)
        visit(b)
      }
    }
    visit(lhs)
    visit(rhs)
    return names.sorted()
  }

  /// Substitutes `bindings` and resolves references against the catalog's grid forms.
  public func instantiate(_ bindings: [String: String], catalog: FormCatalog) throws(FormulaError) -> Formula {
    Formula(
      lhs: try Self.resolve(lhs, bindings, catalog), comparison: comparison,
      rhs: try Self.resolve(rhs, bindings, catalog))
  }

  private static func resolve(_ e: Expr, _ b: [String: String], _ cat: FormCatalog) throws(FormulaError) -> FormulaExpr
  {
    switch e {
    case .number(let d): return .number(d)
    case .cell(let r): return .cell(try single(r, b, cat))
    case .previous(let r): return .previous(try single(r, b, cat))
    case .sum(let r): return .sum(try pattern(r, b, cat))
    case .binary(let op, let x, let y): return .binary(op, try resolve(x, b, cat), try resolve(y, b, cat))
    }
  }

  /// A segment with placeholders replaced: literal text, or a matcher when it holds `*`.
  private static func substitute(_ s: Segment, _ b: [String: String]) throws(FormulaError) -> [Piece] {
    var out: [Piece] = []
    for p in s.pieces {
      switch p {
      case .variable(let v):
        guard let value = b[v] else {
          throw FormulaError(position: s.position, message: "placeholder {\(v)} has no forEach values")
        }
        out.append(.literal(value))
      default: out.append(p)
      }
    }
    return out
  }

  private static func text(_ pieces: [Piece]) -> String {
    pieces.map {
      switch $0 {
      case .literal(let t): t
      case .variable(let v): "{\(v)}"
      case .wildcard: "*"
      }
    }.joined()
  }

  private static func single(_ r: Reference, _ b: [String: String], _ cat: FormCatalog) throws(FormulaError) -> CellKey
  {
    let form = text(try substitute(r.form, b))
    let row = text(try substitute(r.row, b))
    let col = text(try substitute(r.column, b))
    let key = CellKey(form: form, row: row, column: col)
    guard let grid = cat[form] else {
      throw FormulaError(position: r.form.position, message: "form '\(form)' is not a grid form of this pipeline")
    }
    guard grid.rowColumns[row] != nil else {
      throw FormulaError(position: r.row.position, message: "form \(form) defines no row '\(row)' (in \(key))")
    }
    guard grid.defines(row: row, column: col) else {
      throw FormulaError(
        position: r.column.position, message: "form \(form) defines no cell \(key) (no column '\(col)' in row \(row))")
    }
    return key
  }

  private static func pattern(_ r: Reference, _ b: [String: String], _ cat: FormCatalog) throws(FormulaError)
    -> [CellKey]
  {
    let formPieces = try substitute(r.form, b)
    if formPieces.contains(.wildcard) {
      throw FormulaError(position: r.form.position, message: "'*' is allowed only in the row or column of a pattern")
    }
    let form = text(formPieces)
    guard let grid = cat[form] else {
      throw FormulaError(position: r.form.position, message: "form '\(form)' is not a grid form of this pipeline")
    }
    let rowPieces = try substitute(r.row, b)
    let colPieces = try substitute(r.column, b)
    let rows = grid.rowKeys.filter { matches($0, rowPieces) }
    guard !rows.isEmpty else {
      throw FormulaError(
        position: r.row.position, message: "row pattern '\(text(rowPieces))' matches no row of form \(form)")
    }
    // Wildcard columns match the national layout only: an extra column (小计) would double count.
    let colCandidates = colPieces.contains(.wildcard) ? grid.publishedColumnKeys : grid.columnKeys
    let cols = colCandidates.filter { matches($0, colPieces) }
    guard !cols.isEmpty else {
      throw FormulaError(
        position: r.column.position, message: "column pattern '\(text(colPieces))' matches no column of form \(form)")
    }
    var keys: [CellKey] = []
    for row in rows {
      for col in cols where grid.defines(row: row, column: col) {
        keys.append(CellKey(form: form, row: row, column: col))
      }
    }
    guard !keys.isEmpty else {
      throw FormulaError(position: r.position, message: "pattern \(r.text) matches no cell of form \(form)")
    }
    return keys
  }

  /// Glob match of literal pieces and `*` (any run of characters, possibly empty).
  static func matches(_ candidate: String, _ pieces: [Piece]) -> Bool {
    let chars = Array(candidate)
    func go(_ i: Int, _ p: Int) -> Bool {
      if p == pieces.count { return i == chars.count }
      switch pieces[p] {
      case .wildcard:
        for j in i...chars.count where go(j, p + 1) { return true }
        return false
      case .literal(let t), .variable(let t):
        let tc = Array(t)
        guard i + tc.count <= chars.count, Array(chars[i..<(i + tc.count)]) == tc else { return false }
        return go(i + tc.count, p + 1)
      }
    }
    return go(0, 0)
  }
}
