import AlmanacCore
import Testing

@Suite struct EndToEndTestsPlaceholder {
  @Test func testModule_links() { #expect(Bool(true)) }
}
