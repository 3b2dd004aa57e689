import Foundation

/// Writes inboxes of filled-in department sheets for end-to-end runs.
///
/// The sheets are the blank templates `almanac templates` writes (so they read back the way a
/// department's copy would), with the department's name in the title row and the `填报单位：`
/// cell, a `填报日期` and figures that satisfy every strict identity (S-1 … S-4) and the
/// warning conventions, unless asked to break S-1.
///
/// File `i` goes to department `i % D`, form `[t2, t3, t4][(i / D) % 3]`, version `i / 3D`
/// (a later version is a resubmission with a later 填报日期, which supersedes the earlier one):
/// any number of files can be generated, each with distinct bytes.
public struct InboxGenerator: Sendable {
  public struct Department: Sendable, Hashable {
    public var id: String
    public var name: String
  }

  /// The grid forms the generator fills, in file order.
  public static let forms = ["t2", "t3", "t4"]

  public let year: Int
  public let departments: [Department]
  /// Form id → the blank template's rows.
  private let templates: [String: [[String]]]

  /// Reads the UTF-8 templates `almanac templates --out <folder> --year <year>` wrote and the
  /// departments expected in `year` from `seeds/departments.csv`.
  public init(templatesFolder: URL, year: Int, seeds: URL = ProjectPaths.seeds) throws {
    self.year = year
    var templates: [String: [[String]]] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: templatesFolder.path)
    where name.hasSuffix(".utf8.csv") {
      let form = String(name.prefix { $0 != "-" })
      guard Self.forms.contains(form) else { continue }
      let text = try String(contentsOf: templatesFolder.appendingPathComponent(name), encoding: .utf8)
      templates[form] = Self.parseCSV(text)
    }
    for form in Self.forms where templates[form] == nil {
      throw GeneratorError("no template for \(form) in \(templatesFolder.path)")
    }
    self.templates = templates
    departments = try Self.expectedDepartments(seeds: seeds, year: year)
    guard !departments.isEmpty else { throw GeneratorError("no department of \(year) in \(seeds.path)") }
  }

  /// Writes `count` files into `inbox` (created if missing); returns their names in order.
  @discardableResult
  public func write(count: Int, to inbox: URL, seed: UInt64 = 1) throws -> [String] {
    try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
    var names: [String] = []
    names.reserveCapacity(count)
    for i in 0..<count {
      let d = departments.count
      let department = departments[i % d]
      let form = Self.forms[(i / d) % Self.forms.count]
      let version = i / (d * Self.forms.count) + 1
      let name = try writeFile(form: form, department: department, version: version, to: inbox, seed: seed)
      names.append(name)
    }
    return names
  }

  /// Writes one sheet: `<dept id>-<form>-v<version>.csv`, UTF-8 with BOM; returns its name.
  @discardableResult
  public func writeFile(
    form: String, department: Department, version: Int, to inbox: URL, seed: UInt64 = 1, breakS1: Bool = false
  ) throws -> String {
    let name = "\(department.id)-\(form)-v\(version)\(breakS1 ? "-s1" : "").csv"
    var rng = SeededRandom(seed: seed &* 1_000_003 &+ UInt64(Self.stableHash("\(name)")))
    let grid = try sheet(form: form, department: department, version: version, breakS1: breakS1, rng: &rng)
    try Data(Self.csv(grid).utf8).write(to: inbox.appendingPathComponent(name))
    return name
  }

  /// The filled grid of one form.
  public func sheet(
    form: String, department: Department, version: Int, breakS1: Bool = false, rng: inout SeededRandom
  ) throws -> [[String]] {
    guard var grid = templates[form] else { throw GeneratorError("no template for \(form)") }
    // Title: `（填报单位）2025年度…` names the department; the metadata row repeats it.
    guard let first = grid.first?.first, first.hasPrefix("（填报单位）") else {
      throw GeneratorError("\(form): the template's first cell is not the title")
    }
    grid[0][0] = department.name + first.dropFirst("（填报单位）".count)
    guard let meta = grid.firstIndex(where: { $0.first == "填报单位：" }), grid[meta].count >= 4 else {
      throw GeneratorError("\(form): no 填报单位 row")
    }
    grid[meta][1] = department.name
    grid[meta][3] = String(format: "%04d-01-%02d", year + 1, min(28, 4 + version))
    switch form {
    case "t2": try fillT2(&grid, rng: &rng)
    case "t3": try fillT3(&grid, breakS1: breakS1, rng: &rng)
    default: try fillT4(&grid, rng: &rng)
    }
    return grid
  }

  // MARK: - Figures

  /// 规章 all 0 (C-4); 行政规范性文件 制发 ≤ 现行有效 + 废止 (C-3); counts elsewhere; a fee in 万元.
  private func fillT2(_ grid: inout [[String]], rng: inout SeededRandom) throws {
    var header: [String]?
    var filled = 0
    for r in grid.indices {
      let label = grid[r].first ?? ""
      if label == "信息内容" {
        header = grid[r]
        continue
      }
      guard let h = header, !label.isEmpty, !label.hasPrefix("第二十条"), !label.hasPrefix("填表人") else { continue }
      let columns = (1..<h.count).filter { !h[$0].isEmpty }
      switch label {
      case "规章":
        for c in columns { grid[r][c] = "0" }
      case "行政规范性文件":
        let youxiao = Int.random(in: 3...40, using: &rng)
        let feizhi = Int.random(in: 0...3, using: &rng)
        let zhifa = Int.random(in: 0...youxiao, using: &rng)
        for (c, v) in zip(columns, [zhifa, feizhi, youxiao]) { grid[r][c] = String(v) }
      case "行政事业性收费":
        let cents = Int.random(in: 0...99_999, using: &rng)
        for c in columns { grid[r][c] = "\(cents / 100).\(String(format: "%02d", cents % 100))" }
      default:
        for c in columns { grid[r][c] = String(Int.random(in: 0...500, using: &rng)) }
      }
      filled += 1
    }
    guard filled >= 5 else { throw GeneratorError("t2: only \(filled) data rows found") }
  }

  /// Rows r1, r2, r3_1 … r3_7, r4 in template order; per applicant column new + carried-in =
  /// handled + carried-over (S-3), results sum to (七) (S-2), 总计 = Σ columns (S-1).
  private func fillT3(_ grid: inout [[String]], breakS1: Bool, rng: inout SeededRandom) throws {
    guard let headerRow = grid.firstIndex(where: { $0.contains("自然人") }),
      let firstColumn = grid[headerRow].firstIndex(of: "自然人"),
      let totalColumn = grid[headerRow].firstIndex(of: "总计"), totalColumn > firstColumn,
      let firstRow = grid.firstIndex(where: { ($0.first ?? "").hasPrefix("一、") }),
      let footer = grid.firstIndex(where: { ($0.first ?? "").hasPrefix("填表人") })
    else { throw GeneratorError("t3: template layout not recognized") }
    let rows = Array(firstRow..<footer)
    // r1, r2, 21 result rows (r3_1 … r3_6_3), (七) 总计, r4.
    guard rows.count == 25 else { throw GeneratorError("t3: \(rows.count) data rows") }
    let results = Array(rows[2..<(rows.count - 2)])
    let closed = rows[rows.count - 2]
    let carried = rows[rows.count - 1]
    // r3_6_2 (逾期未缴费) stays 0: anything else is a C-7 warning.
    let feeRow = results[19]
    var values = [[Int]](repeating: [Int](repeating: 0, count: totalColumn - firstColumn), count: grid.count)
    for j in 0..<(totalColumn - firstColumn) {
      let new = Int.random(in: 0...(j == 0 ? 30 : 6), using: &rng)
      let old = Int.random(in: 0...2, using: &rng)
      let over = Int.random(in: 0...min(2, new + old), using: &rng)
      let handled = new + old - over
      values[rows[0]][j] = new
      values[rows[1]][j] = old
      values[carried][j] = over
      values[closed][j] = handled
      for _ in 0..<handled {
        var r = results[Int.random(in: 0..<results.count, using: &rng)]
        if r == feeRow { r = results[0] }
        values[r][j] += 1
      }
    }
    for r in rows {
      for j in values[r].indices { grid[r][firstColumn + j] = String(values[r][j]) }
      var total = values[r].reduce(0, +)
      if breakS1 && r == rows[0] { total += 1 }
      grid[r][totalColumn] = String(total)
    }
  }

  /// 行政复议, 未经复议直接起诉, 复议后起诉: each 维持 + 纠正 + 其他 + 尚未审结 = 总计 (S-4);
  /// 复议后起诉 ≤ 行政复议 (C-8).
  private func fillT4(_ grid: inout [[String]], rng: inout SeededRandom) throws {
    guard let footer = grid.firstIndex(where: { ($0.first ?? "").hasPrefix("填表人") }), footer > 0,
      grid[footer - 1].allSatisfy(\.isEmpty), grid[footer - 1].count >= 15
    else { throw GeneratorError("t4: template layout not recognized") }
    let r = footer - 1
    let fy = (0..<4).map { _ in Int.random(in: 0...3, using: &rng) }
    let direct = (0..<4).map { _ in Int.random(in: 0...2, using: &rng) }
    let afterFy = fy.map { Int.random(in: 0...$0, using: &rng) }
    for (g, group) in [fy, direct, afterFy].enumerated() {
      for (k, v) in group.enumerated() { grid[r][g * 5 + k] = String(v) }
      grid[r][g * 5 + 4] = String(group.reduce(0, +))
    }
  }

  // MARK: - Seeds and CSV

  /// Departments at a level the pipeline expects (部门, 乡镇, 街道) and valid in `year`.
  public static func expectedDepartments(seeds: URL, year: Int) throws -> [Department] {
    let text = try String(contentsOf: seeds.appendingPathComponent("departments.csv"), encoding: .utf8)
    let rows = parseCSV(text)
    guard let header = rows.first, let id = header.firstIndex(of: "id"), let name = header.firstIndex(of: "name"),
      let level = header.firstIndex(of: "level"), let from = header.firstIndex(of: "valid_from"),
      let to = header.firstIndex(of: "valid_to")
    else { throw GeneratorError("departments.csv: unexpected header") }
    let start = String(format: "%04d-01-01", year)
    let end = String(format: "%04d-12-31", year)
    return rows.dropFirst().compactMap { row in
      guard row.count > max(id, name, level, from, to) else { return nil }
      guard ["部门", "乡镇", "街道"].contains(row[level]) else { return nil }
      if !row[from].isEmpty && row[from] > end { return nil }
      if !row[to].isEmpty && row[to] < start { return nil }
      return Department(id: row[id], name: row[name])
    }
  }

  /// RFC 4180 fields (quotes, doubled quotes), BOM dropped, CRLF or LF.
  public static func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var chars = text.unicodeScalars.makeIterator()
    var pending: Unicode.Scalar? = chars.next()
    if pending == "\u{FEFF}" { pending = chars.next() }
    while let c = pending {
      pending = chars.next()
      if quoted {
        if c == "\"" {
          if pending == "\"" {
            field.unicodeScalars.append("\"")
            pending = chars.next()
          } else {
            quoted = false
          }
        } else {
          field.unicodeScalars.append(c)
        }
        continue
      }
      switch c {
      case "\"": quoted = true
      case ",":
        row.append(field)
        field = ""
      case "\r": break
      case "\n":
        row.append(field)
        rows.append(row)
        row = []
        field = ""
      default: field.unicodeScalars.append(c)
      }
    }
    if !field.isEmpty || !row.isEmpty {
      row.append(field)
      rows.append(row)
    }
    return rows
  }

  /// UTF-8 with BOM, CRLF, quoted where needed.
  public static func csv(_ grid: [[String]]) -> String {
    var text = "\u{FEFF}"
    for row in grid {
      text += row.map { f in
        f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
          ? "\"\(f.replacingOccurrences(of: "\"", with: "\"\""))\"" : f
      }.joined(separator: ",")
      text += "\r\n"
    }
    return text
  }

  /// FNV-1a: a per-file seed that does not depend on Swift's randomized `hashValue`.
  static func stableHash(_ s: String) -> UInt32 {
    var h: UInt32 = 2_166_136_261
    for b in s.utf8 {
      h ^= UInt32(b)
      h = h &* 16_777_619
    }
    return h
  }
}

/// The generator could not use its templates or seeds.
public struct GeneratorError: Error, CustomStringConvertible, Sendable {
  public var description: String
  public init(_ description: String) { self.description = description }
}
