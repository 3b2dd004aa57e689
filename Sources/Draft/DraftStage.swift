import AlmanacCore
import Consolidate
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
/// Output: `StagedFiles` with `report.md` and, when the pipeline names an HTML template, `report.html`;
/// and the findings log of the whole run, `reconciliation.jsonl` and `reconciliation.html`
/// (`ConsolidateStage.stageLog`), written here so that it holds this stage's findings too.
/// Findings: DRF-001 (info) for each prose slot still showing a 【待补充：…】 placeholder;
/// DRF-002 (warning, `TextMaterial.Skipped.finding`, emitted by whoever loads the material);
/// DRF-003 (warning) for each value a template writes that names nothing in the context;
/// DRF-004 and DRF-005 (warning) for figures and claims of the printed prose that the region's
/// tables contradict (`NarrativeCheck`).
/// Resume: pure; rerun when the reconciliation, the text material or the templates change.
public struct DraftStage: Stage {
  public typealias Input = DraftInput
  public typealias Output = StagedFiles
  public static let name = "draft"

  public init() {}

  public func run(_ input: DraftInput, in context: StageContext) async throws -> StagedFiles {
    guard let report = context.pipeline.report else {
      throw DraftError(
        file: "pipeline.yaml", message: "流水线定义中没有 report 一节（report.markdownTemplate），无法起草报告")
    }
    let builder = ReportContext(reconciliation: input.reconciliation, texts: input.texts, pipeline: context.pipeline)
    let values = builder.build()
    var staged = StagedFiles()
    let outputs = [("report.md", report.markdownTemplate)] + (report.htmlTemplate.map { [("report.html", $0)] } ?? [])
    var unresolved: [(template: ReportTemplates, name: String)] = []
    var loaded: [ReportTemplates] = []
    for (output, template) in outputs {
      let templates = try ReportTemplates.load(template, in: context.pipelineFolder)
      loaded.append(templates)
      let (text, names) = templates.render(values, optional: ReportContext.optionalItemKeys)
      try staged.stage(Data(text.utf8), as: output, in: context.workDirectory)
      context.counters.add("reports_rendered")
      // The Markdown and HTML templates usually share a folder and a mistake in a partial:
      // one finding a name.
      unresolved += names.filter { name in !unresolved.contains { $0.name == name } }.map { (templates, $0) }
    }
    // Validation finds the names no data could fill before the run starts; what is left are
    // names inside sections this year's data opened (a held-back file's note, a department's
    // text), so the run goes on and says where the report has a blank.
    for (templates, name) in unresolved {
      let places = templates.places(of: name)
      let shown = places.map { "\($0.file):\($0.tag.line):\($0.tag.column)" }
      let at = shown.isEmpty ? "中" : " " + shown.joined(separator: "、") + " "
      context.findings.emit(
        Finding(
          code: "DRF-003", severity: .warning, stage: Self.name,
          message: "报告模板\(at)的 {{\(name)}} 在报告数据中没有对应的名称，起草出的报告中此处为空白。"
            + "请核对拼写（可用的名称见 README“报告模板”一节），改正后重新运行",
          idSalt: name))
    }
    // Only the prose parts the report's templates have: the 2016-style report has none of the
    // national sections, and a placeholder it never prints needs no text.
    let named = loaded.map(\.names)
    func printed(_ slot: ReportContext.Slot) -> Bool {
      // `{{#text}}…{{s6}}…{{/text}}` names the slots inside a section, without `text.`.
      let bare = Set(["", "_paras", "_placeholder", "_departments"].map { "\(slot.key)\($0)" })
      let dotted = Set(bare.map { "text." + $0 })
      return named.contains { !$0.isDisjoint(with: dotted) || ($0.contains("text") && !$0.isDisjoint(with: bare)) }
    }
    var printedTexts: [TextMaterial] = []
    for material in input.texts {
      let slots = ReportContext.slots.filter { builder.matches(material, $0) }
      guard !slots.contains(where: printed) else {
        printedTexts.append(material)
        continue
      }
      context.findings.emit(
        TextMaterial.Skipped(
          file: material.file,
          reason: "本流水线的报告模板没有“\(slots.first.map(Self.slotTitle) ?? material.section)”这一部分，文字不会出现在报告中；"
            + "如需写入，请在报告模板中加入对应位置（见 README“报告模板”一节）"
        ).finding)
    }
    // C-5, C-6: the figures and claims of the prose printed, against the region's tables.
    let narrative = NarrativeCheck(
      region: input.reconciliation.ledger.region, figures: ReportFigures(pipeline: context.pipeline),
      year: input.reconciliation.ledger.year)
    for finding in narrative.findings(printedTexts) { context.findings.emit(finding) }
    for slot in builder.placeholderSlots where printed(slot) {
      context.findings.emit(
        Finding(
          code: "DRF-001", severity: .info, stage: Self.name,
          message: "报告“\(Self.slotTitle(slot))”尚无文字材料，已留占位符 \(slot.placeholder)；"
            + "请在文字材料目录中提供对应文件（如“\(Self.exampleFile(slot))”）后重新运行",
          idSalt: slot.key))
    }
    // The log of every finding of the run, this stage's (DRF-…) included, so that an auditor
    // reads and accepts them where the others are (consolidate, before this stage, wrote it).
    var log = input.reconciliation
    log.findings = (log.findings + context.findings.findings).sorted()
    try ConsolidateStage.stageLog(log, in: context, stage: Self.name, into: &staged)
    return staged
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
