import AlmanacCore
import Foundation

/// `<state>/<pipeline>/<year>/<NN>-<stage>/`: a stage's output, findings, scratch files and,
/// written last, its checkpoint.
public struct StageFolder: Sendable {
  public static let outputFile = "output.json"
  public static let findingsFile = "findings.json"
  public static let heldBackFile = "held-back.json"
  public static let checkpointFile = "checkpoint.json"

  public let url: URL
  public let stage: String

  public init(runFolder: URL, index: Int, stage: String) {
    let nn = index + 1 < 10 ? "0\(index + 1)" : "\(index + 1)"
    self.url = runFolder.appendingPathComponent("\(nn)-\(stage)")
    self.stage = stage
  }

  public var outputURL: URL { url.appendingPathComponent(Self.outputFile) }
  public var findingsURL: URL { url.appendingPathComponent(Self.findingsFile) }
  public var heldBackURL: URL { url.appendingPathComponent(Self.heldBackFile) }
  public var checkpointURL: URL { url.appendingPathComponent(Self.checkpointFile) }

  /// The checkpoint when it exists and decodes (any version).
  public func readCheckpoint() -> Checkpoint? {
    guard let data = try? Data(contentsOf: checkpointURL) else { return nil }
    return try? JSONDecoder().decode(Checkpoint.self, from: data)
  }

  /// Whether the stage can be reused for `fingerprint`: luigi's `complete()`.
  public func state(fingerprint: String) -> CheckpointState {
    guard FileManager.default.fileExists(atPath: checkpointURL.path) else { return .missing }
    guard let cp = readCheckpoint() else { return .stale(reason: "检查点无法读取") }
    guard cp.version == Checkpoint.currentVersion else { return .stale(reason: "检查点版本 \(cp.version) 未知") }
    guard cp.stage == stage, cp.status != .failed else { return .stale(reason: "检查点不属于本阶段或记录为失败") }
    guard cp.inputFingerprint == fingerprint else {
      if cp.toolBuild != BuildIdentity.current {
        return .stale(reason: "检查点由另一版本的 almanac 生成，需按本版本重新计算")
      }
      return .stale(reason: "输入、流水线或种子表已变化")
    }
    for (path, sha) in cp.outputs.sorted(by: { $0.key < $1.key }) {
      let file = url.appendingPathComponent(path)
      // A file whose stat is the one recorded right after it was written is not read again;
      // any write since (even of the same size) moved its mtime and ctime, so it is hashed.
      if let recorded = cp.stamps?[path], FileStamp.of(file) == recorded { continue }
      guard let actual = try? Digest.sha256Hex(fileAt: file), actual == sha else {
        return .stale(reason: "输出文件 \(path) 缺失或已损坏")
      }
    }
    return .complete(cp)
  }

  /// Findings the stage emitted when it last ran.
  public func readFindings() throws -> [Finding] {
    guard FileManager.default.fileExists(atPath: findingsURL.path) else { return [] }
    do {
      return try CompactJSONDecoder.decode([Finding].self, from: Data(contentsOf: findingsURL))
    } catch {
      throw RunnerError.state(path: findingsURL.path, reason: error.systemReason)
    }
  }

  /// Held-back files the stage reported when it last ran (empty when it reports none).
  public func readHeldBack() -> [HeldBackFile] {
    guard let data = try? Data(contentsOf: heldBackURL) else { return [] }
    return (try? JSONDecoder().decode([HeldBackFile].self, from: data)) ?? []
  }

  /// Removes the checkpoint first, so a crash from here on leaves the stage incomplete.
  func invalidate() throws {
    let fm = FileManager.default
    if fm.fileExists(atPath: checkpointURL.path) {
      do {
        try fm.removeItem(at: checkpointURL)
      } catch {
        throw RunnerError.state(path: checkpointURL.path, reason: error.systemReason)
      }
      AtomicFile.syncDirectory(url)
    }
    // Temporaries of a run killed mid-write are garbage now.
    for name in (try? fm.contentsOfDirectory(atPath: url.path)) ?? []
    where name.hasPrefix(".") && name.contains(".tmp-") {
      try? fm.removeItem(at: url.appendingPathComponent(name))
    }
    // Staged files of an earlier run must not survive into this one's outputs.
    let out = url.appendingPathComponent("out")
    if fm.fileExists(atPath: out.path) {
      do {
        try fm.removeItem(at: out)
      } catch {
        throw RunnerError.state(path: out.path, reason: error.systemReason)
      }
    }
    do {
      try fm.createDirectory(at: url, withIntermediateDirectories: true)
    } catch {
      throw RunnerError.state(path: url.path, reason: error.systemReason)
    }
  }

