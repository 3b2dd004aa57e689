import AlmanacCore

/// Everything ingest understood: one `Sheet` per inbox file, sorted by path.
public struct IngestOutput: Codable, Sendable, Hashable {
  public var sheets: [Sheet]

  public init(sheets: [Sheet]) {
    self.sheets = sheets
  }
}
