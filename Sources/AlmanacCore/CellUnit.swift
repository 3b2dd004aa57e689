import Foundation

/// What a unit glued to a figure (`126000元`, `1.2万件`, `60%`) says about it, given the unit
/// its cell is defined in (`unit:` of a row or column in forms.yaml, e.g. 万元) and its type.
///
/// Ingest splits the unit off and keeps it (`CellParser`); without this reading a money figure
/// written in 元 was summed as 万元 (ten thousand times too large, and published), and
/// `1.2万件` counted as 1.2. Only multipliers and scales of the cell's own money unit are
/// converted, exactly, in `Decimal`; a unit of another kind (元 or % in a count, 件 or % in a
/// 万元 cell) is never guessed at. An amount cell without a declared unit (a rate of the 2016
/// forms, written `98%`) keeps its figure as written.
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
  /// Words a count may carry after a multiplier (`1.2万件`, `3千人次`). After one, another word
  /// is a unit of measure (`5千克`, `1.5千米`), not a number of items.
  static let measureWords: Set<String> = [
    "件", "条", "次", "人次", "个", "份", "人", "项", "篇", "期", "场", "家", "起", "宗", "例", "批", "部", "本", "张",
    "户", "名", "位", "处", "所", "台", "套", "册", "件次", "条次", "项次", "户次", "批次", "宗次", "份次", "单", "封",
  ]
  /// Words that make a figure approximate (`22余`, `22多件`, `22左右`): which count was meant
  /// cannot be told.
  public static let approximate = ["余", "多", "左右", "以上", "以下", "许"]

  /// Whether a row or column may declare `unit` (forms.yaml): a scale of money (`万元`), a
  /// percentage, or a measure word with or without a multiplier (`万份`, `件`). A mistyped one
  /// (`万圆`) would convert nothing and refuse nothing, silently.
  public static func isDeclarable(_ unit: String) -> Bool {
    let (_, word) = split(unit)
    return percent.contains(unit) || word == money || measureWords.contains(word)
  }

  /// True when `unit` starts with a multiplier (`千条`, `万份`, `万`).
  public static func hasMultiplier(_ unit: String) -> Bool { split(unit).power > 0 }

  /// The unit a 计量单位 cell states, as `reading` takes it: spaces and enclosing brackets
  /// dropped (`（万份）`, `万 份`), 百分比 as `%`; nil for a blank cell.
  public static func statedInColumn(_ raw: String) -> String? {
    var text = raw.precomposedStringWithCompatibilityMapping.filter { !$0.isWhitespace }
    while let first = text.first, let last = text.last, "(（[【".contains(first), ")）]】".contains(last) {
      text = String(text.dropFirst().dropLast())
    }
    if ["百分比", "百分率", "百分数"].contains(text) { return "%" }
    return text.isEmpty ? nil : text
  }

  /// A unit as multiplier and base word: `万元` → (4, `元`), `件` → (0, `件`), `万` → (4, ``).
  static func split(_ unit: String) -> (power: Int16, word: String) {
    guard let m = multipliers.first(where: { unit.hasPrefix($0.word) }) else { return (0, unit) }
    return (m.power, String(unit.dropFirst(m.word.count)))
  }

  /// How a figure of `value` written with `unit` reads in a cell of `type` whose figures are in
  /// `cellUnit` (nil when the form does not say).
  public static func reading(_ value: Decimal, unit: String, cellUnit: String?, type: ValueType) -> Reading {
    if unit == cellUnit { return .asWritten }
    let (power, word) = split(unit)
    let isPercent = percent.contains(unit) || percent.contains(word)
    if let cellUnit {
      let own = split(cellUnit)
      if percent.contains(cellUnit) {
        guard isPercent else { return .wrongKind(unit) }
        // 5‰ is 0.5%: per mille and per cent are scales of one another.
        let (written, own) = (unit == "‰" ? 3 : 2, cellUnit == "‰" ? 3 : 2)
        return written == own ? .asWritten : .converted(scaled(value, by: Int16(own - written)), unit: cellUnit)
      }
      if own.word == money {
        // A 万元 cell: 元 and 亿元 are other scales of the same money; a bare multiplier
        // (`0.5亿`) is money too there. A measure word or a percentage is not money.
        guard word == money || (word.isEmpty && power > 0) else { return .wrongKind(unit) }
        let shift = power - own.power
        return shift == 0 ? .asWritten : .converted(scaled(value, by: shift), unit: cellUnit)
      }
      if measureWords.contains(own.word) {
        // A 万份 cell (the 2016 forms' leaflets): `15000份` and `1.5万` are its scales. Another
        // measure word counts the same items (份 or 张 of leaflets), so only its scale is read;
        // money, a percentage or a unit of measure (`5千克`) is another kind.
        guard word.isEmpty || measureWords.contains(word) else { return .wrongKind(unit) }
        let shift = power - own.power
        return shift == 0 ? .asWritten : .converted(scaled(value, by: shift), unit: cellUnit)
      }
    }
    switch type {
    case .amount:
      return .asWritten
    case .count:
      if isPercent || word.hasSuffix(money) { return .wrongKind(unit) }
      // Only a number of items: `22余`, `22多件` (about 22) or `22abc` was read as 22.
      if !word.isEmpty && !measureWords.contains(word) { return .wrongKind(unit) }
      if power == 0 { return .asWritten }
      return .converted(scaled(value, by: power), unit: word.isEmpty ? nil : word)
    }
  }

  /// A money unit a header label states at its end — `收费金额（单位：元）`, `金额(千元)` — and
  /// the label without it; nil when the label states none. A department that retypes the fee
  /// column's header in 元 writes its figures in 元: the header's unit is theirs.
  public static func headerUnit(_ label: String) -> (label: String, unit: String)? {
    let text = label.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespaces)
    guard text.hasSuffix(")"), let open = text.lastIndex(of: "(") else { return nil }
    var inner = text[text.index(after: open)..<text.index(before: text.endIndex)]
      .trimmingCharacters(in: .whitespaces)
    for prefix in ["单位:", "单位"] where inner.hasPrefix(prefix) {
      inner = String(inner.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
      break
    }
    let (_, word) = split(inner)
    guard word == money else { return nil }
    let base = String(text[..<open]).trimmingCharacters(in: .whitespaces)
    return base.isEmpty ? nil : (base, inner)
  }

  /// `value` × 10^`power`, exactly.
  static func scaled(_ value: Decimal, by power: Int16) -> Decimal {
    var result = Decimal()
    var v = value
    _ = NSDecimalMultiplyByPowerOf10(&result, &v, power, .plain)
    return result
  }
}
