import AlmanacCore
import Foundation

/// Builds the Mustache context of the report: the region's figures, percentages, subtotals,
/// operators' text (or placeholders), and the data-notes appendix. Templates hold every word.
///
/// Keys (for template editors: README, “报告模板”; `ReportTemplateCheck` checks templates against them):
/// - `region`, `year`, `title`, `isDraft`, `errorCount`
/// - `f.<form>.<row>.<column>`: region figures, plain digits; `—` for a defined cell with no value
/// - `sum.t3.<group>.<column>`: `gkbf` 予以公开及部分公开, `bygk` 不予公开 (Σ3), `wftg` 无法提供 (Σ4),
///   `bycl` 不予处理 (Σ5), `qtcl` 其他处理 (Σ6), `sq` 新收加上年结转; `sum.t4.ss.<column>` 行政诉讼合计
/// - `pct.t3.<row or group>`: share of `t3.r3_7.zj`, half-up to two decimals; absent when it is 0
/// - `applicants[]`: `label`, `count`, `last` for the applicant columns of 本年新收 that are not 0;
///   `hasApplicants`
/// - `tables.<form>.rows[]`: `key`, `heads[]` (`text`, `rs`, `cs` spans for HTML), `labels[]`
///   (label columns for Markdown, merged cells left empty), `cells[]` (`v`, and `k`, the cell's key
///   for `almanac explain`)
/// - `text.<slot>` (slots `s1`, `s1_1`…`s1_5`, `s5`, `s6`): prose or 【待补充：…】; `text.<slot>_paras[]`
///   (`p`), `text.<slot>_placeholder`, `text.<slot>_departments[]` (`department`, `file`, `text`, `paras[]`)
/// - `notes.missing[]` (`id`, `name`), `notes.heldBack[]` (`file`, `reason`, `claimed`),
///   `notes.openErrors[]` (`code`, `message`, `location`, `name`), `notes.accepted[]` (the same,
///   and the auditor's `reason`, `by`, `on`), `notes.has…`, `notes.hasAny`
struct ReportContext {
  var reconciliation: Reconciliation
  var texts: [TextMaterial]
  var pipeline: PipelineDefinition

  /// Keys some items of the context hold and others lack: `rs`/`cs` on headings that span
  /// rows or columns, `claimed` on held-back files that named a sender, `location` on findings
  /// that have a place.
  static let optionalItemKeys: Set<String> = ["rs", "cs", "claimed", "location"]

  /// Placeholder shown when no figure exists for a defined cell.
  static let absent = "—"

  /// A prose slot of the report and what staff must write there.
  struct Slot {
    var key: String
    var section: String
    var part: Int?
    var placeholder: String
  }

  static let slots: [Slot] = [
    Slot(
      key: "s1", section: "一", part: nil,
      placeholder: "【待补充：本年度贯彻落实《中华人民共和国政府信息公开条例》的总体情况综述】"),
    Slot(
      key: "s1_1", section: "一", part: 1,
      placeholder: "【待补充：主动公开工作情况，如重点领域信息公开、政策解读、回应关切等】"),
    Slot(
      key: "s1_2", section: "一", part: 2,
      placeholder: "【待补充：依申请公开工作的做法，如受理渠道、办理流程、答复规范等（数字已按表三自动生成）】"),
    Slot(
      key: "s1_3", section: "一", part: 3,
      placeholder: "【待补充：政府信息管理情况，如公开属性源头认定、规范性文件清理、信息发布审查等】"),
    Slot(
      key: "s1_4", section: "一", part: 4,
      placeholder: "【待补充：政府信息公开平台建设情况，如政府网站、政务新媒体、公开专栏、查阅场所等】"),
    Slot(
      key: "s1_5", section: "一", part: 5,
      placeholder: "【待补充：监督保障情况，含工作考核、社会评议和责任追究结果情况（条例第五十条第四项）】"),
    Slot(
      key: "s5", section: "五", part: nil,
      placeholder: "【待补充：存在的主要问题及改进情况，含上年度报告所列问题的整改情况】"),
    Slot(
      key: "s6", section: "六", part: nil,
      placeholder: "【待补充：其他需要报告的事项，须说明本年度信息处理费收取情况（如“本年度未收取信息处理费”）】"),
  ]

  /// Slots that show a placeholder because no region text exists for them.
  var placeholderSlots: [Slot] {
    Self.slots.filter { slot in !texts.contains { $0.department == nil && matches($0, slot) } }
  }

  /// Errors no auditor accepted: they keep the report a draft.
  var errors: [Finding] { reconciliation.findings.filter { $0.severity == .error && $0.isOpen } }

  /// Errors and warnings an auditor accepted, listed in the data notes with the decision.
  var accepted: [Finding] { reconciliation.findings.filter { $0.severity >= .warning && !$0.isOpen } }

