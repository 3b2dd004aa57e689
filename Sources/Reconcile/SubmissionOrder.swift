import AlmanacCore
import Foundation

/// Which of two submissions of one department is newer.
///
/// The rule (documented for operators): the submission with the later 填报日期 wins; a sheet
/// without a readable 填报日期 counts as older than any dated one; on equal (or no) dates the
/// file whose inbox path sorts last wins, the name compared without its extension, so that a
/// name that extends another (`表三（更正）.csv`, `表三-更正.csv`, `表三 (1).csv` after `表三.csv`)
/// and `02_…` after `01_…` replace it. The sha256 breaks a tie of identical paths. File times
/// are never used: copying an inbox must not change the result.
public enum SubmissionOrder {
  /// 填报日期 as `yyyymmdd`, from `2026-01-10`, `2026/1/10`, `2026.1.10`, `26.1.10`,
  /// `2026年1月10日`, `二〇二六年一月十日`, `2026年元月10日`, `20260110`, `10-Jan-26`
  /// (full-width digits too) or an Excel serial day number (`46032`); nil when unreadable —
  /// a date without its year or day (`1月10日`, `2026年1月`) cannot be ordered against a full one.
  public static func date(_ filledOn: String?) -> Int? {
    guard let written = filledOn?.precomposedStringWithCompatibilityMapping else { return nil }
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

  private static func ymd(_ y: Int, _ m: Int, _ d: Int) -> Int? {
    guard (1900...2999).contains(y), (1...12).contains(m), (1...31).contains(d) else { return nil }
    return y * 10_000 + m * 100 + d
  }

  /// `二〇二六年一月十五日` → `2026年1月15日`: a run of Chinese numerals becomes its number, read
  /// digit by digit (`二〇二六`) or with tens (`十五`, `二十一`, `三十`).
  static func arabicNumerals(_ text: String) -> String {
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

  /// True when `a` is older than `b` (so `b` supersedes `a`).
  public static func isOlder(_ a: Submission, than b: Submission) -> Bool {
    let da = date(a.filledOn) ?? 0
    let db = date(b.filledOn) ?? 0
    if da != db { return da < db }
    // Paths without their extensions: a name that extends another sorts after it, whatever
    // character the extension follows.
    let (na, nb) = (InboxFileKind.stem(a.source.path), InboxFileKind.stem(b.source.path))
    if na != nb { return na < nb }
    return (a.source.path, a.source.sha256) < (b.source.path, b.source.sha256)
  }

  /// True when `newer`'s name is `older`'s with a word of correction added (`表三（更正）.csv`,
  /// `表三-修改.csv`, `表三 终稿.csv` after `表三.csv`): the department said which is newer. A
  /// copy's name (`表三 (1).csv`, `表三 - 副本.csv`) or a name that merely sorts later says
  /// nothing of the kind.
  public static func namesACorrection(older: Submission, newer: Submission) -> Bool {
    let (a, b) = (
      InboxFileKind.stem((older.source.path as NSString).lastPathComponent),
      InboxFileKind.stem((newer.source.path as NSString).lastPathComponent)
    )
    guard b.count > a.count, b.hasPrefix(a) else { return false }
    let added = b.dropFirst(a.count)
    return correctionWords.contains { added.contains($0) }
  }

  static let correctionWords = ["更正", "修正", "修改", "修订", "更新", "最终", "终稿", "定稿"]

  /// A 填报日期 written but not readable as a date.
  public static func isUnreadable(_ filledOn: String?) -> Bool {
    guard let text = filledOn?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return false }
    return date(text) == nil
  }
}
