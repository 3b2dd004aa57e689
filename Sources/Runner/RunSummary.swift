import AlmanacCore
import Foundation

/// The one-screen summary printed at the end of a run, for the people in the disclosure office.
public enum RunSummary {
  /// The sentence an unchanged rerun prints.
  public static let nothingChangedLine = "输入未变化，全部阶段复用，未解析任何文件。"

  public static func render(_ report: RunReport) -> String {
    var lines: [String] = []
    var title = "—— almanac 运行摘要"
    if let p = report.pipelineName, let y = report.year { title += "：\(p)，\(y) 年度" }
    lines.append(title + " ——")
    if !report.stages.isEmpty {
      lines.append("阶段：" + report.stages.map { "\($0.name) \($0.status.label)" }.joined(separator: " / "))
    }
    if report.failure?.kind != .usage && report.failure?.kind != .locked {
      var files = "文件：收件箱 \(report.hash.files) 个，读取 \(report.hash.filesHashed) 个（\(megabytes(report.hash.bytesHashed))）"
      files += "，解析 \(report.counter("files_parsed")) 个"
      let reused = report.counter("files_reused")
      if reused > 0 { files += "，复用缓存 \(reused) 个" }
      lines.append(files)
      let c = report.findingCounts
      lines.append(findingsLine(c, accepted: report.acceptedCount))
      if !report.heldBack.isEmpty {
        let names = report.heldBack.prefix(5).map { Diagnostic.printable($0.source.path) }.joined(separator: "、")
        let more = report.heldBack.count > 5 ? " 等" : ""
        lines.append("暂缓采用：\(report.heldBack.count) 个文件（\(names)\(more)）")
      }
      if let missing = report.missingDepartments, !missing.isEmpty {
        let names = missing.prefix(5).map { Diagnostic.printable($0.displayName) }.joined(separator: "、")
        let more = missing.count > 5 ? " 等，全部名单见 almanac status" : ""
        lines.append("未报送：\(missing.count) 个单位（\(names)\(more)）")
      }
    }
    if let p = report.publish {
      var out = "输出：\(p.folder)（更新 \(p.written.count) 个文件，未变 \(p.unchanged.count) 个"
      if !p.removed.isEmpty { out += "，删除过时文件 \(p.removed.count) 个" }
      lines.append(out + "）")
    }
    if report.nothingChanged { lines.append(nothingChangedLine) }
    lines.append("结论：" + verdict(report))
    return lines.joined(separator: "\n")
  }

  /// `发现：错误 7 条，警告 40 条，提示 10 条（另有已审核确认 1 条）`: open findings, then those
  /// an auditor accepted.
  public static func findingsLine(_ c: [Severity: Int], accepted: Int) -> String {
    let open = "发现：错误 \(c[.error, default: 0]) 条，警告 \(c[.warning, default: 0]) 条，提示 \(c[.info, default: 0]) 条"
    return accepted > 0 ? open + "（另有已审核确认 \(accepted) 条）" : open
  }

  static func verdict(_ report: RunReport) -> String {
    let code = report.exitCode
    if let f = report.failure {
      switch f.kind {
      case .locked: return "另一个运行持有锁，本次未做任何操作（退出码 \(code)）"
      case .usage: return "配置或参数错误，未运行任何阶段：\(f.message)（退出码 \(code)）"
      // Nothing of this run was published: what the outbox holds (if anything) is an earlier run's.
      case .stage: return "\(f.message)（退出码 \(code)）；本次运行未发布任何文件"
      }
    }
    let c = report.findingCounts
    if c[.error, default: 0] > 0 {
      return "完成，报告已起草，但有 \(c[.error, default: 0]) 条错误需要审核（退出码 \(code)）"
    }
    if report.strict && c[.warning, default: 0] > 0 {
      return "完成，报告已起草；--strict 下 \(c[.warning, default: 0]) 条警告按错误处理（退出码 \(code)）"
    }
    return "完成（退出码 \(code)）"
  }

  static func megabytes(_ bytes: Int64) -> String {
    String(format: "%.1f MB", Double(bytes) / 1_048_576)
  }
}
