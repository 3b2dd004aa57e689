import AlmanacCore
import ArgumentParser
import Consolidate
import Foundation
import Ingest
import Normalize
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

  @Flag(
    help: ArgumentHelp(
      "One folder per unit expected to submit for the year (from the seeds), its sheets naming it in the "
        + "title and after 填报单位, to send to each unit."))
  var perDepartment = false

  @Option(help: "Seed tables folder, for --per-department (env ALMANAC_SEEDS; default seeds).")
  var seeds: String?

  func run() throws {
    let env = ProcessInfo.processInfo.environment
    let folder = RunSettings.folder(
      pipeline, RunSettings.Variable.pipeline, default: RunSettings.defaultPipeline, environment: env)
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
      // `--out ""` wrote the sheets into the working folder, as every other empty path is refused.
      guard !out.trimmingCharacters(in: .whitespaces).isEmpty else { throw UsageError("--out must not be empty") }
      try Self.checkOut(outURL, inbox: RunSettings.text(nil, RunSettings.Variable.inbox, environment: env))
    } catch {
      CommandSupport.fail("\(error)")
      throw ExitCode(2)
    }
    var units: [DepartmentRef] = []
    if perDepartment {
      let seedsFolder = RunSettings.folder(
        seeds, RunSettings.Variable.seeds, default: RunSettings.defaultSeeds, environment: env)
      do {
        let tables = try CommandSupport.wiring.loadSeeds(folder: seedsFolder, names: definition.seeds)
        units = DepartmentRegistry(seeds: tables, region: definition.region.name)
          .expected(levels: definition.region.expectedLevels, year: reportYear)
      } catch {
        CommandSupport.fail("\(error)")
        throw ExitCode(2)
      }
      guard !units.isEmpty else {
        CommandSupport.fail(
          "\(seedsFolder.path)/departments.csv 中没有 \(reportYear) 年度应报送的单位，无法按单位生成模板；"
            + "请检查单位名录的层级与有效期，或去掉 --per-department")
        throw ExitCode(2)
      }
    }
    do {
      if units.isEmpty {
        try Self.write(TemplateSheets.sheets(pipeline: definition, year: reportYear), to: outURL)
      } else {
        var used = Set<String>()
        for unit in units {
          // Unit names come from the seeds: one folder each, never a path of their own. Two
          // names alike once made safe (cut to the length a file name allows) get their ids,
          // or the second unit's sheets would overwrite the first's.
          var folderName = SafeFileName.make(unit.name)
          if !used.insert(folderName).inserted {
            folderName = SafeFileName.make(unit.name + "（\(unit.id)）")
            if !used.insert(folderName).inserted { folderName = SafeFileName.make(unit.id) }
            used.insert(folderName)
          }
          let unitFolder = outURL.appendingPathComponent(folderName, isDirectory: true)
          try FileManager.default.createDirectory(at: unitFolder, withIntermediateDirectories: true)
          try Self.write(
            TemplateSheets.sheets(pipeline: definition, year: reportYear, department: unit.name), to: unitFolder,
            quiet: true)
          print("\(unitFolder.path)/  \(unit.name)（\(unit.id)）")
        }
        print("已为 \(units.count) 个应报送 \(reportYear) 年度的单位各生成一套模板（UTF-8 与 GB18030 各一份），表头已写明单位名称")
      }
    } catch {
      CommandSupport.fail("\(error)")
      throw ExitCode(3)
    }
  }

  /// Writes each sheet as `<name>.utf8.csv` (with BOM) and `<name>.gb18030.csv` into `folder`.
  static func write(_ sheets: [TemplateSheets.Sheet], to folder: URL, quiet: Bool = false) throws {
    for sheet in sheets {
      let text = TemplateSheets.csvText(sheet.grid)
      // Form names come from the pipeline's YAML: never a path of their own.
      let name = SafeFileName.make(sheet.name)
      try AtomicFile.write(Data("\u{FEFF}\(text)".utf8), to: folder.appendingPathComponent("\(name).utf8.csv"))
      try AtomicFile.write(try TextEncoder8.gb18030(text), to: folder.appendingPathComponent("\(name).gb18030.csv"))
      if !quiet { print("\(folder.appendingPathComponent(name).path).{utf8,gb18030}.csv") }
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
