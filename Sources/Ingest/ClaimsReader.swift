import AlmanacCore
import Foundation

/// Collects what a sheet says about its sender and year (forms.md §3): the title row, the
/// `填报单位：` / `单位名称` metadata cells, `填报日期`, and the file name. Normalize resolves them.
public struct ClaimsReader: Sendable {
  public private(set) var claims = SheetClaims()

  /// Starts with the claims carried by the file name (`03_凌海市环境保护局_2025年报统计.csv`).
  public init(path: String) {
    let fromName = ClaimsReader.fileNameClaims(path)
    claims.fileNameDepartment = fromName.department
    claims.fileNameYear = fromName.year
    let folders = ClaimsReader.folderClaims(path)
    claims.folderDepartments = folders.isEmpty ? nil : folders
  }

  /// What the folders of `path` (relative to the inbox) name, nearest first: each folder name
  /// read as a file name is (`人社局2025年报` → `人社局`), those naming nothing left out, and
  /// so are folders that sort submissions rather than name a sender (`第一批`, `补报`).
  public static func folderClaims(_ path: String) -> [String] {
    var names: [String] = []
    for folder in path.split(separator: "/").dropLast().reversed() {
      guard let name = fileNameClaims(String(folder)).department, !isBatchFolder(name), !names.contains(name) else {
        continue
      }
      names.append(name)
    }
    return names
  }

  /// Folder names operators sort submissions by: batches (`第一批`, `第2次`), corrections and
  /// late ones (`补报`, `更正`), working folders (`新建文件夹`). Whole names only: no unit is
  /// called so, and a unit's name that starts with 新 must not lose it.
  static func isBatchFolder(_ name: String) -> Bool {
    if batchFolderNames.contains(name) { return true }
    let chars = Array(name)
    guard chars.count >= 3, chars.first == "第", let last = chars.last, "批次轮".contains(last) else { return false }
    return chars.dropFirst().dropLast().allSatisfy { $0.isNumber || "一二三四五六七八九十百零".contains($0) }
  }

  static let batchFolderNames: Set<String> = [
    "补报", "补交", "更正", "更正版", "重报", "修改", "修改版", "修订", "补充", "收件", "收件箱", "已收", "已处理", "待处理",
    "原件", "原始", "备份", "旧版", "新版", "新建文件夹", "各单位", "各部门", "部门报表", "乡镇", "街道",
  ]

  // MARK: - Rows

  /// Notes a title row; the first title of a sheet is the one that counts.
  public mutating func noteTitle(_ text: String, line: Int) {
    guard claims.title == nil else { return }
    claims.title = text
    claims.titleLine = line
    let parsed = ClaimsReader.titleClaims(text)
    claims.titleDepartment = parsed.department
    claims.titleYear = parsed.year
  }

  /// Notes a metadata row (`填报单位：…,,,填报日期：…`, or `单位名称,凌海市环境保护局`).
  public mutating func noteMetadata(_ fields: [String], line: Int) {
    let cells = fields.map(CellParser.trim)
    var i = 0
    while i < cells.count {
      defer { i += 1 }
      guard let (kind, inlineValue) = ClaimsReader.metadataCell(cells[i]) else { continue }
      var value = inlineValue
      if value.isEmpty, let next = cells[(i + 1)...].firstIndex(where: { !$0.isEmpty }),
        ClaimsReader.metadataCell(cells[next]) == nil
      {
        value = cells[next]
        i = next
      }
      guard !value.isEmpty else { continue }
      switch kind {
      case .department:
        if claims.metadataDepartment == nil {
          claims.metadataDepartment = value
          claims.metadataLine = line
        }
      case .date:
        if claims.filledOn == nil { claims.filledOn = value }
      case .unit:
        break
      }
    }
  }

  // MARK: - Classification

  enum MetadataKind { case department, date, unit }

  static let departmentKeys = ["填报单位", "单位名称", "报送单位", "填报机关", "填表单位", "报送机关", "单位（盖章）", "单位(盖章)"]
  static let dateKeys = ["填报日期", "报送日期", "填表日期", "统计日期"]
  /// The keys with their NFKC forms, made once: every cell before a sheet's header is asked.
  static let foldedMetadataKeys = (departmentKeys + dateKeys).map { ($0, $0.nfkc) }
  static let unitWords: Set<String> = ["件", "个", "条", "万元", "元", "人", "次", "项", "人次", "件次"]

  /// If the cell is a metadata key, its kind and the value written after `：` (maybe empty).
  static func metadataCell(_ cell: String) -> (MetadataKind, String)? {
    let text = cell.nfkc
    for (key, foldedKey) in foldedMetadataKeys {
      guard text.hasPrefix(foldedKey) else { continue }
      let rest = valueAfterKey(String(text.dropFirst(foldedKey.count)))
      guard let rest else { continue }
      return (dateKeys.contains(key) ? .date : .department, restOriginal(cell, rest))
    }
    // `单位：件` is a unit note; `单位：凌海市环境保护局` names the department.
    if text.hasPrefix("单位"), let rest = valueAfterKey(String(text.dropFirst(2))), !rest.isEmpty {
      return (unitWords.contains(rest) ? .unit : .department, restOriginal(cell, rest))
    }
    return nil
  }

