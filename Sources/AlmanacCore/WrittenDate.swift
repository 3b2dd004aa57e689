import Foundation

/// Dates as departments write them in their sheets.
public enum WrittenDate {
  /// A date as written in a sheet (填报日期, a register's 收到日期) as `yyyymmdd`, from
  /// `2026-01-10`, `2026/1/10`, `2026.1.10`, `26.1.10`, `2026年1月10日`, `二〇二六年一月十日`,
  /// `2026年元月10日`, `20260110`, `10-Jan-26` (full-width digits too) or an Excel serial day
  /// number (`46032`); nil when unreadable — a date without its year or day (`1月10日`,
  /// `2026年1月`) cannot be ordered against a full one, and `2025-02-30` is no day.
  public static func yyyymmdd(_ written: String?) -> Int? {
    guard let written = written?.precomposedStringWithCompatibilityMapping else { return nil }
    let text = arabicNumerals(written.replacingOccurrences(of: "元月", with: "1月"))
    var groups: [Int] = []
    var digits: [String] = []
    var current = ""
    var month: Int?
    var letters = ""
    func endGroup() {
      if !current.isEmpty {
        groups.append(Int(current) ?? -1)
        digits.append(current)
        current = ""
      }
      if !letters.isEmpty {
        if month == nil { month = monthNames.firstIndex(of: String(letters.lowercased().prefix(3))).map { $0 + 1 } }
        letters = ""
      }
    }
    for c in text {
      if c.isASCII, c.isNumber {
        if !letters.isEmpty { endGroup() }
        current.append(c)
      } else if c.isASCII, c.isLetter {
        if !current.isEmpty { endGroup() }
        letters.append(c)
      } else {
        endGroup()
      }
    }
    endGroup()
    if let month {
      // `10-Jan-26`, `Jan 10, 2026`, `10 January 2026`.
      guard groups.count == 2 else { return nil }
      let (day, year) = groups[0] > 31 ? (groups[1], groups[0]) : (groups[0], groups[1])
      return ymd(fullYear(year), month, day)
    }
    if groups.count == 1, let only = groups.first {
      if (20_000...80_000).contains(only) { return excelSerial(only) }
      if digits[0].count == 8 { return ymd(only / 10_000, only / 100 % 100, only % 100) }
      return nil
    }
    guard groups.count >= 3 else { return nil }
    if digits[0].count <= 2 {
      // `26.1.15` (Excel's yy.m.d); `1/5/26` or `15.01.26` put the day or month first, which
      // cannot be told apart: unreadable (REC-SUB-006 says so) rather than 2001 or 2015. With
      // slashes a two-digit first group is a day or a month (`25/1/26`).
      guard (19...39).contains(groups[0]), digits[2].count <= 2, !text.contains("/") else { return nil }
      return ymd(fullYear(groups[0]), groups[1], groups[2])
    }
    return ymd(groups[0], groups[1], groups[2])
  }

  static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

  /// `26` → 2026: Excel's `yy` formats.
  private static func fullYear(_ y: Int) -> Int { y < 100 ? 2000 + y : y }

  /// A day that exists: `2025-02-30` and `2025-04-31` are unreadable, not dates.
  private static func ymd(_ y: Int, _ m: Int, _ d: Int) -> Int? {
    guard (1900...2999).contains(y), (1...12).contains(m), d >= 1 else { return nil }
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
    let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    guard d <= days else { return nil }
    return y * 10_000 + m * 100 + d
  }

  /// `二〇二六年一月十五日` → `2026年1月15日`: a run of Chinese numerals becomes its number, read
  /// digit by digit (`二〇二六`) or with tens (`十五`, `二十一`, `三十`).
  public static func arabicNumerals(_ text: String) -> String {
    let values = LabelFold.chineseDigits
    var out = ""
    var run: [Character] = []
    func flush() {
      guard !run.isEmpty else { return }
      // A run that is no number stays as written, and the date unreadable (REC-SUB-006).
      out += LabelFold.chineseNumber(String(run)).map(String.init) ?? String(run)
      run = []
    }
    for c in text {
      if values[c] != nil || c == "十" {
        run.append(c)
      } else {
        flush()
        out.append(c)
      }
    }
    flush()
    return out
  }

  /// Excel's day 0 is 1899-12-30 (the 1900 leap-year bug included).
  private static func excelSerial(_ serial: Int) -> Int? {
    var cal = Calendar(identifier: .gregorian)
    guard let utc = TimeZone(identifier: "UTC") else { return nil }
    cal.timeZone = utc
    guard let base = cal.date(from: DateComponents(year: 1899, month: 12, day: 30)),
      let day = cal.date(byAdding: .day, value: serial, to: base)
    else { return nil }
    let c = cal.dateComponents([.year, .month, .day], from: day)
    guard let y = c.year, let m = c.month, let d = c.day else { return nil }
    return y * 10_000 + m * 100 + d
  }
}
