import Foundation

/// Text that is not UTF-8, as Windows programs in a Chinese locale save it: GB18030 (a
/// superset of GBK, Notepad's and WPS's "ANSI"), or UTF-16 with a byte-order mark (Notepad's
/// "Unicode"). Strict: bytes that are not valid in the encoding give nil, never a guess.
public enum LegacyText {
  /// The encodings `decode` tries after UTF-8, as named in messages.
  public enum Encoding: String, Sendable {
    case utf16 = "UTF-16"
    case gb18030 = "GB18030"
  }

  /// A text file's bytes as a Windows editor in a Chinese locale may have saved them: UTF-8
  /// (a leading byte-order mark dropped), else `decode`'s UTF-16 or GB18030; nil when valid
  /// in none. For files people edit by hand: pipeline definitions, templates, prose.
  public static func text(_ data: Data) -> String? {
    var bytes = [UInt8](data)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    return String(validating: bytes, as: UTF8.self) ?? decode(bytes)?.text
  }

  /// `bytes` read as UTF-16 when they start with a byte-order mark, else as GB18030; nil when
  /// they are not valid in that encoding.
  public static func decode(_ bytes: [UInt8]) -> (text: String, encoding: Encoding)? {
    if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
      return String(data: Data(bytes), encoding: .utf16).map { ($0, .utf16) }
    }
    return gb18030(bytes).map { ($0, .gb18030) }
  }

  /// `bytes` read as GB18030; nil when they are not valid GB18030.
  public static func gb18030(_ bytes: [UInt8]) -> String? {
    guard !bytes.isEmpty else { return "" }
    guard let iconv = Iconv(from: "GB18030", to: "UTF-8") else { return nil }
    var output = [UInt8](repeating: 0, count: bytes.count * 4)
    let (consumed, produced, stop) = bytes.withUnsafeBytes { input in
      output.withUnsafeMutableBytes { iconv.convert(input, into: $0) }
    }
    guard stop == .done, consumed == bytes.count else { return nil }
    return String(validating: output[..<produced], as: UTF8.self)
  }
}
