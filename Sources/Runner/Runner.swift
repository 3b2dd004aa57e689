import AlmanacCore
import Consolidate
import Foundation
import Logging
import Reconcile

/// Runs the steps in order, reusing complete stages, then publishes into `outbox/<year>/`.
///
/// ```
/// lock ─▶ pipeline + seeds ─▶ list + hash inbox ─▶ step 1 … step n ─▶ publish ─▶ last-run.json
///          (exit 2)                (stat cache)     reuse or run;     only when all
///                                                   checkpoint last   stages succeeded
/// ```
/// A stage failure stops the run (exit 3); completed stages keep their checkpoints and the
/// outbox keeps the last good outputs, so `almanac run` again resumes where it stopped.
///
/// Each stage that ran is committed (output, findings, checkpoint) by a `CommitQueue` while
/// the next stage already runs; commits happen in stage order, and publishing waits for all.
public struct Runner: Sendable {
  public var settings: RunSettings
  public var wiring: any PipelineWiring
  public var logger: Logger
  public var progress: any ProgressReporter
  public var clock: @Sendable () -> Date

  public init(
    settings: RunSettings, wiring: any PipelineWiring, logger: Logger,
    progress: any ProgressReporter = SilentProgress(), clock: @escaping @Sendable () -> Date = { Date() }
  ) {
    self.settings = settings
    self.wiring = wiring
    self.logger = logger
    self.progress = settings.debug.wrap(progress)
    self.clock = clock
  }

  /// The lock file inside the state folder.
  public static func lockURL(state: URL) -> URL { state.appendingPathComponent("almanac.lock") }
  /// The outbox's own lock: two runs with different state folders (cron's `./.almanac` and an
  /// operator's run from another directory) must not publish into one outbox at once — each
  /// clears the other's temporary files there.
  public static func outboxLockURL(outbox: URL) -> URL { outbox.appendingPathComponent(".almanac.lock") }

  /// The state folder's lock, then the outbox's (creating the outbox, as publishing would).
  /// An outbox that cannot hold a lock file (missing parent, read-only) is no reason to stop
  /// here: the stages run and are kept, and publishing says what is wrong with it.
  private func acquireLocks() throws -> [RunLock] {
    let state = try RunLock.acquire(at: Self.lockURL(state: settings.state))
    do {
      try FileManager.default.createDirectory(at: settings.outbox, withIntermediateDirectories: true)
      return [state, try RunLock.acquire(at: Self.outboxLockURL(outbox: settings.outbox), recordingHolder: false)]
    } catch let e as RunLockError {
      guard case .held = e else { return [state] }
      state.release()
      throw e
    } catch {
      return [state]
    }
  }
  /// The stat cache of inbox hashes inside the state folder.
  public static func hashCacheURL(state: URL) -> URL { state.appendingPathComponent("hash-cache.json") }

  /// Runs everything; never throws: every failure is in the report with its exit code.
  public func run() async -> RunReport {
    let started = clock()
    var report = RunReport(runID: Self.makeRunID(started), startedAt: started, strict: settings.strict)
    // Configuration first, before any state is touched: anything wrong here is exit 2.
    let config: RunConfiguration
    do {
      config = try RunConfiguration.load(settings: settings, wiring: wiring, now: report.startedAt)
      if let names = wiring.stageNames {
        if let from = settings.from { _ = try Self.stageIndex(from, in: names) }
        try settings.debug.validate(stages: names)
      }
    } catch {
      return finish(report, failure: RunFailure(kind: .usage, message: "\(error)"))
    }
    do {
      try Self.prepareStateFolder(settings.state, mode: settings.stateMode)
    } catch {
      return finish(report, failure: RunFailure(kind: .stage, message: "\(error)"))
    }
    let locks: [RunLock]
    do {
      locks = try acquireLocks()
    } catch let e as RunLockError {
      if case .held = e { return finish(report, failure: RunFailure(kind: .locked, message: e.description)) }
      return finish(report, failure: RunFailure(kind: .stage, message: e.description))
    } catch {
      return finish(report, failure: RunFailure(kind: .stage, message: "\(error)"))
    }
    defer { for lock in locks.reversed() { lock.release() } }
    if let seconds = settings.debug.holdLockSeconds {
      try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
    }
    let runFolder = config.environment.runFolder
    let interrupted = RunMarker.read(from: runFolder)
    do {
      try RunMarker(runId: report.runID, startedAt: Manifest.timestamp(report.startedAt), pid: getpid())
        .write(to: runFolder)
    } catch {
      logger.warning("无法写入运行标记：\(error)", metadata: ["event": "marker.failed"])
    }
    await runLocked(&report, config, interrupted: interrupted)
    RunMarker.remove(from: runFolder)
    return report
  }

