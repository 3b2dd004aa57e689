import AlmanacCore
import Foundation

/// `outbox/<year>/manifest.json`: what a run read and wrote. The only outbox file with times.
public struct Manifest: Codable, Sendable, Equatable {
  public struct PipelineRef: Codable, Sendable, Equatable {
    public var name: String
    /// Digest of the pipeline folder (definition, forms, rules, templates).
    public var digest: String
    public var seedsDigest: String

    public init(name: String, digest: String, seedsDigest: String) {
      self.name = name
      self.digest = digest
      self.seedsDigest = seedsDigest
    }
  }

  public typealias FileRef = AlmanacCore.FileRef

  public var runId: String
  public var pipeline: PipelineRef
  public var toolVersion: String
  /// `BuildIdentity.current` of the build that ran (absent in manifests of earlier builds).
  public var toolBuild: String?
  public var year: Int
  /// ISO 8601, UTC.
  public var startedAt: String
  public var finishedAt: String
  /// Inbox files, relative to the inbox.
  public var inputs: [FileRef]
  /// Published files, relative to `outbox/<year>/`; `manifest.json` itself is not listed.
  public var outputs: [FileRef]
  /// Last year's dataset the cross-year checks read (`--previous`): the file's full path, its
  /// digest and size; nil when none was given. Its findings (C-1, C-2) depend on it.
  public var previous: FileRef?

  public init(
    runId: String, pipeline: PipelineRef, toolVersion: String, toolBuild: String? = nil, year: Int, startedAt: String,
    finishedAt: String, inputs: [FileRef], outputs: [FileRef]
  ) {
    self.runId = runId
    self.pipeline = pipeline
    self.toolVersion = toolVersion
    self.toolBuild = toolBuild
    self.year = year
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    self.inputs = inputs
    self.outputs = outputs
  }

  /// True when both describe the same inputs and outputs (run id and times aside).
  public func sameContent(as other: Manifest) -> Bool {
    pipeline == other.pipeline && toolVersion == other.toolVersion && toolBuild == other.toolBuild && year == other.year
      && inputs == other.inputs
      && outputs == other.outputs && previous == other.previous
  }

  static func timestamp(_ date: Date) -> String {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    f.timeZone = TimeZone(identifier: "UTC")
    return f.string(from: date)
  }
}
