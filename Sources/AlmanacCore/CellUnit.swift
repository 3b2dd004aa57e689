import Foundation

/// What a unit glued to a figure (`126000元`, `1.2万件`, `60%`) says about it, given the unit
/// its cell is defined in: 万元 for an amount, a number of items for a count.
///
/// Ingest splits the unit off and keeps it (`CellParser`); without this reading a money figure
/// written in 元 was summed as 万元 (ten thousand times too large, and published), and
/// `1.2万件` counted as 1.2. Only multipliers and the money unit are converted, exactly, in
/// `Decimal`; a unit of another kind (元 or % in a count, 件 or % in an amount) is never
/// guessed at.
public enum CellUnit {
  public enum Reading: Equatable, Sendable {
    /// No conversion: the cell's own unit (`万元`; `件`, `条` …) or a measure word.
    case asWritten
    /// The figure in the cell's unit (`126000元` → 12.6 万元, `1.2万件` → 12000), and the
    /// unit that value is in (`万元`, or the measure word written, if any).
    case converted(Decimal, unit: String?)
    /// A unit that cannot be this cell's, named as written.
    case wrongKind(String)
  }

  /// Multipliers that may lead a unit, longest first so that `千万` is not read as `千`.
  static let multipliers: [(word: String, power: Int16)] = [
    ("千万", 7), ("百万", 6), ("亿", 8), ("万", 4), ("千", 3),
  ]
  static let percent: Set<String> = ["%", "％", "‰", "百分点"]
  static let money = "元"

  /// How a figure of `value` written with `unit` reads in a cell of `type`.
  public static func reading(_ value: Decimal, unit: String, type: ValueType) -> Reading {
    var base = Substring(unit)
    var power: Int16 = 0
    if let m = multipliers.first(where: { base.hasPrefix($0.word) }) {
      power = m.power
      base = base.dropFirst(m.word.count)
    }
    let word = String(base)
    if percent.contains(unit) || percent.contains(word) { return .wrongKind(unit) }
    switch type {
    case .amount:
      // 万元 cells: 元 and 亿元 are other scales of the same money; a bare multiplier
      // (`0.5亿`) is money too in a 万元 cell. A measure word is not money.
      guard word == money || word.isEmpty else { return .wrongKind(unit) }
      if word.isEmpty && power == 0 { return .asWritten }
      let shift = power - 4
      if shift == 0 { return .asWritten }
      return .converted(scaled(value, by: shift), unit: "万元")
    case .count:
      if word.hasSuffix(money) { return .wrongKind(unit) }
      if power == 0 { return .asWritten }
      return .converted(scaled(value, by: power), unit: word.isEmpty ? nil : word)
    }
  }

  /// `value` × 10^`power`, exactly.
  static func scaled(_ value: Decimal, by power: Int16) -> Decimal {
    var result = Decimal()
    var v = value
    _ = NSDecimalMultiplyByPowerOf10(&result, &v, power, .plain)
    return result
  }
}