  /// - Parameter interrupted: the marker of an earlier run that was killed before it ended.
  private func runLocked(_ report: inout RunReport, _ config: RunConfiguration, interrupted: RunMarker?) async {
    var env = config.environment
    let pipeline = env.pipeline
    let year = env.year
    report.pipelineName = pipeline.name
    report.year = year
    logger.info(
      "运行 \(pipeline.name) \(year) 年度（\(report.runID)）",
      metadata: ["event": "run.start", "run": "\(report.runID)", "pipeline": "\(pipeline.name)", "year": "\(year)"])
    if let interrupted {
      logger.warning(
        "上次运行（\(interrupted.runId)，\(interrupted.startedAt) 开始，进程 \(interrupted.pid)）没有结束（被终止或机器重启）；本次接着完成，并报告全部核对结果",
        metadata: ["event": "run.interrupted", "run": "\(interrupted.runId)"])
    }
    if let key = config.validated { ValidationMemo.record(env, key: key) }

    // Inbox: listed and hashed through the stat cache; nothing in it is ever modified.
    let entries: [InboxEntry]
    var stamps: [String: FileStamp] = [:]
    do {
      let listed = try InboxScanner.list(inbox: settings.inbox, excluding: [settings.state, settings.outbox])
      for f in listed where f.refusal == nil { stamps[f.path] = f.stamp }
      let cache = HashCache(url: Self.hashCacheURL(state: settings.state))
      let hashed = try InboxHasher.hash(listed, cache: cache, progress: progress)
      entries = hashed.entries
      report.hash = hashed.stats
      do {
        try cache.save()
      } catch {
        logger.warning("无法保存哈希缓存：\(error)", metadata: ["event": "hash.cache"])
      }
    } catch let e as UsageError {
      report = finish(report, failure: RunFailure(kind: .usage, message: e.message))
      return
    } catch {
      report = finish(report, failure: RunFailure(kind: .stage, message: "\(error)"))
      return
    }
    report.inputs = entries
    logger.debug(
      "收件箱 \(entries.count) 个文件，读取 \(report.hash.filesHashed) 个",
      metadata: [
        "event": "inbox.hashed", "files": "\(entries.count)", "hashed": "\(report.hash.filesHashed)",
        "bytes": "\(report.hash.bytesHashed)",
      ])

    env.inbox = entries
    env.inboxStamps = stamps
    let steps: [PipelineStep]
    let fromIndex: Int?
    do {
      steps = try wiring.steps(for: env)
      fromIndex = try Self.validate(steps, from: settings.from)
      try settings.debug.validate(stages: steps.map(\.name))
    } catch {
      report = finish(report, failure: RunFailure(kind: .usage, message: "\(error)"))
      return
    }

    let runFolder = env.runFolder
    let store = OutputStore()
    let commits = CommitQueue()
    var failure: RunFailure?
    var heldBack: [HeldBackFile] = []
    // Stages run here, in order; their folders are committed by `commits`, each while the
    // next stage runs. A reused stage needs its upstream now, so it waits for the queue.
    var reused: [String: Checkpoint] = [:]

    for (i, step) in steps.enumerated() {
      if failure == nil, let f = commits.failed {
        failure = Self.commitFailure(stage: f.stage, error: f.error)
      }
      if failure != nil {
        report.stages.append(StageReport(name: step.name, status: .notRun))
        continue
      }
      let folder = StageFolder(runFolder: runFolder, index: i, stage: step.name)
      do {
        let parts = try step.fingerprintParts(env)
        let reason: String
        if settings.force {
          reason = "--force"
        } else if let fromIndex, i >= fromIndex {
          reason = "--from \(steps[fromIndex].name)"
        } else if !FileManager.default.fileExists(atPath: folder.checkpointURL.path) {
          reason = "尚无检查点"
        } else {
          let upstream = commits.upstreamAfterPending()
          if let f = commits.failed { throw CommitFailed(stage: f.stage, error: f.error) }
          let fingerprint = Fingerprint.compute(
            stage: step.name, index: i, environment: env, parts: parts, upstream: upstream)
          switch folder.state(fingerprint: fingerprint) {
          case .complete(let cp):
            store.register(step.name, folder: folder, decode: step.decode)
            reused[step.name] = cp
            commits.reuse(
              Fingerprint.Upstream(fingerprint: fingerprint, outputSHA: cp.outputs[StageFolder.outputFile] ?? "-"))
            if step.tracksHeldBack { heldBack = folder.readHeldBack() }
            report.stages.append(
              StageReport(
                name: step.name, status: .reused, fingerprint: fingerprint, findingCounts: cp.findingCounts))
            logger.info(
              "阶段 \(step.name)：复用", metadata: ["event": "stage.reused", "stage": "\(step.name)"])
            continue
          case .stale(let why):
            reason = why
          case .missing:
            reason = "尚无检查点"
          }
        }
        let (stageReport, held) = try await execute(
          step, index: i, folder: folder, parts: parts, reason: reason, env: env, steps: steps, store: store,
          commits: commits)
        report.stages.append(stageReport)
        if step.tracksHeldBack { heldBack = held }
      } catch let e as CommitFailed {
        failure = Self.commitFailure(stage: e.stage, error: e.error)
        report.stages.append(StageReport(name: step.name, status: .notRun))
      } catch {
        let message = Self.describe(error)
        failure = RunFailure(
          kind: .stage, stage: step.name, message: RunnerError.stageFailed(stage: step.name, cause: message).description
        )
        report.stages.append(StageReport(name: step.name, status: .failed, reason: message))
        logger.error(
          "阶段 \(step.name) 失败：\(message)", metadata: ["event": "stage.failed", "stage": "\(step.name)"])
      }
    }

    // Every commit done: fingerprints and finding counts into the report; the checkpoints of
    // the committed or reused prefix of stages, for publishing.
    let committed = commits.drain()
    if let f = commits.failed {
      // The earliest failure: the stages after it ran, but were not committed.
      failure = Self.commitFailure(stage: f.stage, error: f.error)
      let message = Self.describe(f.error)
      logger.error("阶段 \(f.stage) 失败：\(message)", metadata: ["event": "stage.failed", "stage": "\(f.stage)"])
      var after = false
      for r in report.stages.indices {
        if report.stages[r].name == f.stage {
          report.stages[r].status = .failed
          report.stages[r].reason = message
          after = true
        } else if after {
          report.stages[r] = StageReport(name: report.stages[r].name, status: .notRun)
        }
      }
    }
    var checkpoints: [Checkpoint] = []
    for step in steps {
      guard let r = report.stages.firstIndex(where: { $0.name == step.name }) else { break }
      if let done = committed[step.name] {
        report.stages[r].fingerprint = done.fingerprint
        report.stages[r].findingCounts = done.checkpoint.findingCounts
        checkpoints.append(done.checkpoint)
      } else if let cp = reused[step.name] {
        checkpoints.append(cp)
      } else {
        break
      }
    }
    report.heldBack = heldBack

    do {
      report.findings = try store.findings(of: steps.prefix(checkpoints.count).map(\.name))
      // Known only when reconcile's checkpoint stands: a run stopped before it checked no one.
      if steps.prefix(checkpoints.count).contains(where: { $0.name == ReconcileStage.name }) {
        report.missingDepartments = Self.missingDepartments(report.findings, seeds: env.seeds)
      }
    } catch {
      if failure == nil {
        failure = RunFailure(kind: .stage, message: "\(error)")
        logger.error("运行失败：\(error)", metadata: ["event": "run.failed"])
      }
    }
    // A run killed after its last checkpoint may have died before printing its findings or
    // publishing: after one, nothing counts as already reported.
    let unchanged =
      interrupted == nil && report.stages.count == steps.count && report.stages.allSatisfy { $0.status == .reused }
    if unchanged {
      // Nothing was redone, so every finding was already reported by the run that made it;
      // a cron job must not mail the same list every night — one line says they are still
      // open, once the outbox it points to is published (below).
    } else if settings.logFormat == .text && !settings.verbose {
      for entry in Diagnostic.condensed(report.findings) {
        switch entry {
        case .finding(let f): log(f)
        case .more(let f, let count): logMore(like: f, count: count, year: env.year)
        case .moreDepartments(let f, let departments):
          let line = Diagnostic.moreDepartmentsLine(
            like: f, departments: departments, names: env.seeds.departmentNames, log: reconciliationPage(env.year)
          )
          log(line, as: f, metadata: ["event": "findings.more", "code": "\(f.code)", "count": "\(departments.count)"])
        case .moreFiles(let f, let count, let places):
          let line = Diagnostic.moreFilesLine(like: f, count: count, places: places, log: reconciliationPage(env.year))
          log(line, as: f, metadata: ["event": "findings.more", "code": "\(f.code)", "count": "\(count)"])
        }
      }
    } else {
      // JSON logs and --verbose: every finding, one event each.
      for f in report.findings { log(f) }
    }

    if failure == nil {
      do {
        report.publish = try publish(
          checkpoints: checkpoints, steps: steps, env: env, report: report, interrupted: interrupted)
        settings.debug.reached(DebugFaults.publishBoundary)
        if unchanged { logStillOpen(report.findings, year: env.year) }
      } catch {
        failure = RunFailure(kind: .stage, message: Self.describe(error))
        logger.error("\(Self.describe(error))", metadata: ["event": "publish.failed"])
      }
    }
    // Each failure of the stages and of publishing was logged where it happened.
    report = finish(report, failure: failure, logged: true)
    do {
      try RunRecord(report).write(to: runFolder)
    } catch {
      logger.warning("无法写入运行摘要：\(error)", metadata: ["event": "record.failed"])
    }
  }

