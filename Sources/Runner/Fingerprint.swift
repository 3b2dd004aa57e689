import AlmanacCore
import Foundation

/// A stage's input fingerprint: its own inputs, the pipeline, the seeds, the year, the tool
/// version and build and the upstream stage (its fingerprint and the hash of its output).
enum Fingerprint {
  struct Upstream: Equatable {
    var fingerprint: String
    var outputSHA: String
  }

  static func compute(
    stage: String, index: Int, environment: RunEnvironment, parts: [String], upstream: Upstream?
  ) -> String {
    var b = Digest.Builder()
    b.add("almanac-stage-fingerprint-v1")
    b.add("\(index):\(stage)")
    b.add(AlmanacVersion.build)
    b.add(environment.pipelineDigest)
    b.add(environment.seedsDigest)
    b.add(String(environment.year))
    b.add("parts:\(parts.count)")
    for p in parts { b.add(p) }
    b.add(upstream?.fingerprint ?? "-")
    b.add(upstream?.outputSHA ?? "-")
    return b.finalize()
  }
}
