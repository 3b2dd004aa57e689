import AlmanacTestSupport
import Foundation
import Testing

/// `docs/findings.md` is the list of finding codes staff and auditors look codes up in: every
/// code the sources or a pipeline's rules can emit is in it once, and it lists no other.
@Suite struct FindingCodesDocTests {
  /// `ING-001`, `REC-T3-S1X`, `REC-LH-JY10`; not `ING-0` of a comment's `ING-0xx`.
  static let code = try? NSRegularExpression(
    pattern: "(ING|NRM|REC|CON|ACC|DRF|SEED|PIPE)-[A-Z0-9]+(-[A-Z0-9]+)*(?![A-Za-z0-9])")

  static func codes(in text: String) -> Set<String> {
    guard let code else { return [] }
    let range = NSRange(text.startIndex..., in: text)
    return Set(code.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } })
  }

  /// Codes the tool can emit: in the Swift sources and the pipelines' rules.
  static func emitted() throws -> Set<String> {
    let root = ProjectPaths.root
    var found: Set<String> = []
    let sources = root.appendingPathComponent("Sources")
    let walker = FileManager.default.enumerator(atPath: sources.path)
    while let path = walker?.nextObject() as? String {
      guard path.hasSuffix(".swift") else { continue }
      found.formUnion(codes(in: try String(contentsOf: sources.appendingPathComponent(path), encoding: .utf8)))
    }
    for pipeline in try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("pipelines").path) {
      let rules = root.appendingPathComponent("pipelines/\(pipeline)/rules.yaml")
      guard let text = try? String(contentsOf: rules, encoding: .utf8) else { continue }
      found.formUnion(codes(in: text))
    }
    return found
  }

  /// The codes of the table rows of `docs/findings.md` (`| \`NRM-001\` | …`), in order.
  static func documented() throws -> [String] {
    let text = try String(contentsOf: ProjectPaths.root.appendingPathComponent("docs/findings.md"), encoding: .utf8)
    return text.split(separator: "\n").compactMap { line in
      guard line.hasPrefix("| `") else { return nil }
      let cell = line.dropFirst(3).prefix { $0 != "`" }
      return String(cell)
    }
  }

  @Test func testEveryCodeIsDocumentedOnce_andNoOther() throws {
    let emitted = try Self.emitted()
    let documented = try Self.documented()
    #expect(emitted.count > 100, "the scan found \(emitted.count) codes")
    #expect(emitted.subtracting(documented).sorted() == [], "codes the tool emits that docs/findings.md lacks")
    #expect(Set(documented).subtracting(emitted).sorted() == [], "codes docs/findings.md lists that nothing emits")
    let repeated = Dictionary(grouping: documented, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
    #expect(repeated == [], "codes listed more than once")
  }
}