  /// Runs one step and queues the commit of its folder (the checkpoint is the last file written).
  private func execute(
    _ step: PipelineStep, index: Int, folder: StageFolder, parts: [String], reason: String, env: RunEnvironment,
    steps: [PipelineStep], store: OutputStore, commits: CommitQueue
  ) async throws -> (StageReport, [HeldBackFile]) {
    logger.info(
      "阶段 \(step.name)：运行（\(reason)）",
      metadata: ["event": "stage.start", "stage": "\(step.name)", "reason": "\(reason)"])
    let t0 = clock()
    try folder.invalidate()
    let sink = FindingSink(overrides: env.pipeline.severities ?? [:], accepted: env.accepted)
    let counters = StageCounters()
    var stageLogger = logger
    stageLogger[metadataKey: "stage"] = "\(step.name)"
    let context = StageContext(
      findings: sink, workDirectory: folder.url, logger: stageLogger, progress: progress, counters: counters,
      pipeline: env.pipeline, pipelineFolder: settings.pipelineFolder, seeds: env.seeds, year: env.year)
    // An output only this step reads leaves the store once this step's input is built: the
    // stage then owns it (and may let it go as it works); its pending commit holds it only
    // until written. Should anything ask again, it is decoded from its folder.
    var handOver: @Sendable () -> Void = {}
    if index > 0, steps[index - 1].onlyForNextStep {
      let previous = steps[index - 1]
      let previousFolder = StageFolder(runFolder: env.runFolder, index: index - 1, stage: previous.name)
      handOver = { store.evict(previous.name, folder: previousFolder, decode: previous.decode) { _ = commits.drain() } }
    }
    let inputs = StepInputs(
      environment: env, store: store, available: steps.prefix(index).map(\.name), findings: sink,
      workDirectory: folder.url, inputBuilt: handOver)
    let result = try await step.execute(inputs, context)
    // The stage has let go of its input (and its own working data).
    HeapPages.releaseFree()
    let findings = sink.findings
    let status: StageStatus = findings.contains { $0.severity >= .warning && $0.isOpen } ? .warned : .success
    store.put(step.name, value: result.value, findings: findings)
    let debug = settings.debug
    let name = step.name
    let tracksHeldBack = step.tracksHeldBack
    let commitLogger = logger
    let clock = self.clock
    let previousFolder =
      index > 0 ? StageFolder(runFolder: env.runFolder, index: index - 1, stage: steps[index - 1].name) : nil
    commits.enqueue(stage: step.name) { upstream in
      let c0 = clock()
      let fingerprint = Fingerprint.compute(
        stage: name, index: index, environment: env, parts: parts, upstream: upstream)
      // The previous stage is committed by now (the queue is serial): its output's size is a
      // good guess of this one's.
      let upstreamSize = previousFolder.flatMap { FileStamp.of($0.outputURL)?.size } ?? 0
      let cp = try folder.commit(
        result: result, findings: findings, fingerprint: fingerprint, status: status, tracksHeldBack: tracksHeldBack,
        upstreamOutputSize: upstreamSize)
      commitLogger.debug(
        "阶段 \(name)：检查点已写入（\(String(format: "%.1f", clock().timeIntervalSince(c0))) 秒）",
        metadata: ["event": "stage.committed", "stage": "\(name)"])
      debug.reached(name)
      return CommitQueue.Committed(fingerprint: fingerprint, checkpoint: cp)
    }
    let seconds = clock().timeIntervalSince(t0)
    var counts: [String: Int] = [:]
    for f in findings { counts[f.severity.rawValue, default: 0] += 1 }
    let stageReport = StageReport(
      name: step.name, status: status == .warned ? .warned : .success, reason: reason, fingerprint: nil,
      counters: counters.snapshot, findingCounts: counts, seconds: seconds)
    var meta: Logger.Metadata = ["event": "stage.finish", "stage": "\(step.name)", "status": "\(status.rawValue)"]
    for (k, v) in counters.snapshot { meta["counter.\(k)"] = "\(v)" }
    logger.info("阶段 \(step.name)：完成（\(String(format: "%.1f", seconds)) 秒）", metadata: meta)
    return (stageReport, result.heldBack)
  }

