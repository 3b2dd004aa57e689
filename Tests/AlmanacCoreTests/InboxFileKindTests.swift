import Testing

@testable import AlmanacCore

struct InboxFileKindTests {
  /// Kinds by extension in any ASCII case, with Chinese names and folders; what only looks
  /// like an extension (inside the name, full-width, a bare suffix) is no table.
  @Test func testKind_byExtensionInAnyCase() {
    let cases: [(String, InboxFileKind)] = [
      ("表三.csv", .table), ("县/财政局/表三.CSV", .table), ("a.Csv.Gz", .table), ("b.tsv", .table),
      ("b.TSV.GZ", .table), ("说明.txt", .text), ("说明.MD", .text), ("x.md", .text),
      ("表三.xlsx", .other), ("表三.csv.zip", .other), ("表三.gz", .other), ("表三．csv", .other),
      ("csv", .other), (".csv", .table), ("表三.csvx", .other), ("", .other), ("表三.cs", .other),
    ]
    for (path, kind) in cases { #expect(InboxFileKind(path: path) == kind, "\(path)") }
  }

  /// The byte comparison answers what lowercasing the path and asking `hasSuffix` answers.
  @Test func testSuffix_matchesLowercasedHasSuffix() {
    let names = ["表三.CSV", "a.csv", "a.Csv.GZ", "国.TxT", "m.md", "m.MD.", "x", "", "é.CSV", "Ⅻ.csv"]
    for name in names {
      let suffixes: [(StaticString, String)] = [
        (".csv", ".csv"), (".csv.gz", ".csv.gz"), (".txt", ".txt"), (".md", ".md"),
      ]
      for (suffix, text) in suffixes {
        #expect(InboxFileKind.hasSuffixIgnoringASCIICase(name, suffix) == name.lowercased().hasSuffix(text), "\(name)")
      }
    }
  }

  /// Stems drop `.gz` and then one table or text extension in any case; names are passed
  /// over as before (hidden, lock, system and partial files).
  @Test func testStemAndPassedOver() {
    #expect(InboxFileKind.stem("表三.CSV.gz") == "表三")
    #expect(InboxFileKind.stem("表三.csv") == "表三")
    #expect(InboxFileKind.stem("说明.TXT") == "说明")
    #expect(InboxFileKind.stem("表三.xlsx") == "表三.xlsx")
    #expect(InboxFileKind.stem("a.gz.csv") == "a.gz")
    #expect(InboxFileKind.stem(".csv") == "")
    for name in [
      ".DS_Store", "~$表三.xlsx", "Thumbs.db", "THUMBS.DB", "desktop.INI", "表三.csv.part", "x.CRDOWNLOAD", "y.tmp",
    ] {
      #expect(InboxFileKind.isPassedOver(name: name), "\(name)")
    }
    for name in ["表三.csv", "my thumbs.db", "desktop.ini.csv", "partial.csv", "tmp"] {
      #expect(!InboxFileKind.isPassedOver(name: name), "\(name)")
    }
  }
}
