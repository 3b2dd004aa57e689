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
      CELL is a canonical cell key form.row.column, e.g. t3.r3_7.zj or t3.r1.np. Without \
      --department the region's cell is explained; totals that are recomputed list their breakdown.
      Reads the reconcile stage's output from the state folder (run `almanac run` first).
      """)

  @Argument(help: "Cell key form.row.column, e.g. t3.r3_7.zj.")
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

  func run() throws {
    let result = Self.explain(
      cell: cell, department: department, json: json, state: state, pipeline: pipeline, year: year,
      environment: ProcessInfo.processInfo.environment, locator: ReconcileOutputLocator())
    switch result {
    case .success(let text):
      FileHandle.standardOutput.write(Data(text.utf8))
    case .failure(let message, let code):
      FileHandle.standardError.write(Data("almanac explain: \(message)\n".utf8))
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
    environment: [String: String], locator: some ReconcileOutputLocating
  ) -> Outcome {
    let pipelineFolder = URL(
      fileURLWithPath: RunSettings.text(pipeline, RunSettings.Variable.pipeline, environment: environment)
        ?? RunSettings.defaultPipeline)
    let stateFolder = URL(
      fileURLWithPath: RunSettings.text(state, RunSettings.Variable.state, environment: environment)
        ?? RunSettings.defaultState)
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
    guard let key = catalog.key(typed: cell) else {
      return .failure(LineageError.unknownCell(cell, patterns: catalog.keyPatterns).description, 2)
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
      let answer = try lineage.explain(key, department: department)
      if json {
        let data = try AtomicFile.json(answer)
        return .success(String(decoding: data, as: UTF8.self))
      }
      return .success(answer.text)
    } catch let error as LineageError {
      return .failure(error.description, 2)
    } catch {
      return .failure("\(error)", 3)
    }
  }
}
