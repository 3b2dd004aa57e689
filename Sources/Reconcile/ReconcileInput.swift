import AlmanacCore

/// What the reconcile stage reads: normalize's output and, optionally, last year's dataset.
public struct ReconcileInput: Sendable {
  public var normalized: NormalizedSet
  /// Last year's consolidated figures (`--previous DIR`) for C-1/C-2; nil skips those rules.
  public var previous: PreviousDataset?

  public init(normalized: NormalizedSet, previous: PreviousDataset? = nil) {
    self.normalized = normalized
    self.previous = previous
  }
}
