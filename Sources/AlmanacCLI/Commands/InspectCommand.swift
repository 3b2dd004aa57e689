import AlmanacCore
import ArgumentParser
import Foundation
import Ingest
import Normalize
import Runner

/// `almanac inspect FILE... [--json]`: how each file is read (cli.md).
///
/// Exit codes: 0 when every file reads without error findings, 1 when any file has one (the
/// others are still inspected), 2 for usage or configuration errors.
struct InspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract: "Show how files are read: encoding and why, delimiter, records, tables, form, department, year, findings."
  )

  @Argument(help: "Files to inspect (.csv, .csv.gz, .tsv); a folder stands for the sheets in it, as a run reads them.")
  var files: [String] = []

  @Flag(help: "Print one JSON object per file (JSON lines, sorted keys).")
  var json = false

  @Option(help: "Pipeline folder (default pipelines/disclosure-2021; env ALMANAC_PIPELINE).")
  var pipeline: String?

  @Option(help: "Seeds folder; label_aliases.csv is used when present (default seeds; env ALMANAC_SEEDS).")
  var seeds: String?

  func run() throws {
    guard !files.isEmpty else {
      Self.printError("almanac inspect: no file given\n\(Self.helpMessage())")
      throw ExitCode(2)
    }
    let env = ProcessInfo.processInfo.environment
    let pipelinePath =
      RunSettings.text(pipeline, RunSettings.Variable.pipeline, environment: env) ?? RunSettings.defaultPipeline
    let seedsPath = RunSettings.text(seeds, RunSettings.Variable.seeds, environment: env) ?? RunSettings.defaultSeeds
    let definition: PipelineDefinition
    do {
      definition = try PipelineDefinition.load(folder: URL(fileURLWithPath: pipelinePath))
    } catch {
      Self.printError("almanac inspect: \(error)")
      throw ExitCode(2)
    }
    var aliases: [String: String] = [:]
    let seedsFolder = URL(fileURLWithPath: seedsPath)
    let aliasSeeds = definition.seeds.filter {
      $0.hasSuffix("label_aliases")
        && FileManager.default.fileExists(atPath: seedsFolder.appendingPathComponent("\($0).csv").path)
    }
    do {
      let seeds = try SeedLoader.load(folder: seedsFolder, names: aliasSeeds)
      aliases = LabelAliases(seeds: seeds).merged(forms: definition.forms)
    } catch {
      Self.printError("almanac inspect: \(error)")
      throw ExitCode(2)
    }
    let inspector = Inspector(
      forms: definition.forms, labelAliases: aliases, limits: (definition.limits ?? .defaults).resolved)
    let paths: [String]
    do {
      paths = try files.flatMap(Self.sheets)
    } catch {
      Self.printError("almanac inspect: \(error)")
      throw ExitCode(2)
    }
    // Whether the unit a sheet names is registered: a run holds back a sheet whose unit is
    // not (NRM-001), and inspect said only the name it read.
    let registry = CommandSupport.registry(seedsFolder, region: definition.region.name)
    var anyError = false
    for (i, path) in paths.enumerated() {
      // Records are not held: the summary counts them, and JSON reads them again as it
      // writes them (a register of millions of rows held as strings took gigabytes).
      var inspection = inspector.inspect(path: path, keepingRecords: false)
      if let registry, let claimed = inspection.department {
        inspection.registry = Self.registration(claimed, on: inspection.claims.filledOn, in: registry)
      }
      anyError = anyError || inspection.hasErrors
      if json {
        let unchanged = try inspector.writeJSONLine(inspection) { Self.write($0) }
        Self.write("\n")
        if !unchanged {
          Self.printError("almanac inspect: \(path): 文件在检查过程中被改动，输出的记录与摘要不一致；请在文件不再变动后重新检查")
          anyError = true
        }
      } else {
        Self.write((i > 0 ? "\n" : "") + inspection.text(forms: definition.forms) + "\n")
      }
    }
    if anyError { throw ExitCode(1) }
  }

  /// How the registry reads `name` (zh-CN), with the closest registered names when it does not.
  static func registration(_ name: String, on date: String?, in registry: DepartmentRegistry) -> String {
    switch registry.resolve(name, on: date) {
    case .resolved(let ref, let path):
      return "已登记：\(ref.displayName)（按\(path.label)）"
    case .ambiguous(let refs):
      return "有歧义：\(refs.map(\.displayName).joined(separator: "、"))；运行时该文件暂缓采用（NRM-002）"
    case .unknown:
      let near = registry.closest(name, limit: 3).map(\.displayName).joined(separator: "、")
      return "未登记；运行时该文件暂缓采用（NRM-001）" + (near.isEmpty ? "" : "。最接近的登记名称：\(near)")
        + "；确认后可用 almanac alias 登记"
    }
  }

  /// `path` itself, or for a folder every file a run would hand to ingest (sheets, and files
  /// it reports without reading), by the inbox listing's rules; prose is left to the draft.
  static func sheets(_ path: String) throws -> [String] {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
      return [path]
    }
    let folder = path.hasSuffix("/") ? String(path.dropLast()) : path
    let found = try InboxScanner.list(inbox: URL(fileURLWithPath: path)).filter {
      InboxFileKind(path: $0.path) != .text
    }
    guard !found.isEmpty else {
      throw UsageError("\(path): no sheet (.csv, .csv.gz, .tsv) in this folder or below it")
    }
    return found.map { "\(folder)/\($0.path)" }
  }

  static func write(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  static func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }
}