  /// The value after a key: `：value`, `:value`, or nothing at all; nil when other text follows.
  private static func valueAfterKey(_ rest: String) -> String? {
    let t = rest.trimmingWhitespace
    if t.isEmpty { return "" }
    if let f = t.first, f == ":" || f == "：" {
      return String(t.dropFirst()).trimmingWhitespace
    }
    return nil
  }

  /// The value as written (not NFKC-folded): the suffix of the original cell of the same length.
  private static func restOriginal(_ cell: String, _ foldedRest: String) -> String {
    guard !foldedRest.isEmpty else { return "" }
    if let colon = cell.firstIndex(where: { $0 == ":" || $0 == "：" }) {
      let v = CellParser.trim(String(cell[cell.index(after: colon)...]))
      if !v.isEmpty { return v }
    }
    return foldedRest
  }

  /// True when a cell starts a metadata row.
  static func isMetadata(_ firstCell: String) -> Bool {
    metadataCell(firstCell) != nil
  }

  static let footerKeys = [
    "填表人", "填报人", "制表人", "统计人", "审核人", "审核", "联系电话", "电话", "备注", "说明", "负责人",
    "单位负责人", "分管领导", "注:", "注：", "签字", "盖章",
  ]

  static let foldedFooterKeys = footerKeys.map(LabelFold.basic)

  /// True when a row starting with this cell is a footer (填表人, 审核人, 联系电话, 备注, 说明 …).
  static func isFooter(_ firstCell: String) -> Bool {
    let text = LabelFold.basic(firstCell)
    return foldedFooterKeys.contains { text.hasPrefix($0) }
  }

  static let titleWords = ["报告", "统计表", "年报", "台账", "汇总表", "情况表", "登记表", "报表", "统计"]

  /// True when a single-cell row reads as a sheet title rather than a table caption.
  static func isTitle(_ text: String) -> Bool {
    let basic = LabelFold.basic(text)
    guard !basic.isEmpty else { return false }
    // Numbered text (`三、收到和处理…`) and `表三 …` are captions of a table, not the sheet's title.
    if LabelFold.stripNumbering(basic) != basic { return false }
    if basic.hasPrefix("表"), let second = basic.dropFirst().first,
      LabelFold.chineseNumeralSet.contains(second) || second.isNumber
    {
      return false
    }
    // Literal searches on UTF-8 (the words and `basic` are NFKC): `String.contains` searched
    // through generic collection algorithms, once per word and sheet.
    if titleWords.contains(where: { basic.utf8Range(of: $0) != nil }) { return true }
    // `凌海市环境保护局2025年度政府信息公开情况`: a year in a heading names the report.
    if let (_, range) = findYear(basic), basic[range.upperBound...].hasPrefix("年") { return true }
    return false
  }

  // MARK: - Parsing claims

  /// Department and year named in a title such as `凌海市环境保护局2025年度政府信息公开工作年度报告统计表`.
  public static func titleClaims(_ text: String) -> (department: String?, year: Int?) {
    let basic = LabelFold.basic(text)
    if let (year, range) = findYear(basic) {
      let before = String(basic[..<range.lowerBound])
      if let d = cleanDepartment(before) { return (d, year) }
      var after = basic[range.upperBound...]
      for suffix in ["年度", "年"] where after.hasPrefix(suffix) {
        after = after.dropFirst(suffix.count)
        break
      }
      return (cleanDepartment(cutAtSubject(String(after))), year)
    }
    return (cleanDepartment(cutAtSubject(basic)), nil)
  }

  /// Department and year in a file name: `环保局-表三.csv`, `03_凌海市环境保护局_2025年报统计.csv`.
  public static func fileNameClaims(_ path: String) -> (department: String?, year: Int?) {
    let name = InboxFileKind.stem(path.split(separator: "/").last.map(String.init) ?? path)
    let text = name.nfkc
    var year: Int?
    var tokens: [String] = []
    for token in text.split(whereSeparator: { separators.contains($0) || $0.isWhitespace }) {
      var t = String(token)
      // A year splits a token: `凌海市环境保护局2025年度` → department before, generic words after.
      while let (y, range) = findYear(t) {
        if year == nil { year = y }
        var after = t[range.upperBound...]
        for suffix in ["年度", "年报", "年"] where after.hasPrefix(suffix) {
          after = after.dropFirst(suffix.count)
          break
        }
        tokens.append(String(t[..<range.lowerBound]))
        t = String(after)
      }
      tokens.append(t)
    }
    let department = tokens.lazy.compactMap { cleanDepartment(stripGeneric($0)) }.first
    return (department, year)
  }

