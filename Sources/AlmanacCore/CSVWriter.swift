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
    for (i, f) in fields.enumerated() {
      if i > 0 { text += "," }
      text += Self.escape(numeric.contains(i) && Self.isPlainNumber(f) ? f : Self.neutralize(f))
    }
    text += "\r\n"
  }

  public var data: Data { Data(text.utf8) }

  public static func neutralize(_ field: String) -> String {
    guard let first = field.unicodeScalars.first else { return field }
    if "=+-@\t\r".unicodeScalars.contains(first) { return "'" + field }
    return field
  }

  public static func isPlainNumber(_ s: String) -> Bool {
    // Most numeric cells are plain counts: decided without parsing a Decimal.
    let utf8 = s.utf8
    if !utf8.isEmpty, utf8.count <= 18, utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return true }
    return DecimalFormat.parse(s) != nil
  }

  public static func escape(_ field: String) -> String {
    // No byte that could form one of these characters: nothing to quote (most fields).
    if !field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) { return field }
    if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
      return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return field
  }
}
