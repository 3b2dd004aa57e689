import Ingest
import Testing

@Suite struct IngestTestsPlaceholder {
  @Test func testModule_links() { #expect(Bool(true)) }
}
