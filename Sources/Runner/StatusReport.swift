import AlmanacCore
import Foundation

/// `almanac status`: checkpoints, pending and held-back files, and the last run's summary.
/// Read-only: it takes no lock and writes nothing.
public struct StatusReport: Codable, Sendable, Equatable {
  public struct StageState: Codable, Sendable, Equatable {
    public var name: String
    /// `complete`, `stale` or `missing`.
    public var state: String
    /// 完成 / 过期 / 缺失.
    public var label: String
    public var reason: String?

    public init(name: String, state: String, label: String, reason: String? = nil) {
      self.name = name
      self.state = state
      self.label = label
      self.reason = reason
    }
  }

  public struct PendingFile: Codable, Sendable, Equatable {
    public var path: String
    /// `new`, `changed` or `removed` since the last run; `unread` when the inbox is as the
    /// last run saw it but no complete ingest checkpoint holds it.
    public var change: String

    public init(path: String, change: String) {
      self.path = path
      self.change = change
    }
  }

  public struct HeldBack: Codable, Sendable, Equatable {
    public var path: String
    public var reason: String
    public var claimed: String?

    public init(path: String, reason: String, claimed: String? = nil) {
      self.path = path
      self.reason = reason
      self.claimed = claimed
    }
  }

  /// Another pipeline and year the state folder holds a run summary of.
  public struct OtherRun: Codable, Sendable, Equatable {
    public var pipeline: String
    public var year: Int

    public init(pipeline: String, year: Int) {
      self.pipeline = pipeline
      self.year = year
    }
  }

  public var pipeline: String
  public var year: Int
  /// The process id of a run holding the state folder's lock now: its stages may be being
  /// rewritten while status reads them.
  public var runningPID: String?
  public var stages: [StageState]
  /// How many files the inbox holds now.
  public var inboxFiles: Int
  public var pending: [PendingFile]
  public var heldBack: [HeldBack]
  /// Departments the last run found missing (open REC-SUB-001), sorted by id; nil when it
  /// did not get as far as reconcile, or its record predates the list.
  public var missing: [DepartmentRef]?
  public var lastRun: RunRecord?
  /// A run that began and never ended (killed, the machine restarted): `lastRun` and the
  /// pending files are those of the last run that finished. Nil while it still runs.
  public var interrupted: RunMarker?
  /// When this pipeline and year never ran here: the ones that did, so that an operator who
  /// left out `--pipeline` or `--year` is told where the state folder's runs are.
  public var otherRuns: [OtherRun]

