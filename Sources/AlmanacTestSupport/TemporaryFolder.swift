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
  /// A folder that tests of one process share (a fixture made once and read by many), so no
  /// test can remove it when done: it is removed when the test process exits.
  public static func shared(_ label: String) throws -> TemporaryFolder {
    let folder = try TemporaryFolder(label)
    removeAtExit(folder.url)
    return folder
  }

  /// Removes `url` (and all under it) when the process exits normally.
  public static func removeAtExit(_ url: URL) {
    ExitRemovals.all.add(url)
  }
}

/// What `TemporaryFolder.removeAtExit` was given, removed by one `atexit` handler.
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
