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
