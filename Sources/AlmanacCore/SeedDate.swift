/// A date in a seed table's `valid_from` / `valid_to`. Seeds are written as `YYYY-MM-DD`, but an
/// office edits them in Excel or WPS, which save dates the way the system shows them:
/// `2019/3/29` in a Chinese locale, or `2019年3月29日`. Those forms name a year first, so they
/// cannot be misread; each is taken as the same day.
public enum SeedDate {
  /// A `valid_from` / `valid_to` cell as dates compare (as text, `YYYY-MM-DD`): nil when
  /// empty, a date however it was saved, anything else as written (for `SeedValidator` to
  /// report, SEED-005).
  public static func cell(_ raw: String?) -> String? {
    guard let t = raw?.trimmingWhitespace, !t.isEmpty else { return nil }
    return canonical(t) ?? t
  }

  /// `text` as `YYYY-MM-DD` when it is a real calendar day written year, month, day with
  /// `-`, `/` or `.` between them, or as `YYYY年M月D日`; nil otherwise.
  public static func canonical(_ text: String) -> String? {
    var s = Substring(text)
    if s.hasSuffix("日") { s = s.dropLast() }
    let parts = s.split(omittingEmptySubsequences: false) { "-/.年月".contains($0) }
    guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
      parts.allSatisfy({ $0.allSatisfy(\.isASCII) }), let y = Int(parts[0]), let m = Int(parts[1]),
      let d = Int(parts[2]), (1900...2199).contains(y), (1...12).contains(m)
    else { return nil }
    // One separator style throughout: `2019-3/29` is a typing slip, not a date.
    let separators = text.filter { "-/.年月".contains($0) }
    guard separators == "--" || separators == "//" || separators == ".." || separators == "年月" else { return nil }
    if separators == "年月", !text.hasSuffix("日") { return nil }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
    let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    guard (1...days).contains(d) else { return nil }
    return "\(parts[0])-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
  }
}
