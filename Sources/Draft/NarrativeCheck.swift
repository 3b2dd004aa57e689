import AlmanacCore
import Foundation

/// C-5 and C-6 (report-2021.md §3.2): what the operators' prose says against the region's tables.
///
/// The draft writes every figure of its own sentences from the data; the text material of
/// sections 一、五、六 is written by hand and printed as written. Real reports quote figures
/// there that the table contradicts (上海 2019, 长春 2023) and claim “均获维持” while cases are
/// pending, so the figures a sentence states about 表三 and 表四 are compared with the region's
/// cells: DRF-004 (warning) for a figure no reading of the table gives, DRF-005 (warning) for a
/// 维持/败诉 claim that 表四 contradicts. A sentence may count applications as 本年新收 or as
/// 新收加上年结转 (平潭 2022 does the latter): either is accepted. Only the region's material is
/// read (a department's own text speaks of its own figures) and percentages are not compared.
struct NarrativeCheck {
  /// The region's figures by cell key (`t3.r1.zj`).
  let region: [String: CellValue]
  let figures: ReportFigures
  /// The report's year: a clause naming another (`2024年收到申请70件`) speaks of that year.
  var year: Int? = nil

  /// One kind of figure prose states: the words around it, and the table readings that agree.
  struct Claim {
    var label: String
    var pattern: NSRegularExpression
    /// What the table says, by name: any one equal to the stated figure agrees.
    var readings: [(name: String, cells: [CellKey])]
  }

