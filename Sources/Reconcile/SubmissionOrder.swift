import AlmanacCore
import Foundation

/// Which of two submissions of one department is newer.
///
/// The rule (documented for operators): the submission with the later 填报日期 wins; a sheet
/// without a readable 填报日期 counts as older than any dated one; on equal (or no) dates the
/// file whose inbox path sorts last (plain Unicode order) wins, so `环保局-表三-更正.csv` or
/// `02_…` replaces `01_…`. The sha256 breaks a tie of identical paths. File times are never used:
/// copying an inbox must not change the result.
public enum SubmissionOrder {
  /// 填报日期 as `yyyymmdd`, from `2026-01-10`, `2026/1/10`, `2026.1.10`, `2026年1月10日`
  /// (full-width digits too) or an Excel serial day number (`46032`); nil when unreadable.
  public static func date(_ filledOn: String?) -> Int? {
    guard let text = filledOn?.precomposedStringWithCompatibilityMapping else { return nil }
    var groups: [Int] = []
    var current = ""
    for c in text {
      if c.isASCII, c.isNumber {
        current.append(c)
      } else if !current.isEmpty {
        groups.append(Int(current) ?? -1)
        current = ""
      }
    }
    if !current.isEmpty { groups.append(Int(current) ?? -1) }
    if groups.count == 1, let serial = groups.first, (20_000...80_000).contains(serial) {
      return excelSerial(serial)
    }
    guard groups.count >= 3 else { return nil }
    let (y, m, d) = (groups[0], groups[1], groups[2])
    guard (1900...2999).contains(y), (1...12).contains(m), (1...31).contains(d) else { return nil }
    return y * 10_000 + m * 100 + d
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
    return (da, a.source.path, a.source.sha256) < (db, b.source.path, b.source.sha256)
  }
}