  /// A commit that failed: the stage's folder could not be written.
  struct CommitFailed: Error {
    var stage: String
    var error: any Error
  }

  private static func commitFailure(stage: String, error: any Error) -> RunFailure {
    let message = describe(error)
    return RunFailure(
      kind: .stage, stage: stage, message: RunnerError.stageFailed(stage: stage, cause: message).description)
  }

  private func publish(
    checkpoints: [Checkpoint], steps: [PipelineStep], env: RunEnvironment, report: RunReport, interrupted: RunMarker?
  ) throws
    -> PublishStats
  {
    var items: [String: PublishItem] = [:]
    for (i, cp) in checkpoints.enumerated() {
      let folder = StageFolder(runFolder: env.runFolder, index: i, stage: steps[i].name)
      for (key, sha) in cp.outputs where key.hasPrefix("out/") {
        let path = String(key.dropFirst(4))
        if let other = items[path] {
          throw RunnerError.wiring("\(path) is staged by two stages (\(other.source.path) and \(folder.url.path))")
        }
        items[path] = PublishItem(
          path: path, source: folder.url.appendingPathComponent(key), sha256: sha, stamp: cp.stamps?[key])
      }
    }
    let yearFolder = settings.outbox.appendingPathComponent(String(env.year))
    let display = settings.outboxDisplay.hasSuffix("/") ? settings.outboxDisplay : settings.outboxDisplay + "/"
    let publisher = Publisher(
      folder: yearFolder, displayFolder: "\(display)\(env.year)/", mode: mode_t(settings.outputMode),
      record: env.runFolder.appendingPathComponent(PublishedRecord.fileName), keptTag: "edited-\(report.runID)")
    let inputs = report.inputs.map { Manifest.FileRef(path: $0.path, sha256: $0.sha256, size: $0.size) }
    // Last year's dataset by the full path of the file read, so that `verify` can hash it again.
    let previous = env.previous.flatMap { p in
      settings.previous.flatMap(PreviousDatasetLoader.file(at:)).map {
        Manifest.FileRef(path: $0.path, sha256: p.source.sha256, size: p.source.size)
      }
    }
    if let interrupted {
      for kept in Publisher.settleKeptEdits(in: yearFolder, of: interrupted.runId) {
        logKept(path: kept.path, keptAs: kept.keptAs, folder: "\(display)\(env.year)/")
      }
    }
    let stats = try publisher.publish(Array(items.values)) { outputs in
      var manifest = Manifest(
        runId: report.runID,
        pipeline: Manifest.PipelineRef(
          name: env.pipeline.name, digest: env.pipelineDigest, seedsDigest: env.seedsDigest),
        toolVersion: AlmanacVersion.current, toolBuild: BuildIdentity.current, year: env.year,
        startedAt: Manifest.timestamp(report.startedAt),
        finishedAt: Manifest.timestamp(clock()), inputs: inputs, outputs: outputs)
      manifest.previous = previous
      return manifest
    }
    logger.info(
      "输出：\(stats.folder)（更新 \(stats.written.count) 个，未变 \(stats.unchanged.count) 个）",
      metadata: [
        "event": "publish", "folder": "\(stats.folder)", "written": "\(stats.written.count)",
        "unchanged": "\(stats.unchanged.count)", "removed": "\(stats.removed.count)",
      ])
    for k in stats.keptEdits { logKept(path: k.path, keptAs: k.keptAs, folder: stats.folder) }
    return stats
  }

