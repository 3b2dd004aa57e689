import AlmanacCore

/// What the draft stage reads: the reconciled ledger and the operators' text material.
public struct DraftInput: Sendable {
  public var reconciliation: Reconciliation
  public var texts: [TextMaterial]

  public init(reconciliation: Reconciliation, texts: [TextMaterial]) {
    self.reconciliation = reconciliation
    self.texts = texts
  }
}
