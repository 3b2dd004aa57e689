import Foundation

/// Recursive-descent parser for the formulas of a pipeline's `rules.yaml`:
///
/// ```
/// formula := expr CMP expr          CMP ∈ = <= >= < >
/// expr    := term (('+'|'-') term)*
/// term    := factor (('*'|'/') factor)*
/// factor  := NUMBER | cellref | 'sum(' pattern ')' | 'prev(' cellref ')' | '(' expr ')'
/// cellref := FORM '.' ROW '.' COL
/// ```
///
/// `prev(cellref)` (last year's value of the cell) is an additive extension for C-1/C-2.
public struct FormulaParser {
  private let chars: [Character]
  private var index = 0

  private init(_ text: String) { chars = Array(text) }

  /// Parses a whole formula; errors carry the 1-based character position.
  public static func parse(_ text: String) throws(FormulaError) -> FormulaTemplate {
    var p = FormulaParser(text)
    let lhs = try p.expr()
    p.skipSpace()
    let cmpPosition = p.position
    guard let cmp = p.comparison() else {
      if p.atEnd {
        throw FormulaError(
          position: cmpPosition, message: "expected a comparison (=, <=, >=, <, >) but the formula ended")
      }
      throw FormulaError(
        position: cmpPosition, message: "expected a comparison (=, <=, >=, <, >) but found '\(p.chars[p.index])'")
    }
    let rhs = try p.expr()
    p.skipSpace()
    guard p.atEnd else {
      throw FormulaError(position: p.position, message: "unexpected '\(p.chars[p.index])' after the right-hand side")
    }
    return FormulaTemplate(lhs: lhs, comparison: cmp, rhs: rhs)
  }

  /// Limits that keep every recursive walk of a formula (templates, evaluation, description)
  /// well inside a worker thread's stack: 5,000 nested parentheses or a sum of 10,000 terms
  /// crashed `validate` and `run` (exit 139) with no message. A real identity has a few dozen.
  static let maxNesting = 40
  static let maxOperators = 300
  private var nesting = 0
  private var operators = 0

  private mutating func countOperator() throws(FormulaError) {
    operators += 1
    guard operators <= Self.maxOperators else {
      throw FormulaError(
        position: position, message: "more than \(Self.maxOperators) operators; write long sums as sum(FORM.ROW.*)")
    }
  }

  private var atEnd: Bool { index >= chars.count }
  private var position: Int { index + 1 }
  private var peek: Character? { atEnd ? nil : chars[index] }

  private mutating func skipSpace() {
    while let c = peek, c.isWhitespace { index += 1 }
  }

  private mutating func comparison() -> FormulaComparison? {
    guard let c = peek else { return nil }
    let next: Character? = index + 1 < chars.count ? chars[index + 1] : nil
    switch (c, next) {
    case ("<", "="):
      index += 2
      return .lessOrEqual
    case (">", "="):
      index += 2
      return .greaterOrEqual
    case ("<", _):
      index += 1
      return .less
    case (">", _):
      index += 1
      return .greater
    case ("=", "="):
      return nil
    case ("=", _):
      index += 1
      return .equal
    default:
      return nil
    }
  }

  private mutating func expr() throws(FormulaError) -> FormulaTemplate.Expr {
    var left = try term()
    while true {
      skipSpace()
      guard let c = peek, c == "+" || c == "-" else { return left }
      index += 1
      try countOperator()
      let right = try term()
      left = .binary(c == "+" ? .add : .subtract, left, right)
    }
  }

  private mutating func term() throws(FormulaError) -> FormulaTemplate.Expr {
    var left = try factor()
    while true {
      skipSpace()
      guard let c = peek, c == "*" || c == "/" else { return left }
      index += 1
      try countOperator()
      let right = try factor()
      left = .binary(c == "*" ? .multiply : .divide, left, right)
    }
  }

