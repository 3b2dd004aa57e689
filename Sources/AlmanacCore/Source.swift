import Foundation

/// The text encodings Almanac reads (forms.md §1).
public enum TextEncoding: String, Codable, Sendable {
  case utf8 = "UTF-8"
  case utf8BOM = "UTF-8-BOM"
  case utf16LE = "UTF-16LE"
  case utf16BE = "UTF-16BE"
  case gb18030 = "GB18030"
}

/// One inbox file as ingest saw it.
public struct SourceFile: Codable, Hashable, Sendable {
  /// Path relative to the inbox (display path for `inspect`).
  public var path: String
  public var sha256: String
  /// Size in bytes on disk (compressed size for `.gz`).
  public var size: Int64
  public var compressed: Bool
  public var encoding: TextEncoding?
  /// Why that encoding was chosen, in words an operator understands (zh-CN).
  public var encodingReason: String?
  /// The delimiter as a one-character string: ",", "\t" or ";".
  public var delimiter: String?

  public init(
    path: String, sha256: String, size: Int64, compressed: Bool = false,
    encoding: TextEncoding? = nil, encodingReason: String? = nil, delimiter: String? = nil
  ) {
    self.path = path
    self.sha256 = sha256
    self.size = size
    self.compressed = compressed
    self.encoding = encoding
    self.encodingReason = encodingReason
    self.delimiter = delimiter
  }

  public func ref(line: Int = 0, column: Int = 0) -> SourceRef {
    SourceRef(file: path, sha256: sha256, line: line, column: column)
  }
}

/// One parsed CSV record, fields exactly as libcsv returned them (decoded to UTF-8).
public struct Record: Codable, Hashable, Sendable {
  public var fields: [String]
  /// 1-based physical line where each field starts (same count as `fields`).
  public var lines: [Int]

  public init(fields: [String], lines: [Int]) {
    precondition(fields.count == lines.count, "one line per field")
    self.fields = fields
    self.lines = lines
  }

  /// The physical line where the record starts.
  public var line: Int { lines.first ?? 0 }

  /// True when every field is empty after trimming whitespace (an all-commas line).
  public var isBlank: Bool {
    fields.allSatisfy { Self.isBlankField($0.utf8) }
  }

  /// True when a field, given as its UTF-8, is empty or only whitespace: what makes a record
  /// blank, for readers that have the bytes and no `Record` (the seed loader).
  @inlinable public static func isBlankField(_ utf8: some Collection<UInt8>) -> Bool {
    // Most fields start with a printable ASCII byte: answered without grapheme breaking.
    if let b = utf8.first, b > 0x20, b < 0x7F { return false }
    return String(decoding: utf8, as: UTF8.self).allSatisfy(\.isWhitespace)
  }
}
