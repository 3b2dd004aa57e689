import AlmanacCore
import ArgumentParser
import Consolidate
import Foundation
import Ingest
import Runner

/// `almanac templates --out DIR`: blank sheets for the pipeline's forms, for departments to fill.
struct TemplatesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "templates",
    abstract: "Write blank department sheets for every form of the pipeline (GB18030 and UTF-8 with BOM).")

  @Option(help: "Folder to write the templates into (created if missing).")
  var out: String

  @Option(help: "Pipeline folder (env ALMANAC_PIPELINE; default pipelines/disclosure-2021).")
  var pipeline: String?

  @Option(
    help: "Report year printed in the title row (env ALMANAC_YEAR; default: the pipeline's year, else last year).")
  var year: String?

  func run() throws {
    let env = ProcessInfo.processInfo.environment
    let folder = URL(
      fileURLWithPath: RunSettings.text(pipeline, RunSettings.Variable.pipeline, environment: env)
        ?? RunSettings.defaultPipeline)
    let definition: PipelineDefinition
    let givenYear: Int?
    do {
      givenYear = try RunSettings.text(year, RunSettings.Variable.year, environment: env).map(RunSettings.reportYear)
      definition = try PipelineDefinition.load(folder: folder)
    } catch {
      CommandSupport.fail("\(error)")
      throw ExitCode(2)
    }
    let reportYear = givenYear ?? definition.year ?? RunEnvironment.lastYear(now: Date())
    let outURL = URL(fileURLWithPath: out)
    do {
      try Self.checkOut(outURL, inbox: RunSettings.text(nil, RunSettings.Variable.inbox, environment: env))
    } catch {
      CommandSupport.fail("\(error)")
      throw ExitCode(2)
    }
    do {
      for sheet in TemplateSheets.sheets(pipeline: definition, year: reportYear) {
        let text = TemplateSheets.csvText(sheet.grid)
        // Form names come from the pipeline's YAML: never a path of their own.
        let name = SafeFileName.make(sheet.name)
        try AtomicFile.write(Data("\u{FEFF}\(text)".utf8), to: outURL.appendingPathComponent("\(name).utf8.csv"))
        try AtomicFile.write(try TextEncoder8.gb18030(text), to: outURL.appendingPathComponent("\(name).gb18030.csv"))
        print("\(outURL.appendingPathComponent(name).path).{utf8,gb18030}.csv")
      }
    } catch {
      CommandSupport.fail("\(error)")
      throw ExitCode(3)
    }
  }

  /// Refuses (`UsageError`) an `out` that is a file, or is the inbox (`ALMANAC_INBOX`, else
  /// `inbox`) or a folder in it, where the next run would read the blank sheets as
  /// departments' files.
  static func checkOut(_ out: URL, inbox: String?) throws {
    try FolderLayout.checkNotAFile(out, what: "--out", flag: "--out")
    let inboxURL = URL(fileURLWithPath: inbox ?? RunSettings.defaultInbox)
    if FileManager.default.fileExists(atPath: inboxURL.path), FolderLayout.lies(out, within: inboxURL) {
      throw UsageError(
        "--out \(out.path) is in the inbox: the next run would read the blank sheets as departments' files; "
          + "write them elsewhere and send them to the departments")
    }
  }
}