  /// What splits a file name into words.
  static let separators = Set("_-—–.()[]【】 +·,")

  /// Words of file names and titles that never name a department.
  static let genericWords = [
    "政府信息公开工作年度报告", "政府信息公开", "依申请公开", "信息公开", "工作", "年度报告", "年度", "年报", "报告",
    "统计表", "统计", "报表", "登记台账", "台账", "登记表", "汇总表", "汇总", "数据", "附件", "最终版", "修改版", "终稿", "定稿",
    "表一", "表二", "表三", "表四", "表1", "表2", "表3", "表4", "情况", "附表",
  ]

  static let genericWordsLongestFirst = genericWords.sorted { $0.count > $1.count }

  /// Removes generic words at both ends of a token until none is left there.
  static func stripGeneric(_ token: String) -> String {
    // On UTF-8 bytes: the words are NFC, and file names and titles arrive NFKC-mapped, so bytes
    // compare as characters do (and a file name is read for every inbox file).
    var t = Array(token.utf8)[...]
    var changed = true
    while changed {
      changed = false
      for w in genericWordBytes {
        if t.count >= w.count, t.suffix(w.count).elementsEqual(w) {
          t = t.dropLast(w.count)
          changed = true
        } else if t.count >= w.count, t.prefix(w.count).elementsEqual(w) {
          t = t.dropFirst(w.count)
          changed = true
        }
      }
    }
    return String(decoding: t, as: UTF8.self)
  }

  static let genericWordBytes = genericWordsLongestFirst.map { Array($0.utf8) }

  /// Text before the subject words of a title (`…政府信息公开工作年度报告`).
  /// `text` is NFKC-folded (`LabelFold.basic`), so the markers are found by their bytes.
  static func cutAtSubject(_ text: String) -> String {
    var end = text.endIndex
    for marker in ["政府信息公开", "依申请公开", "信息公开", "年度报告", "统计表", "台账"] {
      if let r = text.utf8Range(of: marker), r.lowerBound < end { end = r.lowerBound }
    }
    return String(text[..<end])
  }

  /// Trimmed off the ends of a department name candidate.
  static let nameEdgeCharacters = CharacterSet(charactersIn: "0123456789 ，,、：:（）()“”\"'-_.《》")

  /// A department name candidate: trimmed of digits and punctuation; nil unless it has at
  /// least two characters and some Chinese.
  static func cleanDepartment(_ text: String) -> String? {
    var t = text
    if t.hasPrefix("关于") { t = String(t.dropFirst(2)) }
    let trimmed = t.trimming(nameEdgeCharacters)
    guard trimmed.count >= 2, trimmed.unicodeScalars.contains(where: { $0.properties.isIdeographic }) else {
      return nil
    }
    return trimmed
  }

  /// The first year `19xx`/`20xx` not part of a longer digit run; else a year written in
  /// Chinese numerals before 年 (`二〇二四年度`, which a title typed by hand may use: read as
  /// no year, another year's sheet was summed into this one's without a word).
  static func findYear(_ text: String) -> (Int, Range<String.Index>)? {
    if let found = findArabicYear(text) { return found }
    guard text.contains("年"),
      let range = text.range(of: "[一二][〇○零一二三四五六七八九]{3}(?=年)", options: .regularExpression)
    else { return nil }
    let y = text[range].reduce(0) { $0 * 10 + (LabelFold.chineseDigits[$1] ?? 0) }
    return (1990...2099).contains(y) ? (y, range) : nil
  }

  private static func findArabicYear(_ text: String) -> (Int, Range<String.Index>)? {
    // ASCII digits are single bytes and scalar boundaries: scanned on UTF-8, sliced as text.
    let utf8 = Array(text.utf8)
    func digit(_ i: Int) -> Bool { i >= 0 && i < utf8.count && utf8[i] >= 0x30 && utf8[i] <= 0x39 }
    var i = 0
    while i + 3 < utf8.count {
      if !digit(i - 1), !digit(i + 4), digit(i), digit(i + 1), digit(i + 2), digit(i + 3) {
        let y = (0..<4).reduce(0) { $0 * 10 + Int(utf8[i + $1] - 0x30) }
        if (1990...2099).contains(y) {
          let start = text.utf8.index(text.utf8.startIndex, offsetBy: i)
          let end = text.utf8.index(start, offsetBy: 4)
          return (y, start..<end)
        }
      }
      i += 1
    }
    return nil
  }
}

extension LabelFold {
  /// Chinese numerals that start numbering prefixes (`一、`, `表三`).
  static let chineseNumeralSet: Set<Character> = Set("一二三四五六七八九十")
}

extension SheetClaims {
  /// The department a sheet most plausibly names: metadata cell, then title, then file name.
  public var bestDepartment: String? { metadataDepartment ?? titleDepartment ?? fileNameDepartment }

  /// The year a sheet names: title, then file name.
  public var bestYear: Int? { titleYear ?? fileNameYear }
}
