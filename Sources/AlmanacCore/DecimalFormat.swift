import Foundation

/// Locale-independent number formatting for every file Almanac writes.
public enum DecimalFormat {
  static let posix = Locale(identifier: "en_US_POSIX")

  /// Plain digits, `.` as separator, no grouping, no exponent: `9116.36`, `-3`, `0.000001`.
  /// Rounded to 18 places, which only a quotient a rule computes (1 ÷ 3) reaches: Excel
  /// writes at most 15 significant digits, and a department's `12.3333333333333` (13
  /// places) is kept exactly (12 places rounded it, in the dataset and in C-9's message).
  public static func plain(_ value: Decimal) -> String {
    var v = value
    var rounded = Decimal()
    NSDecimalRound(&rounded, &v, 18, .plain)
    return NSDecimalNumber(decimal: rounded).description(withLocale: posix)
  }

  /// True when `value` has no fraction (however large).
  public static func isWhole(_ value: Decimal) -> Bool {
    var v = value
    var whole = Decimal()
    NSDecimalRound(&whole, &v, 0, .plain)
    return whole == value
  }

  /// `value` as an `Int64` when it is whole and fits; nil otherwise.
  public static func int64(_ value: Decimal) -> Int64? {
    isWhole(value) ? Int64(plain(value)) : nil
  }

  /// Parses the plain form written by `plain(_:)`.
  public static func parse(_ text: String) -> Decimal? {
    guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }) else { return nil }
    return Decimal(string: text, locale: posix)
  }

  /// Half-up rounding to `scale` decimals, always printing exactly `scale` decimals (`51.85`).
  public static func fixed(_ value: Decimal, scale: Int) -> String {
    var v = value
    var rounded = Decimal()
    NSDecimalRound(&rounded, &v, scale, .plain)
    var s = NSDecimalNumber(decimal: rounded).description(withLocale: posix)
    guard scale > 0 else { return s }
    if let dot = s.firstIndex(of: ".") {
      let decimals = s.distance(from: dot, to: s.endIndex) - 1
      s += String(repeating: "0", count: max(0, scale - decimals))
    } else {
      s += "." + String(repeating: "0", count: scale)
    }
    return s
  }

  /// Percentage of `part` in `whole`, half-up to two decimals; nil when `whole` is 0.
  public static func percent(_ part: Decimal, of whole: Decimal) -> String? {
    guard whole != 0 else { return nil }
    return fixed(part * 100 / whole, scale: 2)
  }
}
