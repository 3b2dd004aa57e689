import AlmanacCore
import Draft
import Foundation
import Normalize
import Reconcile

/// Checks a pipeline definition and its seeds before anything runs (`almanac validate`, and
/// the start of every `almanac run`): seed consistency, rules that compile against the forms,
/// and report templates that parse and name only what the report's data holds.
public enum PipelineValidation {
  /// Every problem, one compiler-style line each, sorted; empty when the pipeline is usable.
  public static func problems(
    pipeline: PipelineDefinition, pipelineFolder: URL, seeds: Seeds, seedsDisplay: String = "seeds"
  ) -> [String] {
    // A seed problem names its row under the seeds folder the operator gave (`--seeds`).
    var lines = SeedValidator.validate(seeds, pipeline: pipeline).map {
      Diagnostic.line($0.finding, inbox: "", seeds: seedsDisplay)
    }
    do {
      _ = try RuleCompiler.compile(pipeline.rules, forms: pipeline.forms)
    } catch {
      let rulesFile = pipelineFolder.appendingPathComponent("rules.yaml").path
      lines += error.issues.map { "\(rulesFile): error: \($0.description) [PIPE-001]" }
    }
    let definition = pipelineFolder.appendingPathComponent("pipeline.yaml").path
    if !isSafePathComponent(pipeline.name) {
      lines.append(
        "\(definition): error: 流水线名称“\(pipeline.name)”会用作状态文件夹名，只能含字母、数字、汉字、“-”“_”“.”，且不能以“.”开头 [PIPE-004]")
    }
    // A cell is keyed `form.row.column` (`t3.r1.np`): a dot inside one of the three, or an
    // empty one, makes keys that cannot be read back, and two cells could share one key.
    let formsFile =
      ["forms.yaml", "pipeline.yaml"].map { pipelineFolder.appendingPathComponent($0) }
      .first { FileManager.default.fileExists(atPath: $0.path) }?.path ?? definition
    for form in pipeline.forms {
      let parts =
        [("表单编号", form.id)] + (form.rows ?? []).map { ("表单“\(form.id)”的行键", $0.key) }
        + (form.columns ?? []).map { ("表单“\(form.id)”的列键", $0.key) }
      for (what, key) in parts where !CellKey.isPart(key) {
        lines.append(
          "\(formsFile): error: \(what)“\(key)”不能为空，也不能含“.”：单元格写作 表单.行.列（如 t3.r1.np） [PIPE-005]")
      }
      // Two rows (or columns) with one key would put two cells under one name: the second
      // would overwrite the first in every table, sum and report.
      for (axis, items) in [("行", form.rows ?? []), ("列", form.columns ?? [])] {
        var seen: [String: String] = [:]
        for item in items {
          if let first = seen[item.key] {
            lines.append(
              "\(formsFile): error: 表单“\(form.id)”有两\(axis)使用同一个键“\(item.key)”（“\(first)”与“\(item.label)”），"
                + "每\(axis)的键必须不同 [PIPE-005]")
          } else {
            seen[item.key] = item.label
          }
        }
      }
    }
    var formIDs: Set<String> = []
    for form in pipeline.forms where !formIDs.insert(form.id).inserted {
      lines.append("\(formsFile): error: 有两个表单使用同一个编号“\(form.id)”，表单编号必须不同 [PIPE-005]")
    }
    if let limits = pipeline.limits {
      let values: [(String, Int64?)] = [
        ("maxDecompressedBytes", limits.maxDecompressedBytes), ("maxFieldBytes", limits.maxFieldBytes.map(Int64.init)),
        ("maxColumns", limits.maxColumns.map(Int64.init)), ("maxRecords", limits.maxRecords.map(Int64.init)),
      ]
      for case let (key, value?) in values where value <= 0 {
        lines.append("\(definition): error: limits.\(key) 应为正整数，实际为 \(value) [PIPE-003]")
      }
    }
    if let report = pipeline.report {
      var found = true
      for template in [report.markdownTemplate] + (report.htmlTemplate.map { [$0] } ?? []) {
        let url = pipelineFolder.appendingPathComponent(template)
        if template.hasPrefix("/") || template.split(separator: "/").contains("..") {
          lines.append("\(definition): error: 报告模板路径“\(template)”必须位于流水线文件夹之内 [PIPE-002]")
          found = false
        } else if !template.hasSuffix(".mustache") {
          lines.append("\(definition): error: 报告模板“\(template)”应是 .mustache 文件 [PIPE-002]")
          found = false
        } else if !FileManager.default.fileExists(atPath: url.path) {
          lines.append("\(url.path): error: 报告模板不存在，请检查 pipeline.yaml 的 report 配置 [PIPE-002]")
          found = false
        }
      }
      if found { lines += ReportTemplateCheck.problems(pipeline: pipeline, pipelineFolder: pipelineFolder) }
    }
    return lines
  }

  /// True when `name` can be one folder name as it is: no separator, no `.`/`..`, no leading
  /// dot or dash, no control characters.
  public static func isSafePathComponent(_ name: String) -> Bool {
    guard !name.isEmpty, name.utf8.count <= 200, !name.hasPrefix("."), !name.hasPrefix("-") else { return false }
    return name.unicodeScalars.allSatisfy { s in
      s.properties.isAlphabetic || s.properties.numericType != nil || "-_.".unicodeScalars.contains(s)
    }
  }
}

/// Raised by the wiring when validation fails: a configuration error (exit 2).
public struct PipelineInvalid: Error, CustomStringConvertible {
  public var problems: [String]
  public var description: String {
    "the pipeline or its seeds are invalid (run `almanac validate` for the list):\n" + problems.joined(separator: "\n")
  }
}