  private func logKept(path: String, keptAs: String, folder: String) {
    let line =
      "\(folder)\(path) 在上次发布后被修改过，修改后的内容已另存为 \(folder)\(keptAs)，"
      + "原位置换为本次生成的版本。输出目录中的文件每次运行都会重新生成：报告文字请写入收件箱中的文字材料"
      + "（如“一、总体情况.md”），下次运行会自动采用。"
    logger.warning("\(line)", metadata: ["event": "publish.kept", "path": "\(path)", "keptAs": "\(keptAs)"])
  }

  private func logStillOpen(_ findings: [Finding], year: Int) {
    let errors = findings.filter { $0.isOpen && $0.severity == .error }.count
    let warnings = findings.filter { $0.isOpen && $0.severity == .warning }.count
    guard errors + warnings > 0 else { return }
    let line = "输入未变化：上次运行发现的 \(errors) 条错误、\(warnings) 条警告仍未解决，详见 \(reconciliationPage(year))"
    let meta: Logger.Metadata = ["event": "findings.unchanged", "errors": "\(errors)", "warnings": "\(warnings)"]
    // Only open errors (or warnings under --strict, which fail the run) are worth a line under
    // --quiet: warnings alone would have cron mail the same line after every run.
    if errors > 0 {
      logger.error("\(line)", metadata: meta)
    } else if settings.strict {
      logger.warning("\(line)", metadata: meta)
    } else {
      logger.info("\(line)", metadata: meta)
    }
  }

