import AlmanacCore
import Foundation

/// `reconciliation.html`: the findings for auditors, in Chinese, grouped by department and rule.
///
/// Groups: the region first (findings of reconcile and later stages without a department),
/// then departments by id, then files whose department could not be resolved. Within a group
/// findings are grouped by code, in `Finding` order. Every piece of data text is escaped.
public struct ReconciliationPage: Sendable {
  public var reconciliation: Reconciliation
  public var regionName: String
  public var year: Int
  public var title: String
  public var rules: [RuleDefinition]
  public var catalog: FormCatalog
  /// Department id → name, for findings of departments that are not in the ledger.
  public var seedNames: [String: String]

  public init(
    reconciliation: Reconciliation, regionName: String, year: Int, title: String, rules: [RuleDefinition],
    catalog: FormCatalog, seedNames: [String: String] = [:]
  ) {
    self.reconciliation = reconciliation
    self.regionName = regionName
    self.year = year
    self.title = title
    self.rules = rules
    self.catalog = catalog
    self.seedNames = seedNames
  }

  /// A heading and the findings under it.
  struct Group {
    var anchor: String
    var heading: String
    var findings: [Finding]
  }

  /// The seeds' names, overridden by the run's (`Ledger.departmentNames`).
  func departmentNames() -> [String: String] {
    seedNames.merging(reconciliation.ledger.departmentNames) { _, run in run }
  }

  func groups() -> [Group] {
    let findings = reconciliation.findings.sorted()
    let names = departmentNames()
    var region: [Finding] = []
    var unresolved: [Finding] = []
    var byDepartment: [String: [Finding]] = [:]
    for f in findings {
      if let d = f.department {
        byDepartment[d, default: []].append(f)
      } else if f.isRegions {
        region.append(f)
      } else {
        unresolved.append(f)
      }
    }
    var out: [Group] = []
    if !region.isEmpty {
      out.append(
        Group(anchor: "region", heading: "\(RegionDefinition.whole(of: regionName))汇总（\(regionName)）", findings: region)
      )
    }
    for (i, id) in byDepartment.keys.sorted().enumerated() {
      let name = names[id].map { "\($0)（\(id)）" } ?? id
      out.append(Group(anchor: "d\(i + 1)", heading: name, findings: byDepartment[id] ?? []))
    }
    if !unresolved.isEmpty {
      out.append(Group(anchor: "unresolved", heading: "未能确定报送单位的文件", findings: unresolved))
    }
    return out
  }

  /// The whole page (tests; the stage streams it with `write(to:)`).
  public var html: String {
    var page = ""
    // The collector never throws, so neither does `write`.
    try? write { page += String(decoding: $0, as: UTF8.self) }
    return page
  }

  /// The page handed to `append` a department's section at a time: for a province whose
  /// registers are broken it is tens of megabytes, which need not be one string (and then a
  /// copy of it) in memory.
  public func write(to append: (UnsafeRawBufferPointer) throws -> Void) throws {
    func emit(_ text: inout String) throws {
      try text.withUTF8 { try append(UnsafeRawBufferPointer($0)) }
      text = ""
    }
    let findings = reconciliation.findings
    var counts: [Severity: Int] = [:]
    for f in findings { counts[f.severity, default: 0] += 1 }
    let pageTitle = "\(regionName)\(year)年度\(title) 数据核对结果"
    var h = """
      <!DOCTYPE html>
      <html lang="zh-CN">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(HTMLText.escape(pageTitle))</title>
      <style>
      \(Self.css)
      </style>
      </head>
      <body>
      <h1>\(HTMLText.escape(pageTitle))</h1>

      """
    h += "<p class=\"summary\">共 \(findings.count) 条核对结果："
    h += Severity.allCases.reversed().map { s in
      "<span class=\"sev-\(s.rawValue)\">\(s.label) \(counts[s] ?? 0) 条</span>"
    }.joined(separator: "，")
    let accepted = findings.filter { !$0.isOpen }.count
    if accepted > 0 {
      h += "；其中 \(accepted) 条已审核确认，不再影响报告定稿"
    }
    h += "。</p>\n"
    // Where an auditor learns what to do with an error that cannot be corrected at its source.
    if findings.contains(where: { $0.isOpen && $0.severity >= .warning }) {
      h += "<p class=\"howto\">错误和警告请报送单位更正后重新报送；经审核确认无误、无法更正的（如单位书面确认原数），"
      h += "可用 <code>almanac accept 编号 --reason 理由 --by 姓名</code> 记录确认（编号见每条结果末尾），"
      h += "之后的运行中该结果注明确认，不再使报告标为草稿。</p>\n"
    }
    let groups = groups()
    if groups.isEmpty {
      h += "<p class=\"none\">未发现需要处理的问题。</p>\n"
    } else {
      h += "<nav>\n<h2>目录</h2>\n<ul>\n"
      for g in groups {
        h += "<li><a href=\"#\(g.anchor)\">\(HTMLText.escape(g.heading))</a>（\(g.findings.count) 条）</li>\n"
      }
      h += "</ul>\n</nav>\n"
    }
    try emit(&h)
    for g in groups {
      h += "<section id=\"\(g.anchor)\">\n<h2>\(HTMLText.escape(g.heading))</h2>\n"
      var codes: [String] = []
      var byCode: [String: [Finding]] = [:]
      for f in g.findings {
        if byCode[f.code] == nil { codes.append(f.code) }
        byCode[f.code, default: []].append(f)
      }
      for code in codes.sorted() {
        let list = byCode[code] ?? []
        let rule = rules.first { $0.code == code }
        h += "<h3><code>\(HTMLText.escape(code))</code>"
        if let rule { h += " \(HTMLText.escape(rule.title))" }
        h += "（\(list.count) 条）</h3>\n"
        for f in list { h += article(f, rule: rule) }
      }
      h += "</section>\n"
      try emit(&h)
    }
    h += "</body>\n</html>\n"
    try emit(&h)
  }

