import AlmanacCore
import Foundation

/// Why an inbox file cannot be read at all: the file is quarantined with this reason.
///
/// `line` and `column` are 1-based (physical line in the decoded file, field number in the
/// record); 0 means the whole file or the whole line. `message` is zh-CN and says what was
/// expected and what to do.
public struct IngestError: Error, CustomStringConvertible, Sendable, Equatable {
  /// Stable code, `ING-0xx` (see `IngestError.Code`).
  public var code: String
  public var file: String
  public var line: Int
  public var column: Int
  public var message: String

  public init(code: String, file: String, line: Int = 0, column: Int = 0, message: String) {
    self.code = code
    self.file = file
    self.line = line
    self.column = column
    self.message = message
  }

  /// `file:line:column: error: message [ING-0xx]`, the compiler-diagnostic form.
  public var description: String {
    var place = file
    if line > 0 { place += ":\(line)" }
    if column > 0 { place += ":\(column)" }
    return "\(place): error: \(message) [\(code)]"
  }

  /// The error as an error-severity finding of the ingest stage.
  public func finding(sha256: String) -> Finding {
    Finding(
      code: code, severity: .error, stage: "ingest", message: message,
      sources: [SourceRef(file: file, sha256: sha256, line: line, column: column)])
  }

  /// The stable codes. Never reuse a retired number.
  public enum Code {
    /// The file has no bytes, or no record at all.
    public static let empty = "ING-001"
    /// NUL bytes or a binary signature (PDF, …): not a text file.
    public static let binary = "ING-002"
    /// An Excel workbook (`.xlsx` zip or old `.xls`) under a `.csv` name.
    public static let workbook = "ING-003"
    /// A gzip stream that is truncated, corrupt or followed by garbage.
    public static let gzipBroken = "ING-004"
    /// Decompressing would exceed `IngestLimits.maxDecompressedBytes`.
    public static let gzipTooLarge = "ING-005"
    /// Neither valid UTF-8 nor valid GB18030.
    public static let invalidGB18030 = "ING-006"
    /// A BOM promised UTF-8 or UTF-16 but the bytes are not.
    public static let invalidUnicode = "ING-007"
    /// A quoted field is still open at the end of the file.
    public static let unterminatedQuote = "ING-008"
    /// A stray double quote (strict RFC 4180).
    public static let badQuote = "ING-009"
    /// A field is longer than `IngestLimits.maxFieldBytes`.
    public static let fieldTooLarge = "ING-010"
    /// A record has more fields than `IngestLimits.maxColumns`.
    public static let tooManyColumns = "ING-011"
    /// The file has more records than `IngestLimits.maxRecords`.
    public static let tooManyRecords = "ING-012"
    /// The file cannot be opened or read.
    public static let unreadable = "ING-013"
    /// A seed table is malformed (missing, wrong encoding, ragged rows).
    public static let badSeed = "ING-014"
    /// A symbolic link in the inbox points outside it (or nowhere): not followed.
    public static let symlinkOutside = "ING-015"
    /// The file name is not valid UTF-8: the file cannot be named in outputs.
    public static let badFileName = "ING-016"
    /// A named pipe, socket or device carries a sheet's name: never opened.
    public static let notRegularFile = "ING-017"
    /// Neither a sheet nor prose by its name (a workbook, an archive, a PDF …): never opened.
    public static let notASheet = "ING-018"
    /// A folder Almanac published (with its `manifest.json`), copied into the inbox: not read.
    public static let publishedOutput = "ING-019"
    /// The path is longer than the system allows: nothing in it can be opened.
    public static let pathTooLong = "ING-020"
  }
}

extension IngestError {
  static func empty(_ file: String, bytes: Bool) -> Self {
    IngestError(
      code: Code.empty, file: file,
      message: bytes
        ? "文件是空的（0 字节）。请重新导出该工作表并另存为 CSV 后再提交。"
        : "文件中没有任何数据行（只有空行或 BOM）。请确认导出的是填好数据的工作表。")
  }

  static func binary(_ file: String, what: String) -> Self {
    IngestError(
      code: Code.binary, file: file,
      message: "文件不是文本 CSV（\(what)）。请在 Excel 或 WPS 中打开原表，用“另存为 → CSV（逗号分隔）”重新导出后再提交。")
  }

  static func workbook(_ file: String, format: String) -> Self {
    IngestError(
      code: Code.workbook, file: file,
      message: "文件实际上是 Excel 工作簿（\(format) 格式），只是扩展名改成了 .csv。请在 Excel 或 WPS 中打开，对每个工作表用“另存为 → CSV（逗号分隔）”导出后再提交。")
  }

