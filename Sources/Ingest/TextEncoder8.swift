import AlmanacCore
import Foundation

/// Encodes text for departments whose Excel expects GB18030 (`almanac templates`).
public enum TextEncoder8 {
  /// Errors of the encoder.
  public enum EncodeError: Error, Equatable {
    case unsupported
    case unencodable
  }

  /// `text` as GB18030 bytes (iconv UTF-8 → GB18030; every Unicode scalar has a code).
  public static func gb18030(_ text: String) throws -> Data {
    guard let cd = Iconv(from: "UTF-8", to: "GB18030") else { throw EncodeError.unsupported }
    let input = Array(text.utf8)
    if input.isEmpty { return Data() }
    var result = Data()
    result.reserveCapacity(input.count)
    let output = UnsafeMutableRawBufferPointer.allocate(byteCount: max(64, input.count * 2), alignment: 16)
    defer { output.deallocate() }
    try input.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let (consumed, produced, stop) = cd.convert(UnsafeRawBufferPointer(rebasing: raw[offset...]), into: output)
        offset += consumed
        result.append(contentsOf: UnsafeRawBufferPointer(rebasing: output[..<produced]))
        switch stop {
        case .done, .outputFull: continue
        case .incomplete, .invalid: throw EncodeError.unencodable
        }
      }
    }
    return result
  }
}