  func article(_ f: Finding, rule: RuleDefinition?) -> String {
    let accepted = f.isOpen ? "" : " accepted"
    var h = "<article class=\"finding \(f.severity.rawValue)\(accepted)\">\n"
    let badge = f.isOpen ? f.severity.label : "\(f.severity.label) · 已审核确认"
    h += "<p class=\"head\"><span class=\"badge\">\(badge)</span> <code>\(HTMLText.escape(f.code))</code>"
    if let cell = f.cell {
      h += " 单元格 <code>\(HTMLText.escape(cell))</code>"
      if let key = CellKey(cell), catalog.contains(key) {
        let form = catalog.form(key.form)?.name ?? key.form
        h +=
          "（\(HTMLText.escape(form))：\(HTMLText.escape(catalog.rowLabel(key)))；\(HTMLText.escape(catalog.columnLabel(key)))）"
      }
    } else if let form = f.form {
      h += " 报表 <code>\(HTMLText.escape(form))</code>"
    }
    h += "</p>\n"
    h += "<p class=\"what\"><b>问题：</b>\(HTMLText.escape(f.message))</p>\n"
    if f.expected != nil || f.actual != nil || f.difference != nil {
      h += "<table class=\"nums\"><tr>"
      h += "<th>应为</th><td>\(HTMLText.escape(f.expected ?? "—"))</td>"
      h += "<th>实为</th><td>\(HTMLText.escape(f.actual ?? "—"))</td>"
      h += "<th>差额</th><td>\(HTMLText.escape(f.difference ?? "—"))</td>"
      h += "</tr></table>\n"
    }
    if f.sources.isEmpty {
      h += "<p class=\"where\"><b>位置：</b>无具体文件位置</p>\n"
    } else {
      h += "<p class=\"where\"><b>位置：</b>"
      h += f.sources.map { s in
        // A seed row (a reference table, not an inbox file) has no digest of its own.
        s.sha256.isEmpty
          ? "<code>\(HTMLText.escape(s.location))</code>"
          : "<code>\(HTMLText.escape(s.location))</code>（sha256 \(HTMLText.escape(String(s.sha256.prefix(12))))）"
      }.joined(separator: "；")
      h += "</p>\n"
    }
    if let a = f.acceptance {
      h += "<p class=\"decision\"><b>审核确认：</b>\(HTMLText.escape(a.by))，\(HTMLText.escape(a.on))："
      h +=
        "\(HTMLText.escape(a.reason))（<code>\(HTMLText.escape(AcceptedFindings.table)).csv</code> 第 \(a.line) 行）</p>\n"
    }
    if let advice = rule?.advice, !advice.isEmpty {
      h += "<p class=\"todo\"><b>处理建议：</b>\(HTMLText.escape(advice))</p>\n"
    }
    if let command = Self.traceCommand(f, catalog: catalog) {
      h += "<p class=\"trace\"><b>追溯：</b><code>\(HTMLText.escape(command))</code>（列出该数字的每个来源文件、行和列）</p>\n"
    }
    h += "<p class=\"id\">编号 \(HTMLText.escape(f.id)) · 环节 \(HTMLText.escape(f.stage))</p>\n"
    h += "</article>\n"
    return h
  }

  /// The `almanac explain` command that lists every source of the finding's cell, for the
  /// finding's department or the region; nil without a cell the forms define, or for a
  /// department id a shell would need quoting for.
  static func traceCommand(_ f: Finding, catalog: FormCatalog) -> String? {
    guard let cell = f.cell, let key = CellKey(cell), catalog.contains(key) else { return nil }
    guard let department = f.department else { return "almanac explain \(key.description)" }
    let plain = department.unicodeScalars.allSatisfy {
      ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
    }
    return plain && !department.hasPrefix("-") ? "almanac explain \(key.description) --department \(department)" : nil
  }

  static let css = """
    body { font-family: "SimSun", "宋体", "Noto Serif CJK SC", serif; font-size: 14px; line-height: 1.6;
      color: #111; max-width: 60em; margin: 1.5em auto; padding: 0 1em; }
    h1 { font-size: 22px; text-align: center; }
    h2 { font-size: 18px; border-bottom: 1px solid #666; margin-top: 1.6em; }
    h3 { font-size: 15px; margin: 1.2em 0 0.4em; }
    code { font-family: "SimSun", "宋体", "Noto Serif CJK SC", monospace; }
    .summary { font-size: 15px; }
    .sev-error { color: #a00; font-weight: bold; }
    .sev-warning { color: #850; }
    .sev-info { color: #333; }
    article.finding { border-left: 4px solid #999; padding: 0.3em 0.8em; margin: 0.6em 0; break-inside: avoid; }
    article.error { border-left-color: #a00; }
    article.warning { border-left-color: #c80; }
    article.finding p { margin: 0.2em 0; }
    .badge { font-weight: bold; }
    article.error .badge { color: #a00; }
    article.warning .badge { color: #850; }
    article.finding.accepted { border-left-color: #6a6; }
    article.finding.accepted .badge { color: #363; }
    table.nums { border-collapse: collapse; margin: 0.3em 0; }
    table.nums th, table.nums td { border: 1px solid #999; padding: 0.1em 0.6em; }
    table.nums th { background: #eee; font-weight: normal; }
    .id { color: #666; font-size: 12px; }
    @media print {
      body { max-width: none; margin: 0; font-size: 12pt; }
      nav { display: none; }
      section { break-before: auto; }
      h2, h3 { break-after: avoid; }
      a { color: inherit; text-decoration: none; }
    }
    """
}
