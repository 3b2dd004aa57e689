import Foundation

/// Writes RFC 4180 CSV for outputs people open in Excel: UTF-8 with BOM, CRLF, quotes only
/// where needed. Cells that Excel would run as formulas are neutralized (OWASP): a leading
/// `=`, `+`, `-`, `@`, tab or CR gets a `'` prefix, unless the column is numeric and the
/// text is a plain number.
///
/// Bytes are appended to one buffer, field by field (`field(_:numeric:)`, `endRow()`), so a
/// province's dataset — hundreds of thousands of rows — is written without a `String` per row.
public struct CSVWriter {
  public private(set) var bytes: [UInt8] = []
  private var fieldsInRow = 0

  public init(bom: Bool = true, capacity: Int = 1 << 16) {
    bytes.reserveCapacity(capacity)
    if bom { bytes += [0xEF, 0xBB, 0xBF] }
  }

  /// Consecutive fields as bytes (separated by commas, no row end) and how many they are.
  public typealias EncodedFields = (bytes: [UInt8], count: Int)

  /// The bytes of consecutive fields as `body` writes them, for fields repeated on many rows:
  /// encoded once, appended with `fields(encoded:)`.
  public static func encoded(_ body: (inout CSVWriter) -> Void) -> EncodedFields {
    var w = CSVWriter(bom: false, capacity: 64)
    body(&w)
    return (w.bytes, w.fieldsInRow)
  }

  /// Appends fields encoded by `encoded(_:)`: the same bytes the field calls would append.
  public mutating func fields(encoded: EncodedFields) {
    guard encoded.count > 0 else { return }
    if fieldsInRow > 0 { bytes.append(0x2C) }
    fieldsInRow += encoded.count
    bytes.append(contentsOf: encoded.bytes)
  }

  /// The CSV so far as text (BOM included when written with one).
  public var text: String { String(decoding: bytes, as: UTF8.self) }

  public var data: Data { Data(bytes) }

  /// Reserves room for about `count` more bytes.
  public mutating func reserve(_ count: Int) { bytes.reserveCapacity(bytes.count + count) }

  public mutating func row(_ fields: [String], numeric: Set<Int> = []) {
    for (i, f) in fields.enumerated() { field(f, numeric: numeric.contains(i)) }
    endRow()
  }

  /// Appends one field to the current row; `numeric` keeps a plain number as it is.
  public mutating func field(_ value: String, numeric: Bool = false) {
    if fieldsInRow > 0 { bytes.append(0x2C) }
    fieldsInRow += 1
    append(escaping: numeric && Self.isPlainNumber(value) ? value : Self.neutralize(value))
  }

  private mutating func append(escaping text: String) {
    // Native strings hand out their UTF-8 in place; others (bridged) are copied once.
    if text.utf8.withContiguousStorageIfAvailable({ append(escaping: UnsafeRawBufferPointer($0)) }) == nil {
      Array(text.utf8).withUnsafeBytes { append(escaping: $0) }
    }
  }

  private mutating func append(escaping utf8: UnsafeRawBufferPointer) {
    // No byte that could form one of these characters: nothing to quote (most fields).
    if !utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
      bytes.append(contentsOf: utf8)
      return
    }
    bytes.append(0x22)
    for b in utf8 {
      if b == 0x22 { bytes.append(0x22) }
      bytes.append(b)
    }
    bytes.append(0x22)
  }

  /// Appends an integer field (never neutralized: digits and a leading minus are a number).
  public mutating func field(_ value: Int) {
    if fieldsInRow > 0 { bytes.append(0x2C) }
    fieldsInRow += 1
    var v = value
    if v < 0 {
      bytes.append(0x2D)
      guard v != Int.min else {
        bytes.append(contentsOf: String(value).utf8.dropFirst())
        return
      }
      v = -v
    }
    // Up to 20 digits, written backwards into a fixed buffer.
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
    withUnsafeMutableBytes(of: &digits) { buf in
      var i = buf.count
      repeat {
        i -= 1
        buf[i] = UInt8(0x30 + v % 10)
        v /= 10
      } while v > 0
      bytes.append(contentsOf: buf[i...])
    }
  }

  /// Ends the current row (CRLF).
  public mutating func endRow() {
    bytes.append(0x0D)
    bytes.append(0x0A)
    fieldsInRow = 0
  }

  public static func neutralize(_ field: String) -> String {
    guard let first = field.utf8.first, startsFormula(first) else { return field }
    return "'" + field
  }

  /// True for a first byte that makes Excel run a cell as a formula: `=`, `+`, `-`, `@`, tab,
  /// CR (all ASCII, so the first byte decides).
  public static func startsFormula(_ first: UInt8) -> Bool {
    first == 0x3D || first == 0x2B || first == 0x2D || first == 0x40 || first == 0x09 || first == 0x0D
  }

  public static func isPlainNumber(_ s: String) -> Bool {
    // Most numeric cells are plain counts: decided without parsing a Decimal.
    let utf8 = s.utf8
    if !utf8.isEmpty, utf8.count <= 18, utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return true }
    return DecimalFormat.parse(s) != nil
  }

  /// `field` quoted as the writer quotes it (not neutralized), for callers writing CSV lines
  /// themselves.
  public static func escape(_ field: String) -> String {
    var w = CSVWriter(bom: false)
    w.append(escaping: field)
    return w.text
  }
}