  /// Writes output, findings and held-back files, then the checkpoint — last, atomically.
  func commit(
    result: StepResult, findings: [Finding], fingerprint: String, status: StageStatus, tracksHeldBack: Bool,
    upstreamOutputSize: Int64 = 0
  ) throws -> Checkpoint {
    var outputs: [String: String] = [:]
    func write(_ data: Data, _ name: String) throws {
      let target = url.appendingPathComponent(name)
      do {
        try AtomicFile.write(data, to: target)
      } catch {
        throw RunnerError.state(path: target.path, reason: "\(error)")
      }
      outputs[name] = Digest.sha256Hex(data)
    }
    // Expected size: this stage's last output, else the upstream's (a stage's output is
    // usually about as large as its input), with room to spare.
    let last = FileStamp.of(outputURL)?.size ?? 0
    let expected = Int(max(last, upstreamOutputSize)) / 20 * 21 + (1 << 16)
    let outputTarget = url.appendingPathComponent(Self.outputFile)
    do {
      outputs[Self.outputFile] = try result.writeOutput(outputTarget, expected)
    } catch let error as WriteError {
      throw RunnerError.state(path: outputTarget.path, reason: "\(error)")
    }
    // Streamed, compact: a province whose registers are broken has tens of thousands of
    // findings, and pretty-printing them through `JSONEncoder` held hundreds of megabytes
    // (the run's peak) while the next stage ran.
    let findingsTarget = url.appendingPathComponent(Self.findingsFile)
    do {
      outputs[Self.findingsFile] = try AtomicFile.writeCompactJSON(findings, to: findingsTarget)
    } catch {
      throw RunnerError.state(path: findingsTarget.path, reason: "\(error)")
    }
    if tracksHeldBack {
      try write(try AtomicFile.json(result.heldBack), Self.heldBackFile)
    }
    for (path, sha) in result.staged?.files ?? [:] {
      outputs["out/\(path)"] = sha
    }
    var counts: [String: Int] = [:]
    for f in findings { counts[f.severity.rawValue, default: 0] += 1 }
    var checkpoint = Checkpoint(
      stage: stage, inputFingerprint: fingerprint, outputs: outputs, status: status, findingCounts: counts)
    checkpoint.stamps = Self.stamps(of: outputs.keys, in: url)
    do {
      try AtomicFile.write(try AtomicFile.json(checkpoint), to: checkpointURL)
    } catch {
      throw RunnerError.state(path: checkpointURL.path, reason: "\(error)")
    }
    return checkpoint
  }
}

extension StageFolder {
  /// The stamps of the files just written (after their rename), once settled; a file without
  /// one is verified by hashing.
  static func stamps(of paths: some Sequence<String>, in folder: URL) -> [String: FileStamp] {
    var stamps: [String: FileStamp] = [:]
    for path in paths {
      if let stamp = FileStamp.of(folder.appendingPathComponent(path)) { stamps[path] = stamp }
    }
    return FileStamp.settled(stamps)
  }
}

/// A stage folder's state for a given fingerprint.
public enum CheckpointState: Sendable, Equatable {
  case complete(Checkpoint)
  /// A checkpoint exists but cannot be reused; the reason is zh-CN for `status`.
  case stale(reason: String)
  case missing

  public var isComplete: Bool {
    if case .complete = self { return true }
    return false
  }

  /// 完成 / 过期 / 缺失.
  public var label: String {
    switch self {
    case .complete: "完成"
    case .stale: "过期"
    case .missing: "缺失"
    }
  }
}