  func build() -> [String: Any] {
    let ledger = reconciliation.ledger
    var root: [String: Any] = [
      "region": pipeline.region.name,
      "year": String(ledger.year),
      "title": "\(pipeline.region.name)\(ledger.year)年度\(pipeline.title)",
      "isDraft": !errors.isEmpty,
      "errorCount": String(errors.count),
    ]
    root["f"] = figures()
    root["sum"] = subtotals()
    root["pct"] = percentages()
    let people = applicants()
    root["applicants"] = people
    root["hasApplicants"] = !people.isEmpty
    root["tables"] = tables()
    root["text"] = textContext()
    root["notes"] = notes()
    return root
  }

  // MARK: - Figures

  /// Plain text of a region value: integers as digits, decimals with trailing zeros trimmed.
  static func format(_ value: CellValue) -> String {
    switch value {
    case .integer(let i): String(i)
    case .decimal(let d): DecimalFormat.plain(d)
    case .blank(let token): token.isEmpty ? absent : token
    case .text(let t): t
    }
  }

  func value(_ form: String, _ row: String, _ column: String) -> CellValue? {
    reconciliation.ledger.region[CellKey(form: form, row: row, column: column).description]
  }

  func figures() -> [String: [String: [String: String]]] {
    var f: [String: [String: [String: String]]] = [:]
    for form in pipeline.forms {
      for key in form.cellKeys { f[key.form, default: [:]][key.row, default: [:]][key.column] = Self.absent }
    }
    for (text, value) in reconciliation.ledger.region {
      guard let key = CellKey(text) else { continue }
      f[key.form, default: [:]][key.row, default: [:]][key.column] = Self.format(value)
    }
    return f
  }

  /// The derived figures (`sum.…`, `pct.…`), defined once for the report and `almanac explain`.
  var derived: ReportFigures { ReportFigures(pipeline: pipeline) }

  func columns(of formID: String) -> [AxisDefinition] { derived.columns(of: formID) }

  func subtotals() -> [String: [String: [String: String]]] {
    var sums: [String: [String: [String: String]]] = [:]
    let region = reconciliation.ledger.region
    for form in ["t3", "t4"] {
      for group in derived.groups(of: form) {
        for c in derived.columns(of: form) {
          let cells = group.rows.map { CellKey(form: form, row: $0, column: c.key) }
          sums[form, default: [:]][group.key, default: [:]][c.key] =
            ReportFigures.total(cells, in: region).map(DecimalFormat.plain) ?? Self.absent
        }
      }
    }
    return sums
  }

  /// Shares of （七）总计 for each result row and group (report-2021.md §6.3 item 4).
  func percentages() -> [String: [String: String]] {
    let base = ReportFigures.shareBase
    guard let whole = reconciliation.ledger.region[base.description]?.number, whole != 0 else { return [:] }
    var pct: [String: String] = [:]
    for key in derived.shareKeys {
      guard case .share(let parts, _)? = derived.figure(named: "pct.\(base.form).\(key)"),
        let part = ReportFigures.total(parts, in: reconciliation.ledger.region)
      else { continue }
      pct[key] = DecimalFormat.percent(part, of: whole)
    }
    return [base.form: pct]
  }

  func applicants() -> [[String: Any]] {
    let cols = columns(of: "t3").filter { $0.checksum != true }
    var items: [[String: Any]] = []
    for c in cols {
      guard let n = value("t3", "r1", c.key)?.number, n != 0 else { continue }
      items.append(["label": c.label, "count": DecimalFormat.plain(n), "last": false])
    }
    if !items.isEmpty { items[items.count - 1]["last"] = true }
    return items
  }

  // MARK: - Tables

  /// Rows of every grid form with label cells merged as in the official layout.
  func tables() -> [String: Any] {
    var result: [String: Any] = [:]
    for form in pipeline.forms where form.kind == .grid {
      guard let rows = form.rows else { continue }
      let cols = (form.columns ?? []).filter { $0.extra != true }
      let paths = rows.map { ($0.parents ?? []) + [$0.label] }
      let depth = paths.map(\.count).max() ?? 1
      var items: [[String: Any]] = []
      for (i, row) in rows.enumerated() {
        let path = paths[i]
        var heads: [[String: Any]] = []
        var labels = Array(repeating: "", count: depth)
        for level in 0..<path.count {
          let prefix = Array(path[0...level])
          if level < path.count - 1 {
            // A parent label: printed once, on the first row of its run, spanning the run.
            let startsRun = i == 0 || paths[i - 1].count <= level || Array(paths[i - 1][0...level]) != prefix
            guard startsRun else { continue }
            var run = 1
            while i + run < rows.count, paths[i + run].count > level + 1,
              Array(paths[i + run][0...level]) == prefix
            {
              run += 1
            }
            var head: [String: Any] = ["text": path[level]]
            if run > 1 { head["rs"] = String(run) }
            heads.append(head)
            labels[level] = path[level]
          } else {
            var head: [String: Any] = ["text": path[level]]
            let span = depth - level
            if span > 1 { head["cs"] = String(span) }
            heads.append(head)
            labels[level] = path[level]
          }
        }
        let allowed = row.columns ?? cols.map(\.key)
        let cells: [[String: Any]] = cols.filter { allowed.contains($0.key) }.map { c in
          ["v": value(form.id, row.key, c.key).map(Self.format) ?? Self.absent, "k": "\(form.id).\(row.key).\(c.key)"]
        }
        items.append(["key": row.key, "heads": heads, "labels": labels, "cells": cells])
      }
      result[form.id] = ["rows": items]
    }
    return result
  }

