import PropertyBased
import Testing

@testable import Ingest

@Suite struct ApplicationNumbersTests {
  /// Against a dictionary of the numbers themselves: each row's number is new, or repeats the
  /// first row that had it (and says whether it was repeated before), across the table's
  /// growth; numbers drawn from a small pool so that repeats are common.
  @Test func testNote_agreesWithADictionaryOfTheNumbers() async {
    await propertyCheck(input: Gen.int(in: 0...3_000).array(of: 0...2_500)) { picks in
      var table = ApplicationNumbers()
      var firstLine: [String: Int] = [:]
      var repeated: Set<String> = []
      for (i, pick) in picks.enumerated() {
        let number = "环依申〔2025〕\(pick)号"
        let line = i + 3
        let seen = number.utf8.withContiguousStorageIfAvailable { table.note(UnsafeRawBufferPointer($0), line: line) }
        if let first = firstLine[number] {
          #expect(seen == .repeated(firstLine: first, again: repeated.contains(number)))
          repeated.insert(number)
        } else {
          #expect(seen == .first)
          firstLine[number] = line
        }
      }
    }
  }

  /// Numbers that differ in one byte, or only in length (`A-1`, `A-10`), are different.
  @Test func testNote_nearNumbersAreDifferent() {
    var table = ApplicationNumbers()
    var line = 1
    for prefix in ["", "A-", "凌环依申〔2025〕第"] {
      for n in 0..<20_000 {
        let seen = "\(prefix)\(n)".utf8.withContiguousStorageIfAvailable {
          table.note(UnsafeRawBufferPointer($0), line: line)
        }
        #expect(seen == .first, "\(prefix)\(n)")
        line += 1
      }
    }
  }
}
