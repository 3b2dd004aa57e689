import Foundation

/// Writes RFC 4180 CSV for outputs people open in Excel: UTF-8 with BOM, CRLF, quotes only
/// where needed. Cells that Excel would run as formulas are neutralized (OWASP): a leading
/// `=`, `+`, `-`, `@`, tab or CR gets a `'` prefix, unless the column is numeric and the
/// text is a plain number.
public struct CSVWriter {
  public private(set) var text = "\u{FEFF}"
  private let bom: Bool

  public init(bom: Bool = true) {
    self.bom = bom
    text = bom ? "\u{FEFF}" : ""
  }

  public mutating func row(_ fields: [String], numeric: Set<Int> = []) {
    text += fields.enumerated().map { i, f in
      Self.escape(numeric.contains(i) && Self.isPlainNumber(f) ? f : Self.neutralize(f))
    }.joined(separator: ",")
    text += "\r\n"
  }

  public var data: Data { Data(text.utf8) }

  public static func neutralize(_ field: String) -> String {
    guard let first = field.unicodeScalars.first else { return field }
    if "=+-@\t\r".unicodeScalars.contains(first) { return "'" + field }
    return field
  }

  public static func isPlainNumber(_ s: String) -> Bool {
    DecimalFormat.parse(s) != nil
  }

  public static func escape(_ field: String) -> String {
    if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
      return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return field
  }
}
