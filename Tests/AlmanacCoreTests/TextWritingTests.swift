import AlmanacCore
import Foundation
import PropertyBased
import Testing

/// The fast paths of text handling against the slow, obviously right definitions.
struct TextWritingTests {
  @Test func testTrimmingWhitespace_equalsFoundationTrimming() async {
    // Spaces of every kind Excel exports (ASCII, tab, U+3000, no-break), letters, Han, newlines.
    let pool: [Unicode.Scalar] = [
      " ", "\t", "\u{3000}", "\u{A0}", "\u{2003}", "a", "凌", "\n", "\r", "1", "\u{200B}", "\u{85}", "\u{2028}", "\u{B}",
    ]
    let scalars = Gen.int(in: 0...(pool.count - 1)).map { pool[$0] }
    await propertyCheck(input: scalars.array(of: 0...8)) { list in
      var s = ""
      s.unicodeScalars.append(contentsOf: list)
      #expect(s.trimmingWhitespace == s.trimmingCharacters(in: .whitespaces))
      #expect(s.trimmingWhitespaceAndNewlines == s.trimmingCharacters(in: .whitespacesAndNewlines))
      let edges = CharacterSet(charactersIn: "1 \u{3000}a")
      #expect(s.trimming(edges) == s.trimmingCharacters(in: edges))
    }
  }

  @Test func testCSVWriterFields_equalRowOfStrings() async {
    let pool = ["", "12", "-3", "=SUM(A1)", "a,b", "say \"hi\"", "x\r\ny", "凌海市", "+1", "@a", "\tz", "0.5"]
    let fields = Gen.int(in: 0...(pool.count - 1)).map { pool[$0] }
    await propertyCheck(input: fields.array(of: 1...6), Gen.int(in: -1_000_000...1_000_000)) { list, n in
      var byRow = CSVWriter(bom: false)
      byRow.row(list + [String(n)], numeric: Set(0...list.count))
      var byField = CSVWriter(bom: false)
      for f in list { byField.field(f, numeric: true) }
      byField.field(n)
      byField.endRow()
      #expect(byField.text == byRow.text)
    }
  }

  /// Fields encoded once and appended (`encoded`, `fields(encoded:)`), in runs of any length
  /// between fields written directly, give the bytes the direct writes give.
  @Test func testCSVWriterEncodedFields_equalFieldsWrittenOneByOne() async {
    let pool = ["", "12", "-3", "=SUM(A1)", "a,b", "say \"hi\"", "x\r\ny", "凌海市", "+1", "@a", "\tz", "0.5"]
    let fields = Gen.int(in: 0...(pool.count - 1)).map { pool[$0] }
    // Each run: its fields, and whether they are appended encoded.
    await propertyCheck(input: PropertyBased.zip(fields.array(of: 0...4), Gen.bool).array(of: 1...5)) { runs in
      var direct = CSVWriter(bom: false)
      var mixed = CSVWriter(bom: false)
      for (run, encode) in runs {
        for f in run { direct.field(f) }
        if encode {
          mixed.fields(encoded: CSVWriter.encoded { w in for f in run { w.field(f) } })
        } else {
          for f in run { mixed.field(f) }
        }
      }
      direct.endRow()
      mixed.endRow()
      #expect(mixed.bytes == direct.bytes)
    }
  }

  /// `escape` quotes exactly as RFC 4180 says: only fields with a comma, quote or line break,
  /// inner quotes doubled; never neutralized.
  @Test func testCSVWriterEscape_quotesOnlyWhatNeedsIt() async {
    let pool = ["", "a", ",", "\"", "\r", "\n", "=", "凌海", " "]
    await propertyCheck(input: Gen.int(in: 0...(pool.count - 1)).map { pool[$0] }.array(of: 0...6)) { parts in
      let field = parts.joined()
      let needs = field.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
      let expected = needs ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
      #expect(CSVWriter.escape(field) == expected)
    }
  }

  @Test func testCSVWriter_quotesEveryFieldWithCRLF() {
    var w = CSVWriter(bom: false)
    w.row(["a\r\nb", "c"])
    #expect(w.text == "\"a\r\nb\",c\r\n")
    w.field(Int.min)
    w.field(0)
    w.endRow()
    #expect(w.text.hasSuffix("-9223372036854775808,0\r\n"))
  }
}
