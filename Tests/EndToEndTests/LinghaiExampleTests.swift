import AlmanacTestSupport
import Foundation
import Testing

/// Issue 6: Almanac reproduces the published 凌海市2016年度政府信息公开工作报告 from the sheets its
/// departments would have sent, and shows auditors where the published figures disagree.
@Suite(.serialized) struct LinghaiExampleTests {
  /// One run of the built binary on a temp copy of the example inbox, shared by the tests.
  struct Run: Sendable {
    let code: Int32
    let output: String
    let outbox: URL
  }

  static let runResult: Result<Run, ExampleError>? = {
    guard let binary = LinghaiExample.binary else { return nil }
    do {
      let fm = FileManager.default
      let temp = try TemporaryFolder.removedAtExit("linghai").url
      let inbox = temp.appendingPathComponent("inbox")
      try fm.copyItem(at: LinghaiExample.inbox, to: inbox)
      let outbox = temp.appendingPathComponent("outbox")
      let state = temp.appendingPathComponent("state")
      let (code, output) = try LinghaiExample.run(
        binary,
        [
          "run", "--pipeline", LinghaiExample.pipeline.path, "--inbox", inbox.path, "--outbox", outbox.path,
          "--state", state.path, "--year", "2016",
        ], in: LinghaiExample.repoRoot)
      return .success(Run(code: code, output: output, outbox: outbox.appendingPathComponent("2016")))
    } catch {
      return .failure(ExampleError("cannot run almanac: \(error)"))
    }
  }()

  static let binaryBuilt = LinghaiExample.binary != nil

  func run() throws -> Run {
    guard let result = Self.runResult else { throw ExampleError("almanac binary not found") }
    return try result.get()
  }

  func text(_ name: String, in run: Run) throws -> String {
    try String(contentsOf: run.outbox.appendingPathComponent(name), encoding: .utf8)
  }

