import Foundation

/// What an inbox file is for, from its name: the one place that decides which names are
/// departments' sheets, which are operators' prose, and which are neither.
public enum InboxFileKind: String, Codable, Sendable {
  /// `*.csv`, `*.tsv`, optionally gzipped (`*.csv.gz`): read by ingest.
  case table
  /// `*.txt`, `*.md`: prose for the report, read by the draft.
  case text
  /// Anything else (a workbook, an archive, a scanned letter): never opened, and reported by
  /// ingest as ING-018 so that a department's data is never left out without a word.
  case other

  public init(path: String) {
    let name = path.lowercased()
    if [".csv", ".csv.gz", ".tsv", ".tsv.gz"].contains(where: { name.hasSuffix($0) }) {
      self = .table
    } else if name.hasSuffix(".txt") || name.hasSuffix(".md") {
      self = .text
    } else {
      self = .other
    }
  }

  /// A file name without its inbox extensions, `.gz` and then `.csv`/`.tsv`/`.txt` in any case
  /// (`表三.csv.gz` → `表三`).
  public static func stem(_ name: String) -> String {
    var stem = Substring(name)
    // `where` is evaluated per iteration, so `x.csv.gz` loses both extensions.
    for ext in [".gz", ".csv", ".tsv", ".txt"] where stem.lowercased().hasSuffix(ext) {
      stem = stem.dropLast(ext.count)
    }
    return String(stem)
  }

  /// True when `folder` holds a `manifest.json` that Almanac wrote: a published year folder
  /// (`outbox/2024/`) copied into the inbox. Its files are Almanac's own outputs, not
  /// departments' submissions, so the listing reports the folder once instead of reading them.
  public static func isPublishedFolder(_ folder: URL) -> Bool {
    let url = folder.appendingPathComponent("manifest.json")
    var st = stat()
    // A manifest lists every input and output: a few hundred kilobytes at most.
    guard stat(url.path, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_size < 64 << 20,
      let data = try? Data(contentsOf: url)
    else { return false }
    return (try? JSONDecoder().decode(PublishedManifest.self, from: data)) != nil
  }

  /// What marks a manifest as Almanac's (`Runner.Manifest` has more).
  private struct PublishedManifest: Decodable {
    struct Output: Decodable {
      var path: String
      var sha256: String
    }
    var runId: String
    var toolVersion: String
    var outputs: [Output]
  }

  /// Names the inbox listing passes over without a finding: hidden files (`.DS_Store`), and
  /// files that systems and office programs make and remove on their own — Excel's and WPS's
  /// lock files (`~$表三.xlsx`), Windows' `Thumbs.db` and `desktop.ini`, and downloads or
  /// copies still in progress (`*.part`, `*.crdownload`, `*.tmp`), which are read once complete.
  public static func isPassedOver(name: String) -> Bool {
    let lower = name.lowercased()
    return name.hasPrefix(".") || name.hasPrefix("~$") || lower == "thumbs.db" || lower == "desktop.ini"
      || [".part", ".crdownload", ".tmp"].contains(where: { lower.hasSuffix($0) })
  }
}
