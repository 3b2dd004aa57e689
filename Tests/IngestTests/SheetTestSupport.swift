import AlmanacCore
import Foundation
import Ingest

/// Helpers shared by the sheet reader tests.
enum SheetTestSupport {
  /// The repository root (two folders above this file's folder).
  static var repositoryRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  /// The national pipeline's forms.
  static func forms() throws -> [FormDefinition] {
    try PipelineDefinition.load(folder: repositoryRoot.appendingPathComponent("pipelines/disclosure-2021")).forms
  }

  /// Records of simple CSV text (no quoting): one record per non-empty line, line numbers 1-based.
  static func records(_ text: String) -> [Record] {
    var out: [Record] = []
    for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      out.append(Record(fields: fields, lines: Array(repeating: i + 1, count: fields.count)))
    }
    return out
  }

  /// Reads in-memory CSV text with the national forms.
  static func sheet(_ text: String, path: String = "test.csv", aliases: [String: String] = [:]) throws -> Sheet {
    var reader = SheetReader(
      source: SourceFile(path: path, sha256: String(repeating: "0", count: 64), size: 0), forms: try forms(),
      labelAliases: aliases)
    for r in records(text) { reader.consume(r) }
    return reader.finish()
  }

  /// A fixture file's URL.
  static func fixture(_ name: String) throws -> URL {
    let url = IngestFixtures.root.appendingPathComponent("sheets/\(name)")
    guard FileManager.default.fileExists(atPath: url.path) else { throw CocoaError(.fileNoSuchFile) }
    return url
  }

  /// Reads a fixture file from disk through `RecordReader` and `SheetReader`.
  static func readFixture(_ name: String, display: String? = nil, aliases: [String: String] = [:]) throws -> Sheet {
    let url = try fixture(name)
    let path = display ?? name
    var reader = SheetReader(
      source: SourceFile(path: path, sha256: "", size: 0), forms: try forms(), labelAliases: aliases)
    let source = try RecordReader().read(url, displayPath: path) { reader.consume($0) }
    var sheet = reader.finish()
    sheet.source = source
    return sheet
  }

  /// The forms.md §2 example, all 25 rows (same text as `t3-gb18030.csv`).
  static let t3Text = """
    凌海市环境保护局2025年度政府信息公开工作年度报告统计表,,,,,,,,,
    填报单位：凌海市环境保护局,,,,,填报日期：2026年1月10日,,,,
    （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）,,,申请人情况,,,,,,
    ,,,自然人,法人或其他组织,,,,,总计
    ,,,,商业企业,科研机构,社会公益组织,法律服务机构,其他,
    一、本年新收政府信息公开申请数量,,,3,0,0,0,0,0,3
    二、上年结转政府信息公开申请数量,,,0,0,0,0,0,0,0
    三、本年度办理结果,（一）予以公开,,1,0,0,0,0,0,1
    ,（二）部分公开（区分处理的，只计这一情形，不计其他情形）,,1,0,0,0,0,0,1
    ,（三）不予公开,1.属于国家秘密,0,0,0,0,0,0,0
    ,,2.其他法律行政法规禁止公开,0,0,0,0,0,0,0
    ,,3.危及“三安全一稳定”,0,0,0,0,0,0,0
    ,,4.保护第三方合法权益,0,0,0,0,0,0,0
    ,,5.属于三类内部事务信息,0,0,0,0,0,0,0
    ,,6.属于四类过程性信息,0,0,0,0,0,0,0
    ,,7.属于行政执法案卷,0,0,0,0,0,0,0
    ,,8.属于行政查询事项,0,0,0,0,0,0,0
    ,（四）无法提供,1.本机关不掌握相关政府信息,1,0,0,0,0,0,1
    ,,2.没有现成信息需要另行制作,0,0,0,0,0,0,0
    ,,3.补正后申请内容仍不明确,0,0,0,0,0,0,0
    ,（五）不予处理,1.信访举报投诉类申请,0,0,0,0,0,0,0
    ,,2.重复申请,0,0,0,0,0,0,0
    ,,3.要求提供公开出版物,0,0,0,0,0,0,0
    ,,4.无正当理由大量反复申请,0,0,0,0,0,0,0
    ,,5.要求行政机关确认或重新出具已获取信息,0,0,0,0,0,0,0
    ,（六）其他处理,1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请,0,0,0,0,0,0,0
    ,,2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请,0,0,0,0,0,0,0
    ,,3.其他,0,0,0,0,0,0,0
    ,（七）总计,,3,0,0,0,0,0,3
    四、结转下年度继续办理,,,0,0,0,0,0,0,0
    填表人：王丽,,联系电话：0416-8123456,,,,,,,
    """
}

extension SheetTable {
  /// The row with this exact label path.
  func row(_ path: [String]) -> SheetRow? { rows.first { $0.labelPath == path } }
}

extension SheetRow {
  /// The cell with this exact column path.
  func cell(_ path: [String]) -> SheetCell? { cells.first { $0.columnPath == path } }
}