  /// The claims, longest wording first: the span one matches is not matched again by a shorter
  /// one (`予以公开及部分公开42件` is not also `部分公开42件`).
  var claims: [Claim] {
    func t3(_ rows: [String]) -> [CellKey] { rows.map { CellKey(form: "t3", row: $0, column: "zj") } }
    func group(_ key: String) -> [CellKey] { t3(figures.groups(of: "t3").first { $0.key == key }?.rows ?? []) }
    let number = #"(?:共计|合计|总计|共|计)?(\d[\d,]*|[零〇一二两三四五六七八九十百千]+)件"#
    let claim = { (label: String, words: String, readings: [(String, [CellKey])]) -> Claim? in
      guard let re = try? NSRegularExpression(pattern: words + number) else { return nil }
      return Claim(label: label, pattern: re, readings: readings)
    }
    return [
      claim("予以公开及部分公开", #"(?:予以公开|公开)(?:及|和|与|、)部分公开(?:的)?(?:申请)?"#, [("予以公开及部分公开", group("gkbf"))]),
      claim("不予公开", #"不予公开(?:的)?(?:申请)?"#, [("不予公开", group("bygk"))]),
      claim("无法提供", #"无法提供(?:的)?(?:申请)?"#, [("无法提供", group("wftg"))]),
      claim("不予处理", #"不予处理(?:的)?(?:申请)?"#, [("不予处理", group("bycl"))]),
      claim("其他处理", #"其他处理(?:的)?(?:申请)?"#, [("其他处理", group("qtcl"))]),
      claim("部分公开", #"部分公开(?:的)?(?:申请)?"#, [("部分公开", t3(["r3_2"]))]),
      claim("予以公开", #"予以公开(?:的)?(?:申请)?"#, [("予以公开", t3(["r3_1"]))]),
      claim("上年结转", #"上(?:一)?年(?:度)?结转(?:的)?(?:申请)?"#, [("上年结转", t3(["r2"]))]),
      claim("结转下年度", #"结转(?:至|到)?下(?:一)?年(?:度)?(?:继续办理)?(?:的)?(?:申请)?"#, [("结转下年度继续办理", t3(["r4"]))]),
      // Not a kind of handling (`按时办结80件，延期办结1件`).
      claim("办结", #"(?<!按时|延期|期内|限内|逾期|当场|及时)办结(?:了)?(?:申请)?"#, [("（七）总计", t3(["r3_7"]))]),
      // The whole count only: `收到自然人申请68件` is one kind of applicant's.
      claim(
        "收到申请", #"(?:收到|受理|新收|接收)(?:各类)?(?:政府)?(?:信息公开)?(?:的)?申请"#,
        [("本年新收", t3(["r1"])), ("本年新收加上年结转", t3(["r1", "r2"]))]),
      claim(
        "直接起诉", #"(?:未经复议)?直接(?:提起|起诉|被起诉)(?:的)?(?:行政诉讼)?(?:案件)?"#,
        [("未经复议直接起诉", [CellKey(form: "t4", row: "ss_zj", column: "zj")])]),
      claim(
        "复议后起诉", #"复议后(?:提起|起诉|被起诉)(?:的)?(?:行政诉讼)?(?:案件)?"#,
        [("复议后起诉", [CellKey(form: "t4", row: "ss_fy", column: "zj")])]),
      // Not one of a list (`行政复议、行政诉讼案件共14件` counts both).
      claim("行政复议", #"(?<![、和及与])行政复议(?:案件)?"#, [("行政复议总计", [CellKey(form: "t4", row: "fy", column: "zj")])]),
      claim(
        "行政诉讼", #"(?<![、和及与])行政诉讼(?:案件)?"#,
        [("行政诉讼总计", ["ss_zj", "ss_fy"].map { CellKey(form: "t4", row: $0, column: "zj") })]),
    ].compactMap { $0 }
  }

  /// Claims that a figure after `其中` in its sentence is a part, not the whole: `办结81件，
  /// 其中本年新收申请77件` counts the handled ones by origin, `其中市直部门收到申请60件` by sender.
  static let wholeOnly: Set<String> = ["收到申请", "办结", "上年结转", "行政复议", "行政诉讼"]
  /// Words before a whole count that make it one sender's, applicant's or channel's part.
  static let partQualifiers = [
    "部门", "乡镇", "街道", "市直", "县直", "区直", "自然人", "企业", "机构", "组织", "网上", "网络", "当面", "信函", "传真",
    "邮件",
  ]

  /// A goal or a duty (`力争实现零败诉`) is no claim about this year's cases.
  static let aim = try? NSRegularExpression(pattern: "力争|争取|确保|努力|目标|力求|防止|避免")

  /// Words that claim every review and suit went the organ's way.
  static let upheld = try? NSRegularExpression(pattern: "均获维持|均被维持|均予维持|全部维持|均维持|零败诉|无败诉|未发生败诉|没有败诉|均胜诉|全部胜诉")
  /// A claim that states its exceptions (`除结果纠正2件外，其余均获维持`) is not contradicted by them.
  static let exceptions = try? NSRegularExpression(pattern: "除|其余|其他均|以外")
  /// Words that put a clause in another year than the report's (`与上年相比`, `同比`); 上年结转
  /// is this year's table.
  static let otherYear = try? NSRegularExpression(pattern: "(?:上年|去年|上一年)(?!度?结转)|同比")
  static let yearNumber = try? NSRegularExpression(pattern: "(19|20)[0-9]{2}年")

  /// Where a sentence, a clause and a clause with its brackets end.
  static let sentenceStops = CharacterSet(charactersIn: "。；！？;")
  static let clauseStops = CharacterSet(charactersIn: "，。；！？,;")
  static let bracketStops = clauseStops.union(CharacterSet(charactersIn: "（）()【】"))

  /// The text around `range` from the stop before it (or the line's start) to the end of
  /// `range`, or to the stop after it when `whole`.
  static func span(_ text: NSString, around range: NSRange, stops: CharacterSet, whole: Bool) -> String {
    func isStop(_ i: Int) -> Bool { UnicodeScalar(text.character(at: i)).map(stops.contains) ?? false }
    var start = range.location
    while start > 0, !isStop(start - 1) { start -= 1 }
    var end = range.location + range.length
    while whole, end < text.length, !isStop(end) { end += 1 }
    return text.substring(with: NSRange(location: start, length: end - start))
  }

  /// The clause around `range`, brackets ending it (`（2022年为70件）` is a clause of its own).
  static func clause(_ text: NSString, around range: NSRange) -> String {
    span(text, around: range, stops: bracketStops, whole: true)
  }

  /// True when `clause` speaks of another year than the report's.
  func aboutAnotherYear(_ clause: String) -> Bool {
    if Self.matches(Self.otherYear, clause) { return true }
    guard let year else { return false }
    let range = NSRange(location: 0, length: (clause as NSString).length)
    return Self.yearNumber?.matches(in: clause, range: range).contains {
      (clause as NSString).substring(with: $0.range) != "\(year)年"
    } ?? false
  }

  /// The findings for `materials` (the region's only).
  func findings(_ materials: [TextMaterial]) -> [Finding] {
    let claims = self.claims
    var all: [Finding] = []
    for material in materials where material.department == nil {
      var out: [Finding] = []
      defer { all += Self.capped(out, file: material.file, sha256: material.sha256) }
      let lines = material.text.precomposedStringWithCompatibilityMapping.components(separatedBy: "\n")
      for (i, line) in lines.enumerated() {
        let text = line as NSString
        var taken: [NSRange] = []
        for claim in claims {
          for m in claim.pattern.matches(in: line, range: NSRange(location: 0, length: text.length)) {
            guard !taken.contains(where: { NSIntersectionRange($0, m.range).length > 0 }) else { continue }
            taken.append(m.range)
            guard !aboutAnotherYear(Self.clause(text, around: m.range)) else { continue }
            if Self.wholeOnly.contains(claim.label) {
              if Self.sentence(text, around: m.range).contains("其中") { continue }
              // `市直部门收到申请60件`, `网上申请…`: one sender's or channel's count, not the whole.
              if Self.partQualifiers.contains(where: { Self.lead(text, before: m.range).contains($0) }) { continue }
            }
            let written = text.substring(with: m.range(at: 1))
            let chinese: Decimal? = LabelFold.chineseNumber(written).map { Decimal($0) }
            guard let stated = Decimal(string: written.replacingOccurrences(of: ",", with: "")) ?? chinese else {
              continue
            }
            let readings = claim.readings.compactMap { r in value(r.cells).map { (r.name, $0) } }
            guard !readings.isEmpty, !readings.contains(where: { $0.1 == stated }) else { continue }
            let table = readings.map { "\($0.0) \(DecimalFormat.plain($0.1)) 件" }.joined(separator: "，")
            out.append(
              Finding(
                code: "DRF-004", severity: .warning, stage: DraftStage.name,
                message:
                  "文字材料“\(material.file)”第 \(i + 1) 行写“\(text.substring(with: m.range))”，与报表不符：\(table)。"
                  + "文字材料按原文印入报告；请核对后改正文字材料（或报表）再重新运行",
                expected: readings.map { DecimalFormat.plain($0.1) }.reduce(into: [String]()) { seen, v in
                  if !seen.contains(v) { seen.append(v) }
                }.joined(separator: " 或 "),
                actual: DecimalFormat.plain(stated),
                sources: [SourceRef(file: material.file, sha256: material.sha256, line: i + 1, column: 0)],
                idSalt: "\(claim.label):\(i + 1):\(m.range.location)"))
          }
        }
        let whole = NSRange(location: 0, length: text.length)
        if let upheld = Self.upheld, let m = upheld.firstMatch(in: line, range: whole),
          case let sentence = Self.wholeSentence(text, around: m.range),
          !Self.matches(Self.exceptions, sentence), !Self.matches(Self.aim, sentence), !aboutAnotherYear(sentence),
          let contradiction = contradictedUpholding(about: sentence)
        {
          out.append(
            Finding(
              code: "DRF-005", severity: .warning, stage: DraftStage.name,
              message:
                "文字材料“\(material.file)”第 \(i + 1) 行称“\(text.substring(with: m.range))”，但表四\(contradiction)。"
                + "文字材料按原文印入报告；请核对后改正文字材料（或报表）再重新运行",
              sources: [SourceRef(file: material.file, sha256: material.sha256, line: i + 1, column: 0)],
              idSalt: "upheld:\(i + 1)"))
        }
      }
    }
    return all
  }

  /// How many findings of one text file are listed one by one.
  static let listedPerFile = 20

  /// `findings` of one file, the first `listedPerFile` as they are and one for the rest: a
  /// 100 MB 六.md repeating one wrong sentence gave two million findings (4.9 GB of memory, a
  /// 1.3 GB reconciliation page, two million console lines).
  static func capped(_ findings: [Finding], file: String, sha256: String) -> [Finding] {
    guard findings.count > listedPerFile else { return findings }
    let rest = findings.dropFirst(listedPerFile)
    let lines = rest.compactMap { $0.sources.first?.line }
    let sample = Array(Set(lines).sorted().prefix(10))
    return Array(findings.prefix(listedPerFile)) + [
      Finding(
        code: "DRF-004", severity: .warning, stage: DraftStage.name,
        message:
          "文字材料“\(file)”另有 \(rest.count) 处数字与报表不符，未逐一列出（示例行：\(sample.map(String.init).joined(separator: "、"))）。"
          + "文字材料按原文印入报告；请核对后改正文字材料（或报表）再重新运行",
        actual: String(rest.count),
        sources: sample.map { SourceRef(file: file, sha256: sha256, line: $0, column: 0) }, idSalt: "rest")
    ]
  }

  /// The sum of `cells` in the region; nil when one is not a figure (the table was not sent).
  func value(_ cells: [CellKey]) -> Decimal? {
    guard !cells.isEmpty else { return nil }
    var total = Decimal(0)
    for k in cells {
      guard let n = region[k.description]?.number else { return nil }
      total += n
    }
    return total
  }

  /// The sentence up to the end of `range` (from the 。；！？ before it).
  static func sentence(_ text: NSString, around range: NSRange) -> String {
    span(text, around: range, stops: sentenceStops, whole: false)
  }

  /// The words of `range`'s clause before it (to the ，。； before it; brackets included).
  static func lead(_ text: NSString, before range: NSRange) -> String {
    span(text, around: NSRange(location: range.location, length: 0), stops: clauseStops, whole: false)
  }

  /// The whole sentence around `range` (from the 。；！？ before it to the one after it).
  static func wholeSentence(_ text: NSString, around range: NSRange) -> String {
    span(text, around: range, stops: sentenceStops, whole: true)
  }

  static func matches(_ re: NSRegularExpression?, _ text: String) -> Bool {
    re?.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)) != nil
  }

  /// What in 表四 says not every case the `sentence` speaks of was upheld: 结果纠正 or 尚未审结
  /// above 0 (in 行政复议 only, or 行政诉讼 only, when the sentence names only one); nil otherwise.
  func contradictedUpholding(about sentence: String) -> String? {
    let (reviews, suits) = (sentence.contains("复议"), sentence.contains("诉讼") || sentence.contains("败诉"))
    let all = [("fy", "行政复议"), ("ss_zj", "未经复议直接起诉的行政诉讼"), ("ss_fy", "复议后起诉的行政诉讼")]
    let groups = all.filter { row, _ in
      reviews == suits || (reviews && row == "fy") || (suits && row != "fy")
    }
    var parts: [String] = []
    for (row, name) in groups {
      for (column, what) in [("jz", "结果纠正"), ("wj", "尚未审结")] {
        if let n = region["t4.\(row).\(column)"]?.number, n > 0 {
          parts.append("\(name)\(what) \(DecimalFormat.plain(n)) 件")
        }
      }
    }
    return parts.isEmpty ? nil : "有" + parts.joined(separator: "、")
  }
}