  private mutating func factor() throws(FormulaError) -> FormulaTemplate.Expr {
    skipSpace()
    guard let c = peek else {
      throw FormulaError(
        position: position, message: "expected a number, a cell, sum(...) or '(' but the formula ended")
    }
    if c == "(" {
      nesting += 1
      guard nesting <= Self.maxNesting else {
        throw FormulaError(position: position, message: "parentheses nested more than \(Self.maxNesting) deep")
      }
      defer { nesting -= 1 }
      index += 1
      let inner = try expr()
      skipSpace()
      guard peek == ")" else { throw FormulaError(position: position, message: "expected ')'") }
      index += 1
      return inner
    }
    if c.isASCII, c.isNumber { return .number(try number()) }
    guard Self.isReferenceStart(c) else {
      throw FormulaError(position: position, message: "expected a number, a cell, sum(...) or '(' but found '\(c)'")
    }
    let start = index
    let ref = try reference(allowWildcard: false)
    let function = ref.row.pieces.isEmpty ? ref.form.pieces : []
    if case .literal(let name)? = function.first, function.count == 1, name == "sum" || name == "prev" {
      skipSpace()
      if peek == "(" {
        index += 1
        skipSpace()
        let innerStart = position
        let inner = try reference(allowWildcard: name == "sum")
        guard !inner.row.pieces.isEmpty, !inner.column.pieces.isEmpty else {
          throw FormulaError(position: innerStart, message: "\(name)(...) needs a FORM.ROW.COL reference")
        }
        skipSpace()
        guard peek == ")" else { throw FormulaError(position: position, message: "expected ')' to close \(name)(") }
        index += 1
        return name == "sum" ? .sum(inner) : .previous(inner)
      }
    }
    if peek == "*", index > 0, Self.isIdentifier(chars[index - 1]), ref.column.pieces.isEmpty {
      throw FormulaError(position: position, message: "'*' is allowed only inside sum(...)")
    }
    guard !ref.row.pieces.isEmpty, !ref.column.pieces.isEmpty else {
      throw FormulaError(position: start + 1, message: "'\(ref.text)' is not a cell reference (expected FORM.ROW.COL)")
    }
    return .cell(ref)
  }

  private mutating func number() throws(FormulaError) -> Decimal {
    let start = index
    while let c = peek, c.isASCII, c.isNumber { index += 1 }
    if peek == ".", index + 1 < chars.count, chars[index + 1].isASCII, chars[index + 1].isNumber {
      index += 1
      while let c = peek, c.isASCII, c.isNumber { index += 1 }
    }
    let text = String(chars[start..<index])
    guard let d = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
      throw FormulaError(position: start + 1, message: "'\(text)' is not a number")
    }
    return d
  }

  private static func isReferenceStart(_ c: Character) -> Bool {
    c == "{" || c == "*" || c == "_" || (c.isASCII && c.isLetter)
  }

  private static func isIdentifier(_ c: Character) -> Bool {
    c == "_" || (c.isASCII && (c.isLetter || c.isNumber))
  }

  /// Reads `SEG(.SEG(.SEG)?)?`; row and column stay empty when fewer segments are written.
  private mutating func reference(allowWildcard: Bool) throws(FormulaError) -> FormulaTemplate.Reference {
    let start = index
    var segments: [FormulaTemplate.Segment] = []
    while true {
      segments.append(try segment(allowWildcard: allowWildcard))
      guard peek == ".", segments.count < 3 else { break }
      index += 1
    }
    if peek == "." {
      throw FormulaError(position: position, message: "a cell reference has exactly three parts FORM.ROW.COL")
    }
    let empty = FormulaTemplate.Segment(pieces: [], position: position)
    return FormulaTemplate.Reference(
      form: segments[0], row: segments.count > 1 ? segments[1] : empty,
      column: segments.count > 2 ? segments[2] : empty, position: start + 1,
      text: String(chars[start..<index]))
  }

  private mutating func segment(allowWildcard: Bool) throws(FormulaError) -> FormulaTemplate.Segment {
    let segStart = position
    var pieces: [FormulaTemplate.Piece] = []
    var literal = ""
    func flush() {
      if !literal.isEmpty { pieces.append(.literal(literal)) }
      literal = ""
    }
    while let c = peek {
      if Self.isIdentifier(c) {
        literal.append(c)
        index += 1
      } else if c == "{" {
        flush()
        let open = position
        index += 1
        var name = ""
        while let n = peek, Self.isIdentifier(n) {
          name.append(n)
          index += 1
        }
        guard peek == "}" else {
          throw FormulaError(
            position: open, message: "unclosed or invalid placeholder: expected {name} with letters, digits or _")
        }
        guard !name.isEmpty else { throw FormulaError(position: open, message: "empty placeholder {}") }
        index += 1
        pieces.append(.variable(name))
      } else if c == "*" && !allowWildcard && literal.isEmpty && pieces.isEmpty && isWildcardSegmentStart {
        throw FormulaError(position: position, message: "'*' is allowed only inside sum(...)")
      } else if c == "*" && allowWildcard {
        flush()
        index += 1
        pieces.append(.wildcard)
      } else {
        break
      }
    }
    flush()
    guard !pieces.isEmpty else {
      throw FormulaError(position: segStart, message: "expected a form, row or column key")
    }
    return FormulaTemplate.Segment(pieces: pieces, position: segStart)
  }

  /// A `*` that starts a segment (`t3.r1.*`) belongs to the reference, not to multiplication:
  /// it directly follows a dot.
  private var isWildcardSegmentStart: Bool {
    index > 0 && chars[index - 1] == "."
  }
}
