import AlmanacCore
import Foundation
import Mustache

/// Drafts the report (`report.md`, `report.html`) from the pipeline's Mustache templates.
///
/// Swift builds the context (`ReportContext`); the templates named in the pipeline definition's
/// `report` section (paths relative to the pipeline folder) hold every word of the report. Other
/// `*.mustache` files in a template's folder are available as partials by name without extension
/// (`{{> t3-table.html}}` for `t3-table.html.mustache`).
///
/// Input: `DraftInput` (the reconciliation from `reconcile` and the operators' text material).
/// Output: `StagedFiles` with `report.md` and, when the pipeline names an HTML template, `report.html`.
/// Findings: DRF-001 (info) for each prose slot still showing a 【待补充：…】 placeholder;
/// DRF-002 (warning, `TextMaterial.Skipped.finding`, emitted by whoever loads the material).
/// Resume: pure; rerun when the reconciliation, the text material or the templates change.
public struct DraftStage: Stage {
  public typealias Input = DraftInput
  public typealias Output = StagedFiles
  public static let name = "draft"

  public init() {}

  public func run(_ input: DraftInput, in context: StageContext) async throws -> StagedFiles {
    guard let report = context.pipeline.report else {
      throw DraftError(
        file: "pipeline.yaml", message: "pipeline definition has no report section (report.markdownTemplate)")
    }
    let builder = ReportContext(reconciliation: input.reconciliation, texts: input.texts, pipeline: context.pipeline)
    let values = builder.build()
    var staged = StagedFiles()
    let outputs = [("report.md", report.markdownTemplate)] + (report.htmlTemplate.map { [("report.html", $0)] } ?? [])
    for (output, template) in outputs {
      let text = try Self.render(template: template, in: context.pipelineFolder, values: values)
      try staged.stage(Data(text.utf8), as: output, in: context.workDirectory)
      context.counters.add("reports_rendered")
    }
    for slot in builder.placeholderSlots {
      context.findings.emit(
        Finding(
          code: "DRF-001", severity: .info, stage: Self.name,
          message: "报告“\(Self.slotTitle(slot))”尚无文字材料，已留占位符 \(slot.placeholder)；"
            + "请在文字材料目录中提供对应文件（如“\(Self.exampleFile(slot))”）后重新运行",
          idSalt: slot.key))
    }
    return staged
  }

  /// Renders one template file (relative to `folder`) with its sibling templates as partials.
  static func render(template: String, in folder: URL, values: [String: Any]) throws -> String {
    _ = MarkdownContentType.register
    let url = folder.appendingPathComponent(template)
    let directory = url.deletingLastPathComponent()
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw DraftError(file: template, message: "report template not found in the pipeline folder")
    }
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        .filter { $0.hasSuffix(".mustache") }.sorted()
    } catch {
      throw DraftError(file: template, message: "cannot list the template folder: \(error.systemReason)")
    }
    var library = MustacheLibrary()
    for name in names {
      let path = (template as NSString).deletingLastPathComponent
      let shown = path.isEmpty ? name : path + "/" + name
      let text: String
      do {
        text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
      } catch {
        throw DraftError(file: shown, message: "cannot read template as UTF-8: \(error.systemReason)")
      }
      do {
        library.register(try MustacheTemplate(string: text), named: String(name.dropLast(".mustache".count)))
      } catch let e as MustacheTemplate.ParserError {
        throw DraftError(
          file: "\(shown):\(e.context.lineNumber):\(e.context.columnNumber)",
          message: "template syntax error: \(e.error) near “\(e.context.line)”")
      } catch {
        throw DraftError(file: shown, message: "template syntax error: \(error)")
      }
    }
    let key = String((url.lastPathComponent).dropLast(url.pathExtension == "mustache" ? ".mustache".count : 0))
    guard let rendered = library.render(values, withTemplate: key) else {
      throw DraftError(file: template, message: "report template must end in .mustache")
    }
    return rendered
  }

  static func slotTitle(_ slot: ReportContext.Slot) -> String {
    let sections = ["一": "一、总体情况", "五": "五、存在的主要问题及改进情况", "六": "六、其他需要报告的事项"]
    let parts = [1: "（一）主动公开", 2: "（二）依申请公开", 3: "（三）政府信息管理", 4: "（四）政府信息公开平台建设", 5: "（五）监督保障"]
    let title = sections[slot.section] ?? slot.section
    return slot.part.flatMap { parts[$0] }.map { title + $0 } ?? title
  }

  static func exampleFile(_ slot: ReportContext.Slot) -> String {
    let numerals = [1: "一", 2: "二", 3: "三", 4: "四", 5: "五"]
    if let part = slot.part, let n = numerals[part] { return "一（\(n)）.md" }
    return "\(slot.section).md"
  }
}
