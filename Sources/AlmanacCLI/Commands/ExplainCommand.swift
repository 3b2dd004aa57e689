import AlmanacCore
import ArgumentParser
import Consolidate
import Foundation
import Runner

/// `almanac explain CELL`: the lineage of one figure from the last reconciled run.
struct ExplainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "Show where one figure comes from: every contributing department, file, line, column and value.",
    discussion: """
      CELL is a canonical cell key form.row.column, e.g. t3.r3_7.zj or t3.r1.np, or a figure \
      as the report templates name it: f.t3.r1.zj, a subtotal sum.t3.bygk.zj or a share \
      pct.t3.gkbf (how it is computed, and the sources of every cell it adds up). Without \
      --department the region's cell is explained; totals that are recomputed list their breakdown.
      Reads the reconcile stage's output from the state folder (run `almanac run` first).
      """)

  @Argument(help: "Cell key form.row.column (t3.r3_7.zj), or a report figure (sum.t3.bygk.zj, pct.t3.gkbf).")
  var cell: String

  @Option(help: "Department id or exact name (default: the region).")
  var department: String?

  @Flag(help: "Print JSON instead of text.")
  var json = false

  @Option(help: "State folder (env ALMANAC_STATE; default .almanac).")
  var state: String?

  @Option(help: "Pipeline folder (env ALMANAC_PIPELINE; default pipelines/disclosure-2021).")
  var pipeline: String?

  @Option(help: "Report year (env ALMANAC_YEAR; default: the latest reconciled year).")
  var year: String?

  @Option(help: "Seeds folder, to read --department as a short or former name (env ALMANAC_SEEDS; default seeds).")
  var seeds: String?

  func run() throws {
    let result = Self.explain(
      cell: cell, department: department, json: json, state: state, pipeline: pipeline, year: year,
      environment: ProcessInfo.processInfo.environment, locator: ReconcileOutputLocator(), seeds: seeds)
    switch result {
    case .success(let text):
      // A cell or file name may hold a terminal escape (`ESC]0;…`, `ESC[8m` hiding the
      // “非数值，未计入” note): each line is shown escaped, as log lines are. JSON is escaped.
      FileHandle.standardOutput.write(Data((json ? text : PrintableText.escapingControlsPerLine(text)).utf8))
    case .failure(let message, let code):
      FileHandle.standardError.write(Data("almanac explain: \(PrintableText.escapingControlsPerLine(message))\n".utf8))
      throw ExitCode(code)
    }
  }

  enum Outcome: Equatable {
    case success(String)
    case failure(String, Int32)
  }

  /// Everything `run` does except printing, so tests can drive it with any state folder.
  static func explain(
    cell: String, department: String?, json: Bool, state: String?, pipeline: String?, year: String?,
    environment: [String: String], locator: some ReconcileOutputLocating, seeds: String? = nil
  ) -> Outcome {
    let pipelineFolder = RunSettings.folder(
      pipeline, RunSettings.Variable.pipeline, default: RunSettings.defaultPipeline, environment: environment)
    let stateFolder = RunSettings.folder(
      state, RunSettings.Variable.state, default: RunSettings.defaultState, environment: environment)
    var chosenYear: Int?
    do {
      chosenYear = try RunSettings.text(year, RunSettings.Variable.year, environment: environment).map(
        RunSettings.reportYear)
    } catch {
      return .failure("\(error)", 2)
    }
    let definition: PipelineDefinition
    do {
      definition = try PipelineDefinition.load(folder: pipelineFolder)
    } catch {
      return .failure("\(error)", 2)
    }
    let catalog = FormCatalog(forms: definition.forms)
    // Templates write a table cell as `f.t3.r1.zj` and derived figures as `sum.…` / `pct.…`:
    // an auditor reading a template (or the README's list) can give any of them.
    let typed = FormCatalog.folded(typed: cell).trimmingCharacters(in: .whitespaces)
    let derived = ReportFigures(pipeline: definition).figure(named: typed)
    let key = catalog.key(typed: typed.hasPrefix("f.") ? String(typed.dropFirst(2)) : cell)
    guard derived != nil || key != nil else {
      return .failure(
        LineageError.unknownCell(cell, patterns: catalog.keyPatterns).description + "\n"
          + Self.derivedNames(definition),
        2)
    }
    if chosenYear == nil, let defaultLocator = locator as? ReconcileOutputLocator {
      chosenYear = defaultLocator.years(state: stateFolder, pipeline: definition.name).last
    }
    guard let reportYear = chosenYear ?? definition.year else {
      return .failure("未找到任何已完成核对的年度；请先运行 almanac run，或用 --year 指定年度。", 2)
    }
    let url = locator.reconcileOutput(state: stateFolder, pipeline: definition.name, year: reportYear)
    do {
      let lineage = try Lineage.load(from: url, forms: definition.forms, regionName: definition.region.name)
      // A department as staff name it (`人社局`, a former name): the registry's id, when the
      // name is not one the run accepted as written.
      var who = department
      if let name = department, !lineage.hasDepartment(name),
        let registry = CommandSupport.registry(
          RunSettings.folder(
            seeds, RunSettings.Variable.seeds, default: RunSettings.defaultSeeds, environment: environment),
          region: definition.region.name),
        let ref = registry.resolve(name, on: nil).ref
      {
        who = ref.id
      }
      if let derived {
        let answer = try lineage.explain(typed, figure: derived, department: who)
        return .success(json ? String(decoding: try AtomicFile.json(answer), as: UTF8.self) : answer.text)
      }
      guard let key else { return .failure("未知的单元格 \(cell)", 2) }
      let answer = try lineage.explain(key, department: who)
      return .success(json ? String(decoding: try AtomicFile.json(answer), as: UTF8.self) : answer.text)
    } catch let error as LineageError {
      return .failure(error.description, 2)
    } catch {
      return .failure("\(error)", 3)
    }
  }

  /// The derived figures of the report, for the message on a name `explain` does not know.
  static func derivedNames(_ definition: PipelineDefinition) -> String {
    let figures = ReportFigures(pipeline: definition)
    var lines: [String] = []
    for form in ["t3", "t4"] {
      let groups = figures.groups(of: form)
      let columns = figures.columns(of: form)
      guard !groups.isEmpty, !columns.isEmpty else { continue }
      lines.append(
        "  sum.\(form).{\(groups.map(\.key).joined(separator: "|"))}.{\(columns.map(\.key).joined(separator: "|"))}")
    }
    let shares = figures.shareKeys
    if !shares.isEmpty {
      lines.append("  pct.\(ReportFigures.shareBase.form).{\(shares.joined(separator: "|"))}")
    }
    guard !lines.isEmpty else { return "" }
    return "报告中的计算数（小计与百分比）写作：\n" + lines.joined(separator: "\n")
  }
}