  /// `outbox/2025/reconciliation.html`, as the operator named the outbox.
  private func reconciliationPage(_ year: Int) -> String {
    let display = settings.outboxDisplay.hasSuffix("/") ? settings.outboxDisplay : settings.outboxDisplay + "/"
    return "\(display)\(year)/reconciliation.html"
  }

  /// The departments whose missing submission is open (REC-SUB-001 not accepted), with their
  /// registry names: the list an operator chases, in the summary and `status`.
  static func missingDepartments(_ findings: [Finding], seeds: Seeds) -> [DepartmentRef] {
    let ids = findings.filter { $0.code == ReconcileCodes.missingDepartment && $0.isOpen }.compactMap(\.department)
    guard !ids.isEmpty else { return [] }
    let names = seeds.departmentNames
    return ids.map { DepartmentRef(id: $0, name: names[$0] ?? "") }.sorted()
  }

  /// The line standing for `count` findings like `f` that the console does not list.
  private func logMore(like f: Finding, count: Int, year: Int) {
    let line = Diagnostic.moreLine(
      like: f, count: count, inbox: settings.inboxDisplay, seeds: settings.seedsDisplay, log: reconciliationPage(year))
    log(line, as: f, metadata: ["event": "findings.more", "code": "\(f.code)", "count": "\(count)"])
  }

