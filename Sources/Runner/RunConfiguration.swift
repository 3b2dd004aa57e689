import AlmanacCore
import Foundation

/// What a run and `almanac status` load and check first: the pipeline and its folder's digest,
/// the seeds, the report year, the folder layout, the pipeline and seeds taken together, and
/// `--previous`. Anything wrong here is the operator's to fix (exit 2) and is found before the
/// state folder is touched or the inbox read.
struct RunConfiguration {
  /// Everything but the inbox, which is listed and hashed once a run holds the lock.
  var environment: RunEnvironment
  /// The validation memo's key when this pipeline and these seeds were checked now (and
  /// passed): a run remembers it once the state folder is its own; status remembers nothing.
  var validated: String?

  /// Throws a `UsageError` naming the first problem.
  static func load(settings: RunSettings, wiring: any PipelineWiring, now: Date) throws -> RunConfiguration {
    do {
      let pipeline = try PipelineDefinition.load(folder: settings.pipelineFolder)
      let year = RunEnvironment.reportYear(settings: settings, pipeline: pipeline, now: now)
      // A report covers a year that has ended (this one, at the latest, for a trial draft):
      // `--year 2030` published outbox/2030 with every unit missing, at exit 1.
      let thisYear = RunEnvironment.lastYear(now: now) + 1
      if year > thisYear {
        throw UsageError(
          "report year \(year) has not begun (it is \(thisYear) now): a report covers a year that has ended; "
            + "pass --year \(thisYear - 1) for last year")
      }
      var environment = RunEnvironment(
        settings: settings, pipeline: pipeline,
        pipelineDigest: try RunEnvironment.digestFolder(settings.pipelineFolder),
        seeds: try wiring.loadSeeds(folder: settings.seedsFolder, names: pipeline.seeds), year: year, inbox: [])
      try FolderLayout.check(settings, year: year)
      let validated = try ValidationMemo.check(environment, wiring: wiring)
      if let location = settings.previous {
        let previous = try wiring.loadPrevious(location)
        try checkPreviousYear(previous, at: location, runYear: year)
        environment.previous = previous
      }
      return RunConfiguration(environment: environment, validated: validated)
    } catch let e as UsageError {
      throw e
    } catch {
      throw UsageError("\(error)")
    }
  }

  /// The cross-year checks compare with the year before: another year's dataset (the run's
  /// own outbox, given by mistake, or one from years ago) would make them say nothing true.
  static func checkPreviousYear(_ previous: PreviousDataset, at location: URL, runYear: Int) throws {
    guard previous.year != runYear - 1 else { return }
    throw UsageError(
      "--previous \(location.path)：这是 \(previous.year) 年度的数据，本次汇总 \(runYear) 年度，跨年核对需要 \(runYear - 1) 年度的数据；"
        + "请将 --previous 指向 \(runYear - 1) 年度的输出目录（如 outbox/\(runYear - 1)）")
  }
}
