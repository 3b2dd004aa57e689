import AlmanacCore
import Foundation
import Testing

@testable import Reconcile

@Suite struct FormCatalogTests {
  /// Texts a figure table may key a figure by: the catalog's cells, cells of a row or form it
  /// lacks, the same keys spelled in another normalization form, and text that is no key.
  static func texts(_ catalog: FormCatalog) -> [String] {
    let known = catalog.cellKeysByNumber.map(\.description)
    return known + [
      "t3.r99.np", "t9.r1.np", "t3.r1", "t3..np", ".r1.np", "t3.r1.np.x", "", "表.行.列",
      "t3.r1.n\u{E9}", "t3.r1.ne\u{301}",
    ]
  }

  /// `cell(keyText:)` reads a text as `CellKey(text)` does, and finds the number `cellNumbers`
  /// has for that key (the text index is only a shortcut).
  @Test func testCellByKeyText_readsAsCellKeyAndItsNumber() throws {
    let catalog = FormCatalog(forms: try ReconcileFixtures.pipeline().forms)
    #expect(catalog.cellKeysByNumber.count == catalog.cellNumbers.count)
    for text in Self.texts(catalog) {
      let cell = catalog.cell(keyText: text)
      #expect(cell?.key == CellKey(text), "\(text)")
      #expect(cell?.number == CellKey(text).flatMap { catalog.cellNumbers[$0] }, "\(text)")
    }
    for (n, key) in catalog.cellKeysByNumber.enumerated() { #expect(catalog.cellNumbers[key] == n) }
  }

  /// `numberedCells(form)` is `cellKeys(form)` in order, with each cell's number and checksum flag.
  @Test func testNumberedCells_followCellKeys() throws {
    let catalog = FormCatalog(forms: try ReconcileFixtures.pipeline().forms)
    #expect(!catalog.gridOrder.isEmpty)
    for form in catalog.gridOrder + ["nope"] {
      let cells = catalog.numberedCells(form)
      #expect(cells.map(\.key) == catalog.cellKeys(form))
      for c in cells {
        #expect(catalog.cellNumbers[c.key] == c.number)
        #expect(catalog.isChecksum(c.key) == c.isChecksum)
      }
    }
  }

  /// `readKeys` hands every key of a table that reads as a key, at its place, and collects the
  /// forms of all of them (however their runs fall).
  @Test func testReadKeys_handsEveryKeyAndCollectsItsForms() throws {
    let catalog = FormCatalog(forms: try ReconcileFixtures.pipeline().forms)
    var table = FigureTable()
    for text in Self.texts(catalog) { table[text] = Figure(value: .integer(1), raw: "1", sources: []) }
    var forms: Set<String> = ["earlier"]
    var read: [(Int, CellKey)] = []
    catalog.readKeys(of: table, formsInto: &forms) { i, cell in read.append((i, cell.key)) }
    let expected = table.keys.enumerated().compactMap { i, k in CellKey(k).map { (i, $0) } }
    #expect(read.map(\.0) == expected.map(\.0))
    #expect(read.map(\.1) == expected.map(\.1))
    #expect(forms == Set(expected.map(\.1.form)).union(["earlier"]))
  }
}
