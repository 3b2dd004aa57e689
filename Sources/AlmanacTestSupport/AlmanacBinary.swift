import Foundation

/// The built `almanac` executable the end-to-end tests run as a subprocess.
public enum AlmanacBinary {
  /// Why the executable could not be found, with what to do about it.
  public struct NotFound: Error, CustomStringConvertible {
    public var searched: [String]
    public var description: String {
      "the almanac executable was not found (searched: \(searched.joined(separator: ", "))); "
        + "build it first with `swift build --product almanac` (or set ALMANAC_BIN to its path)"
    }
  }

  /// `ALMANAC_BIN`, else `almanac` in the products folder the test bundle runs from (the same
  /// build), else in `swift build --show-bin-path`'s usual folders `.build/debug` / `.build/release`.
  public static func locate() throws -> URL {
    let fm = FileManager.default
    if let env = ProcessInfo.processInfo.environment["ALMANAC_BIN"], !env.isEmpty {
      guard fm.isExecutableFile(atPath: env) else { throw NotFound(searched: ["ALMANAC_BIN=\(env)"]) }
      return URL(fileURLWithPath: env)
    }
    var candidates: [URL] = []
    // On Linux the test runner is `<products>/AlmanacPackageTests.xctest`; on macOS the bundle
    // sits in the products folder and the runner deeper inside it.
    candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("almanac"))
    candidates.append(Bundle.main.bundleURL.appendingPathComponent("almanac"))
    if let first = ProcessInfo.processInfo.arguments.first {
      var dir = URL(fileURLWithPath: first).deletingLastPathComponent()
      for _ in 0..<4 {
        candidates.append(dir.appendingPathComponent("almanac"))
        dir = dir.deletingLastPathComponent()
      }
    }
    candidates.append(ProjectPaths.root.appendingPathComponent(".build/debug/almanac"))
    candidates.append(ProjectPaths.root.appendingPathComponent(".build/release/almanac"))
    var isDir: ObjCBool = false
    for c in candidates where fm.fileExists(atPath: c.path, isDirectory: &isDir) && !isDir.boolValue {
      if fm.isExecutableFile(atPath: c.path) { return c.standardizedFileURL }
    }
    throw NotFound(searched: candidates.map(\.path))
  }
}
