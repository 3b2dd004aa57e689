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
    // The extension's bytes, compared without regard to ASCII case: lowercasing the whole
    // path (Chinese file names) for each question took 20 µs a file, asked several times per
    // file in a run.
    func ends(with suffix: StaticString) -> Bool { Self.hasSuffixIgnoringASCIICase(path, suffix) }
    if ends(with: ".csv") || ends(with: ".csv.gz") || ends(with: ".tsv") || ends(with: ".tsv.gz") {
      self = .table
    } else if ends(with: ".txt") || ends(with: ".md") {
      self = .text
    } else {
      self = .other
    }
  }

  /// True when `text`'s last bytes are `suffix` (ASCII) in any ASCII case.
  static func hasSuffixIgnoringASCIICase<S: StringProtocol>(_ text: S, _ suffix: StaticString) -> Bool {
    let want = UnsafeBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount)
    let utf8 = text.utf8
    guard utf8.count >= want.count else { return false }
    for (have, wanted) in zip(utf8.suffix(want.count), want) {
      let lower = have >= 0x41 && have <= 0x5A ? have | 0x20 : have
      if lower != wanted { return false }
    }
    return true
  }

  /// A file name without its inbox extensions, `.gz` and then `.csv`/`.tsv`/`.txt` in any case
  /// (`表三.csv.gz` → `表三`).
  public static func stem(_ name: String) -> String {
    var stem = Substring(name)
    // `where` is evaluated per iteration, so `x.csv.gz` loses both extensions.
    let extensions: [StaticString] = [".gz", ".csv", ".tsv", ".txt"]
    for ext in extensions where hasSuffixIgnoringASCIICase(stem, ext) {
      stem = Substring(stem.utf8.dropLast(ext.utf8CodeUnitCount))
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
    func isWhole(_ s: StaticString) -> Bool {
      name.utf8.count == s.utf8CodeUnitCount && hasSuffixIgnoringASCIICase(name, s)
    }
    func ends(with s: StaticString) -> Bool { hasSuffixIgnoringASCIICase(name, s) }
    return name.hasPrefix(".") || name.hasPrefix("~$") || isWhole("thumbs.db") || isWhole("desktop.ini")
      || ends(with: ".part") || ends(with: ".crdownload") || ends(with: ".tmp")
  }
}
