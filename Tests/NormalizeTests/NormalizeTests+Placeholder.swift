import Normalize
import Testing

@Suite struct NormalizeTestsPlaceholder {
  @Test func testModule_links() { #expect(Bool(true)) }
}
