import Foundation

/// The runs the golden tests share, each made once per test process (lazily, thread-safe).
enum GoldenRuns {
  static let linghaiInbox = GoldenHarness.projects.appendingPathComponent("linghai-2025/inbox")
  static func pingtanInbox(_ year: Int) -> URL {
    GoldenHarness.projects.appendingPathComponent("pingtan/inbox-\(year)")
  }

  /// Holds the shared runs; removed when the test process exits.
  static let sharedRoot: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "almanac-golden-shared-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(at: GoldenRuns.sharedRoot) }
    return url
  }()

  static let linghai2025: Result<GoldenRun, GoldenError> = attempt {
    try GoldenHarness.run(inbox: linghaiInbox, year: 2025, label: "linghai-2025", in: sharedRoot)
  }

  static let pingtan2022: Result<GoldenRun, GoldenError> = attempt {
    try GoldenHarness.run(inbox: pingtanInbox(2022), year: 2022, label: "pingtan-2022", in: sharedRoot)
  }

  /// 2023 with the 2022 outbox as last year's dataset, for the cross-year checks (C-1, C-2).
  static let pingtan2023: Result<GoldenRun, GoldenError> = attempt {
    let previous = try pingtan2022.get()
    return try GoldenHarness.run(
      inbox: pingtanInbox(2023), year: 2023, previous: previous.outbox, label: "pingtan-2023", in: sharedRoot)
  }

  static func pingtan(_ year: Int) throws -> GoldenRun {
    try (year == 2022 ? pingtan2022 : pingtan2023).get()
  }

  static func attempt(_ body: () throws -> GoldenRun) -> Result<GoldenRun, GoldenError> {
    do {
      return .success(try body())
    } catch let e as GoldenError {
      return .failure(e)
    } catch {
      return .failure(GoldenError("cannot run almanac: \(error)"))
    }
  }
}
