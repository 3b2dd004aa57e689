import AlmanacCore
import Foundation

/// Checks a pipeline's report templates before a run starts (`almanac validate`, and the start
/// of every `almanac run`), so a mistake in them is a configuration error found at once, not a
/// failed draft at the end of a long run or a blank in the report:
///
/// - every `*.mustache` file of a template's folder parses (PIPE-006), and every partial it
///   includes (`{{> name}}`) is one of them (PIPE-008);
/// - every value the templates write resolves (PIPE-007): the template is rendered with the
///   context of a run without data, where every top-level name exists, and figures
///   (`f.<form>.<row>.<column>`), subtotals (`sum.…`), tables (`tables.…`), notes (`notes.…`)
///   and prose slots (`text.…`) are checked against what the context always holds, wherever
///   they are written.
///
/// Names inside sections that only data opens (`{{#notes.missing}}…{{/notes.missing}}`) are
/// checked when a run drafts the report (DRF-003). Which shares (`pct.…`) exist depends on
/// the data (none when （七）总计 is 0); their names are checked against `ReportFigures`.
public enum ReportTemplateCheck {
  /// Top-level names whose contents a run without data already holds in full.
  static let fixedShape: Set<String> = ["f", "sum", "tables", "notes", "text"]

  /// One compiler-style line per problem, sorted and unique; paths under `pipelineFolder`.
  public static func problems(pipeline: PipelineDefinition, pipelineFolder: URL) -> [String] {
    guard let report = pipeline.report else { return [] }
    let empty = Reconciliation(
      ledger: Ledger(year: 0, accepted: [], superseded: [], heldBack: [], missing: [], region: [:]), findings: [])
    let values = ReportContext(reconciliation: empty, texts: [], pipeline: pipeline).build()
    // (file, line, column, text), so that problems sort by place, line 65 before line 128.
    var lines: Set<Problem> = []
    for template in [report.markdownTemplate] + (report.htmlTemplate.map { [$0] } ?? []) {
      let templates: ReportTemplates
      do {
        templates = try ReportTemplates.load(template, in: pipelineFolder)
      } catch let e as DraftError {
        lines.insert(Problem(file: e.file, text: "\(pipelineFolder.path)/\(e.file): error: \(e.message) [PIPE-006]"))
        continue
      } catch {
        lines.insert(Problem(file: template, text: "\(pipelineFolder.path)/\(template): error: \(error) [PIPE-006]"))
        continue
      }
      for name in templates.render(values, optional: ReportContext.optionalItemKeys).unresolved {
        let places = templates.places(of: name)
        func message(_ written: String) -> String {
          "报告模板中的 \(written) 不是报告数据中的名称，起草出的报告中此处将是空白。"
            + "可用的名称：\(values.keys.sorted().joined(separator: "、"))（详见 README“报告模板”一节） [PIPE-007]"
        }
        if places.isEmpty {
          lines.insert(
            Problem(file: template, text: "\(pipelineFolder.path)/\(template): error: \(message("{{\(name)}}"))"))
        }
        for (file, tag) in places {
          lines.insert(
            Problem(
              file: file, tag: tag,
              text: "\(pipelineFolder.path)/\(file):\(tag.line):\(tag.column): error: \(message(tag.written))"))
        }
      }
      let partials = Set(templates.available)
      for file in templates.files {
        // Sections open around a tag: known in the template itself (a partial may be included
        // anywhere); at none, a name is the root's.
        var depth: Int? = file.shown == template ? 0 : nil
        for tag in TemplateTag.scan(file.text) {
          if case .opening = tag.kind { depth = depth.map { $0 + 1 } }
          if tag.kind == .closing { depth = depth.map { $0 - 1 } }
          // A partial Mustache cannot find renders as nothing, like a name it cannot find.
          if tag.kind == .partial || tag.kind == .opening("<"), !tag.name.hasPrefix("*"),
            !partials.contains(tag.name)
          {
            lines.insert(
              Problem(
                file: file.shown, tag: tag,
                text: "\(pipelineFolder.path)/\(file.shown):\(tag.line):\(tag.column): error: "
                  + "报告模板中的 \(tag.written) 引用的部分模板“\(tag.name).mustache”不在模板文件夹中，"
                  + "起草出的报告中此处将是空白。可用的：\(partials.sorted().joined(separator: "、")) [PIPE-008]"))
          }
          let atRoot = depth == 0 ? rootProblem(tag, values: values) : nil
          guard let problem = atRoot ?? pathProblem(tag, values: values) ?? shareProblem(tag, pipeline: pipeline) else {
            continue
          }
          lines.insert(
            Problem(
              file: file.shown, tag: tag,
              text: "\(pipelineFolder.path)/\(file.shown):\(tag.line):\(tag.column): error: \(problem) [PIPE-007]"))
        }
      }
    }
    return lines.sorted { ($0.file, $0.line, $0.column, $0.text) < ($1.file, $1.line, $1.column, $1.text) }.map(\.text)
  }

