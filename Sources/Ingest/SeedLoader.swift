import AlmanacCore
import Foundation

/// Loads `seeds/<name>.csv` tables (UTF-8, with or without BOM) through `RecordReader`.
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
      throw IngestError.badSeed(display, detail: "找不到种子文件 \(display)")
    }
    if let size = FileStamp.of(url)?.size, size > SeedTable.maxTextBytes {
      throw IngestError.badSeed(
        display, detail: "种子文件 \(display) 有 \(size) 字节，超过基础数据表的上限 \(SeedTable.maxTextBytes) 字节（4 GiB）")
    }
    var header: [String]?
    var table: SeedTable?
    let source = try RecordReader().read(url, displayPath: display) { record in
      if record.isBlank { return }
      guard let header else {
        header = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        table = SeedTable(name: name, header: header ?? [])
        return
      }
      var row = record.fields
      if row.count > header.count {
        if let extra = row[header.count...].firstIndex(where: { !$0.isEmpty }) {
          throw IngestError.badSeed(
            display, line: record.lines[extra], column: extra + 1,
            detail: "第 \(record.lines[extra]) 行有 \(row.count) 列，比表头的 \(header.count) 列多，且多出的第 \(extra + 1) 列不为空")
        }
        row.removeLast(row.count - header.count)
      }
      while row.count < header.count { row.append("") }
      table?.append(row, line: record.line)
    }
    if source.encoding != .utf8 && source.encoding != .utf8BOM {
      throw IngestError.badSeed(
        display, detail: "种子文件应为 UTF-8 编码，实际检测为 \(source.encoding?.rawValue ?? "未知")（\(source.encodingReason ?? "")）")
    }
    guard let header, !header.allSatisfy(\.isEmpty) else {
      throw IngestError.badSeed(display, detail: "\(display) 没有表头行")
    }
    if let dup = Dictionary(grouping: header.filter { !$0.isEmpty }, by: { $0 }).first(where: { $0.value.count > 1 })?
      .key
    {
      throw IngestError.badSeed(display, line: 1, detail: "表头中的列名“\(dup)”出现了不止一次")
    }
    return table ?? SeedTable(name: name, header: header)
  }
}
