import Foundation

/// Whole-buffer conversions between UTF-8 and GB18030 through the C library's iconv (Foundation
/// on Linux has no GB18030 `String.Encoding`); used to read and write GB18030 templates.
enum GoldenIconv {
  static func convert(_ data: Data, from source: String, to target: String) throws -> Data {
    guard let cd = iconv_open(target, source), cd != iconv_t(bitPattern: -1) else {
      throw GoldenError("iconv cannot convert \(source) to \(target)")
    }
    defer { iconv_close(cd) }
    var input = [UInt8](data)
    var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
    let count = input.count
    let outCount = output.count
    let produced: Int = try input.withUnsafeMutableBytes { inBuf in
      try output.withUnsafeMutableBytes { outBuf in
        var inPtr = inBuf.baseAddress?.assumingMemoryBound(to: CChar.self)
        var inLeft = count
        var outPtr = outBuf.baseAddress?.assumingMemoryBound(to: CChar.self)
        var outLeft = outCount
        guard iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1, inLeft == 0 else {
          throw GoldenError("iconv \(source) → \(target) failed at byte \(count - inLeft)")
        }
        return outCount - outLeft
      }
    }
    return Data(output[0..<produced])
  }

  static func gb18030(_ text: String) throws -> Data { try convert(Data(text.utf8), from: "UTF-8", to: "GB18030") }

  static func utf8(fromGB18030 data: Data) throws -> String {
    String(decoding: try convert(data, from: "GB18030", to: "UTF-8"), as: UTF8.self)
  }
}
