/// Resolves a register's grouping values to canonical keys while ingest streams the file
/// (`RegisterCount.resolveWhileReading`), so that millions of rows with many spellings are
/// counted by a few hundred keys. Normalize supplies it (it owns the seeds' meaning); ingest
/// calls it once per distinct value of a file, never per row.
public protocol RegisterKeyResolver: Sendable {
  /// Digest of everything the answers depend on (seeds, pipeline, year): part of ingest's
  /// per-file cache key.
  var digest: String { get }
  /// For register `form` read from the inbox file at `path`: per `groupBy` position, the
  /// function from a trimmed value to its canonical key (nil when it does not resolve, and
  /// normalize reports it), or nil for a field that is not resolved while reading.
  func fields(of form: FormDefinition, path: String) -> [(@Sendable (String) -> String?)?]
}