  struct Problem: Hashable {
    var file: String
    var line = 0
    var column = 0
    var text: String

    init(file: String, tag: TemplateTag? = nil, text: String) {
      self.file = file
      self.line = tag?.line ?? 0
      self.column = tag?.column ?? 0
      self.text = text
    }
  }

  /// What is wrong with a `pct.<form>.<key>` name: shares exist only with data, but which
  /// names can hold one is known (`ReportFigures`). nil when it can, or is not such a name.
  static func shareProblem(_ tag: TemplateTag, pipeline: PipelineDefinition) -> String? {
    guard tag.namesData else { return nil }
    let parts = tag.name.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.first == "pct", parts.count > 1 else { return nil }
    let figures = ReportFigures(pipeline: pipeline)
    if parts.count == 2, parts[1] == Substring(ReportFigures.shareBase.form) {
      return tag.writesValue ? Self.groupWritten(tag) : nil
    }
    guard figures.figure(named: tag.name) == nil else { return nil }
    return "报告模板中的 \(tag.written) 不是报告能计算的百分比，起草出的报告中此处将是空白。"
      + "百分比写作 pct.\(ReportFigures.shareBase.form).行键或小计名，可用的有：\(figures.shareKeys.joined(separator: "、"))"
  }

  /// What is wrong with a dotted name under one of the `fixedShape` names, nil when it
  /// resolves (or is not such a name).
  static func pathProblem(_ tag: TemplateTag, values: [String: Any]) -> String? {
    guard tag.namesData else { return nil }
    let parts = tag.name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard parts.count > 1, fixedShape.contains(parts[0]) else { return nil }
    var node: Any? = values[parts[0]]
    for (depth, part) in parts.enumerated().dropFirst() {
      guard let children = node as? [String: Any] else {
        return "报告模板中的 \(tag.written) 没有对应的数据：“\(parts[..<depth].joined(separator: "."))”之下没有更多层级，"
          + "起草出的报告中此处将是空白"
      }
      guard let child = children[part] else {
        let keys = children.keys.sorted()
        let shown =
          keys.count > 40 ? keys.prefix(40).joined(separator: "、") + " 等 \(keys.count) 项" : keys.joined(separator: "、")
        return "报告模板中的 \(tag.written) 没有对应的数据：“\(parts[..<depth].joined(separator: "."))”之下没有“\(part)”，"
          + "起草出的报告中此处将是空白。可用的有：\(shown)"
      }
      node = child
    }
    // A value that is a group (`{{f.t3.r1}}`, the column left out) prints as Swift writes a
    // dictionary: in an order that changes from run to run. As a section it is fine.
    if tag.writesValue, node is [String: Any] || node is [Any] {
      return groupWritten(tag)
    }
    return nil
  }

  /// What is wrong with a value written outside every section, where names are the root's:
  /// `{{.}}` (the whole context), a one-part name of a group (`{{f}}`, `{{applicants}}`), and
  /// `{{.f.t3.r1.zz}}` checked as `f.t3.r1.zz`.
  static func rootProblem(_ tag: TemplateTag, values: [String: Any]) -> String? {
    guard tag.writesValue else { return nil }
    if tag.name == "." { return groupWritten(tag) }
    let name = tag.name.hasPrefix(".") ? String(tag.name.dropFirst()) : tag.name
    if !name.contains("."), values[name] is [String: Any] || values[name] is [Any] { return groupWritten(tag) }
    guard name != tag.name else { return nil }
    var stripped = tag
    stripped.name = name
    return pathProblem(stripped, values: values).map {
      $0.replacingOccurrences(of: stripped.written, with: tag.written)
    }
  }

  static func groupWritten(_ tag: TemplateTag) -> String {
    "报告模板中的 \(tag.written) 指向一组数据而不是一个数值或一段文字，起草出的报告中此处将是一串次序不定的内容；"
      + "请写到具体的一项（如 {{f.t3.r1.zj}}），或把它作为区段 {{#…}}…{{/…}} 使用"
  }
}
