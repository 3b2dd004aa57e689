import Consolidate
import Testing

@Suite struct ConsolidateTestsPlaceholder {
  @Test func testModule_links() { #expect(Bool(true)) }
}
