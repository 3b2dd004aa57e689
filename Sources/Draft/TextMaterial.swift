import AlmanacCore
import Foundation

/// Operators' prose for the report's text sections (一、五、六), read from a text-material folder.
///
/// File names say where the text goes; see `TextMaterialName` for the naming rules.
/// A region-level text (no department in its name) is what the report prints; department texts
/// are listed under the section's placeholder as material for staff while no region text exists.
public struct TextMaterial: Codable, Hashable, Sendable {
  /// File name relative to the text-material folder.
  public var file: String
  public var sha256: String
  /// "一", "五" or "六".
  public var section: String
  /// Department claimed by the file name as written (`环保局-六.md` → `环保局`), nil for the region.
  public var department: String?
  /// The text, UTF-8, line endings normalized to `\n`, outer blank lines trimmed.
  public var text: String
  /// Sub-head of section 一 (1…5 for （一）…（五）), nil for the whole section.
  public var part: Int?

  public init(file: String, sha256: String, section: String, department: String?, text: String, part: Int? = nil) {
    self.file = file
    self.sha256 = sha256
    self.section = section
    self.department = department
    self.text = text
    self.part = part
  }
}

extension TextMaterial {
  /// Why a text-material file was not used.
  public struct Skipped: Hashable, Sendable {
    public var file: String
    /// zh-CN, says how to rename or fix the file.
    public var reason: String
    /// True when the file holds a table (a sheet saved as tab-separated text): a department's
    /// figures left out, so an error, where unused prose is a warning.
    public var isTable: Bool

    public init(file: String, reason: String, isTable: Bool = false) {
      self.file = file
      self.reason = reason
      self.isTable = isTable
    }

    /// DRF-002 naming the file, for the runner to emit: the text is not in the report. An
    /// error for a table: the department's figures are missing from the report, which must
    /// stay 草稿 until the sheet is sent again (it was a warning, and the report final).
    public var finding: Finding {
      Finding(
        code: "DRF-002", severity: isTable ? .error : .warning, stage: DraftStage.name,
        message: "文字材料“\(file)”未采用：\(reason)", sources: [SourceRef(file: file, sha256: "")])
    }
  }

  /// The largest text-material file read: a section of the report is a few thousand
  /// characters, and the whole text is held, checked (C-5, C-6) and printed into the report;
  /// a 100 MB file (a log or an export saved as .txt by mistake) took gigabytes.
  public static let maxBytes = 1 << 20

  static func tooLargeReason(_ size: Int) -> String {
    let mb = Decimal(size) / Decimal(1 << 20)
    return "文件有 \(DecimalFormat.fixed(mb, scale: 1)) MB，超过文字材料的上限 1 MB（报告的一个部分通常只有几千字），未读取；"
      + "请确认是否误放了其他文件，或删减后重新放入"
  }

  /// Reads every `.md` / `.txt` file directly in `folder`, classified by name, sorted by file name.
  ///
  /// Files whose names do not follow `TextMaterialName`, or that are not UTF-8, are returned in
  /// `skipped` with a reason, never silently dropped. A missing folder means no material.
  public static func load(from folder: URL) throws -> (materials: [TextMaterial], skipped: [Skipped]) {
    let fm = FileManager.default
    guard fm.fileExists(atPath: folder.path) else { return ([], []) }
    let names = try fm.contentsOfDirectory(atPath: folder.path).sorted()
    var materials: [TextMaterial] = []
    var skipped: [Skipped] = []
    for name in names where !name.hasPrefix(".") {
      guard InboxFileKind(path: name) == .text else { continue }
      let url = folder.appendingPathComponent(name)
      // Foundation shows bytes that are not UTF-8 as U+FFFD: such a name cannot be placed, nor
      // the file opened by it (one that truly holds U+FFFD opens).
      if name.contains("\u{FFFD}"), (try? FileManager.default.attributesOfItem(atPath: url.path)) == nil {
        skipped.append(Skipped(file: name, reason: badNameReason(name, in: folder)))
        continue
      }
      guard let parsed = TextMaterialName(fileName: name) else {
        let isTable = refusal(url, in: folder) == nil && looksLikeTable(url)
        let table =
          isTable
          ? "。该文件看起来是表格（Excel/WPS 另存的“Unicode 文本”或“文本文件（制表符分隔）”），其中的数字未读取：报表请另存为“CSV（逗号分隔）”，"
            + "或把扩展名改为 .tsv 后放入收件箱" : ""
        skipped.append(
          Skipped(
            file: name,
            reason: "文件名无法识别所属部分：应以“一、”“五、”“六、”或 section1/section5/section6 开头，"
              + "部门材料写作“部门名-六.md”\(table)", isTable: isTable))
        continue
      }
      if let reason = refusal(url, in: folder) {
        skipped.append(Skipped(file: name, reason: reason))
        continue
      }
      if let size = (try? fm.attributesOfItem(atPath: url.path))?[.size] as? Int, size > maxBytes {
        skipped.append(Skipped(file: name, reason: tooLargeReason(size)))
        continue
      }
      guard let data = try? Data(contentsOf: url) else {
        skipped.append(Skipped(file: name, reason: "文件无法读取，请确认它是可读的普通文件"))
        continue
      }
      // Notepad and WPS in a Chinese locale save GB18030 ("ANSI") or UTF-16 ("Unicode");
      // sheets in GB18030 are read, and so is prose.
      guard let raw = LegacyText.text(data) else {
        skipped.append(
          Skipped(file: name, reason: "文件既不是 UTF-8，也不是 GB18030 或带 BOM 的 UTF-16 编码，无法读取；请另存为 UTF-8 后重新放入"))
        continue
      }
      materials.append(
        TextMaterial(
          file: name, sha256: Digest.sha256Hex(data), section: parsed.section, department: parsed.department,
          text: normalize(raw), part: parsed.part))
    }
    return (materials, skipped)
  }

