import AlmanacCore
import Foundation

/// `<state>/<pipeline>/<year>/published.json`: each outbox file as the last publish left it
/// (sha256 and `stat`), so an unchanged rerun reads neither the staged file nor the published one.
///
/// Only a cache: a missing, damaged or foreign record (another outbox) means every file is
/// compared by hashing, as without it.
struct PublishedRecord: Codable, Equatable {
  static let fileName = "published.json"
  static let currentVersion = 1

  struct Entry: Codable, Equatable {
    var sha256: String
    var stamp: FileStamp
  }

  var version: Int
  /// The outbox year folder the stamps belong to.
  var folder: String
  /// Path relative to the outbox year folder → what was published there.
  var files: [String: Entry]

  init(folder: URL, files: [String: Entry]) {
    self.version = Self.currentVersion
    self.folder = folder.standardizedFileURL.path
    self.files = files
  }

  /// The entries recorded for `folder`; empty when there is no usable record.
  static func read(from url: URL, folder: URL) -> [String: Entry] {
    guard let data = try? Data(contentsOf: url), let record = try? JSONDecoder().decode(Self.self, from: data),
      record.version == currentVersion, record.folder == folder.standardizedFileURL.path
    else { return [:] }
    return record.files
  }

  /// Writes the record (no fsync: losing it only costs hashing the outbox once).
  func write(to url: URL) throws {
    try AtomicFile.writeWithoutSync(try AtomicFile.json(self), to: url, mode: 0o600)
  }
}
