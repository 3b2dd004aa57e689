import AlmanacCore
import Foundation
import PropertyBased
import Testing

struct EarlyWritebackTests {
  /// Whatever the sizes of the writes, the writing is requested for consecutive ranges from
  /// the file's start, each at least a stretch long, and what is left unrequested at the end
  /// is less than a stretch.
  @Test func testEarlyWriteback_requestsConsecutiveStretches() async {
    await propertyCheck(input: Gen.int(in: 1...40), Gen.int(in: 0...100).array(of: 0...30)) { stretch, writes in
      var ranges: [(fd: Int32, offset: Int, length: Int)] = []
      var writeback = EarlyWriteback(fd: 7, stretch: stretch) { ranges.append(($0, $1, $2)) }
      for w in writes { writeback.wrote(w) }
      let total = writes.reduce(0, +)
      var next = 0
      for r in ranges {
        #expect(r.fd == 7)
        #expect(r.offset == next)
        #expect(r.length >= stretch)
        next += r.length
      }
      #expect(next <= total)
      #expect(total - next < stretch)
    }
  }

  /// A request as soon as a stretch is written, exactly a stretch or more, and none for less.
  @Test func testEarlyWriteback_requestsAtEachStretch() {
    var ranges: [[Int]] = []
    var writeback = EarlyWriteback(fd: 3, stretch: 10) { ranges.append([$1, $2]) }
    for w in [4, 6, 10, 3, 25, 1, 0, 8] { writeback.wrote(w) }
    #expect(ranges == [[0, 10], [10, 10], [20, 28]])
  }

  /// On a real file the request leaves its bytes as written: a streamed file several
  /// stretches long reads back whole, with its digest.
  @Test func testStreamedWrite_manyStretchesReadBackWhole() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("writeback-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent("big.csv")
    let piece = (0..<100_003).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    let pieces = EarlyWriteback.defaultStretch * 3 / piece.count
    let sha = try AtomicFile.write(to: url) { append in
      for _ in 0..<pieces { try piece.withUnsafeBytes { try append($0) } }
    }
    let written = try Data(contentsOf: url)
    #expect(written.count == piece.count * pieces)
    #expect(written == Data(Array(repeating: piece, count: pieces).joined()))
    #expect(sha == Digest.sha256Hex(written))
  }
}
