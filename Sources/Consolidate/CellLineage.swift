import AlmanacCore
import Foundation

/// The answer of `explain` for one cell: its value, the contributions and their total.
public struct CellLineage: Codable, Sendable, Hashable {
  public var cell: String
  /// The report year answered for (the reconciliation's), nil when not known.
  public var year: Int?
  public var form: String
  public var formName: String
  public var rowLabel: String
  public var columnLabel: String
  /// Department id, or nil for the region.
  public var department: String?
  /// The department's name, or the region's name.
  public var departmentName: String
  /// The table cell (region) or the department's own written figure; nil when absent.
  public var value: String?
  /// Sum of the counted contributions.
  public var total: String
  /// True for a checksum cell: the contributions are its breakdown, not the cell itself.
  public var recomputed: Bool
  /// True when `total` equals `value` (a blank the department wrote counts as 0).
  public var matches: Bool
  public var contributions: [Contribution]
  /// For a department: the figure it wrote in this cell, as written and where; nil for the
  /// region, or when the department wrote nothing there.
  public var written: WrittenFigure?
  /// For the region's rate cell (unit %): how many units wrote a figure other than 0. A rate
  /// is not added up: `total` is the one unit's figure; with several there is none
  /// (REC-RATE-001). Nil for any other cell.
  public var rateWriters: Int?
  /// For a department that sent a register and no table with this cell: `value` is the
  /// register's count. Nil otherwise.
  public var fromRegister: Bool?
}

/// A department's own figure for the explained cell (its 总计 for a checksum cell).
public struct WrittenFigure: Codable, Sendable, Hashable {
  public var raw: String
  /// False for text, which nothing adds up.
  public var counted: Bool
  public var sources: [SourceRef]
}

/// One figure behind a cell.
public struct Contribution: Codable, Sendable, Hashable {
  public var department: String
  public var departmentName: String
  /// The cell this figure fills (a breakdown cell for recomputed totals).
  public var cell: String
  public var kind: ConsolidatedDataset.Kind
  /// Plain number, empty for a blank, the text for text.
  public var value: String
  /// As the department wrote it.
  public var raw: String
  /// False for blanks and text (nothing to add) and for register counts shown only for comparison.
  public var counted: Bool
  public var sources: [SourceRef]

  init(_ s: Submission, _ key: CellKey, _ f: Figure, kind: ConsolidatedDataset.Kind, counted: Bool) {
    department = s.department
    departmentName = s.departmentName
    cell = key.description
    self.kind = kind
    value = f.value.outputText
    raw = f.raw
    self.counted = counted
    sources = f.sources
  }
}

extension CellLineage {
  /// What `almanac explain` prints (zh-CN). Zero and blank contributions are counted, not listed.
  public var text: String {
    var lines: [String] = []
    lines.append("\(cell)  \(formName)" + (year.map { "（\($0) 年度）" } ?? ""))
    lines.append("  行：\(rowLabel)")
    lines.append("  列：\(columnLabel)")
    let who =
      department.map { "\(departmentName)（\($0)）" }
      ?? "\(RegionDefinition.whole(of: departmentName))汇总（\(departmentName)）"
    var shownValue = value ?? "（无数值）"
    if let written {
      if value?.isEmpty == true {
        // A blank 总计 is not checked (the region recomputes it); a blank detail counts as 0.
        shownValue =
          "空白" + (written.raw.isEmpty ? "" : "（原文“\(written.raw)”）")
          + (recomputed ? "，总计留空不核对，汇总按明细重算" : "，按 0 计")
      } else if !written.counted {
        shownValue = "“\(written.raw)”（非数值，未计入）"
      } else if fromRegister == true {
        shownValue += "（按登记台账统计，未报送统计表）"
      } else if written.raw != value {
        shownValue += "（原文“\(written.raw)”）"
      }
    }
    lines.append("\(who)：\(shownValue)")
    // Where the department wrote its 总计, the figure its breakdown is compared with (a
    // plain cell's figure is its one contribution, listed below).
    for s in recomputed ? written?.sources.prefix(5) ?? [] : [] {
      lines.append(s.sha256.isEmpty ? "      \(s.location)" : "      \(s.location)  sha256 \(s.sha256.prefix(12))")
    }
    let how = recomputed ? "由明细单元格重新计算的合计" : "各来源合计"
    if let rateWriters, rateWriters > 1 {
      lines.append("比率不能相加：有 \(rateWriters) 个单位填报，汇总无数值（见 REC-RATE-001）")
    } else if rateWriters != nil {
      let verdict = matches ? "与表中数值一致" : "与表中数值不一致，请核对"
      lines.append("比率不相加，取填报单位的数值：\(total)（\(verdict)）")
    } else if recomputed, value?.isEmpty == true, written != nil {
      lines.append("\(how)：\(total)")
    } else {
      // Nothing to compare where the table has no figure and nothing was written.
      let nothing = value == nil && !contributions.contains(where: \.counted)
      let verdict = nothing ? "无数值可比" : matches ? "与表中数值一致" : "与表中数值不一致，请核对"
      lines.append("\(how)：\(total)（\(verdict)）")
    }
    // Zeros and blanks are counted, not listed, among many figures; a department's own cell
    // (one or two figures) lists them, or the answer would be an empty list.
    let listAll = department != nil && !recomputed
    let shown = contributions.filter { c in
      listAll
        || (!(c.counted && (DecimalFormat.parse(c.value) ?? 0) == 0) && !(c.value.isEmpty && c.kind != .register))
    }
    let hidden = contributions.count - shown.count
    lines.append("来源（共 \(contributions.count) 项\(hidden > 0 ? "，其中 \(hidden) 项为 0 或空白未列出" : "")）：")
    for c in shown {
      var line = "  \(c.departmentName)（\(c.department)）  \(c.cell) = \(c.value.isEmpty ? "空白" : c.value)"
      if c.raw != c.value { line += "（原文“\(c.raw)”）" }
      if c.kind == .register { line += c.counted ? "  [台账统计]" : "  [台账统计，仅供比对，未计入]" }
      if !c.counted, c.kind != .register {
        let number = DecimalFormat.parse(c.value) != nil
        line += c.value.isEmpty ? "  [空白，按 0 计]" : number ? "  [数字无效（负数或非整数件数），未计入]" : "  [非数值，未计入]"
      }
      lines.append(line)
      for s in c.sources.prefix(5) {
        lines.append(s.sha256.isEmpty ? "      \(s.location)" : "      \(s.location)  sha256 \(s.sha256.prefix(12))")
      }
      if c.sources.count > 5 { lines.append("      …… 另有 \(c.sources.count - 5) 处来源（使用 --json 查看全部）") }
      // A register's count keeps a few of its rows' lines (ten million rows stay a small
      // output): say that they are examples, or line 8 reads as the source of 124 applications.
      if c.kind == .register, let n = DecimalFormat.parse(c.value).flatMap(DecimalFormat.int64), n > c.sources.count {
        lines.append(
          "      （此数为台账中 \(n) 条登记之和，以上 \(min(c.sources.count, 5)) 行为示例；其余各行可在文件中按台账的计数栏目（如申请人类型、办理结果）筛选查到）")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
