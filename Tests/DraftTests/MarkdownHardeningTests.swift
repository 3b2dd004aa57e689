import Draft
import Testing

/// Issue 8: what the inbox says can never become Markdown structure or HTML in report.md.
@Suite struct MarkdownHardeningTests {
  @Test func testMarkdownEscape_departmentNameIsText() {
    #expect(
      MarkdownContentType.escape("<script>alert(1)</script>|*x*\n# h")
        == "\\<script\\>alert(1)\\</script\\>\\|\\*x\\* \\# h")
  }

  @Test func testOperatorsProse_keepsMarkdownLosesHTML() {
    #expect(MarkdownContentType.withoutHTML("**重点**：\n- 一\n- 二") == "**重点**：\n- 一\n- 二")
    #expect(
      MarkdownContentType.withoutHTML("见<script>alert(1)</script> & <img src=x onerror=y>")
        == "见&lt;script>alert(1)&lt;/script> &amp; &lt;img src=x onerror=y>")
  }
}
