import AlmanacCore
import Foundation
import Logging
import Testing

@testable import Normalize

@Suite struct NormalizeStageTests {
  typealias F = Fixtures

  let t3 = SheetTable(
    form: "t3", headerLines: [3],
    rows: [Fixtures.row(["一、本年新收政府信息公开申请数量"], 6, [(["申请人情况", "自然人"], .integer(3))])])

  func sheet(_ path: String, _ claims: SheetClaims, tables: [SheetTable]? = nil, findings: [Finding] = []) -> Sheet {
    Sheet(source: F.source(path), claims: claims, tables: tables ?? [t3], findings: findings)
  }

  @Test func testDepartment_claimsMustAgree() {
    let o = F.normalizer().normalize(
      sheet("inbox/x.csv", F.claims(metadata: "凌海市财政局", title: "凌海市住建局", fileName: "财政局")))
    #expect(o.submission == nil)
    #expect(
      o.heldBack == HeldBackFile(source: F.source("inbox/x.csv"), reason: .conflictingDepartment, claimed: "凌海市财政局"))
    #expect(o.findings.map(\.code) == ["NRM-003"])
    #expect(o.findings[0].severity == .error)
    #expect(o.findings[0].message.contains("标题「凌海市住建局」→ 凌海市住房和城乡建设局（zjj）"))
  }

  @Test func testDepartment_unknownListsClosestAndSeedAdvice() {
    let o = F.normalizer().normalize(sheet("inbox/x.csv", F.claims(metadata: "凌海市环境保户局")))
    #expect(o.heldBack?.reason == .unknownDepartment)
    #expect(o.heldBack?.claimed == "凌海市环境保户局")
    #expect(o.findings.map(\.code) == ["NRM-001"])
    let m = o.findings[0].message
    #expect(m.hasPrefix("填报单位栏中的单位名称「凌海市环境保户局」不在单位名录中。最接近的已登记单位：锦州市生态环境局凌海分局（sthj）、"))
    #expect(m.contains("almanac alias \"凌海市环境保户局\" 单位编号 登记（写入 seeds/department_aliases.csv）"))
    #expect(o.findings[0].sources == [F.source("inbox/x.csv").ref(line: 2)])
  }

  @Test func testDepartment_expiredHistoricNameExplained() {
    let o = F.normalizer().normalize(sheet("inbox/x.csv", F.claims(title: "凌海市环境保护局", titleYear: 2025)))
    #expect(o.heldBack?.reason == .unknownDepartment)
    #expect(o.findings[0].message.contains("「凌海市环境保护局」是 锦州市生态环境局凌海分局（sthj）登记的名称，有效期 不限至2019-03-28，不适用于 2025 年度"))
    // The same sheet for 2018, run for 2018, resolves through the historic name.
    let old = F.normalizer(year: 2018).normalize(sheet("inbox/x.csv", F.claims(title: "凌海市环境保护局", titleYear: 2018)))
    #expect(old.submission?.department == "sthj")
    #expect(old.findings == [])
  }

  @Test func testDepartment_unresolvedClaimBesideResolvedOneIsInfo() {
    let o = F.normalizer().normalize(
      sheet("inbox/环保局-表三.csv", F.claims(metadata: "凌海市环境保护局", fileName: "环保局", titleYear: 2025)))
    #expect(o.submission?.department == "sthj")
    #expect(o.findings.map(\.code) == ["NRM-015"])
    #expect(o.findings[0].severity == .info)
  }

  /// Files an operator sorted into one folder per unit (`人社局/表三.csv`).
  @Test func testDepartment_folderNamesTheSenderOnlyWhenTheFileDoesNot() throws {
    var inFolder = SheetClaims()
    inFolder.folderDepartments = ["财政局", "第一批"]
    let byFolder = F.normalizer().normalize(sheet("第一批/财政局/表三.csv", inFolder))
    #expect(byFolder.submission?.department == "czj")
    #expect(byFolder.findings.map(\.code) == ["NRM-023"])
    #expect(byFolder.findings[0].severity == .info)
    #expect(byFolder.findings[0].message.hasPrefix("文件中没有写明填报单位，已按所在文件夹「财政局」确定为 凌海市财政局（czj）"))

    // The file's own name wins; a folder of another unit is a warning (a misfiled file).
    var misfiled = F.claims(metadata: "凌海市住房和城乡建设局")
    misfiled.folderDepartments = ["财政局"]
    let own = F.normalizer().normalize(sheet("财政局/表三.csv", misfiled))
    #expect(own.submission?.department == "zjj")
    #expect(own.findings.map(\.code) == ["NRM-022"])
    #expect(own.findings[0].severity == .warning)
    #expect(own.findings[0].message.contains("文件位于文件夹「财政局」（凌海市财政局，czj）中，但文件写明的单位是 凌海市住房和城乡建设局（zjj）"))
    var agreeing = F.claims(metadata: "凌海市财政局")
    agreeing.folderDepartments = ["财政局"]
    #expect(F.normalizer().normalize(sheet("财政局/表三.csv", agreeing)).findings == [])

    // A name in the file that names no unit: the folder decides, the name is noted.
    var unknownName = F.claims(metadata: "某某办")
    unknownName.folderDepartments = ["财政局"]
    let decided = F.normalizer().normalize(sheet("财政局/表三.csv", unknownName))
    #expect(decided.submission?.department == "czj")
    #expect(decided.findings.map(\.code).sorted() == ["NRM-015", "NRM-023"])
    #expect(
      decided.findings.first { $0.code == "NRM-015" }?.message.hasPrefix(
        "填报单位栏中的名称「某某办」无法识别，已按所在文件夹「财政局」确定为 凌海市财政局（czj）") == true)

    // Folders that name no unit are no evidence: the file is held back as before, and the
    // message says the folders were looked at.
    var batches = SheetClaims()
    batches.folderDepartments = ["第一批"]
    let held = F.normalizer().normalize(sheet("第一批/表三.csv", batches))
    #expect(held.heldBack?.reason == .unknownDepartment)
    #expect(held.findings.map(\.code) == ["NRM-001"])
    #expect(held.findings[0].message.contains("所在文件夹「第一批」也不是已登记的单位"))
    // A folder that nearly names a unit: the nearest registered ones, and the alias to add.
    var abbreviated = SheetClaims()
    abbreviated.folderDepartments = ["凌海财政"]
    let near = F.normalizer().normalize(sheet("凌海财政/表三.csv", abbreviated))
    #expect(near.findings.map(\.code) == ["NRM-001"])
    #expect(near.findings[0].message.contains("与文件夹名「凌海财政」最接近的已登记单位：凌海市财政局（czj）"), "\(near.findings[0].message)")
    #expect(near.findings[0].message.contains("almanac alias \"凌海财政\" 单位编号"))

    // Only the nearest folder that reads as a name: a sub-unit's folder that names no unit
    // is not its parent's (`财政局/国库中心/表三.csv`), and says which folder it looked at.
    var subUnit = SheetClaims()
    subUnit.folderDepartments = ["国库中心", "财政局"]
    let nested = F.normalizer().normalize(sheet("财政局/国库中心/表三.csv", subUnit))
    #expect(nested.heldBack?.reason == .unknownDepartment)
    #expect(nested.findings[0].message.contains("所在文件夹「国库中心」也不是已登记的单位，"), "\(nested.findings[0].message)")
  }

  /// A name the file writes that fits several units is settled by the folder only when the
  /// folder's unit is one of them; otherwise it stays NRM-002.
  @Test func testDepartment_folderSettlesAnAmbiguousNameOnlyAmongItsCandidates() {
    var seeds = F.smallSeeds
    seeds.tables["department_aliases"] = F.table(
      "department_aliases", "alias,department_id,kind,valid_from,valid_to,note\n建设局,zjj,short,,,\n建设局,czj,short,,,\n")
    var among = F.claims(metadata: "建设局")
    among.folderDepartments = ["财政局"]
    let settled = F.normalizer(seeds).normalize(sheet("财政局/x.csv", among))
    #expect(settled.submission?.department == "czj")
    #expect(
      settled.findings.first { $0.code == "NRM-023" }?.message.hasPrefix("文件中写的单位名称对应多个已登记单位，已按所在文件夹「财政局」") == true)
    var outside = F.claims(metadata: "建设局")
    outside.folderDepartments = ["凌海市人力资源和社会保障局"]
    let stillAmbiguous = F.normalizer(seeds).normalize(sheet("人社局/x.csv", outside))
    #expect(stillAmbiguous.heldBack?.reason == .ambiguousDepartment)
    #expect(stillAmbiguous.findings.map(\.code) == ["NRM-002"])
  }

  @Test func testDepartment_missingClaimsAndAmbiguity() {
    let none = F.normalizer().normalize(sheet("inbox/表三.csv", SheetClaims()))
    #expect(none.heldBack?.reason == .unknownDepartment)
    #expect(none.heldBack?.claimed == nil)
    #expect(none.findings.map(\.code) == ["NRM-001"])
    var seeds = F.smallSeeds
    seeds.tables["department_aliases"] = F.table(
      "department_aliases", "alias,department_id,kind,valid_from,valid_to,note\n建设局,zjj,short,,,\n建设局,czj,short,,,\n")
    let amb = F.normalizer(seeds).normalize(sheet("inbox/x.csv", F.claims(metadata: "建设局")))
    #expect(amb.heldBack?.reason == .ambiguousDepartment)
    #expect(amb.findings.map(\.code) == ["NRM-002"])
    #expect(amb.findings[0].message.contains("凌海市财政局（czj）、凌海市住房和城乡建设局（zjj）"))
  }

  @Test func testYear_otherYearIsHeldBack() {
    let o = F.normalizer().normalize(sheet("inbox/x.csv", F.claims(metadata: "财政局", titleYear: 2024)))
    #expect(o.heldBack?.reason == .wrongYear)
    #expect(o.findings.map(\.code) == ["NRM-004"])
    #expect(o.findings[0].department == "czj")
    #expect(o.findings[0].expected == "2025")
    #expect(o.findings[0].actual == "2024")
    let f = F.normalizer().normalize(sheet("inbox/x.csv", F.claims(metadata: "财政局", fileNameYear: 2024)))
    #expect(f.heldBack?.reason == .wrongYear)
    let mixed = F.normalizer().normalize(
      sheet("inbox/x.csv", F.claims(metadata: "财政局", titleYear: 2025, fileNameYear: 2024)))
    #expect(mixed.submission?.year == 2025)
    #expect(mixed.findings.map(\.code) == ["NRM-016"])
  }

  @Test func testSheet_unreadableAndNoForm() {
    let ing = Finding(
      code: "ING-003", severity: .error, stage: "ingest", message: "不是 CSV 文件",
      sources: [F.source("inbox/a.xlsx").ref()])
    let bad = F.normalizer().normalize(sheet("inbox/a.xlsx", SheetClaims(), tables: [], findings: [ing]))
    #expect(bad.heldBack == HeldBackFile(source: F.source("inbox/a.xlsx"), reason: .unreadable, claimed: nil))
    #expect(bad.findings == [])
    let empty = F.normalizer().normalize(sheet("inbox/b.csv", F.claims(metadata: "财政局"), tables: []))
    #expect(empty.heldBack?.reason == .noForm)
    #expect(empty.findings.map(\.code) == ["NRM-005"])
    let unknownTable = F.normalizer().normalize(
      sheet(
        "inbox/c.csv", F.claims(metadata: "财政局"),
        tables: [SheetTable(form: nil, caption: "五、其他", headerLines: [3], rows: [])]))
    #expect(unknownTable.heldBack?.reason == .noForm)
    #expect(unknownTable.findings.map(\.code) == ["NRM-006", "NRM-005"])
  }

  /// Sheets are normalized in batches: across batch boundaries the outcome is the one of
  /// normalizing each sheet on its own, in file order, whatever order the sheets came in.
  @Test func testStage_batchesGiveTheSameSetAsOneSheetAtATime() async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("normalize-batch-test")
    func context() -> StageContext {
      StageContext(
        findings: FindingSink(), workDirectory: dir, logger: Logger(label: "test"), pipeline: F.pipeline,
        pipelineFolder: F.repoRoot.appendingPathComponent("pipelines/disclosure-2021"), seeds: F.smallSeeds, year: 2025)
    }
    let names = ["财政局", "住建局", "凌海市气象局"]
    let sheets = (0..<(2 * NormalizeStage.sheetsPerBatch + 5)).map { i in
      sheet("inbox/\(1000 + i * 7919 % 997)-\(i).csv", F.claims(metadata: names[i % names.count]))
    }
    let out = try await NormalizeStage().run(sheets, in: context())
    let again = try await NormalizeStage().run(sheets.reversed(), in: context())
    #expect(again == out)
    let normalizer = F.normalizer()
    let one = sheets.sorted { $0.source.path < $1.source.path }.map { normalizer.normalize($0) }
    #expect(out.submissions.count == one.compactMap(\.submission).count)
    #expect(Set(out.submissions) == Set(one.compactMap(\.submission)))
    #expect(out.heldBack == one.compactMap(\.heldBack))
  }

  @Test func testStage_sortsOutputAndEmitsFindings() async throws {
    let sink = FindingSink()
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("normalize-stage-test")
    let context = StageContext(
      findings: sink, workDirectory: dir, logger: Logger(label: "test"), pipeline: F.pipeline,
      pipelineFolder: F.repoRoot.appendingPathComponent("pipelines/disclosure-2021"), seeds: F.smallSeeds, year: 2025)
    let sheets = [
      sheet("inbox/z-财政局.csv", F.claims(metadata: "财政局")),
      sheet("inbox/b-住建局.csv", F.claims(metadata: "住建局")),
      sheet("inbox/a-财政局.csv", F.claims(metadata: "凌海市财政局")),
      sheet("inbox/c-未知.csv", F.claims(metadata: "凌海市气象局")),
    ]
    let out = try await NormalizeStage().run(sheets, in: context)
    #expect(out.submissions.map(\.source.path) == ["inbox/a-财政局.csv", "inbox/z-财政局.csv", "inbox/b-住建局.csv"])
    #expect(out.heldBack.map(\.source.path) == ["inbox/c-未知.csv"])
    #expect(sink.findings.map(\.code) == ["NRM-001"])
    #expect(context.counters.snapshot["submissions"] == 3)
    #expect(context.counters.snapshot["held_back"] == 1)
    let again = try await NormalizeStage().run(sheets.reversed(), in: context)
    #expect(again == out)
  }

  /// Every sheet of another year and none of the run's: one NRM-021 points at `--year`. One
  /// sheet of the run's year is enough to make it a department's mistake, not the operator's.
  @Test func testStage_noSheetOfTheRunsYearPointsAtTheYear() async throws {
    let sink = FindingSink()
    let context = StageContext(
      findings: sink, workDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("normalize-year"),
      logger: Logger(label: "test"), pipeline: F.pipeline,
      pipelineFolder: F.repoRoot.appendingPathComponent("pipelines/disclosure-2021"), seeds: F.smallSeeds, year: 2025)
    let sheets = [
      sheet("inbox/a.csv", F.claims(metadata: "财政局", titleYear: 2026)),
      sheet("inbox/b.csv", F.claims(metadata: "住建局", titleYear: 2026)),
      sheet("inbox/c.csv", F.claims(metadata: "凌海市财政局", fileNameYear: 2024)),
    ]
    _ = try await NormalizeStage().run(sheets, in: context)
    let hint = sink.findings.filter { $0.code == "NRM-021" }
    #expect(hint.count == 1)
    #expect(hint.first?.actual == "2026" && hint.first?.expected == "2025")
    #expect(hint.first?.message.contains("其中 2 个标明 2026 年度") == true, "\(hint)")
    #expect(hint.first?.message.contains("--year 2026") == true)

    let mixed = FindingSink()
    let withOne = StageContext(
      findings: mixed, workDirectory: context.workDirectory, logger: Logger(label: "test"), pipeline: F.pipeline,
      pipelineFolder: context.pipelineFolder, seeds: F.smallSeeds, year: 2025)
    _ = try await NormalizeStage().run(sheets + [sheet("inbox/d.csv", F.claims(metadata: "住建局"))], in: withOne)
    #expect(!mixed.findings.contains { $0.code == "NRM-021" })
    #expect(NormalizeStage.wrongRunYear([:], runYear: 2025) == nil)
  }

  @Test func testShippedSeeds_resolveEveryCanonicalName() throws {
    let registry = DepartmentRegistry(seeds: try F.shippedSeeds())
    for d in registry.departments {
      let date = d.validTo ?? "2025-12-31"
      #expect(registry.resolve(d.name, on: date).ref?.id == d.id, "\(d.name)")
    }
    #expect(registry.resolve("凌海市环境保护局", on: "2018-12-31").ref?.id == "sthj")
    #expect(registry.resolve("环保局", on: "2025-12-31").ref?.id == "sthj")
    #expect(registry.resolve("凌海市卫生和计划生育局", on: "2025-12-31").ref == nil)
    #expect(registry.closest("凌海市环境保户局", limit: 3).first?.id == "sthj")
    #expect(registry.expected(levels: ["部门", "乡镇", "街道"], year: 2025).count == 48)  // 30 部门 + 凌海市民声热线办公室 + 17 乡镇/街道
  }
}
