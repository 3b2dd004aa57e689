import Foundation

extension String {
  /// NFKC (`precomposedStringWithCompatibilityMapping`), without Foundation's cost for text
  /// NFKC leaves as it is: ASCII, CJK unified ideographs and the CJK punctuation departments
  /// type (、。《》「」『』【】). Labels, titles and register values are nearly all that, and
  /// are folded for every sheet of a run.
  public var nfkc: String {
    if unicodeScalars.allSatisfy(Self.isNFKCStable) { return self }
    return precomposedStringWithCompatibilityMapping
  }

  /// True for scalars that NFKC maps to themselves and that never compose with a neighbour
  /// (checked against Foundation for every one of them by a test).
  static func isNFKCStable(_ s: Unicode.Scalar) -> Bool {
    switch s.value {
    case 0x00..<0x80: true
    case 0x4E00...0x9FFF: true
    case 0x3001, 0x3002, 0x300A...0x3011: true
    default: false
    }
  }

  /// The scalars `nfkc` passes through untouched (for the test that checks them).
  public static var nfkcStableScalars: [Unicode.Scalar] {
    (0...0xFFFF).compactMap(Unicode.Scalar.init).filter(isNFKCStable)
  }
}
