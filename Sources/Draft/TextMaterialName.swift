/// What a text-material file name says: which section (and sub-head) it fills, and for whom.
///
/// Naming rules (extension `.md` or `.txt`, case-insensitive; the stem is what counts):
/// - **Region text**: the stem *starts* with a section token; anything after it is a free title.
///   `一、总体情况.md`, `五-存在的主要问题.txt`, `六.md`, `section1.md`, `Section6_其他.md`.
/// - **Sub-head of 一**: the section token 一 followed by the sub-head number:
///   `一（一）主动公开.md`, `一(二).md`, `一-3.md`, `section1-4.md`, `section1.5.md`
///   (（一）主动公开 （二）依申请公开 （三）政府信息管理 （四）政府信息公开平台建设 （五）监督保障).
/// - **Department text**: a department name, a separator (`-`, `_`, `、` or a space), then the
///   section token at the *end*: `环保局-六.md`, `财政局_section5.md`, `环保局-一（二）.md`.
///   The department is kept as written; the report lists it, it does not resolve it.
///
/// Section tokens are 一, 五, 六 (the prose sections) or `section1`/`section5`/`section6`;
/// 二、三、四 are tables computed from the data and take no text.
public struct TextMaterialName: Hashable, Sendable {
  /// "一", "五" or "六".
  public var section: String
  /// Sub-head 1…5 of section 一, nil for the whole section.
  public var part: Int?
  /// Department claim as written, nil for a region text.
  public var department: String?

  public init(section: String, part: Int? = nil, department: String? = nil) {
    self.section = section
    self.part = part
    self.department = department
  }

  /// Classifies a file name; nil when it follows none of the rules.
  public init?(fileName: String) {
    var stem = Substring(fileName)
    if let dot = stem.lastIndex(of: ".") {
      let ext = stem[stem.index(after: dot)...].lowercased()
      guard ext == "md" || ext == "txt" else { return nil }
      stem = stem[..<dot]
    }
    stem = Substring(stem.trimmingCharacters(in: .whitespaces))
    guard !stem.isEmpty else { return nil }
    // Region text: a section token at the start, followed by a boundary or a sub-head.
    if let (section, part, rest) = Self.leadingToken(stem), part != nil || Self.isBoundary(rest) {
      self.init(section: section, part: part, department: nil)
      return
    }
    // Department text: `<department><separator><token>` with the token ending the stem.
    var index = stem.endIndex
    while index > stem.startIndex {
      index = stem.index(before: index)
      guard Self.separators.contains(stem[index]) else { continue }
      let department = stem[..<index].trimmingCharacters(in: .whitespaces)
      let tail = stem[stem.index(after: index)...]
      guard !department.isEmpty, let (section, part, rest) = Self.leadingToken(tail), rest.isEmpty else { continue }
      self.init(section: section, part: part, department: department)
      return
    }
    return nil
  }

  static let separators: Set<Character> = ["-", "_", "、", " ", "－", "—"]
  static let sections: [(token: String, section: String)] = [
    ("section1", "一"), ("section5", "五"), ("section6", "六"), ("一", "一"), ("五", "五"), ("六", "六"),
  ]
  static let numerals: [Character: Int] = [
    "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5,
  ]

  /// Reads a section token (and, for 一, a sub-head) at the start of `text`.
  static func leadingToken(_ text: Substring) -> (String, Int?, Substring)? {
    for (token, section) in sections {
      guard text.lowercased().hasPrefix(token) else { continue }
      var rest = text.dropFirst(token.count)
      var part: Int?
      if section == "一", let (p, after) = subHead(rest) {
        part = p
        rest = after
      }
      return (section, part, rest)
    }
    return nil
  }

  /// `（一）`, `(1)`, `-3`, `.4`, `_5` after the section token of 一.
  static func subHead(_ text: Substring) -> (Int, Substring)? {
    guard let first = text.first else { return nil }
    if first == "（" || first == "(" {
      let inner = text.dropFirst()
      guard let c = inner.first, let n = numerals[c], let close = inner.dropFirst().first,
        close == "）" || close == ")"
      else { return nil }
      return (n, inner.dropFirst(2))
    }
    if first == "-" || first == "." || first == "_" || first == "－" {
      let inner = text.dropFirst()
      guard let c = inner.first, c.isASCII, let n = numerals[c] else { return nil }
      let after = inner.dropFirst()
      // `一-1` but not `一-12`.
      if let next = after.first, next.isNumber { return nil }
      return (n, after)
    }
    return nil
  }

  /// A token must end at the stem's end or at punctuation/space, so `一些想法.md` is no region text.
  static func isBoundary(_ rest: Substring) -> Bool {
    guard let c = rest.first else { return true }
    return separators.contains(c) || "、.．:：，,（(".contains(c)
  }
}
