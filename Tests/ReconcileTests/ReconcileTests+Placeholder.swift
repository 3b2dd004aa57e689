import Reconcile
import Testing

@Suite struct ReconcileTestsPlaceholder {
  @Test func testModule_links() { #expect(Bool(true)) }
}
