import AlmanacCore
import Foundation

/// Everything fixed before the first stage runs: settings, pipeline, seeds, year and the
/// hashed inbox. Step builders read it to make stage inputs and fingerprint parts.
public struct RunEnvironment: Sendable {
  public var settings: RunSettings
  public var pipeline: PipelineDefinition
  /// Digest of every file in the pipeline folder (definition, forms, rules, templates).
  public var pipelineDigest: String
  public let seeds: Seeds
  /// `seeds.digest`, computed once per run (a province's seeds take tens of milliseconds).
  public let seedsDigest: String
  public let year: Int
  /// This year's rows of `seeds/accepted_findings.csv`: every stage's findings sink marks them.
  public let accepted: AcceptedFindings
  /// Every listed inbox file, sorted by path.
  public var inbox: [InboxEntry]
  /// What `stat` said of each inbox file (by path) when it was listed, before it was hashed:
  /// a stage that reads the file later checks it is still the file its digest describes.
  public var inboxStamps: [String: FileStamp]
  /// `--previous`, read with the configuration (`PipelineWiring.loadPrevious`).
  public var previous: PreviousDataset?

  public init(
    settings: RunSettings, pipeline: PipelineDefinition, pipelineDigest: String, seeds: Seeds, year: Int,
    inbox: [InboxEntry], inboxStamps: [String: FileStamp] = [:], previous: PreviousDataset? = nil
  ) {
    self.settings = settings
    self.pipeline = pipeline
    self.pipelineDigest = pipelineDigest
    self.seeds = seeds
    self.seedsDigest = seeds.digest
    self.year = year
    self.accepted = AcceptedFindings(seeds: seeds, year: year)
    self.inbox = inbox
    self.inboxStamps = inboxStamps
    self.previous = previous
  }

  /// What ingest reads or reports: sheets (`*.csv`, `*.csv.gz`, `*.tsv`) and files that are
  /// neither sheets nor prose (ING-018).
  public var tableFiles: [InboxEntry] { inbox.filter { $0.kind != .text } }
  /// Operators' prose: `*.txt`, `*.md`.
  public var textFiles: [InboxEntry] { inbox.filter { $0.kind == .text } }

  /// `<state>/<pipeline name>/<year>/`: where this run's stage folders live.
  public var runFolder: URL { RunEnvironment.runFolder(state: settings.state, pipeline: pipeline.name, year: year) }

  public static func runFolder(state: URL, pipeline: String, year: Int) -> URL {
    state.appendingPathComponent(pipeline).appendingPathComponent(String(year))
  }

  /// `--year`, else the pipeline's year, else last calendar year (reports cover the year before).
  public static func reportYear(settings: RunSettings, pipeline: PipelineDefinition, now: Date) -> Int {
    if let y = settings.year { return y }
    if let y = pipeline.year { return y }
    return lastYear(now: now)
  }

  /// The calendar year before `now`'s, in China's time zone (on 1 January at 07:00 in Beijing
  /// it is still 31 December in UTC).
  public static func lastYear(now: Date) -> Int {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .current
    return calendar.component(.year, from: now) - 1
  }

  /// Hashes every regular file under the pipeline folder by relative path and content, so a
  /// template edit invalidates the stages that render it.
  public static func digestFolder(_ folder: URL) throws -> String {
    guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
    else {
      throw UsageError("pipeline folder \(folder.path) cannot be read")
    }
    var files: [(String, URL)] = []
    let base = folder.standardizedFileURL.path
    for case let url as URL in walker {
      guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
      let path = url.standardizedFileURL.path
      let rel = path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : path
      if rel.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
      files.append((rel, url))
    }
    var builder = Digest.Builder()
    for (rel, url) in files.sorted(by: { $0.0 < $1.0 }) {
      builder.add(rel)
      do {
        builder.add(try Digest.sha256Hex(fileAt: url))
      } catch {
        throw UsageError("\(url.path): cannot read pipeline file: \(error.systemReason)")
      }
    }
    return builder.finalize()
  }
}
