/// Forward-fills merged row labels down the label columns of a table.
///
/// A merged row label sits in its top row only; the rows below leave that column blank and
/// inherit it. A non-empty label at a shallower level resets every deeper level, so after
/// `三、本年度办理结果 | （三）不予公开 | 1.属于国家秘密` the row `, , 2.其他…` inherits both parents,
/// and `四、结转下年度继续办理` stands alone.
public struct RowLabelFill: Sendable {
  private var current: [String]

  /// - Parameter depth: the number of label columns.
  public init(depth: Int) {
    current = Array(repeating: "", count: depth)
  }

  /// Takes one row's label cells (trimmed, left to right) and returns its label path.
  /// A row with no label at all keeps the state and gets an empty path.
  public mutating func path(for labels: [String]) -> [String] {
    guard let first = labels.firstIndex(where: { !$0.isEmpty }) else { return [] }
    if labels.count > current.count {
      current += Array(repeating: "", count: labels.count - current.count)
    }
    for i in first..<current.count {
      current[i] = i < labels.count ? labels[i] : ""
    }
    return current.filter { !$0.isEmpty }
  }
}
