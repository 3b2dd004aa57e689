import AlmanacCore
import Foundation

/// Types one cell's text as departments write it (forms.md §1): counts, money, blanks, text.
///
/// Integers may carry thousands separators (`1,234`) or be full-width (`１２３４`); decimals are
/// read exactly into `Decimal`; a unit glued on (`820条`, `3.5万元`) is split off and kept; the
/// "nothing" tokens (`""`, `/`, `-`, `—`, `－`, `无` …) become `.blank(token:)` with the token as
/// written; negative numbers stay numbers (reconcile reports them); anything else is `.text`.
public enum CellParser {
  /// A typed cell: the value and the unit glued to it, if any.
  public struct Parsed: Hashable, Sendable {
    public var value: CellValue
    public var unit: String?
    public init(value: CellValue, unit: String? = nil) {
      self.value = value
      self.unit = unit
    }
  }

  /// Tokens (after NFKC and trimming) that mean "the department wrote nothing".
  static let blankTokens: Set<String> = ["", "/", "//", "\\", "-", "--", "—", "——", "–", "―", "无", "空"]

  static let posix = Locale(identifier: "en_US_POSIX")

  /// Parses one cell's raw text.
  public static func parse(_ raw: String) -> Parsed {
    let trimmed = trim(raw)
    let folded = trimmed.nfkc
    if blankTokens.contains(folded) || blankTokens.contains(trimmed) {
      return Parsed(value: .blank(token: trimmed))
    }
    // NFKC makes digits of footnote marks and exponents (`22①` → `221`, `1²` → `12`); only
    // ASCII and full-width digits are digits of a figure.
    if folded != trimmed, trimmed.unicodeScalars.contains(where: { $0.properties.numericType == .digit }) {
      return Parsed(value: .text(trimmed))
    }
    if let number = number(folded) { return number }
    // `="22"`: how exports force Excel to keep a number as text (leading zeros, long digits).
    if folded.hasPrefix("=\""), folded.hasSuffix("\""), folded.count > 3,
      case let inner = CellParser.parse(String(folded.dropFirst(2).dropLast())), inner.value.isNumber
    {
      return inner
    }
    return Parsed(value: .text(trimmed))
  }

  /// True when the text parses as a number (with or without a unit).
  public static func isNumber(_ raw: String) -> Bool {
    parse(raw).value.isNumber
  }

  /// Whitespace, including the ideographic space and no-break space, removed at both ends.
  static func trim(_ s: String) -> String {
    // Most cells need no trimming; registers of millions of rows pass through here.
    guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return s }
    if !trimmable.contains(first) && !trimmable.contains(last) { return s }
    return s.trimmingCharacters(in: trimmable)
  }

  static let trimmable = CharacterSet.whitespacesAndNewlines.union(
    CharacterSet(charactersIn: "\u{3000}\u{00A0}\u{FEFF}"))

  /// Splits `[sign] digits [. digits] [unit]` and reads the number exactly.
  static func number(_ s: String) -> Parsed? {
    var scalars = Array(s.unicodeScalars)
    guard !scalars.isEmpty else { return nil }
    var negative = false
    // U+2212 MINUS SIGN survives NFKC; Excel's accounting format writes it.
    if scalars[0] == "-" || scalars[0] == "\u{2212}" {
      negative = true
      scalars.removeFirst()
    } else if scalars[0] == "+" {
      scalars.removeFirst()
    }
    var i = 0
    var integerPart = ""
    var sawSeparator = false
    var groupLength = 0
    var firstGroup = 0
    while i < scalars.count {
      let c = scalars[i]
      if c.properties.numericType == .decimal, c.isASCII {
        integerPart.unicodeScalars.append(c)
        groupLength += 1
      } else if c == ",", !integerPart.isEmpty, i + 1 < scalars.count, scalars[i + 1].isASCII,
        scalars[i + 1].properties.numericType == .decimal
      {
        if !sawSeparator { firstGroup = groupLength } else if groupLength != 3 { return nil }
        sawSeparator = true
        groupLength = 0
      } else {
        break
      }
      i += 1
    }
    guard !integerPart.isEmpty else { return nil }
    if sawSeparator {
      guard groupLength == 3, (1...3).contains(firstGroup) else { return nil }
    }
    var fraction = ""
    if i < scalars.count, scalars[i] == "." {
      var j = i + 1
      while j < scalars.count, scalars[j].isASCII, scalars[j].properties.numericType == .decimal {
        fraction.unicodeScalars.append(scalars[j])
        j += 1
      }
      guard !fraction.isEmpty else { return nil }
      i = j
    }
    var unitScalars = String.UnicodeScalarView()
    unitScalars.append(contentsOf: scalars[i...])
    let unit = trim(String(unitScalars))
    if !unit.isEmpty {
      // A unit is a short word without digits or punctuation: `条`, `件`, `万元`, `%`.
      guard unit.count <= 4, unit.unicodeScalars.allSatisfy({ isUnitScalar($0) }) else { return nil }
      // `2016年度`, `5月`, `8号` are dates and numbers of documents in headers, not figures.
      if let first = unit.first, "年月日号届".contains(first) { return nil }
    }
    let value: CellValue
    if fraction.isEmpty {
      guard let magnitude = Int64(integerPart) else {
        guard let d = Decimal(string: integerPart, locale: posix) else { return nil }
        return Parsed(value: .decimal(negative ? -d : d), unit: unit.isEmpty ? nil : unit)
      }
      value = .integer(negative ? -magnitude : magnitude)
    } else {
      guard let d = Decimal(string: integerPart + "." + fraction, locale: posix) else { return nil }
      value = .decimal(negative ? -d : d)
    }
    return Parsed(value: value, unit: unit.isEmpty ? nil : unit)
  }

  static func isUnitScalar(_ s: Unicode.Scalar) -> Bool {
    // `万` and `千` carry a numeric value in Unicode but are units here (`3.5万元`).
    s == "%" || s == "‰" || s.properties.isAlphabetic
  }
}
