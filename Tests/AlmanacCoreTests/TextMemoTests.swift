import AlmanacCore
import Testing

@Suite struct TextMemoTests {
  /// Counts calls of the compute closure, to see what the memo remembered.
  final class Calls: @unchecked Sendable {
    var count = 0
  }

  @Test func testGet_remembersByBytes_andComputesOnlyNewTexts() {
    let memo = TextMemo<Int>(limit: 10)
    let calls = Calls()
    func length(_ text: String) -> Int {
      memo.get(text) {
        calls.count += 1
        return text.utf8.count
      }
    }
    #expect(length("受理单位") == 12)
    #expect(length("受理单位") == 12)
    #expect(calls.count == 1)
    // Canonically equivalent but other bytes (é as e + U+0301): a text of its own.
    #expect(length("\u{E9}") == 2)
    #expect(length("e\u{301}") == 3)
    #expect(calls.count == 3)
  }

  @Test func testGet_boundedAnswersStopAtTheLimit_othersAreAlwaysKept() {
    let memo = TextMemo<String?>(limit: 2, bounding: { $0 == nil })
    let calls = Calls()
    func resolve(_ text: String) -> String? {
      memo.get(text) {
        calls.count += 1
        return text.hasPrefix("局") ? "D-" + text : nil
      }
    }
    for text in ["x1", "x2", "x3", "局1", "局2", "局3"] { _ = resolve(text) }
    #expect(calls.count == 6)
    // The first two unresolved texts and every resolved one are remembered; x3 came past the
    // limit and is computed again, with the same answer.
    for text in ["x1", "x2", "局1", "局2", "局3"] { _ = resolve(text) }
    #expect(calls.count == 6)
    #expect(resolve("x3") == nil)
    #expect(calls.count == 7)
    #expect(resolve("局3") == "D-局3")
  }
}
