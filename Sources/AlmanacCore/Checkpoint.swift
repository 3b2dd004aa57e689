import Foundation

public enum StageStatus: String, Codable, Sendable {
  case success, warned, failed, reused
}

/// "Done" is a file, written last (luigi `complete()`, vector `checkpointer.rs`).
public struct Checkpoint: Codable, Sendable, Equatable {
  /// Bump with a migration, never silently.
  public static let currentVersion = 1

  public var version: Int
  public var stage: String
  /// sha256 of input content hashes + pipeline definition + seeds + tool version and build.
  public var inputFingerprint: String
  /// Paths relative to the stage folder, with their sha256, so a damaged output is detected.
  public var outputs: [String: String]
  /// `stat` of each output as written (same keys as `outputs`), so a rerun trusts an untouched
  /// file without reading it; absent in older checkpoints, which are verified by hashing.
  public var stamps: [String: FileStamp]?
  public var status: StageStatus
  public var findingCounts: [String: Int]
  /// `BuildIdentity.current` of the build that wrote it, as in `manifest.json` (absent in
  /// checkpoints of earlier builds): the fingerprint already covers it; this lets `status`
  /// say why it is stale.
  public var toolBuild: String?

  public init(
    stage: String, inputFingerprint: String, outputs: [String: String], status: StageStatus,
    findingCounts: [String: Int]
  ) {
    self.version = Checkpoint.currentVersion
    self.stage = stage
    self.inputFingerprint = inputFingerprint
    self.outputs = outputs
    self.status = status
    self.findingCounts = findingCounts
    self.toolBuild = BuildIdentity.current
  }
}

/// The version string that goes into the manifest; fingerprints take the build as well.
public enum AlmanacVersion {
  public static let current = "0.1.0"
  /// The release and the build (`BuildIdentity`): what a stage's checkpoint was made by.
  public static var build: String { "\(current) \(BuildIdentity.current)" }
}

/// Files a stage staged in its work directory for the runner to publish into `outbox/<year>/`.
public struct StagedFiles: Codable, Sendable, Equatable {
  /// Path relative to the outbox year folder (`tables/t3.csv`) → sha256 of the staged bytes.
  public var files: [String: String]
  public init(files: [String: String] = [:]) { self.files = files }

  /// Writes `data` to `<workDirectory>/out/<relativePath>` atomically and records its digest.
  public mutating func stage(_ data: Data, as relativePath: String, in workDirectory: URL) throws {
    let url = workDirectory.appendingPathComponent("out").appendingPathComponent(relativePath)
    try AtomicFile.write(data, to: url)
    files[relativePath] = Digest.sha256Hex(data)
  }

  /// Writes `<workDirectory>/out/<relativePath>` piece by piece (`AtomicFile.write(to:streaming:)`)
  /// and returns its digest; the caller records it in `files`. Static, so that two files can be
  /// produced together (a dataset and its gzip).
  public static func write(
    _ relativePath: String, in workDirectory: URL,
    producing body: (_ append: (UnsafeRawBufferPointer) throws -> Void) throws -> Void
  ) throws -> String {
    try AtomicFile.write(to: stagedURL(relativePath, in: workDirectory), streaming: body)
  }

  /// Where a staged file lives before publishing.
  public static func stagedURL(_ relativePath: String, in workDirectory: URL) -> URL {
    workDirectory.appendingPathComponent("out").appendingPathComponent(relativePath)
  }
}
