import AlmanacCore
import ArgumentParser
import Foundation
import Runner

/// `almanac validate`: checks the pipeline definition and the seeds only; runs nothing.
struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check the pipeline definition, its rules and templates, and the seed tables.")

  @OptionGroup var location: LocationOptions

  func run() throws {
    let settings = try CommandSupport.settings(location.raw)
    let pipeline: PipelineDefinition
    let seeds: Seeds
    do {
      pipeline = try PipelineDefinition.load(folder: settings.pipelineFolder)
      seeds = try CommandSupport.wiring.loadSeeds(folder: settings.seedsFolder, names: pipeline.seeds)
    } catch {
      CommandSupport.fail("\(error)")
      throw ExitCode(2)
    }
    let problems = PipelineValidation.problems(
      pipeline: pipeline, pipelineFolder: settings.pipelineFolder, seeds: seeds, seedsDisplay: settings.seedsDisplay)
    for line in problems { print(line) }
    if problems.isEmpty {
      print(
        "流水线 \(pipeline.name) 与基础数据检查通过：\(pipeline.forms.count) 张表单、\(pipeline.rules.count) 条核对规则、"
          + "\(seeds.tables.count) 个基础数据表。")
    } else {
      print("发现 \(problems.count) 个问题，请按上面的提示修改后重试。")
      throw ExitCode(2)
    }
  }
}
