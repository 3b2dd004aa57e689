import Foundation

/// A fresh folder under the system temporary directory; removed by `remove()`.
public struct TemporaryFolder: Sendable {
  public let url: URL

  /// Creates `<tmp>/almanac-<label>-<random>/`.
  public init(_ label: String) throws {
    let name = "almanac-\(label)-\(UUID().uuidString.prefix(8))"
    url = FileManager.default.temporaryDirectory.appendingPathComponent(name, isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  /// `url/<name>`, not created.
  public func path(_ name: String) -> URL { url.appendingPathComponent(name) }

  /// Creates and returns `url/<name>/`.
  public func folder(_ name: String) throws -> URL {
    let u = url.appendingPathComponent(name, isDirectory: true)
    try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
    return u
  }

  public func remove() {
    try? FileManager.default.removeItem(at: url)
  }
}

extension TemporaryFolder {
  /// A folder removed when the test process exits: for a fixture that tests of one process
  /// share (made once and read by many, so no test can remove it when done), or one a helper
  /// hands out without knowing when its test is done.
  public static func removedAtExit(_ label: String) throws -> TemporaryFolder {
    let folder = try TemporaryFolder(label)
    ExitRemovals.all.add(folder.url)
    return folder
  }
}

/// The folders `TemporaryFolder.removedAtExit` made, removed by one `atexit` handler when the
/// process exits normally.
private final class ExitRemovals: @unchecked Sendable {
  static let all = ExitRemovals()
  private let lock = NSLock()
  private var urls: [URL] = []
  private var registered = false

  func add(_ url: URL) {
    lock.lock()
    defer { lock.unlock() }
    urls.append(url)
    if !registered {
      registered = true
      atexit { ExitRemovals.all.removeAll() }
    }
  }

  private func removeAll() {
    lock.lock()
    let pending = urls
    urls = []
    lock.unlock()
    for url in pending { try? FileManager.default.removeItem(at: url) }
  }
}
