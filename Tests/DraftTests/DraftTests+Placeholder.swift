import Draft
import Testing

@Suite struct DraftTestsPlaceholder {
  @Test func testModule_links() { #expect(Bool(true)) }
}
