import AlmanacCore
import Testing

@testable import Normalize

@Suite struct SeedValidatorTests {
  /// The small seeds with one table replaced.
  func seeds(_ name: String, _ text: String) -> Seeds {
    var s = Fixtures.smallSeeds
    s.tables[name] = Fixtures.table(name, text)
    return s
  }

  func problems(_ s: Seeds) -> [SeedProblem] { SeedValidator.validate(s, pipeline: Fixtures.pipeline) }

  @Test func testValidate_smallSeedsAreClean() {
    #expect(problems(Fixtures.smallSeeds) == [])
  }

  @Test func testValidate_shippedSeedsAreClean() throws {
    let seeds = try Fixtures.shippedSeeds()
    let found = problems(seeds)
    #expect(found.map(\.description) == [])
    #expect(seeds["departments"]?.rows.count ?? 0 >= 45)
  }

  @Test func testValidate_departmentProblems() {
    let found = problems(
      seeds(
        "departments",
        """
        id,name,level,parent,valid_from,valid_to
        lhs,凌海市人民政府,政府,,,
        czj,凌海市财政局,部门,lhs,,
        czj,凌海市财政局二,部门,lhs,,
        sfj,凌海市司法局,科室,lhs,,
        xfj,凌海市信访局,部门,nowhere,,
        slj,凌海市水利局,部门,lhs,2019-13-01,
        ybj,凌海市医疗保障局,部门,lhs,2020-01-01,2019-01-01
        """)
    ).filter { $0.file == "seeds/departments.csv" }
    #expect(
      found.map { "\($0.code)@\($0.line)" } == ["SEED-002@4", "SEED-003@5", "SEED-004@6", "SEED-005@7", "SEED-005@8"])
    #expect(found[0].message.contains("第 3 行已使用"))
    #expect(found[2].description.hasPrefix("seeds/departments.csv:6: error: "))
  }

  /// `accepted_findings.csv` (written by `almanac accept`): an id, a year, who, why and when on
  /// every row. A repeated row, or an id in capitals, is harmless and not refused.
  @Test func testValidate_acceptedFindings() {
    let found = problems(
      seeds(
        "accepted_findings",
        """
        id,year,code,department,cell,expected,actual,reason,accepted_by,accepted_on
        5d222bce4db70e68,2025,REC-T3-S2,zjj,t3.r3_7.np,8,11,书面确认,李四,2026-01-20
        5d222bce4db70e68,2025,REC-T3-S2,zjj,t3.r3_7.np,8,11,重复,王五,2026-01-22
        5D222BCE4DB70E68,2025,REC-T3-S2,zjj,t3.r3_7.np,8,12,数字变了再确认,李四,2026-01-21
        5D222BCE,二〇二五,REC-T3-S2,zjj,t3.r3_7.np,8,11,理由,王五,2026-01-22
        0123456789abcdef,2025,REC-S5,,,,,,,2026-13-01
        """)
    ).filter { $0.file == "seeds/accepted_findings.csv" }
    #expect(
      found.map { "\($0.code)@\($0.line)" } == ["SEED-014@5", "SEED-014@5", "SEED-005@6", "SEED-010@6", "SEED-010@6"])
    #expect(found.contains { $0.message.contains("「5D222BCE」不是核对结果编号") })
    #expect(found.contains { $0.message.contains("「二〇二五」不是年度") })
  }

  /// Dates as Excel or WPS save them (`2019/3/29`) are the same days; they used to be SEED-005
  /// and made every alias of the two departments overlap (SEED-006).
  @Test func testValidate_datesSavedByExcelAreDates() {
    let found = problems(
      seeds(
        "departments",
        """
        id,name,level,parent,valid_from,valid_to
        lhs,凌海市人民政府,政府,,,
        wgx,凌海市文化广电新闻出版局,部门,lhs,,2019/3/28
        wlj,凌海市文化旅游和广播电视局,部门,lhs,2019年3月29日,
        """)
    ).filter { $0.file == "seeds/departments.csv" }
    #expect(found.isEmpty, "\(found)")
    let registry = DepartmentRegistry(
      seeds: seeds(
        "departments",
        """
        id,name,level,parent,valid_from,valid_to
        wgx,凌海市文化广电新闻出版局,部门,,,2019/3/28
        wlj,凌海市文化旅游和广播电视局,部门,,2019年3月29日,
        """))
    #expect(registry.resolve("凌海市文化广电新闻出版局", on: "2019-03-28").ref?.id == "wgx")
    #expect(registry.resolve("凌海市文化广电新闻出版局", on: "2019-03-29").ref == nil)
    #expect(registry.resolve("凌海市文化旅游和广播电视局", on: "2019-03-29").ref?.id == "wlj")
  }

  /// With registers resolved within a county (`departmentScope`), a name two counties' units
  /// share is no conflict, while two units of one county claiming it still are, in row order.
  @Test func testValidate_scopedAliasesConflictOnlyWithinAParent() throws {
    let pipeline = try PipelineDefinition.load(
      folder: Fixtures.repoRoot.appendingPathComponent("pipelines/bench-registers"))
    #expect(pipeline.forms.contains { $0.counts?.departmentScope != nil })
    var s = Fixtures.smallSeeds
    s.tables["departments"] = Fixtures.table(
      "departments",
      """
      id,name,level,parent,valid_from,valid_to
      A,甲县人民政府,政府,,,
      B,乙县人民政府,政府,,,
      A1,甲县环保局,部门,A,,
      A2,甲县城建局,部门,A,,
      B1,乙县环保局,部门,B,,
      B2,乙县规划局,部门,B,,2019-12-31
      B3,乙县自然资源局,部门,B,2020-01-01,
      X1,无上级环保局,部门,,,
      X2,另一无上级局,部门,,,
      """)
    s.tables["department_aliases"] = Fixtures.table(
      "department_aliases",
      """
      alias,department_id,kind,valid_from,valid_to,note
      环保局,A1,short,,,
      环保局,B1,short,,,
      环保局,A2,short,,,
      规划局,B2,historic,,,
      规划局,B3,short,,,
      公用局,X1,short,,,
      公用局,X2,short,,,
      环保局,X1,short,,,
      """)
    let found = SeedValidator.validate(s, pipeline: pipeline).filter { $0.code == "SEED-006" }
    #expect(found.map(\.line) == [4, 8])
    #expect(found[0].message.contains("A1") && found[1].message.contains("X1"))
  }

  @Test func testValidate_aliasClaimedByTwoDepartments() {
    let found = problems(
      seeds(
        "department_aliases",
        """
        alias,department_id,kind,valid_from,valid_to,note
        财政局,czj,short,,,
        环保局,sthj,short,,,
        环保局,zjj,short,,,
        城建局,zjj,historic,,2019-03-28,
        城建局,scj,historic,2019-03-29,,
        凌海市财政局,scj,confirmed,,,
        海渔局,hyj,abbrev,,,
        林业局,lyj,short,,,
        """))
    #expect(found.map { "\($0.code)@\($0.line)" } == ["SEED-006@4", "SEED-006@7", "SEED-008@8", "SEED-007@9"])
    #expect(found[0].message.contains("第 3 行的别名「环保局」"))
    #expect(found[1].message.contains("departments.csv 中的名称「凌海市财政局」"))
  }

  @Test func testValidate_labelAliasesNameKnownFormsAndLabels() {
    let found = problems(
      seeds(
        "label_aliases",
        """
        form,variant,canonical
        t4,行政法复议,行政复议
        t9,合计,总计
        t3,公民,自然人民
        t3,公民,自然人
        t3,,小计
        """))
    #expect(found.map { "\($0.code)@\($0.line)" } == ["SEED-009@3", "SEED-011@4", "SEED-012@5", "SEED-010@6"])
    #expect(found[1].message.contains("自然人（np）") || found[1].message.contains("自然人"))
  }

  @Test func testValidate_variantKeysMustExistInCountedForm() {
    let s = seeds(
      "applicant_types",
      """
      variant,column
      自然人,np
      企业,xx
      公司,zj
      其他,qt
      其他,np
      """)
    let found = problems(s)
    #expect(found.map { "\($0.code)@\($0.line)" } == ["SEED-013@3", "SEED-013@4", "SEED-012@6"])
    let results = problems(
      seeds(
        "result_aliases",
        """
        variant,row
        予以公开,r3_1
        总计,r3_7
        办理中,r9
        """))
    #expect(results.map { "\($0.code)@\($0.line)" } == ["SEED-013@3", "SEED-013@4"])
  }

  @Test func testValidate_missingTableAndColumns() {
    var s = Fixtures.smallSeeds
    s.tables["result_aliases"] = nil
    s.tables["departments"] = Fixtures.table("departments", "id,name,level\nczj,凌海市财政局,部门\n")
    let found = problems(s)
    #expect(
      found.map { "\($0.file):\($0.code)@\($0.line)" } == [
        "seeds/departments.csv:SEED-001@1", "seeds/result_aliases.csv:SEED-001@0",
      ])
    #expect(found[0].message.contains("parent、valid_from、valid_to"))
  }
}

@Suite struct LabelAliasesTests {
  @Test func testMerged_skipsVariantsThatAreLabelsElsewhere() throws {
    let aliases = LabelAliases(seeds: try Fixtures.shippedSeeds())
    let merged = aliases.merged(forms: Fixtures.pipeline.forms)
    #expect(aliases.forForm("t4")["其他"] == "其他结果")
    #expect(merged["其他"] == nil)
    #expect(merged["行政法复议"] == "行政复议")
    #expect(merged["公民"] == "自然人")
    #expect(merged["合计"] == "总计")
  }
}
