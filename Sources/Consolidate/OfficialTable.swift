import AlmanacCore
import Foundation

/// One table in the official layout (report-2021.md §2): header rows with merged cells, label
/// columns, and the region's values, ready to print as CSV (or as HTML with spans).
///
/// A merged area is one `Cell` with its spans at the top-left position; the positions it
/// covers are `.covered`. In CSV the text stands in the top-left cell and the rest stay empty,
/// which is how Excel shows an unmerged copy of a merged range.
public struct OfficialTable: Sendable, Hashable {
  public struct Cell: Sendable, Hashable {
    public var text: String
    public var rowspan: Int
    public var colspan: Int
    public var isHeader: Bool
    public var isNumber: Bool

    public init(text: String, rowspan: Int = 1, colspan: Int = 1, isHeader: Bool = false, isNumber: Bool = false) {
      self.text = text
      self.rowspan = rowspan
      self.colspan = colspan
      self.isHeader = isHeader
      self.isNumber = isNumber
    }
  }

  public enum Slot: Sendable, Hashable {
    case cell(Cell)
    case covered
  }

  public var form: String
  /// `表三 收到和处理政府信息公开申请情况`.
  public var title: String
  public var width: Int
  public var headerRows: Int
  public var rows: [[Slot]]

  /// The grid as plain strings: text in the top-left cell of a merged area, empty elsewhere.
  public var textGrid: [[String]] {
    rows.map { row in
      row.map { slot in
        if case .cell(let c) = slot { return c.text }
        return ""
      }
    }
  }

  /// UTF-8 with BOM, CRLF; values stay numeric, label text is neutralized.
  public var csv: Data {
    var w = CSVWriter()
    for row in rows {
      var numeric: Set<Int> = []
      var fields: [String] = []
      for (i, slot) in row.enumerated() {
        if case .cell(let c) = slot {
          fields.append(c.text)
          if c.isNumber { numeric.insert(i) }
        } else {
          fields.append("")
        }
      }
      w.row(fields, numeric: numeric)
    }
    return w.data
  }
}

/// Builds a grid with merged cells row by row.
struct GridBuilder {
  let width: Int
  private(set) var rows: [[OfficialTable.Slot?]] = []

  init(width: Int) { self.width = width }

  mutating func place(_ cell: OfficialTable.Cell, row: Int, column: Int) {
    let bottom = row + max(cell.rowspan, 1)
    while rows.count < bottom { rows.append(Array(repeating: nil, count: width)) }
    for r in row..<bottom {
      for c in column..<min(column + max(cell.colspan, 1), width) where rows[r][c] == nil {
        rows[r][c] = .covered
      }
    }
    rows[row][column] = .cell(cell)
  }

  mutating func ensureRows(_ count: Int) {
    while rows.count < count { rows.append(Array(repeating: nil, count: width)) }
  }

  /// Positions nobody placed become empty cells.
  func finish() -> [[OfficialTable.Slot]] {
    rows.map { $0.map { $0 ?? .cell(OfficialTable.Cell(text: "")) } }
  }
}
