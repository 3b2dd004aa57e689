import AlmanacCore
import Foundation
import Ingest

/// Reads last year's `consolidated.csv` back (`--previous DIR`) for the cross-year checks C-1/C-2.
///
/// Region rows fill `region`, `submitted` rows fill `departments`; `register` rows fill a
/// department's forms it sent no table of (its register's counts were its figures then, as
/// the region read them), and are skipped beside a table. Columns are found by header name, so
/// a file with extra columns still reads.
public enum PreviousDatasetLoader {
  static let required = ["year", "department_id", "kind", "form", "row_key", "column_key", "value"]

  /// `DIR/consolidated.csv`, else `DIR/consolidated.csv.gz`; `DIR` may also name the file itself.
  public static func load(_ dir: URL) throws -> PreviousDataset {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir) else {
      throw PreviousDatasetError(
        file: dir.path, line: 0, column: 0,
        message: "上年数据目录不存在；--previous 应指向上一年度的输出目录（outbox/<年度>）或其中的 consolidated.csv")
    }
    if let url = file(at: dir) { return try load(csv: url, displayPath: url.path) }
    throw PreviousDatasetError(
      file: dir.path, line: 0, column: 0,
      message: "目录中没有 consolidated.csv 或 consolidated.csv.gz；请指定上年的输出目录（outbox/<年度>）")
  }

  /// The file `--previous` names: `location` itself, or the dataset in that folder; nil when the
  /// folder holds none (or nothing is there).
  public static func file(at location: URL) -> URL? {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: location.path, isDirectory: &isDir) else { return nil }
    guard isDir.boolValue else { return location }
    return ["consolidated.csv", "consolidated.csv.gz"].map { location.appendingPathComponent($0) }.first {
      FileManager.default.fileExists(atPath: $0.path)
    }
  }

  public static func load(csv url: URL, displayPath: String) throws -> PreviousDataset {
    var columns: [String: Int] = [:]
    var year: Int?
    var region: [String: CellValue] = [:]
    var departments: [String: [String: CellValue]] = [:]
    var names: [String: String] = [:]
    // A unit that sent only its register last year: its counts were its figures (the region
    // added them), kept apart until it is known which forms it sent as tables.
    var registers: [String: [String: CellValue]] = [:]
    var failure: PreviousDatasetError?
    let source = try RecordReader().read(url, displayPath: displayPath) { record in
      guard failure == nil else { return }
      if columns.isEmpty {
        for (i, raw) in record.fields.enumerated() {
          let name = raw.replacingOccurrences(of: "\u{FEFF}", with: "").trimmingCharacters(in: .whitespaces)
          if columns[name] == nil { columns[name] = i }
        }
        if let absent = required.first(where: { columns[$0] == nil }) {
          failure = PreviousDatasetError(
            file: displayPath, line: record.line, column: 0,
            message: "表头缺少列 \(absent)；这不是 Almanac 输出的 consolidated.csv")
        }
        return
      }
      func field(_ name: String) -> String {
        guard let i = columns[name], i < record.fields.count else { return "" }
        return record.fields[i]
      }
      func column(_ name: String) -> Int { (columns[name] ?? 0) + 1 }
      let kind = field("kind")
      guard kind == "region" || kind == "submitted" || kind == "register" else { return }
      guard let y = Int(field("year")) else {
        failure = PreviousDatasetError(
          file: displayPath, line: record.line, column: column("year"), message: "年度“\(field("year"))”不是整数")
        return
      }
      if let year, year != y {
        failure = PreviousDatasetError(
          file: displayPath, line: record.line, column: column("year"),
          message: "文件中出现多个年度（\(year) 与 \(y)）；上年数据只能有一个年度")
        return
      }
      year = y
      let key = CellKey(form: field("form"), row: field("row_key"), column: field("column_key"))
      guard CellKey(key.description) != nil else {
        failure = PreviousDatasetError(
          file: displayPath, line: record.line, column: column("form"), message: "单元格键“\(key.description)”不完整")
        return
      }
      let value = parseValue(field("value"), raw: field("raw"))
      if kind == "region" {
        region[key.description] = value
      } else if kind == "register" {
        let id = field("department_id")
        if !id.isEmpty { registers[id, default: [:]][key.description] = value }
        if names[id] == nil, case let name = field("department_name"), !name.isEmpty { names[id] = name }
      } else {
        let id = field("department_id")
        guard !id.isEmpty else {
          failure = PreviousDatasetError(
            file: displayPath, line: record.line, column: column("department_id"), message: "单位编号为空")
          return
        }
        departments[id, default: [:]][key.description] = value
        if names[id] == nil, case let name = field("department_name"), !name.isEmpty { names[id] = name }
      }
    }
    if let failure { throw failure }
    for (id, counted) in registers {
      let tabled = Set((departments[id] ?? [:]).keys.compactMap { CellKey($0)?.form })
      for (key, value) in counted where CellKey(key).map({ !tabled.contains($0.form) }) == true {
        departments[id, default: [:]][key] = value
      }
    }
    guard !columns.isEmpty else {
      throw PreviousDatasetError(file: displayPath, line: 0, column: 0, message: "文件为空")
    }
    guard let year else {
      throw PreviousDatasetError(file: displayPath, line: 0, column: 0, message: "文件中没有任何数据行")
    }
    // Findings cite this file, and a finding's id digests its first source: name it by its folder
    // and file (`2024/consolidated.csv`), not by where the outbox happens to live, so the same
    // inputs give the same bytes and ids wherever last year's outbox is (cli.md). Errors above
    // keep the full path: that is what an operator needs to find the file.
    var stable = source
    stable.path = url.deletingLastPathComponent().lastPathComponent + "/" + url.lastPathComponent
    return PreviousDataset(
      year: year, region: region, departments: departments, departmentNames: names, source: stable)
  }

  /// Undoes `CSVWriter`'s formula neutralization and types the value like ingest does.
  static func parseValue(_ text: String, raw: String) -> CellValue {
    let t = unneutralize(text)
    if t.isEmpty { return .blank(token: unneutralize(raw)) }
    if let d = DecimalFormat.parse(t) {
      if !t.contains("."), let i = Int64(t) { return .integer(i) }
      return .decimal(d)
    }
    return .text(t)
  }

  /// Drops the `'` that `CSVWriter.neutralize` put before a leading `=`, `+`, `-`, `@`, tab or CR.
  static func unneutralize(_ text: String) -> String {
    guard text.hasPrefix("'"), let second = text.unicodeScalars.dropFirst().first,
      "=+-@\t\r".unicodeScalars.contains(second)
    else { return text }
    return String(text.dropFirst())
  }
}

/// Why last year's dataset could not be read (a configuration error: exit 2).
public struct PreviousDatasetError: Error, CustomStringConvertible, Sendable, Equatable {
  public var file: String
  public var line: Int
  public var column: Int
  /// zh-CN.
  public var message: String

  public init(file: String, line: Int, column: Int, message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.message = message
  }

  public var description: String {
    var place = file
    if line > 0 { place += ":\(line)" }
    if column > 0 { place += ":\(column)" }
    return "\(place): error: \(message)"
  }
}
