import AlmanacCore
import Foundation

/// What the detection pass decided about a file's text encoding, and why.
struct EncodingDetection: Equatable {
  var encoding: TextEncoding
  /// zh-CN, for `inspect` and the source record.
  var reason: String
  /// Bytes of BOM to skip.
  var bomLength: Int
  /// UTF-8 chosen by a BOM still needs validating while parsing.
  var validateWhileParsing: Bool
  /// Where UTF-8 broke, when GB18030 was chosen for it after lines of UTF-8 text: a UTF-8 file
  /// with one stray byte fails GB18030 at its first Chinese text, and is reported at the byte.
  var utf8Break: UTF8Break? = nil
}

/// The first byte that is not UTF-8, in a file whose text before it was UTF-8 (not ASCII).
struct UTF8Break: Equatable {
  var line: Int
  /// The byte and the one after it, as `0xA0 0x2C`.
  var bytes: String
}

/// Decides a file's encoding (forms.md §1): BOM → strict UTF-8 over the whole file → GB18030.
///
/// Reads the (decompressed) stream once; stops early at the first byte that is not UTF-8, so
/// GB18030 files cost only their first lines. Also rejects what is not text at all: an Excel
/// workbook, a PDF, NUL bytes.
enum EncodingDetector {
  /// How much of the start of the file is checked for NUL bytes and signatures.
  static let headLimit = 64 << 10

  static func detect(_ stream: any ChunkSource, file: String) throws -> EncodingDetection {
    var head: [UInt8] = []
    head.reserveCapacity(headLimit)
    var overflow: UnsafeRawBufferPointer?
    var streamFailed = false
    do {
      while head.count < headLimit, let chunk = try stream.next() {
        let take = min(chunk.count, headLimit - head.count)
        head.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[..<take]))
        if take < chunk.count { overflow = UnsafeRawBufferPointer(rebasing: chunk[take...]) }
      }
    } catch let fault as ByteFault {
      // The parse pass meets the same fault and places it; decide from what arrived. A gzip
      // bomb is not worth inflating a second time: it stops here.
      if fault.stopsDetection { throw fault }
      streamFailed = true
    }
    if head.isEmpty {
      if streamFailed {
        return EncodingDetection(encoding: .utf8, reason: "无法解压", bomLength: 0, validateWhileParsing: true)
      }
      throw IngestError.empty(file, bytes: false)
    }
    try checkSignatures(head, file: file)

    if head.starts(with: [0xEF, 0xBB, 0xBF]) {
      try checkNUL(head, file: file)
      return EncodingDetection(
        encoding: .utf8BOM, reason: "文件以 UTF-8 BOM 开头", bomLength: 3, validateWhileParsing: true)
    }
    if head.starts(with: [0xFF, 0xFE]) {
      return EncodingDetection(
        encoding: .utf16LE, reason: "文件以 UTF-16LE BOM 开头（Excel“Unicode 文本”格式）", bomLength: 2,
        validateWhileParsing: false)
    }
    if head.starts(with: [0xFE, 0xFF]) {
      return EncodingDetection(
        encoding: .utf16BE, reason: "文件以 UTF-16BE BOM 开头", bomLength: 2, validateWhileParsing: false)
    }
    try checkNUL(head, file: file)

    var validator = UTF8Validator()
    var lines = 1
    var pendingCR = false
    var broke: UTF8Break?
    // Returns true when `bytes` broke UTF-8, after counting lines up to the bad byte.
    func check(_ bytes: UnsafeRawBufferPointer) -> Bool {
      if let bad = validator.validate(bytes) {
        lines += CSVReader.lineBreaks(in: UnsafeRawBufferPointer(rebasing: bytes[..<bad]), pendingCR: &pendingCR)
        if validator.sawNonASCII && lines > 1 {
          let shown = bytes[bad..<min(bad + 2, bytes.count)].map { "0x" + String($0, radix: 16, uppercase: true) }
          broke = UTF8Break(line: lines, bytes: shown.joined(separator: " "))
        }
        return true
      }
      lines += CSVReader.lineBreaks(in: bytes, pendingCR: &pendingCR)
      return false
    }
    let gb = { (line: Int) in
      EncodingDetection(
        encoding: .gb18030, reason: "第 \(line) 行不是合法 UTF-8，按 GB18030 解码", bomLength: 0,
        validateWhileParsing: false, utf8Break: broke)
    }
    if head.withUnsafeBytes({ check($0) }) { return gb(lines) }
    if let overflow, check(overflow) { return gb(lines) }
    if !streamFailed {
      do {
        while let chunk = try stream.next() {
          if check(chunk) { return gb(lines) }
        }
      } catch let fault as ByteFault {
        if fault.stopsDetection { throw fault }
        streamFailed = true
      }
    }
    if !validator.isComplete && !streamFailed { return gb(lines) }
    let reason =
      validator.sawNonASCII ? "全文为合法 UTF-8，无 BOM" : "全文只含 ASCII 字符，按 UTF-8 读取（无 BOM）"
    return EncodingDetection(encoding: .utf8, reason: reason, bomLength: 0, validateWhileParsing: streamFailed)
  }

  /// Workbooks and documents renamed to `.csv`.
  private static func checkSignatures(_ head: [UInt8], file: String) throws {
    if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
      throw IngestError.workbook(file, format: ".xlsx")
    }
    if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
      throw IngestError.workbook(file, format: "Excel 97-2003 .xls")
    }
    if head.starts(with: Array("%PDF-".utf8)) {
      throw IngestError.binary(file, what: "这是一个 PDF 文档")
    }
    // A sheet saved as a web page, or as Excel 2003's XML spreadsheet, and given a `.csv`
    // name (some systems export "Excel" files that are HTML): markup, not rows of cells.
    if let markup = markupFormat(head) { throw IngestError.markup(file, format: markup) }
  }

  /// `网页（HTML）` or ` XML ` when the text, past a UTF-8 BOM and blank space, opens as one.
  static func markupFormat(_ head: [UInt8]) -> String? {
    var start = head.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    while start < head.count, [0x20, 0x09, 0x0D, 0x0A].contains(head[start]) { start += 1 }
    let opening = String(decoding: head[start..<min(head.count, start + 64)], as: UTF8.self).lowercased()
    if opening.hasPrefix("<!doctype html") || opening.hasPrefix("<html") || opening.hasPrefix("<table") {
      return "网页（HTML）"
    }
    if opening.hasPrefix("<?xml") { return " XML " }
    return nil
  }

  private static func checkNUL(_ head: [UInt8], file: String) throws {
    let found = head.withUnsafeBytes { raw -> Int? in
      guard let base = raw.baseAddress, let hit = memchr(base, 0, raw.count) else { return nil }
      return UnsafeRawPointer(hit) - base
    }
    guard let i = found else { return }
    var pending = false
    let line = head.withUnsafeBytes {
      1 + CSVReader.lineBreaks(in: UnsafeRawBufferPointer(rebasing: $0[..<i]), pendingCR: &pending)
    }
    var error = IngestError.binary(file, what: "第 \(line) 行含有 NUL 字节，是二进制文件或没有 BOM 的 UTF-16 文本")
    error.line = line
    throw error
  }
}
