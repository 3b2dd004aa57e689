import AlmanacCore
import Foundation

/// Loads `seeds/<name>.csv` tables (UTF-8 with or without BOM, or GB18030 as Excel's and WPS's
/// "CSV" saves them in a Chinese locale) through `RecordReader`.
///
/// The first non-blank record is the header; blank records are skipped; short rows are padded
/// with empty strings. Errors name the file, line and column.
public enum SeedLoader {
  public static func load(folder: URL, names: [String]) throws -> Seeds {
    var tables: [String: SeedTable] = [:]
    for name in names {
      tables[name] = try loadTable(folder: folder, name: name)
    }
    return Seeds(tables: tables)
  }

  /// One seed table.
  public static func loadTable(folder: URL, name: String) throws -> SeedTable {
    let url = folder.appendingPathComponent("\(name).csv")
    let display = "\(folder.lastPathComponent)/\(name).csv"
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw IngestError.badSeed(display, detail: missing(folder: folder, file: "\(name).csv"))
    }
    if let size = FileStamp.of(url)?.size, size > SeedTable.maxTextBytes {
      throw IngestError.badSeed(
        display, detail: "种子文件 \(display) 有 \(size) 字节，超过基础数据表的上限 \(SeedTable.maxTextBytes) 字节（4 GiB）")
    }
    let sink = SeedSink(name: name, display: display)
    let source = try RecordReader().readFields(url, displayPath: display, sink: sink)
    // `almanac alias` appends in the table's own encoding (`SeedTableFile`), so a table stays
    // one encoding. UTF-16 ("Unicode text") is a tab-separated export, not a CSV.
    if ![.utf8, .utf8BOM, .gb18030].contains(source.encoding) {
      let detected = "\(source.encoding?.rawValue ?? "未知")（\(source.encodingReason ?? "")）"
      throw IngestError.badSeed(
        display,
        detail: "种子文件应为 UTF-8 或 GB18030 编码的 CSV，实际检测为 \(detected)；"
          + "在 Excel 中请用“另存为 → CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”保存")
    }
    guard let header = sink.header, !header.allSatisfy(\.isEmpty) else {
      throw IngestError.badSeed(display, detail: "\(display) 没有表头行")
    }
    if let dup = Dictionary(grouping: header.filter { !$0.isEmpty }, by: { $0 }).first(where: { $0.value.count > 1 })?
      .key
    {
      throw IngestError.badSeed(display, line: 1, detail: "表头中的列名“\(dup)”出现了不止一次")
    }
    return sink.table ?? SeedTable(name: name, header: header)
  }
}

extension SeedLoader {
  /// Why `file` is not found in the seeds folder, with the folder's full path and the flag that
  /// names it: the folder is missing, is a file, cannot be read, or lacks the table.
  static func missing(folder: URL, file: String) -> String {
    let flag = "请用 --seeds（或环境变量 ALMANAC_SEEDS）指定存放基础数据表的目录"
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) else {
      return "种子目录 \(folder.path) 不存在；\(flag)"
    }
    guard isFolder.boolValue else { return "\(folder.path) 是一个文件，不是目录；\(flag)（目录中应有 \(file)）" }
    guard access(folder.path, R_OK | X_OK) == 0 else {
      return "无法读取种子目录 \(folder.path)：没有读取权限；请让运行 almanac 的用户可以读取该目录"
    }
    return "找不到种子文件 \(folder.appendingPathComponent(file).path)；该目录中应有 \(file)，或\(flag)"
  }
}

/// Builds a seed table from the reader's field bytes: cells go into the table as bytes, with
/// no `String` or `Record` made per row (a province's declared figures are 200,000 rows,
/// loaded on every run, a twentieth of a whole run at 100,000 register rows).
///
/// The first non-blank record is the header; blank records are skipped; a row shorter than
/// the header is padded with empty cells, a longer one may only have empty cells past it.
private final class SeedSink: CSVFieldSink {
  let name: String
  let display: String
  private(set) var header: [String]?
  // Mutated from libcsv's callbacks only, one access at a time: the dynamic exclusivity
  // checks on these were a quarter of loading a province's declared figures.
  @exclusivity(unchecked) private(set) var table: SeedTable?
  /// The record being read: its fields' bytes one after another, their ends and lines.
  @exclusivity(unchecked) private var bytes: [UInt8] = []
  @exclusivity(unchecked) private var ends: [Int] = []
  @exclusivity(unchecked) private var lines: [Int] = []

  init(name: String, display: String) {
    self.name = name
    self.display = display
  }

  /// A cell Almanac neutralized when it appended it (`'=…`, `'-…`: `SeedTableFile.cells`),
  /// without the `'`; other cells as they are.
  static func unneutralized(_ cell: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    guard cell.count >= 2, cell[0] == 0x27, CSVWriter.startsFormula(cell[1]) else { return cell }
    return UnsafeRawBufferPointer(rebasing: cell[1...])
  }

  func field(_ field: UnsafeRawBufferPointer, index: Int, line: Int) throws {
    bytes.append(contentsOf: field)
    ends.append(bytes.count)
    lines.append(line)
  }

  func endRecord(fieldCount: Int, line: Int) throws {
    defer {
      bytes.removeAll(keepingCapacity: true)
      ends.removeAll(keepingCapacity: true)
      lines.removeAll(keepingCapacity: true)
    }
    try bytes.withUnsafeBytes { all in
      func field(_ i: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: all[(i == 0 ? 0 : ends[i - 1])..<ends[i]])
      }
      if (0..<ends.count).allSatisfy({ Record.isBlankField(field($0)) }) { return }
      guard let header else {
        let names = (0..<ends.count).map {
          String(decoding: field($0), as: UTF8.self).trimmingCharacters(in: .whitespaces)
        }
        header = names
        table = SeedTable(name: name, header: names)
        return
      }
      if ends.count > header.count, let extra = (header.count..<ends.count).first(where: { !field($0).isEmpty }) {
        throw IngestError.badSeed(
          display, line: lines[extra], column: extra + 1,
          detail: "第 \(lines[extra]) 行有 \(ends.count) 列，比表头的 \(header.count) 列多，且多出的第 \(extra + 1) 列不为空")
      }
      for i in 0..<min(ends.count, header.count) { table?.appendCell(Self.unneutralized(field(i))) }
      for _ in ends.count..<max(ends.count, header.count) {
        table?.appendCell(UnsafeRawBufferPointer(start: nil, count: 0))
      }
      table?.endRow(line: line)
    }
  }
}
