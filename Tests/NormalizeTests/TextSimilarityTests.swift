import PropertyBased
import Testing

@testable import Normalize

@Suite struct TextSimilarityTests {
  /// Characters names are made of, with repeats, a character written two ways (precomposed
  /// and combining: equal as `Character`s), and characters only a query has.
  static let alphabet: [String] = ["局", "市", "凌", "海", "环", "保", "境", "e", "é", "e\u{301}", "1", "（", "区", "县"]

  static func text(_ picks: [Int]) -> String { picks.map { alphabet[$0] }.joined() }

  /// The prepared scores are exactly `score`'s, for texts of any length (empty and one
  /// character included) and candidates with repeated characters.
  @Test func testPrepared_scoresExactlyAsScore() async {
    let pick = Gen.int(in: 0...(Self.alphabet.count - 1)).array(of: 0...6)
    await propertyCheck(input: pick.array(of: 1...8), pick) { candidatePicks, queryPick in
      let candidates = candidatePicks.map { Self.text($0) }
      // Part of the alphabet never occurs in a candidate but may in the query.
      let query = Self.text(queryPick) + (queryPick.count % 3 == 0 ? "未" : "")
      let prepared = TextSimilarity.Prepared(candidates)
      #expect(prepared.count == candidates.count)
      #expect(prepared.scores(query) == candidates.map { TextSimilarity.score(query, $0) })
      // Ranked by `score`: best first, ties in the candidates' order, zero scores left out.
      let plain = candidates.indices.map { TextSimilarity.score(query, candidates[$0]) }
      let ranked = candidates.indices.sorted { (plain[$0], -$0) > (plain[$1], -$1) }.filter { plain[$0] > 0 }
      for limit in [1, 3, 9] {
        #expect(prepared.nearest(query, limit: limit) == Array(ranked.prefix(limit)))
        #expect(
          TextSimilarity.nearest(query, among: candidates, limit: limit) == ranked.prefix(limit).map { candidates[$0] })
      }
    }
  }

  @Test func testPrepared_fixedCases() {
    let prepared = TextSimilarity.Prepared(["", "局", "财政局", "财政局财政局", "e\u{301}"])
    #expect(prepared.scores("") == [1, 0, 0, 0, 0])
    #expect(prepared.scores("局") == [0, 1, 0.25 * 0.5, 0.25 * (2.0 / 7), 0])
    #expect(prepared.scores("é") == [0, 0, 0, 0, 1])
    #expect(prepared.scores("财政局") == ["", "局", "财政局", "财政局财政局", "e\u{301}"].map { TextSimilarity.score("财政局", $0) })
  }
}