  // MARK: - Text

  func matches(_ material: TextMaterial, _ slot: Slot) -> Bool {
    material.section == slot.section && material.part == slot.part
  }

  static func paragraphs(_ text: String) -> [[String: Any]] {
    text.components(separatedBy: "\n")
      .map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }
      .map { ["p": $0] }
  }

  func textContext() -> [String: Any] {
    var result: [String: Any] = [:]
    let sorted = texts.sorted { ($0.department ?? "", $0.file) < ($1.department ?? "", $1.file) }
    for slot in Self.slots {
      let regional = sorted.filter { $0.department == nil && matches($0, slot) }
      let text = regional.isEmpty ? slot.placeholder : regional.map(\.text).joined(separator: "\n\n")
      // Inserted raw into Markdown templates: keep its Markdown, never its HTML.
      result[slot.key] = MarkdownContentType.withoutHTML(text)
      result[slot.key + "_paras"] = Self.paragraphs(text)
      result[slot.key + "_placeholder"] = regional.isEmpty
      // Department material helps staff write the region text; once that exists it is not repeated.
      if regional.isEmpty {
        result[slot.key + "_departments"] = sorted.filter { $0.department != nil && matches($0, slot) }.map { m in
          ["department": m.department ?? "", "file": m.file, "text": m.text, "paras": Self.paragraphs(m.text)]
            as [String: Any]
        }
      } else {
        result[slot.key + "_departments"] = [[String: Any]]()
      }
    }
    return result
  }

  // MARK: - Notes

  static func reasonText(_ reason: HoldReason) -> String {
    switch reason {
    case .unreadable: "文件无法读取（编码、格式或压缩损坏）"
    case .unknownDepartment: "无法识别报送部门"
    case .ambiguousDepartment: "报送部门名称有歧义，可能对应多个部门"
    case .conflictingDepartment: "文件中的部门信息相互矛盾"
    case .wrongYear: "报告年度与本次汇总年度不符"
    case .noForm: "未找到可识别的统计表"
    }
  }

  func notes() -> [String: Any] {
    let ledger = reconciliation.ledger
    // Built once: asked per open finding, a search of all submissions each time was quadratic
    // in a province's findings and departments.
    let names = ledger.departmentNames
    let missing: [[String: Any]] = ledger.missing.sorted().map { ["id": $0.id, "name": $0.name] }
    let held: [[String: Any]] = ledger.heldBack.sorted { $0.source.path < $1.source.path }.map { h in
      var item: [String: Any] = ["file": h.source.path, "reason": Self.reasonText(h.reason)]
      // Absent rather than empty: an empty string would still open a Mustache section.
      if let claimed = h.claimed, !claimed.isEmpty { item["claimed"] = claimed }
      return item
    }
    // A finding of the whole year (REC-SUB-005) has no place: `location` is then absent, not
    // empty, since an empty string still opens a Mustache section.
    func item(_ f: Finding) -> [String: Any] {
      var item: [String: Any] = [
        "code": f.code, "message": f.message, "name": f.department.map { names[$0] ?? $0 } ?? pipeline.region.name,
      ]
      let location = f.sources.first?.location ?? (f.cell ?? "")
      if !location.isEmpty { item["location"] = location }
      return item
    }
    let open: [[String: Any]] = errors.sorted().map(item)
    let decided: [[String: Any]] = accepted.sorted().map { f in
      item(f).merging(
        ["reason": f.acceptance?.reason ?? "", "by": f.acceptance?.by ?? "", "on": f.acceptance?.on ?? ""]
      ) { _, decision in decision }
    }
    return [
      "missing": missing, "heldBack": held, "openErrors": open, "accepted": decided,
      "hasMissing": !missing.isEmpty, "hasHeldBack": !held.isEmpty, "hasOpenErrors": !open.isEmpty,
      "hasAccepted": !decided.isEmpty,
      "hasAny": !(missing.isEmpty && held.isEmpty && open.isEmpty && decided.isEmpty),
    ]
  }
}
