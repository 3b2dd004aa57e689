import AlmanacCore

/// A problem the sheet reader noticed, before it is tied to a file as a `Finding`.
///
/// Codes ING-101 … ING-1xx belong to the sheet reader (ING-0xx are byte-level `IngestError`s).
enum SheetIssue: Sendable {
  /// ING-101: a value sits in a column that has no header.
  case valueWithoutHeader(raw: String, line: Int, column: Int)
  /// ING-102: a register lacks required columns.
  case registerMissingColumns(form: String, labels: [String], line: Int)
  /// ING-103: rows outside every table (summary).
  case rowsOutsideTables(count: Int, lines: [Int])
  /// ING-104: no table and no register found in the file.
  case noTable
  /// ING-105: register rows whose 序号 is not a number (summary).
  case registerRowsSkipped(form: String, count: Int, lines: [Int], field: String)
  /// ING-106: header-like rows that match no form of the pipeline.
  case unknownHeader(labels: [String], line: Int)
  /// ING-107: a number in a label column.
  case numberInLabelColumn(raw: String, line: Int, column: Int)

  var code: String {
    switch self {
    case .valueWithoutHeader: "ING-101"
    case .registerMissingColumns: "ING-102"
    case .rowsOutsideTables: "ING-103"
    case .noTable: "ING-104"
    case .registerRowsSkipped: "ING-105"
    case .unknownHeader: "ING-106"
    case .numberInLabelColumn: "ING-107"
    }
  }

  var severity: Severity {
    switch self {
    case .noTable: .error
    case .rowsOutsideTables: .info
    default: .warning
    }
  }

  var place: (line: Int, column: Int) {
    switch self {
    case .valueWithoutHeader(_, let l, let c), .numberInLabelColumn(_, let l, let c): (l, c)
    case .registerMissingColumns(_, _, let l), .unknownHeader(_, let l): (l, 0)
    case .rowsOutsideTables(_, let lines), .registerRowsSkipped(_, _, let lines, _): (lines.first ?? 0, 0)
    case .noTable: (0, 0)
    }
  }

  var form: String? {
    switch self {
    case .registerMissingColumns(let f, _, _), .registerRowsSkipped(let f, _, _, _): f
    default: nil
    }
  }

  var message: String {
    switch self {
    case .valueWithoutHeader(let raw, let line, let column):
      "第\(line)行第\(column)列有值「\(raw)」，但该列没有表头，无法确定属于哪一栏，未读取；请在表头补上栏目名称，或删除该值。"
    case .registerMissingColumns(_, let labels, let line):
      "登记台账第\(line)行的表头缺少必需的列：\(labels.joined(separator: "、"))；请按模板补齐这些列后重新报送。"
    case .rowsOutsideTables(let count, let lines):
      "有\(count)行不属于任何表格，未读取（第\(Self.list(lines))行）；如其中有数据，请放回表格内。"
    case .noTable:
      "文件中没有找到任何可识别的统计表或登记台账；请确认报送的是模板导出的CSV文件，表头未被改动。"
    case .registerRowsSkipped(_, let count, let lines, let field):
      "登记台账中有\(count)行的「\(field)」不是数字，未计入（第\(Self.list(lines))行）；如为申请记录，请补上序号。"
    case .unknownHeader(let labels, let line):
      "第\(line)行像是表头（\(labels.prefix(6).joined(separator: "、"))），但不属于本流程的任何表格，其下数据未读取；请使用统一模板的表头。"
    case .numberInLabelColumn(let raw, let line, let column):
      "第\(line)行第\(column)列是栏目名称列，却填了数字「\(raw)」，未读取；请把数字填在对应的数据栏内。"
    }
  }

  /// Line numbers for a message: the first few, then `等`.
  private static func list(_ lines: [Int]) -> String {
    let shown = lines.prefix(5).map(String.init).joined(separator: "、")
    return lines.count > 5 ? shown + "等" : shown
  }

  /// The finding for this issue in `source`.
  func finding(in source: SourceFile) -> Finding {
    let (line, column) = place
    return Finding(
      code: code, severity: severity, stage: "ingest", message: message, form: form,
      sources: [source.ref(line: line, column: column)], idSalt: "\(line):\(column)")
  }
}
