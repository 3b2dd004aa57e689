import Runner
import Testing

@Suite struct RunnerTestsPlaceholder {
  @Test func testModule_links() { #expect(Bool(true)) }
}