  /// Computes the status for `settings` without running or writing anything.
  public static func inspect(settings: RunSettings, wiring: any PipelineWiring, now: Date = Date()) throws
    -> StatusReport
  {
    // As a run would refuse them, before anything is read; nothing is remembered.
    var env = try RunConfiguration.load(settings: settings, wiring: wiring, now: now).environment
    let pipeline = env.pipeline
    let year = env.year
    let listed = try InboxScanner.list(inbox: settings.inbox, excluding: [settings.state, settings.outbox])
    // A private copy of the cache: status never writes state.
    let cache = HashCache(url: Runner.hashCacheURL(state: settings.state))
    let entries = try InboxHasher.hash(listed, cache: cache).entries
    env.inbox = entries
    let steps = try wiring.steps(for: env)

    var stages: [StageState] = []
    var upstream: Fingerprint.Upstream?
    for (i, step) in steps.enumerated() {
      let folder = StageFolder(runFolder: env.runFolder, index: i, stage: step.name)
      let fp = Fingerprint.compute(
        stage: step.name, index: i, environment: env, parts: try step.fingerprintParts(env), upstream: upstream)
      let state = folder.state(fingerprint: fp)
      var reason: String?
      let key: String
      switch state {
      case .complete: key = "complete"
      case .stale(let why):
        key = "stale"
        reason = why
      case .missing: key = "missing"
      }
      stages.append(StageState(name: step.name, state: key, label: state.label, reason: reason))
      upstream = Fingerprint.Upstream(
        fingerprint: fp, outputSHA: folder.readCheckpoint()?.outputs[StageFolder.outputFile] ?? "-")
    }

    let last = RunRecord.read(from: env.runFolder)
    let before = Dictionary((last?.inputs ?? []).map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a })
    var pending: [PendingFile] = []
    let present = Set(entries.map(\.path))
    for e in entries {
      if let sha = before[e.path] {
        if sha != e.sha256 { pending.append(PendingFile(path: e.path, change: "changed")) }
      } else {
        pending.append(PendingFile(path: e.path, change: "new"))
      }
    }
    for path in before.keys.sorted() where !present.contains(path) {
      pending.append(PendingFile(path: path, change: "removed"))
    }
    // A run that stopped before ingest was checkpointed (exit 3, a full disk) recorded its
    // inputs without reading them: every file of the inbox still waits. It said “无（收件箱与
    // 上次运行一致）” over stages all 缺失.
    if let first = stages.first, first.state == "missing" {
      let listed = Set(pending.map(\.path))
      for e in entries where !listed.contains(e.path) {
        pending.append(PendingFile(path: e.path, change: "unread"))
      }
    }
    pending.sort { $0.path < $1.path }
    let held = (last?.heldBack ?? []).map {
      HeldBack(path: $0.source.path, reason: $0.reason.rawValue, claimed: $0.claimed)
    }
    let running = RunLock.holder(at: Runner.lockURL(state: settings.state))
    var report = StatusReport(
      pipeline: pipeline.name, year: year, runningPID: running,
      stages: stages, inboxFiles: entries.count, pending: pending,
      heldBack: held, missing: last?.missingDepartments, lastRun: last,
      otherRuns: last == nil ? otherRuns(state: settings.state, except: (pipeline.name, year)) : [])
    report.interrupted = running == nil ? RunMarker.read(from: env.runFolder) : nil
    return report
  }

  /// `<state>/<pipeline>/<year>/` folders holding a run summary, other than `except`, sorted.
  static func otherRuns(state: URL, except: (pipeline: String, year: Int)) -> [OtherRun] {
    let files = FileManager.default
    guard let pipelines = try? files.contentsOfDirectory(atPath: state.path) else { return [] }
    var runs: [OtherRun] = []
    for name in pipelines {
      let folder = state.appendingPathComponent(name)
      guard let years = try? files.contentsOfDirectory(atPath: folder.path) else { continue }
      for y in years {
        guard let year = Int(y), String(year) == y, (name, year) != except,
          files.fileExists(atPath: folder.appendingPathComponent(y).appendingPathComponent(RunRecord.fileName).path)
        else { continue }
        runs.append(OtherRun(pipeline: name, year: year))
      }
    }
    return runs.sorted { ($0.pipeline, $0.year) < ($1.pipeline, $1.year) }
  }

  /// The zh-CN screen for people.
  public func render() -> String {
    var lines = ["—— almanac 状态：\(pipeline)，\(year) 年度 ——"]
    if let runningPID {
      lines.append("正在运行：进程 \(runningPID) 持有状态目录的锁，下列检查点可能正在更新；请在运行结束后再查看。")
    }
    if let interrupted {
      lines.append(
        "上次运行没有结束：\(interrupted.runId) 于 \(interrupted.startedAt) 开始后中断（进程被终止或机器重启），"
          + "它的结果可能已部分发布；下面的“待处理文件”和“上次运行”是再上一次完成的运行。请重新运行 almanac run。")
    }
    lines.append("阶段检查点：")
    for s in stages {
      lines.append("  \(s.name)  \(s.label)" + (s.reason.map { "（\($0)）" } ?? ""))
    }
    if pending.isEmpty, inboxFiles > 0, lastRun?.failure != nil {
      // The inbox is as the last run saw it, but that run stopped before the end. (A stage
      // out of date after a complete run says why on its own line: the pipeline, the seeds,
      // or last year's data given to the run and not to status.)
      lines.append("待处理文件：收件箱与上次运行一致，但上次运行未完成；请重新运行 almanac run")
    } else if pending.isEmpty {
      lines.append(inboxFiles == 0 ? "待处理文件：无（收件箱中没有文件）" : "待处理文件：无（收件箱与上次运行一致）")
    } else {
      lines.append("待处理文件：\(pending.count) 个")
      for p in pending {
        lines.append("  \(Self.changeLabel(p.change))  \(Diagnostic.printable(p.path))")
      }
    }
    if heldBack.isEmpty {
      lines.append("暂缓采用的文件：无")
    } else {
      lines.append("暂缓采用的文件：\(heldBack.count) 个")
      for h in heldBack {
        lines.append(
          "  \(Diagnostic.printable(h.path))  \(Self.holdLabel(h.reason))"
            + (h.claimed.map { "（自称：\(Diagnostic.printable($0))）" } ?? ""))
      }
    }
    if let lastRun, lastRun.missingDepartments == nil, lastRun.failure != nil {
      lines.append("未报送的单位：上次运行没有完成核对，名单未知；请在运行成功后再查看")
    }
    if let missing {
      if missing.isEmpty {
        lines.append("未报送的单位：无")
      } else {
        // Every one, a few to a line: this is where the office reads whom to chase.
        lines.append("未报送的单位：\(missing.count) 个（上次运行时；请催报）")
        for start in stride(from: 0, to: missing.count, by: Self.namesPerLine) {
          let names = missing[start..<min(start + Self.namesPerLine, missing.count)].map(\.displayName)
          lines.append("  " + Diagnostic.printable(names.joined(separator: "、")))
        }
      }
    }
    if let r = lastRun {
      lines.append("上次运行：\(r.finishedAt)，退出码 \(r.exitCode)")
      lines.append("  阶段：" + r.stages.map { "\($0.name) \($0.status.label)" }.joined(separator: " / "))
      var c: [Severity: Int] = [:]
      for s in Severity.allCases { c[s] = r.findingCounts[s.rawValue] }
      lines.append("  " + RunSummary.findingsLine(c, accepted: r.acceptedFindings ?? 0))
      var files = "  文件：收件箱 \(r.hash.files) 个，读取 \(r.hash.filesHashed) 个"
      let parsed = r.stages.reduce(Int64(0)) { $0 + ($1.counters["files_parsed"] ?? 0) }
      files += "，解析 \(parsed) 个"
      lines.append(files)
      if let f = r.failure { lines.append("  失败：\(f.message)") }
      if let p = r.publish { lines.append("  输出：\(p.folder)") }
    } else {
      lines.append("上次运行：无记录")
      for other in otherRuns {
        lines.append(
          "  状态文件夹中有 \(Diagnostic.printable(other.pipeline))（\(other.year) 年度）的运行记录；"
            + "查看请用 --pipeline 指定该流水线目录，并加 --year \(other.year)")
      }
    }
    return lines.joined(separator: "\n")
  }

  /// Missing departments listed on one line of the screen.
  static let namesPerLine = 5

  static func changeLabel(_ change: String) -> String {
    switch change {
    case "new": "新增"
    case "changed": "已修改"
    case "removed": "已删除"
    case "unread": "尚未读取"
    default: change
    }
  }

  static func holdLabel(_ reason: String) -> String {
    switch HoldReason(rawValue: reason) {
    case .unreadable: "无法读取"
    case .unknownDepartment: "部门无法识别"
    case .ambiguousDepartment: "部门名称有歧义"
    case .conflictingDepartment: "部门信息相互矛盾"
    case .wrongYear: "年度不符"
    case .noForm: "未找到已知表格"
    case nil: reason
    }
  }
}