  /// Text files the inbox listing found (`paths`, relative to the inbox) that `load` did not
  /// see: in a subfolder, or named in bytes that are not UTF-8 (Foundation's listing drops such
  /// names without a word). Each is returned with a reason, so none is left out silently.
  public static func unread(_ paths: [String], seen: Set<String>, inbox: URL) -> [Skipped] {
    paths.filter { !seen.contains($0) }.sorted().map { path in
      if path.contains("/") {
        return Skipped(file: path, reason: "文字材料须直接放在收件箱中，不能放在子文件夹里；请移到收件箱后重新运行")
      }
      return Skipped(file: path, reason: badNameReason(path, in: inbox))
    }
  }

  /// Why a name shown with U+FFFD is not used, with what it most likely says (`LegacyFileName`).
  static func badNameReason(_ name: String, in folder: URL) -> String {
    "文件名含有不是合法 UTF-8 的字节（显示为 \u{FFFD}），无法按名称读取。"
      + LegacyFileName.renameAdvice(reading: LegacyFileName.reading(folder: folder.path, shownName: name))
  }

  /// Why `url` must not be read: a symbolic link leading outside `folder` (never followed, so
  /// a link cannot put another file's text into the report), or not a regular file.
  static func refusal(_ url: URL, in folder: URL) -> String? {
    let fm = FileManager.default
    guard let type = (try? fm.attributesOfItem(atPath: url.path))?[.type] as? FileAttributeType else {
      return "文件无法读取，请确认它是可读的普通文件"
    }
    if type == .typeSymbolicLink {
      let target = url.resolvingSymlinksInPath().path
      let root = folder.resolvingSymlinksInPath().path
      guard target.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
        return "该文件是指向收件箱之外的符号链接，出于安全考虑未读取；请把文件本身放入收件箱"
      }
      guard let targetType = (try? fm.attributesOfItem(atPath: target))?[.type] as? FileAttributeType else {
        return "该文件是指向不存在的文件的符号链接，未读取"
      }
      // A link to a named pipe would block the run when read.
      return targetType == .typeRegular ? nil : "该文件是指向文件夹、命名管道或设备的符号链接，未读取"
    }
    return type == .typeRegular ? nil : "这不是普通文件（可能是文件夹、命名管道或设备），未读取"
  }

  /// True when the file's first 4 KiB look like a sheet saved as text, not prose: a UTF-16
  /// byte-order mark (Excel's "Unicode text"), or tabs on at least two of its first five lines.
  /// Only the message for a file the report cannot place uses it.
  static func looksLikeTable(_ url: URL) -> Bool {
    guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
    defer { try? handle.close() }
    guard let head = try? handle.read(upToCount: 4096), !head.isEmpty else { return false }
    if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) { return true }
    let lines = head.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).prefix(5)
    return lines.filter { $0.contains(UInt8(ascii: "\t")) }.count >= 2
  }

  /// Strips a BOM, normalizes line endings and trims blank lines around the text.
  static func normalize(_ raw: String) -> String {
    var s = raw
    if s.hasPrefix("\u{FEFF}") { s.removeFirst() }
    s = s.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    return s.trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
