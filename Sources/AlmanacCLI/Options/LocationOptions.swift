import ArgumentParser
import Runner

/// Where the pipeline, inbox, outbox, state and seeds are; each flag falls back to its
/// `ALMANAC_*` environment variable, then to the default in the working directory.
struct LocationOptions: ParsableArguments {
  @Option(help: "Pipeline folder (env ALMANAC_PIPELINE; default pipelines/disclosure-2021).")
  var pipeline: String?

  @Option(help: "Folder the departments' files arrive in (env ALMANAC_INBOX; default inbox).")
  var inbox: String?

  @Option(help: "Folder results are published to, as <outbox>/<year>/ (env ALMANAC_OUTBOX; default outbox).")
  var outbox: String?

  @Option(help: "State folder: checkpoints, caches, lock (env ALMANAC_STATE; default .almanac).")
  var state: String?

  @Option(help: "Seed tables folder (env ALMANAC_SEEDS; default seeds).")
  var seeds: String?

  @Option(help: "Report year (env ALMANAC_YEAR; default the pipeline's year, else last year).")
  var year: String?

  @Option(
    help: ArgumentHelp(
      "The year before's outbox folder (e.g. outbox/2024 for 2025) or its consolidated.csv, "
        + "for cross-year checks (env ALMANAC_PREVIOUS).")
  )
  var previous: String?

  var raw: RawSettings {
    RawSettings(
      pipeline: pipeline, inbox: inbox, outbox: outbox, state: state, seeds: seeds, year: year, previous: previous)
  }
}
