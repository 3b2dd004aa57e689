import AlmanacCore
import Foundation

/// Turns a file's bytes (BOM already removed) into UTF-8 for the CSV parser, chunk by chunk.
///
/// UTF-8 passes through (validated when a BOM, not a whole-file pre-pass, chose it);
/// GB18030 goes through `GB18030Decoder` (tables from iconv), UTF-16 through iconv. A
/// sequence split across chunks is carried over.
/// On bad bytes the valid prefix is emitted first, then a `ByteFault` is thrown, so the parser
/// has reached the place of the error.
final class TextDecoder {
  private enum Mode {
    case passthrough
    case validatedUTF8
    case iconv(Iconv)
    case gb18030(GB18030Decoder)
    /// GB18030 checked but not decoded (`keepGB18030`).
    case gb18030Raw(GB18030Passthrough)
  }

  private let mode: Mode
  private let encoding: TextEncoding
  private var validator = UTF8Validator()
  private var carry: [UInt8] = []
  private var staging: UnsafeMutableRawBufferPointer
  /// iconv's output buffer; empty for UTF-8, which passes through.
  private let output: UnsafeMutableRawBufferPointer

  /// `validate` asks UTF-8 input to be checked here (a whole-file pre-pass did not);
  /// `keepGB18030` passes GB18030 on undecoded, after checking it (the reader decodes the
  /// fields it uses).
  init(encoding: TextEncoding, validate: Bool, chunkSize: Int, keepGB18030: Bool = false) throws {
    self.encoding = encoding
    switch encoding {
    case .utf8, .utf8BOM:
      mode = validate ? .validatedUTF8 : .passthrough
    case .gb18030 where keepGB18030:
      guard let passthrough = GB18030Passthrough() else {
        throw ByteFault.io("系统不支持 GB18030 转换（iconv）")
      }
      mode = .gb18030Raw(passthrough)
    case .gb18030:
      guard let decoder = GB18030Decoder(chunkSize: chunkSize) else {
        throw ByteFault.io("系统不支持 GB18030 转换（iconv）")
      }
      mode = .gb18030(decoder)
    case .utf16LE, .utf16BE:
      guard let cd = Iconv(from: encoding.rawValue, to: "UTF-8") else {
        throw ByteFault.io("系统不支持 \(encoding.rawValue) 转换（iconv）")
      }
      mode = .iconv(cd)
    }
    staging = .allocate(byteCount: 16, alignment: 16)
    // GB18030 grows at most 3/2 (2 → 3 bytes) and UTF-16 at most 3/2 (2 → 3 bytes).
    if case .iconv = mode {
      output = .allocate(byteCount: max(64, chunkSize * 2), alignment: 16)
    } else {
      output = .allocate(byteCount: 0, alignment: 16)
    }
  }

  deinit {
    staging.deallocate()
    output.deallocate()
  }

  /// True when `decode` hands on GB18030 bytes undecoded.
  var keepsGB18030: Bool {
    if case .gb18030Raw = mode { return true }
    return false
  }

  /// Decodes the next bytes and hands UTF-8 pieces to `emit`.
  func decode(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
    switch mode {
    case .passthrough:
      try emit(input)
    case .validatedUTF8:
      if let bad = validator.validate(input) {
        try emit(UnsafeRawBufferPointer(rebasing: input[..<bad]))
        throw ByteFault.invalidUnicode("UTF-8")
      }
      try emit(input)
    case .gb18030(let decoder):
      try decoder.decode(input, emit: emit)
    case .gb18030Raw(let passthrough):
      try passthrough.pass(input, emit: emit)
    case .iconv(let cd):
      if carry.isEmpty {
        try convert(cd, input, emit: emit)
      } else {
        let total = carry.count + input.count
        if staging.count < total {
          staging.deallocate()
          staging = .allocate(byteCount: total, alignment: 16)
        }
        staging.copyBytes(from: carry)
        if !input.isEmpty {
          UnsafeMutableRawBufferPointer(rebasing: staging[carry.count..<total]).copyMemory(from: input)
        }
        carry.removeAll(keepingCapacity: true)
        try convert(cd, UnsafeRawBufferPointer(rebasing: staging[..<total]), emit: emit)
      }
    }
  }

  /// Ends the input: an unfinished multibyte sequence is an error.
  func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
    switch mode {
    case .passthrough:
      return
    case .validatedUTF8:
      if !validator.isComplete { throw ByteFault.invalidUnicode("UTF-8") }
    case .gb18030(let decoder):
      try decoder.finish()
    case .gb18030Raw(let passthrough):
      try passthrough.finish()
    case .iconv:
      if !carry.isEmpty { throw fault(carry[...]) }
    }
  }

  private func convert(_ cd: Iconv, _ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void)
    throws
  {
    var offset = 0
    while offset < input.count {
      let (consumed, produced, stop) = cd.convert(
        UnsafeRawBufferPointer(rebasing: input[offset...]), into: output)
      offset += consumed
      if produced > 0 { try emit(UnsafeRawBufferPointer(start: output.baseAddress, count: produced)) }
      switch stop {
      case .done:
        return
      case .outputFull:
        continue
      case .incomplete:
        carry.append(contentsOf: input[offset...])
        return
      case .invalid:
        // iconv reports EILSEQ only once the bytes that break the sequence are present: the
        // lead byte alone (0x80, 0xFF) or with the byte after it. Showing just those keeps
        // the message independent of chunk boundaries.
        let lead = input[offset]
        let end = min(input.count, offset + (lead < 0x81 || lead == 0xFF ? 1 : 2))
        throw fault(Array(input[offset..<end])[...])
      }
    }
  }

  private func fault(_ bytes: ArraySlice<UInt8>) -> ByteFault {
    let hex = bytes.map { "0x" + String($0, radix: 16, uppercase: true) }.joined(separator: " ")
    if encoding == .gb18030 { return .invalidGB18030(hex) }
    return .invalidUnicode(encoding.rawValue)
  }
}
