import Foundation
import Testing

/// Golden files under `Tests/Fixtures/golden/end-to-end/<test>/`, compared byte for byte.
///
/// A missing snapshot is written from the actual output and the test fails (read it, check it
/// by hand, commit it). `RECORD_SNAPSHOTS=1` rewrites every snapshot from the actual outputs.
enum GoldenSnapshot {
  static var recording: Bool { ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" }

  /// Compares `relative` in `run`'s outbox with `Tests/Fixtures/golden/end-to-end/<test>/<relative>`.
  static func check(
    _ relative: String, of run: GoldenRun, test: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let snapshot = GoldenHarness.snapshots.appendingPathComponent(test).appendingPathComponent(relative)
    let fm = FileManager.default
    guard let actual = fm.contents(atPath: run.url(relative).path) else {
      Issue.record("\(relative) was not written by the run\n\(run.output)", sourceLocation: sourceLocation)
      return
    }
    let expected = fm.contents(atPath: snapshot.path)
    if recording || expected == nil {
      do {
        try fm.createDirectory(at: snapshot.deletingLastPathComponent(), withIntermediateDirectories: true)
        try actual.write(to: snapshot, options: .atomic)
      } catch {
        Issue.record("cannot write snapshot \(snapshot.path): \(error)", sourceLocation: sourceLocation)
        return
      }
      if expected == nil, !recording {
        Issue.record(
          "snapshot \(test)/\(relative) was missing and has been recorded: read it, check it by hand and commit it",
          sourceLocation: sourceLocation)
      }
      return
    }
    guard let expected, expected != actual else { return }
    let message =
      "\(relative) differs from Tests/Fixtures/golden/end-to-end/\(test)/\(relative): \(firstDifference(expected, actual)). "
      + "If the change is intended, rerun with RECORD_SNAPSHOTS=1, review the diff and commit it."
    Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
  }

  /// The first differing line of two texts, for the failure message.
  static func firstDifference(_ a: Data, _ b: Data) -> String {
    let la = String(decoding: a, as: UTF8.self).components(separatedBy: "\n")
    let lb = String(decoding: b, as: UTF8.self).components(separatedBy: "\n")
    for i in 0..<max(la.count, lb.count) {
      let x = i < la.count ? la[i] : "<end of file>"
      let y = i < lb.count ? lb[i] : "<end of file>"
      if x != y { return "line \(i + 1)\n  golden: \(x)\n  actual: \(y)" }
    }
    return "same lines, different bytes (\(a.count) vs \(b.count) bytes)"
  }
}
