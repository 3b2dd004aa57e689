import AlmanacCore
import Foundation
import Normalize
import Reconcile

/// Checks a pipeline definition and its seeds before anything runs (`almanac validate`, and
/// the start of every `almanac run`): seed consistency and rules that compile against the forms.
public enum PipelineValidation {
  /// Every problem, one compiler-style line each, sorted; empty when the pipeline is usable.
  public static func problems(pipeline: PipelineDefinition, pipelineFolder: URL, seeds: Seeds) -> [String] {
    var lines = SeedValidator.validate(seeds, pipeline: pipeline).map(\.description)
    do {
      _ = try RuleCompiler.compile(pipeline.rules, forms: pipeline.forms)
    } catch {
      let rulesFile = pipelineFolder.appendingPathComponent("rules.yaml").path
      lines += error.issues.map { "\(rulesFile): error: \($0.description) [PIPE-001]" }
    }
    if let report = pipeline.report {
      for template in [report.markdownTemplate] + (report.htmlTemplate.map { [$0] } ?? []) {
        let url = pipelineFolder.appendingPathComponent(template)
        if !FileManager.default.fileExists(atPath: url.path) {
          lines.append("\(url.path): error: 报告模板不存在，请检查 pipeline.yaml 的 report 配置 [PIPE-002]")
        }
      }
    }
    return lines
  }
}

/// Raised by the wiring when validation fails: a configuration error (exit 2).
public struct PipelineInvalid: Error, CustomStringConvertible {
  public var problems: [String]
  public var description: String {
    "the pipeline or its seeds are invalid (run `almanac validate` for the list):\n" + problems.joined(separator: "\n")
  }
}