  private func log(_ finding: Finding) {
    let line = Diagnostic.line(finding, inbox: settings.inboxDisplay, seeds: settings.seedsDisplay)
    var meta: Logger.Metadata = [
      "event": "finding", "code": "\(finding.code)", "severity": "\(finding.severity.rawValue)",
      "stage": "\(finding.stage)", "id": "\(finding.id)",
    ]
    if let d = finding.department { meta["department"] = "\(d)" }
    if let c = finding.cell { meta["cell"] = "\(c)" }
    if let s = finding.sources.first {
      meta["file"] = "\(s.file)"
      meta["line"] = "\(s.line)"
      meta["column"] = "\(s.column)"
    }
    if let a = finding.acceptance { meta["acceptedBy"] = "\(a.by)" }
    log(line, as: finding, metadata: meta)
  }

  /// Logs `line` at `finding`'s level: errors and warnings as such, information and what an
  /// auditor accepted (in the logs for the record, out of the way of what is open) as debug.
  private func log(_ line: String, as finding: Finding, metadata: Logger.Metadata) {
    switch finding.isOpen ? finding.severity : .info {
    case .error: logger.error("\(line)", metadata: metadata)
    case .warning: logger.warning("\(line)", metadata: metadata)
    case .info: logger.debug("\(line)", metadata: metadata)
    }
  }

  private func finish(_ report: RunReport, failure: RunFailure?, logged: Bool = false) -> RunReport {
    var r = report
    if let failure {
      r.failure = failure
      if failure.stage == nil, !logged {
        switch failure.kind {
        case .locked: logger.error("\(failure.message)", metadata: ["event": "run.locked"])
        case .usage: logger.error("\(failure.message)", metadata: ["event": "run.usage"])
        // Before any stage (the state folder, the lock file, listing the inbox): the summary
        // is not printed with --quiet, and cron must still say why the run stopped.
        case .stage: logger.error("运行失败：\(failure.message)", metadata: ["event": "run.failed"])
        }
      }
    }
    r.finishedAt = clock()
    logger.debug(
      "运行结束，退出码 \(r.exitCode)", metadata: ["event": "run.finish", "exitCode": "\(r.exitCode)", "run": "\(r.runID)"])
    return r
  }

  static func validate(_ steps: [PipelineStep], from: String?) throws -> Int? {
    var seen = Set<String>()
    for s in steps where !seen.insert(s.name).inserted {
      throw RunnerError.wiring("stage '\(s.name)' appears twice")
    }
    guard let from else { return nil }
    return try stageIndex(from, in: steps.map(\.name))
  }

  /// Where `--from` starts among `names`; a `UsageError` naming the stages when it is none.
  static func stageIndex(_ from: String, in names: [String]) throws -> Int {
    guard let i = names.firstIndex(of: from) else {
      throw UsageError("--from \(from): no such stage; stages are \(names.joined(separator: ", "))")
    }
    return i
  }

  /// The state folder is private to the operator (0700 unless configured): it holds copies of
  /// inbox data.
  static func prepareStateFolder(_ url: URL, mode: UInt16 = RunSettings.defaultStateMode) throws {
    let fm = FileManager.default
    let bits = NSNumber(value: mode)
    do {
      try fm.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: bits])
      try fm.setAttributes([.posixPermissions: bits], ofItemAtPath: url.path)
    } catch {
      throw RunnerError.state(path: url.path, reason: Publisher.reason(error))
    }
  }

  static func makeRunID(_ date: Date) -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "UTC")
    f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
    let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    return "\(f.string(from: date))-\(String(repeating: "0", count: 8 - suffix.count))\(suffix)"
  }

  static func describe(_ error: Error) -> String {
    String(describing: error)
  }
}
