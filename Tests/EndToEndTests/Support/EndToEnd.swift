import AlmanacTestSupport
import Foundation
import Testing

/// Every test that runs the real `almanac` binary as a subprocess: serialized, so runs do not
/// compete with each other for the two cores (the randomized kill test times its kills).
@Suite(.serialized) enum BinaryRuns {}

/// What the binary-driven tests share: the executable, the inbox generator, reference runs.
enum EndToEnd {
  static let year = 2025
  /// The six boundaries `--debug-kill-after` accepts, in run order.
  static let boundaries = ["ingest", "normalize", "reconcile", "consolidate", "draft", "publish"]
  static let stages = ["ingest", "normalize", "reconcile", "consolidate", "draft"]
  /// The only outbox file that may differ between two runs over the same inputs.
  static let manifest = "manifest.json"

  static func binary() throws -> URL { try AlmanacBinary.locate() }

  /// Runs `almanac <arguments>` to completion.
  static func run(
    _ arguments: [String], environment: [String: String] = [:], timeout: Double = 600
  ) async throws -> ProcessOutcome {
    let p = try start(arguments, environment: environment)
    return await p.wait(timeout: timeout)
  }

  /// Starts `almanac <arguments>` and returns at once.
  static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> AlmanacProcess {
    try AlmanacProcess(
      arguments, binary: try binary(), environment: environment,
      outputFolder: FileManager.default.temporaryDirectory.appendingPathComponent("almanac-e2e-output"))
  }

  /// Runs `almanac <arguments>` in `directory`, for commands whose defaults are relative to it.
  static func runIn(_ directory: URL, _ arguments: [String], timeout: Double = 600) async throws -> ProcessOutcome {
    let p = try AlmanacProcess(
      arguments, binary: try binary(), directory: directory,
      outputFolder: FileManager.default.temporaryDirectory.appendingPathComponent("almanac-e2e-output"))
    return await p.wait(timeout: timeout)
  }

  static func run(_ folders: RunFolders, _ extra: [String] = [], environment: [String: String] = [:]) async throws
    -> ProcessOutcome
  {
    try await run(folders.runArguments(extra), environment: environment)
  }

  /// The generator over templates the binary itself wrote (`almanac templates`), made once.
  static func generator() async throws -> InboxGenerator { try await Shared.instance.generator() }

  /// The outbox year folder by path and sha256, without `manifest.json` and without the
  /// hidden temporaries a killed publish may leave (a rerun removes those).
  static func outputs(_ folders: RunFolders) throws -> [String: String] {
    try FolderSnapshot.hashes(folders.yearFolder, excluding: [manifest]).filter { path, _ in
      let name = (path as NSString).lastPathComponent
      return !(name.hasPrefix(".") && name.contains(".tmp-"))
    }
  }

  /// `manifest.json`'s outputs by path and sha256.
  static func manifestOutputs(_ folders: RunFolders) throws -> [String: String] {
    let data = try Data(contentsOf: folders.yearFolder.appendingPathComponent(manifest))
    let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    var result: [String: String] = [:]
    for ref in object?["outputs"] as? [[String: Any]] ?? [] {
      if let path = ref["path"] as? String, let sha = ref["sha256"] as? String { result[path] = sha }
    }
    return result
  }

  /// Caches what several tests need and is slow to make.
  actor Shared {
    static let instance = Shared()
    private var made: InboxGenerator?

    func generator() async throws -> InboxGenerator {
      if let made { return made }
      let folder = try TemporaryFolder.removedAtExit("templates")
      let out = try await EndToEnd.run(["templates", "--out", folder.url.path, "--year", String(EndToEnd.year)])
      guard out.exitCode == 0 else { throw GeneratorError("almanac templates failed: \(out)") }
      let g = try InboxGenerator(templatesFolder: folder.url, year: EndToEnd.year)
      made = g
      return g
    }
  }
}
