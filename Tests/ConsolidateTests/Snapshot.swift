import AlmanacTestSupport
import Foundation
import Testing

/// Golden files under `Tests/Fixtures/golden/consolidate/`: a missing one is recorded and the
/// test fails; `RECORD_SNAPSHOTS=1` re-records every one.
enum Snapshot {
  static let folder = ProjectPaths.fixtures.appendingPathComponent("golden/consolidate")

  static func assertMatches(_ data: Data, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let url = folder.appendingPathComponent(name)
    let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
    guard !record, let expected = try? Data(contentsOf: url) else {
      do {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
      } catch {
        Issue.record("cannot record snapshot \(name): \(error)", sourceLocation: sourceLocation)
        return
      }
      if !record {
        Issue.record("recorded missing snapshot \(name); review it and rerun", sourceLocation: sourceLocation)
      }
      return
    }
    if expected != data {
      let got = String(decoding: data, as: UTF8.self).components(separatedBy: "\n")
      let want = String(decoding: expected, as: UTF8.self).components(separatedBy: "\n")
      let first = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }
      let detail =
        first.map { "line \($0.offset + 1):\n  got:  \($0.element.0)\n  want: \($0.element.1)" }
        ?? "lengths differ (\(got.count) vs \(want.count) lines)"
      Issue.record(
        "snapshot \(name) differs (RECORD_SNAPSHOTS=1 re-records): \(detail)", sourceLocation: sourceLocation)
    }
  }
}