  /// A sheet saved as markup (a web page, an XML spreadsheet) under a `.csv` name.
  static func markup(_ file: String, format: String) -> Self {
    IngestError(
      code: Code.workbook, file: file,
      message: "文件实际上是\(format)格式的表格，只是扩展名为 .csv（有些系统导出的“Excel 文件”就是网页）。"
        + "请在 Excel 或 WPS 中打开，对每个工作表用“另存为 → CSV（逗号分隔）”导出后再提交。")
  }

  static func gzipBroken(_ file: String, line: Int, column: Int, detail: String) -> Self {
    IngestError(
      code: Code.gzipBroken, file: file, line: line, column: column,
      message: "gzip 压缩文件已损坏：\(detail)（解压到第 \(line) 行时出错）。请重新压缩或直接提交未压缩的 CSV。")
  }

  static func gzipTooLarge(_ file: String, limit: Int64) -> Self {
    IngestError(
      code: Code.gzipTooLarge, file: file,
      message: "gzip 文件解压后超过 \(limit) 字节的上限（疑似“压缩炸弹”），已停止解压。请确认文件内容，或在流水线定义的 limits.maxDecompressedBytes 中调高上限。")
  }

  static func invalidGB18030(_ file: String, line: Int, column: Int, bytes: String) -> Self {
    IngestError(
      code: Code.invalidGB18030, file: file, line: line, column: column,
      message:
        "第 \(line) 行第 \(column) 列含有既不是合法 UTF-8 也不是合法 GB18030 的字节（\(bytes)）。应为 UTF-8 或 GB18030/GBK 编码的文本；请用 Excel 或 WPS 重新“另存为 CSV”。"
    )
  }

  static func strayByteInUTF8(_ file: String, line: Int, bytes: String) -> Self {
    IngestError(
      code: Code.invalidGB18030, file: file, line: line, column: 0,
      message:
        "文件是 UTF-8 文本，但第 \(line) 行含有不是合法 UTF-8 的字节（\(bytes)），也无法按 GB18030 读取。应为 UTF-8 或 GB18030/GBK 编码的文本；请检查该行（常见于从网页或其他文件粘贴的内容），或用 Excel 或 WPS 重新“另存为 CSV”。"
    )
  }

  static func invalidUnicode(_ file: String, line: Int, column: Int, encoding: String) -> Self {
    IngestError(
      code: Code.invalidUnicode, file: file, line: line, column: column,
      message: "文件以 \(encoding) BOM 开头，但第 \(line) 行第 \(column) 列不是合法的 \(encoding) 文本。请用 Excel 或 WPS 重新导出，不要手工拼接不同编码的文件。"
    )
  }

  static func unterminatedQuote(_ file: String, line: Int, column: Int) -> Self {
    IngestError(
      code: Code.unterminatedQuote, file: file, line: line, column: column,
      message: "第 \(line) 行第 \(column) 列的字段以双引号开头，但直到文件末尾都没有结束的双引号。应为成对的双引号；请检查该单元格，或重新导出文件（文件可能被截断）。")
  }

  static func badQuote(_ file: String, line: Int, column: Int, detail: String) -> Self {
    IngestError(
      code: Code.badQuote, file: file, line: line, column: column,
      message: "第 \(line) 行第 \(column) 列的双引号用法不正确：\(detail)。应为：含逗号、引号或换行的单元格整体用双引号括起，单元格内的双引号写成两个（\"\"）；请重新导出文件。")
  }

  static func fieldTooLarge(_ file: String, line: Int, column: Int, limit: Int) -> Self {
    IngestError(
      code: Code.fieldTooLarge, file: file, line: line, column: column,
      message: "从第 \(line) 行第 \(column) 列开始的字段超过 \(limit) 字节的上限。通常是某个双引号没有闭合，把后面的内容都并进了一个单元格；请检查该处的引号。")
  }

  static func tooManyColumns(_ file: String, line: Int, limit: Int) -> Self {
    IngestError(
      code: Code.tooManyColumns, file: file, line: line, column: limit + 1,
      message: "第 \(line) 行的列数超过 \(limit) 列的上限。请确认分隔符和导出的工作表是否正确。")
  }

  static func tooManyRecords(_ file: String, line: Int, limit: Int) -> Self {
    IngestError(
      code: Code.tooManyRecords, file: file, line: line,
      message: "文件的记录数超过 \(limit) 条的上限（在第 \(line) 行停止读取）。请拆分文件，或在流水线定义的 limits.maxRecords 中调高上限。")
  }

  static func unreadable(_ file: String, reason: String) -> Self {
    IngestError(code: Code.unreadable, file: file, message: "无法读取文件：\(reason)。")
  }

  static func symlinkOutside(_ file: String) -> Self {
    IngestError(
      code: Code.symlinkOutside, file: file,
      message: "该文件是指向收件箱之外的符号链接，出于安全考虑未读取。请把要报送的文件本身复制到收件箱中，不要使用链接。")
  }

