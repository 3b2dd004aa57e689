import AlmanacCore

extension CellValue {
  /// The value as written into outputs: plain digits for numbers, the text for text, empty for
  /// a blank (what the department wrote stays in the `raw` column).
  public var outputText: String {
    switch self {
    case .integer(let i): String(i)
    case .decimal(let d): DecimalFormat.plain(d)
    case .blank: ""
    case .text(let t): t
    }
  }
}
