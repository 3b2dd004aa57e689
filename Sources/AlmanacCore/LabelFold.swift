import Foundation

/// Folds labels so that what departments type matches what the forms say (forms.md §2):
/// NFKC (full-width → half-width), all whitespace and line breaks removed, quote styles
/// unified, and numbering prefixes (`一、`, `（三）`, `1.`, `1．`, `（1）`, `一是`) stripped.
public enum LabelFold {
  /// NFKC + whitespace removal + unified quotes. Keeps numbering.
  public static func basic(_ text: String) -> String {
    // Department names and labels are mostly Han characters and plain ASCII, which the fold
    // leaves as they are: checked on the bytes, without building the text again (every new
    // unit spelling of a register comes through here while ingest reads).
    let unchanged = text.utf8.withContiguousStorageIfAvailable(isFolded) ?? isFolded(Array(text.utf8))
    return unchanged ? text : folded(text)
  }

  /// True when every character is printable ASCII other than the space and `'`, or a CJK
  /// unified ideograph (U+4E00–U+9FFF, UTF-8 `E4 B8 80` … `E9 BF BF`): NFKC keeps each of
  /// them, and `folded` removes or replaces none.
  static func isFolded(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    let n = utf8.count
    while i < n {
      let b = utf8[i]
      if b < 0x80 {
        guard b > 0x20, b < 0x7F, b != 0x27 else { return false }
        i += 1
        continue
      }
      guard b >= 0xE4, b <= 0xE9, i + 2 < n else { return false }
      let b2 = utf8[i + 1]
      guard b2 >= (b == 0xE4 ? 0xB8 : 0x80), b2 <= 0xBF, utf8[i + 2] & 0xC0 == 0x80 else { return false }
      i += 3
    }
    return true
  }

  static func isFolded(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBufferPointer(isFolded) }

  /// `basic` for any text: NFKC, then each scalar removed, replaced or kept.
  static func folded(_ text: String) -> String {
    let nfkc = text.nfkc
    var out = String.UnicodeScalarView()
    for scalar in nfkc.unicodeScalars {
      if scalar.properties.isWhitespace || scalar == "\u{FEFF}" || scalar == "\u{200B}" { continue }
      switch scalar {
      case "\u{201C}", "\u{201D}", "\u{201E}", "\u{300C}", "\u{300D}", "\u{300E}", "\u{300F}", "'", "\u{2018}",
        "\u{2019}":
        out.append("\"")
      case "\u{3001}":  // 、 stays; it separates numbering and is stripped with it
        out.append(scalar)
      default:
        out.append(scalar)
      }
    }
    return String(out)
  }

  /// `basic` plus numbering prefixes removed: the key used for label matching.
  public static func key(_ text: String) -> String {
    stripNumbering(basic(text))
  }

  static let chineseNumerals: Set<Character> = Set("一二三四五六七八九十百零〇")

  /// The value of each Chinese digit as dates and years write them digit by digit
  /// (`二〇二六`, with `〇` or the look-alike `○`).
  public static let chineseDigits: [Character: Int] = [
    "〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
  ]

  /// The number a run of Chinese numerals writes: digit by digit without a unit (`二〇二六` →
  /// 2026, as years are written), else by tens, hundreds and thousands (`十五`, `二十一`,
  /// `一百零五`, `两千`), up to 9,999; at most nine numerals. Nil for anything else, and for a
  /// run that is no number (`一二十三`: two digits before a unit).
  public static func chineseNumber<S: StringProtocol>(_ text: S) -> Int? {
    let units: [Character: Int] = ["十": 10, "百": 100, "千": 1000]
    func digit(_ c: Character) -> Int? { c == "两" ? 2 : chineseDigits[c] }
    guard !text.isEmpty, text.count <= 9 else { return nil }
    if !text.contains(where: { units[$0] != nil }) {
      var value = 0
      for c in text {
        guard let d = digit(c) else { return nil }
        value = value * 10 + d
      }
      return value
    }
    var (total, current, digits) = (0, 0, 0)
    for c in text {
      if let d = digit(c) {
        // `零` stands for skipped places (`一百零五`); two digits in a row are no number.
        if d != 0 { digits += 1 }
        guard digits <= 1 else { return nil }
        current = d
      } else if let u = units[c] {
        total += (current == 0 ? 1 : current) * u
        (current, digits) = (0, 0)
      } else {
        return nil
      }
    }
    return total + current
  }

  /// Removes one leading numbering prefix: `一、` `（三）` `(3)` `1.` `1、` `3)` `①` `一是` `第一`.
  public static func stripNumbering(_ s: String) -> String {
    var chars = Substring(s)
    // (x) or （x） after NFKC becomes "(x)"
    if chars.first == "(", let close = chars.firstIndex(of: ")") {
      let inner = chars[chars.index(after: chars.startIndex)..<close]
      if !inner.isEmpty, inner.count <= 3, inner.allSatisfy({ $0.isNumber || chineseNumerals.contains($0) }) {
        chars = chars[chars.index(after: close)...]
        return String(chars.drop(while: { $0 == "." || $0 == "、" }))
      }
    }
    // circled digits ①..⑳ become plain digits under NFKC; handled by the digit branch.
    var i = chars.startIndex
    while i < chars.endIndex, chars[i].isASCII, chars[i].isNumber { i = chars.index(after: i) }
    if i > chars.startIndex, i < chars.endIndex, ".、)".contains(chars[i]) {
      return String(chars[chars.index(after: i)...])
    }
    i = chars.startIndex
    while i < chars.endIndex, chineseNumerals.contains(chars[i]) { i = chars.index(after: i) }
    if i > chars.startIndex, i < chars.endIndex {
      if chars[i] == "、" || chars[i] == "." { return String(chars[chars.index(after: i)...]) }
      if chars[i] == "是" { return String(chars[chars.index(after: i)...]) }
    }
    return String(chars)
  }
}