  static func danglingSymlink(_ file: String) -> Self {
    IngestError(
      code: Code.symlinkOutside, file: file,
      message: "该文件是一个指向不存在文件的符号链接，未读取。请把要报送的文件本身复制到收件箱中，不要使用链接。")
  }

  /// `reading`: the name read as GB18030, when it is (`LegacyFileName`). The listing shows a
  /// folder's path with a trailing `/`; the files in it are not listed.
  static func badFileName(_ file: String, reading: String?) -> Self {
    let folder = file.hasSuffix("/")
    let what = folder ? "文件夹" : "文件"
    let unread = folder ? "其中的文件均未读取" : "该文件未读取"
    return IngestError(
      code: Code.badFileName, file: file,
      message: "\(what)名含有不是合法 UTF-8 的字节（显示为 \u{FFFD}），无法可靠地在输出中标识，\(unread)。"
        + LegacyFileName.renameAdvice(reading: reading, what: what))
  }

  static func notRegularFile(_ file: String) -> Self {
    IngestError(
      code: Code.notRegularFile, file: file,
      message: "该项不是普通文件（而是命名管道、设备或套接字），未读取。请把要报送的文件本身（导出的 CSV）复制到收件箱中。")
  }

  /// What an operator should do with a file of this name, by the kind of file it is.
  static func notASheet(_ file: String) -> Self {
    let name = (file as NSString).lastPathComponent
    let ext = (name as NSString).pathExtension.lowercased()
    let shown = ext.isEmpty ? "无扩展名" : ".\(ext)"
    let message: String
    switch ext {
    case "xlsx", "xlsm", "xls", "et", "ods", "numbers":
      message =
        "这是电子表格工作簿（\(shown)），收件箱只读取 CSV，未读取其中的数据。请在 Excel 或 WPS 中打开，对每个工作表用“另存为 → CSV（逗号分隔）”导出后放入收件箱，并把工作簿移出收件箱。"
    case "pdf", "ofd":
      message =
        "这是版式文件（\(shown)，多为扫描件或打印稿），收件箱不读取。如是报告的文字材料，请向报送单位索取 Word 或 WPS 原文，"
        + "“另存为 → 纯文本（.txt）”（编码选 UTF-8 或简体中文 GB18030）后放入收件箱；如是报表，请索取原表并另存为 CSV。"
        + "并把该文件移出收件箱。"
    case "doc", "docx", "wps", "rtf", "odt", "wpt", "dot", "dotx":
      // Usually a department's or the office's prose for the report (`一、总体情况.docx`).
      message =
        "这是文档（\(shown)），收件箱不读取其中的文字。如是报告的文字材料（如“一、总体情况”“五、存在的主要问题”），"
        + "请在 Word 或 WPS 中“另存为 → 纯文本（.txt）”（编码选 UTF-8 或简体中文 GB18030），文件名不变，放入收件箱；"
        + "如是报表，请另存为 CSV。并把原文档移出收件箱。"
    case "zip", "rar", "7z", "gz", "tar", "tgz":
      message =
        "这是压缩文件（\(shown)），不会自动解压，未读取。请解压后把其中的 CSV 文件放入收件箱（单个 CSV 可压缩为 .csv.gz），并把压缩文件移出收件箱。"
    default:
      message =
        "收件箱只读取报表（.csv、.csv.gz、.tsv）和文字材料（.md、.txt），该文件（\(shown)）未读取。如其中有报表数据，请另存为 CSV 后放入收件箱；否则请把它移出收件箱。"
    }
    return IngestError(code: Code.notASheet, file: file, message: message)
  }

  static func pathTooLong(_ file: String, bytes: Int) -> Self {
    IngestError(
      code: Code.pathTooLong, file: file,
      message: "该文件（或文件夹）的路径长 \(bytes) 字节，超过系统允许的 \(IngestError.maxPathBytes - 1) 字节，无法读取，其中的数据未采用。"
        + "请把它移到收件箱中层级较浅、名称较短的文件夹后重新运行。")
  }

  /// `PATH_MAX` of Linux, the terminating NUL included.
  static let maxPathBytes = 4096

  static func publishedOutput(_ folder: String) -> Self {
    IngestError(
      code: Code.publishedOutput, file: folder,
      message: "这是 almanac 发布的输出文件夹（其中有 manifest.json），不是部门报送的文件，其中的文件均未读取。"
        + "请把它移出收件箱；上一年度的结果用于跨年核对时，请用 almanac run --previous 指定该文件夹。")
  }

  static func badSeed(_ file: String, line: Int = 0, column: Int = 0, detail: String) -> Self {
    IngestError(code: Code.badSeed, file: file, line: line, column: column, message: "种子表有误：\(detail)。")
  }
}
