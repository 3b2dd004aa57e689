import AlmanacCore

/// What the official layout adds to a form definition: texts printed on the form that are not
/// labels of any cell (report-2021.md §2). Everything else comes from the form definition.
public struct OfficialLayout: Sendable, Hashable {
  /// A captioned block of rows sharing one header (表二's 第二十条第（x）项 blocks).
  public struct Block: Sendable, Hashable {
    public var caption: String
    public var rows: [String]
    public init(caption: String, rows: [String]) {
      self.caption = caption
      self.rows = rows
    }
  }

  /// Text of the top-left corner above the row labels (表三's 勾稽关系 note).
  public var corner: String
  /// Header of the label column in block layouts (`信息内容`).
  public var labelHeader: String
  /// Non-empty: the table is printed as captioned blocks instead of one grid.
  public var blocks: [Block]

  public init(corner: String = "", labelHeader: String = "", blocks: [Block] = []) {
    self.corner = corner
    self.labelHeader = labelHeader
    self.blocks = blocks
  }

  /// Layout of a form in a pipeline style; forms without one print as a plain grid.
  public static func of(form: String, style: ReportStyle) -> OfficialLayout {
    guard style == .national2021 else { return OfficialLayout() }
    switch form {
    case "t2":
      return OfficialLayout(
        labelHeader: "信息内容",
        blocks: [
          Block(caption: "第二十条第（一）项", rows: ["guizhang", "gfxwj"]),
          Block(caption: "第二十条第（五）项", rows: ["xzxk"]),
          Block(caption: "第二十条第（六）项", rows: ["xzcf", "xzqz"]),
          Block(caption: "第二十条第（八）项", rows: ["xzsyxsf"]),
        ])
    case "t3":
      return OfficialLayout(corner: "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    default:
      return OfficialLayout()
    }
  }
}
