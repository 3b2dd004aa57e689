import AlmanacCore

/// Consecutive header rows of one table, turned into one column path per spreadsheet column.
///
/// Excel and WPS export a merged cell as its value in the top-left cell and empty cells
/// elsewhere; `columnPaths` undoes that for headers (forms.md §2).
public struct HeaderBlock: Sendable {
  /// The header rows, top to bottom.
  public var records: [Record]

  public init(records: [Record]) {
    self.records = records
  }

  /// Physical lines of the header rows.
  public var lines: [Int] { records.map(\.line) }

  /// Number of columns the block spans (its widest row).
  public var width: Int { records.map(\.fields.count).max() ?? 0 }

  /// One path per column (index 0 = first field), top to bottom, merged headers forward-filled.
  public var columnPaths: [[String]] {
    HeaderBlock.columnPaths(records.map { $0.fields.map(CellParser.trim) })
  }

  /// Forward-fills merged column headers in a grid of trimmed header texts.
  ///
  /// A blank cell belongs to the merged cell on its left only when (a) every row above has the
  /// same (filled) text in both columns — it lies within its parent's span — and (b) some lower
  /// header row has text in this column — the merged cell has a child here. So in 表三 the
  /// 总计 column, blank on the last header row, does not become `其他`, while 法人或其他组织
  /// reaches over 商业企业 … 其他. Columns blank in every header row (inserted spacers) are
  /// skipped when looking left, and keep an empty path.
  public static func columnPaths(_ grid: [[String]]) -> [[String]] {
    let width = grid.map(\.count).max() ?? 0
    let rows = grid.map { row in row + Array(repeating: "", count: width - row.count) }
    // Columns a department inserted (blank in every header row) are looked through.
    let spacer = (0..<width).map { c in rows.allSatisfy { $0[c].isEmpty } }
    var filled = rows
    for r in rows.indices {
      for c in 0..<width where rows[r][c].isEmpty && !spacer[c] {
        var l = c - 1
        while l >= 0 && spacer[l] { l -= 1 }
        guard l >= 0 else { continue }
        let left = filled[r][l]
        guard !left.isEmpty else { continue }
        let sameParents = (0..<r).allSatisfy { filled[$0][c] == filled[$0][l] }
        let hasChild = rows[(r + 1)...].contains { !$0[c].isEmpty }
        if sameParents && hasChild { filled[r][c] = left }
      }
    }
    return (0..<width).map { c in rows.indices.compactMap { filled[$0][c].isEmpty ? nil : filled[$0][c] } }
  }
}
