import AlmanacCore
import Foundation
import Testing

@testable import Normalize

/// Shared helpers: the real pipeline definition, seed tables from CSV text, sheets in memory.
enum Fixtures {
  static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static let pipeline: PipelineDefinition = {
    do {
      return try PipelineDefinition.load(folder: repoRoot.appendingPathComponent("pipelines/disclosure-2021"))
    } catch {
      Issue.record("cannot load pipeline: \(error)")
      return PipelineDefinition(
        name: "x", title: "x", style: .national2021, region: RegionDefinition(name: "凌海市"), seeds: [], forms: [],
        rules: [])
    }
  }()

  /// A seed table from CSV text without quoted fields (header on line 1, blank lines skipped
  /// but counted), as the shipped seeds are written.
  static func table(_ name: String, _ text: String) -> SeedTable {
    var header: [String] = []
    var rows: [[String]] = []
    var lines: [Int] = []
    let physical = text.replacingOccurrences(of: "\r\n", with: "\n").split(
      separator: "\n", omittingEmptySubsequences: false)
    for (i, line) in physical.enumerated() {
      var l = String(line)
      if i == 0, l.hasPrefix("\u{FEFF}") { l.removeFirst() }
      if l.isEmpty { continue }
      let fields = l.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      if header.isEmpty {
        header = fields
      } else {
        rows.append(fields)
        lines.append(i + 1)
      }
    }
    return SeedTable(name: name, header: header, rows: rows, lines: lines)
  }

  /// The shipped `seeds/*.csv` of the repository.
  static func shippedSeeds() throws -> Seeds {
    var tables: [String: SeedTable] = [:]
    for name in pipeline.seeds {
      let url = repoRoot.appendingPathComponent("seeds/\(name).csv")
      tables[name] = table(name, try String(contentsOf: url, encoding: .utf8))
    }
    return Seeds(tables: tables)
  }

  /// A small registry for unit tests.
  static let smallSeeds = Seeds(tables: [
    "departments": table(
      "departments",
      """
      id,name,level,parent,valid_from,valid_to
      lhs,凌海市人民政府,政府,,,
      czj,凌海市财政局,部门,lhs,,
      sthj,锦州市生态环境局凌海分局,部门,lhs,,
      zjj,凌海市住房和城乡建设局,部门,lhs,,
      scj,凌海市市场监督管理局,部门,lhs,,
      hyj,凌海市海洋与渔业局,部门,lhs,,2019-03-28
      ss,石山镇,乡镇,lhs,,
      jc,金城街道,街道,lhs,,
      """),
    "department_aliases": table(
      "department_aliases",
      """
      alias,department_id,kind,valid_from,valid_to,note
      财政局,czj,short,,,
      环保局,sthj,short,,,
      凌海市环境保护局,sthj,historic,,2019-03-28,改革前名称
      住建局,zjj,short,,,
      城建局,zjj,historic,,2019-03-28,
      市监局,scj,short,,,
      环保分局,sthj,confirmed,,,
      海渔局,hyj,short,,,
      """),
    "label_aliases": table(
      "label_aliases",
      """
      form,variant,canonical
      t4,行政法复议,行政复议
      t3,法人或其他组织小计,小计
      t3,公民,自然人
      t3,其他处理,3.其他
      """),
    "applicant_types": table(
      "applicant_types",
      """
      variant,column
      自然人,np
      公民,np
      企业,sy
      商业企业,sy
      律师事务所,fl
      其他,qt
      """),
    "result_aliases": table(
      "result_aliases",
      """
      variant,row
      予以公开,r3_1
      同意公开,r3_1
      属于国家秘密,r3_3_1
      无法提供（本机关不掌握相关政府信息）,r3_4_1
      信息不存在,r3_4_1
      办理中,r4
      ,r4
      """),
  ])

  static func source(_ path: String = "inbox/财政局-表三.csv") -> SourceFile {
    SourceFile(path: path, sha256: String(repeating: "a", count: 64), size: 100)
  }

  static func claims(
    metadata: String? = nil, title: String? = nil, fileName: String? = nil, titleYear: Int? = nil,
    fileNameYear: Int? = nil
  )
    -> SheetClaims
  {
    var c = SheetClaims()
    c.metadataDepartment = metadata
    c.titleDepartment = title
    c.fileNameDepartment = fileName
    c.titleYear = titleYear
    c.fileNameYear = fileNameYear
    c.metadataLine = metadata == nil ? nil : 2
    c.titleLine = title == nil ? nil : 1
    return c
  }

  static func int(_ v: Int64) -> CellValue { .integer(v) }

  /// One row with cells in consecutive columns starting at `firstColumn`.
  static func row(_ labels: [String], _ line: Int, _ cells: [([String], CellValue)], firstColumn: Int = 4) -> SheetRow {
    SheetRow(
      labelPath: labels, line: line,
      cells: cells.enumerated().map { i, c in
        SheetCell(columnPath: c.0, value: c.1, raw: raw(c.1), line: line, column: firstColumn + i)
      })
  }

  static func raw(_ v: CellValue) -> String {
    switch v {
    case .integer(let i): String(i)
    case .decimal(let d): DecimalFormat.plain(d)
    case .blank(let t): t
    case .text(let t): t
    }
  }

  static func normalizer(_ seeds: Seeds = smallSeeds, year: Int = 2025) -> SheetNormalizer {
    SheetNormalizer(pipeline: pipeline, seeds: seeds, year: year)
  }
}