  /// Findings of `reconciliation.jsonl` as dictionaries.
  func findings(in run: Run) throws -> [[String: Any]] {
    try text("reconciliation.jsonl", in: run).split(separator: "\n").map { line in
      guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
        throw ExampleError("not a JSON object: \(line)")
      }
      return object
    }
  }

  @Test(.enabled(if: binaryBuilt, "almanac is not built: run `swift build` (the test runs the built binary)"))
  func testLinghaiExample_exitsOneBecauseThePublishedFiguresDisagree() throws {
    let run = try run()
    // 1 = report drafted, error findings need an auditor (cli.md): the published report's own
    // topic breakdown does not add up.
    #expect(run.code == 1, "almanac exited \(run.code):\n\(run.output)")
    for name in ["report.md", "report.html", "reconciliation.jsonl", "reconciliation.html", "submissions.csv"] {
      #expect(FileManager.default.fileExists(atPath: run.outbox.appendingPathComponent(name).path), "\(name) missing")
    }
  }

  @Test(.enabled(if: binaryBuilt, "almanac is not built: run `swift build` (the test runs the built binary)"))
  func testLinghaiExample_everyPublishedNumberIsInTheSameSection() throws {
    guard let url = LinghaiExample.publishedReport else {
      Issue.record("shared/examples/linghai-2016-report.txt not found beside the project root (set ALMANAC_SHARED)")
      return
    }
    let published = LinghaiExample.publishedBody(try String(contentsOf: url, encoding: .utf8))
    let drafted = LinghaiExample.draftedBody(try text("report.md", in: try run()))
    #expect(drafted.title == published.title)
    let want = LinghaiExample.sections(published.body)
    let got = LinghaiExample.sections(drafted.body)
    #expect(want.keys.sorted() == LinghaiExample.sectionNames.sorted(), "the example has every section")
    #expect(got.keys.sorted() == want.keys.sorted(), "the draft has the example's sections")
    var checked = 0
    for name in LinghaiExample.sectionNames {
      let expected = LinghaiExample.numbers(want[name] ?? "")
      let actual = LinghaiExample.numbers(got[name] ?? "")
      for (number, count) in expected.sorted(by: { $0.key < $1.key }) {
        checked += count
        #expect(
          (actual[number] ?? 0) >= count,
          "section \(name): the example has \(number) ×\(count), the draft ×\(actual[number] ?? 0)\n\(got[name] ?? "")")
      }
    }
    // The example's body holds 82 numbers; a broken split would check fewer.
    #expect(checked == 82)
  }

  @Test(.enabled(if: binaryBuilt, "almanac is not built: run `swift build` (the test runs the built binary)"))
  func testLinghaiExample_draftProseIsThePublishedProse() throws {
    guard let url = LinghaiExample.publishedReport else {
      Issue.record("shared/examples/linghai-2016-report.txt not found beside the project root (set ALMANAC_SHARED)")
      return
    }
    let want = LinghaiExample.sections(LinghaiExample.publishedBody(try String(contentsOf: url, encoding: .utf8)).body)
    let got = LinghaiExample.sections(LinghaiExample.draftedBody(try text("report.md", in: try run())).body)
    func squeeze(_ s: String) -> String {
      String(s.unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init))
    }
    for name in LinghaiExample.sectionNames {
      #expect(squeeze(got[name] ?? "") == squeeze(want[name] ?? ""), "section \(name) differs from the published text")
    }
  }

  @Test(.enabled(if: binaryBuilt, "almanac is not built: run `swift build` (the test runs the built binary)"))
  func testLinghaiExample_reconciliationLogNamesTheTopicBreakdownCellsAndSheet() throws {
    let all = try findings(in: try run())
    let errors = all.filter { $0["severity"] as? String == "error" }
    let codes = Set(errors.compactMap { $0["code"] as? String })
    // The example's own inconsistencies and nothing else: every sheet is otherwise consistent.
    #expect(codes == ["REC-LH-JY3", "REC-LH-JY5"], "error findings: \(errors)")

    let breakdown = errors.filter { $0["code"] as? String == "REC-LH-JY3" }
    // Once for the government office's sheet, once for the region.
    #expect(Set(breakdown.map { ($0["department"] as? String) ?? "region" }) == ["zfb", "region"])
    for finding in breakdown {
      let values = Set([finding["expected"] as? String, finding["actual"] as? String].compactMap { $0 })
      #expect(values == ["60", "56"], "expected/actual of \(finding)")
      #expect(finding["difference"] as? String == "4" || finding["difference"] as? String == "-4")
      let cell = (finding["cell"] as? String) ?? ""
      #expect(cell.contains("jyta") || cell.contains("ind.jy_zs"), "cell of \(finding)")
      let files = ((finding["sources"] as? [[String: Any]]) ?? []).compactMap { $0["file"] as? String }
      #expect(files.contains { $0.hasSuffix(LinghaiExample.governmentOfficeFile) }, "sources of \(finding)")
    }

    let columns = errors.filter { $0["code"] as? String == "REC-LH-JY5" }
    #expect(!columns.isEmpty)
    for finding in columns {
      let values = Set([finding["expected"] as? String, finding["actual"] as? String].compactMap { $0 })
      #expect(values == ["46", "42"], "expected/actual of \(finding)")
    }
  }

  @Test(.enabled(if: binaryBuilt, "almanac is not built: run `swift build` (the test runs the built binary)"))
  func testLinghaiExample_reportIsMarkedDraftAndItsNotesMentionTheInconsistency() throws {
    let report = try text("report.md", in: try run())
    let drafted = LinghaiExample.draftedBody(report)
    #expect(report.components(separatedBy: "\n").contains { $0.hasPrefix(">") && $0.contains("草稿") })
    let notes = drafted.notes.joined(separator: "\n")
    #expect(notes.contains("数据说明"))
    #expect(notes.contains("REC-LH-JY3") || notes.contains("建议提案按内容分类之和等于建议提案总数"), "notes:\n\(notes)")
    #expect(notes.contains(LinghaiExample.governmentOfficeFile) || notes.contains("凌海市人民政府办公室"), "notes:\n\(notes)")
    let html = try text("report.html", in: try run())
    #expect(html.contains("数据说明"))
    #expect(html.contains("7757"))
  }

  @Test(.enabled(if: binaryBuilt, "almanac is not built: run `swift build` (the test runs the built binary)"))
  func testLinghaiExample_resubmissionSupersedesTheFirstSheet() throws {
    let run = try run()
    let submissions = try text("submissions.csv", in: run)
    let line = submissions.split(whereSeparator: \.isNewline).first { $0.contains(LinghaiExample.supersededFile) }
    #expect(line.map { $0.contains("已被替代") || $0.contains("superseded") } == true, "submissions.csv:\n\(submissions)")
    // Its swapped figures (网站公开 > 主动公开) are not an open error: only the accepted sheet counts.
    let errors = try findings(in: run).filter { $0["severity"] as? String == "error" }
    #expect(!errors.contains { ($0["code"] as? String) == "REC-LH-ZD1" })
  }
}

struct ExampleError: Error, CustomStringConvertible, Sendable {
  var description: String
  init(_ description: String) { self.description = description }
}
