import AlmanacCore
import Foundation
import Ingest

/// What `almanac accept` does: finds findings of a published reconciliation log by id and
/// records an auditor's decision on each as a row of `seeds/accepted_findings.csv`, which
/// every later run reads (`FindingSink` marks the finding, the report and the exit code leave
/// it out).
public struct FindingAcceptor {
  /// Why a decision was refused; zh-CN for the auditor.
  public struct Refusal: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(description: String) { self.description = description }
  }

  /// `reconciliation.jsonl` of the year.
  public var log: URL
  public var year: Int
  /// `seeds/accepted_findings.csv`.
  public var table: URL

  public init(log: URL, year: Int, table: URL) {
    self.log = log
    self.year = year
    self.table = table
  }

  /// `<outbox>/<year>/reconciliation.jsonl`, for `year`, or else for the newest year the outbox
  /// has one for.
  public static func log(outbox: URL, year: Int?) throws -> (url: URL, year: Int) {
    func url(_ y: Int) -> URL {
      outbox.appendingPathComponent(String(y)).appendingPathComponent("reconciliation.jsonl")
    }
    if let year {
      guard FileManager.default.fileExists(atPath: url(year).path) else {
        throw Refusal(description: "\(url(year).path) 不存在：\(year) 年度还没有发布的核对记录，请先运行 almanac run。")
      }
      return (url(year), year)
    }
    let years = ((try? FileManager.default.contentsOfDirectory(atPath: outbox.path)) ?? []).compactMap(Int.init)
    guard let newest = years.filter({ FileManager.default.fileExists(atPath: url($0).path) }).max() else {
      throw Refusal(
        description: "\(outbox.path) 中没有任何年度的核对记录（reconciliation.jsonl），请先运行 almanac run，或用 --outbox、--year 指定。")
    }
    return (url(newest), newest)
  }

  /// `REC-T3-S2，zjj，t3.r3_7.np`: code, whose (the department, 全区 for the region's, else the
  /// file of a finding about a file) and cell, for the confirmation printed.
  public static func summary(of f: Finding) -> String {
    let whose = f.department ?? (f.isRegions ? nil : f.sources.first?.file) ?? "全区"
    return [f.code, whose, f.cell].compactMap { $0 }.joined(separator: "，")
  }

  /// The findings of the log, as published.
  public func findings() throws -> [Finding] {
    let text: String
    do {
      text = try String(contentsOf: log, encoding: .utf8)
    } catch {
      throw Refusal(description: "无法读取 \(log.path)：\(error.systemReason)")
    }
    let decoder = JSONDecoder()
    var out: [Finding] = []
    for (i, line) in text.split(separator: "\n").enumerated() where !line.isEmpty {
      do {
        out.append(try decoder.decode(Finding.self, from: Data(line.utf8)))
      } catch {
        throw Refusal(description: "\(log.path):\(i + 1)：不是 almanac 写出的核对结果（\(error)）；请重新运行 almanac run 生成核对记录。")
      }
    }
    return out
  }

  /// The decisions `accepted_findings.csv` already holds for the year (none without the file).
  public func recorded() throws -> AcceptedFindings {
    guard FileManager.default.fileExists(atPath: table.path) else { return AcceptedFindings() }
    let folder = table.deletingLastPathComponent()
    let loaded = try SeedLoader.loadTable(folder: folder, name: AcceptedFindings.table)
    return AcceptedFindings(seeds: Seeds(tables: [AcceptedFindings.table: loaded]), year: year)
  }

  /// The finding `typed` names: its id, or the first 8 or more hex digits of one id.
  public static func find(_ typed: String, in findings: [Finding]) throws -> Finding {
    let id = typed.trimmingCharacters(in: .whitespaces).lowercased()
    if let exact = findings.first(where: { $0.id == id }) { return exact }
    guard id.count >= 8, id.allSatisfy(\.isHexDigit) else {
      throw Refusal(description: "「\(typed)」不是核对结果编号：编号是 16 位十六进制数（至少写前 8 位），见 reconciliation.html 每条结果末尾的“编号”。")
    }
    let matches = findings.filter { $0.id.hasPrefix(id) }
    switch matches.count {
    case 1: return matches[0]
    case 0: throw Refusal(description: "本年度的核对记录中没有编号为 \(typed) 的核对结果（核对记录可能已随重新运行而更新）。")
    default:
      throw Refusal(
        description: "编号前缀 \(typed) 对应 \(matches.count) 条核对结果（\(matches.map(\.id).joined(separator: "、"))），请写出完整编号。")
    }
  }

  /// The row recording `by`'s decision on `finding` on `date`. Information findings hold
  /// nothing up and are not accepted; neither is a note about a stale acceptance.
  public func row(for finding: Finding, reason: String, by: String, on date: String) throws -> [String] {
    guard !AcceptedFindings.neverAccepted.contains(finding.code) else {
      throw Refusal(
        description: "核对结果 \(finding.id)（\(finding.code)）不能确认：本年度没有任何单位的统计表被采用，报告没有可审核的数字；请放入各单位的统计表后重新运行。")
    }
    guard finding.severity >= .warning else {
      throw Refusal(description: "核对结果 \(finding.id)（\(finding.code)）只是提示，不影响报告定稿，无需确认。")
    }
    for (name, value) in [("--reason", reason), ("--by", by)] {
      guard !value.trimmingWhitespace.isEmpty else { throw Refusal(description: "\(name) 不能为空：确认须写明理由和确认人。") }
      guard !value.contains(where: \.isNewline) else { throw Refusal(description: "\(name) 不能含有换行，请写成一行。") }
    }
    return [
      finding.id, String(year), finding.code, finding.department ?? "", finding.cell ?? "", finding.expected ?? "",
      finding.actual ?? "", reason.trimmingWhitespace, by.trimmingWhitespace, date,
    ]
  }

  /// Refuses a seeds folder that is not one (a mistyped `--seeds`, or the default `seeds`
  /// seen from another working directory): the decision would go where no run reads it.
  public func checkSeedsFolder() throws {
    let folder = table.deletingLastPathComponent()
    guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("departments.csv").path) else {
      throw Refusal(
        description: "\(folder.path) 不是基础数据文件夹（其中没有 departments.csv），确认未写入；"
          + "请用 --seeds（或 ALMANAC_SEEDS）指定运行时使用的 seeds 文件夹。")
    }
  }

  /// Appends `rows` to the table, creating it (UTF-8, with its header) when the seeds folder has
  /// none yet; the caller has checked the folder (`checkSeedsFolder`) before reading anything.
  /// Returns the path written.
  @discardableResult
  public func append(_ rows: [[String]]) throws -> URL {
    var written = table
    for row in rows { written = try SeedTableFile.append(row, to: table, header: AcceptedFindings.columns) }
    return written
  }
}
