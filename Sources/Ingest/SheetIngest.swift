import AlmanacCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads one file into a `Sheet` exactly as the ingest stage does: bytes → records
/// (`RecordReader`) → tables, registers and claims (`SheetReader`).
///
/// The one path from untrusted bytes to a `Sheet`; the ingest stage, the fuzz target
/// (`Fuzz/`) and the corpus replay test all go through it.
public struct SheetIngest: Sendable {
  public var forms: [FormDefinition] {
    didSet { index = FormIndex(forms: forms, aliases: labelAliases) }
  }
  public var labelAliases: [String: String] {
    didSet { index = FormIndex(forms: forms, aliases: labelAliases) }
  }
  /// The forms' folded labels and anchors, built once for every file read (building it costs
  /// more than reading a small register).
  private var index: FormIndex
  public var reader: RecordReader
  /// Resolves register values while reading, for forms with `resolveWhileReading`.
  public var registerKeys: (any RegisterKeyResolver)?

  public init(
    forms: [FormDefinition], labelAliases: [String: String], reader: RecordReader = RecordReader(),
    registerKeys: (any RegisterKeyResolver)? = nil
  ) {
    self.forms = forms
    self.labelAliases = labelAliases
    self.index = FormIndex(forms: forms, aliases: labelAliases)
    self.reader = reader
    self.registerKeys = registerKeys
  }

  /// Reads the file at `url`; `source` names it (path, sha256 when known, size).
  ///
  /// Throws `IngestError` for unreadable bytes; anything else thrown comes from the file
  /// system and is wrapped as an `IngestError` too.
  public func read(_ url: URL, source: SourceFile) throws(IngestError) -> Sheet {
    try read(atPath: url.path, source: source)
  }

  /// `read(_:source:)` for a file system path (ingest reads thousands of files: a `URL` per
  /// file and its percent-decoded `path` cost more than a small register's parse).
  public func read(atPath path: String, source: SourceFile) throws(IngestError) -> Sheet {
    // Field bytes straight into the sheet reader: a register's data rows are counted without
    // building strings (`SheetSink`).
    let sink = SheetSink(
      reader: SheetReader(source: source, index: index, resolver: registerKeys))
    do {
      // GB18030 is checked but decoded field by field, only where text is needed.
      let read = try reader.readFields(
        atPath: path, displayPath: source.path, sha256: source.sha256.isEmpty ? nil : source.sha256, keepGB18030: true,
        sink: sink)
      var sheetReader = sink.reader
      var sheet = sheetReader.finish()
      sheet.source = read
      return sheet
    } catch let error as IngestError {
      throw error
    } catch {
      throw IngestError(
        code: IngestError.Code.unreadable, file: source.path,
        message: "无法读取文件：\(error.systemReason)。请确认文件存在且可读后重新运行。")
    }
  }

  /// Reads `bytes` as if they were the file `name`, through a private scratch file so the
  /// same streaming code runs as for inbox files.
  public func read(bytes: Data, name: String, scratch: ScratchFile) throws(IngestError) -> Sheet {
    do {
      try scratch.replaceContents(with: bytes)
    } catch {
      throw IngestError.unreadable(name, reason: "临时文件写入失败（\(error)）")
    }
    return try read(scratch.url, source: SourceFile(path: name, sha256: "", size: Int64(bytes.count)))
  }
}

/// A private temporary file that is rewritten in place (on `/dev/shm` when it exists, so a
/// fuzzer's millions of inputs never touch the disk). Removed on deinit.
public final class ScratchFile: @unchecked Sendable {
  public let url: URL
  private let fd: Int32

  public init() throws {
    let dir = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    var template = Array("\(dir)/almanac-scratch-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { buf -> Int32 in
      guard let base = buf.baseAddress else { return -1 }
      return mkstemp(base)
    }
    guard fd >= 0 else { throw ScratchFileError(errno: errno) }
    self.fd = fd
    url = URL(
      fileURLWithPath: String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    fchmod(fd, 0o600)
  }

  deinit {
    close(fd)
    unlink(url.path)
  }

  /// Truncates the file and writes `data` from offset 0.
  public func replaceContents(with data: Data) throws {
    guard ftruncate(fd, 0) == 0 else { throw ScratchFileError(errno: errno) }
    try data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) in
      var done = 0
      while done < buf.count {
        guard let base = buf.baseAddress else { return }
        let n = pwrite(fd, base + done, buf.count - done, off_t(done))
        if n < 0 {
          if errno == EINTR { continue }
          throw ScratchFileError(errno: errno)
        }
        done += n
      }
    }
  }
}

/// A system call on the scratch file failed.
public struct ScratchFileError: Error, CustomStringConvertible, Sendable {
  public var errno: Int32
  public var description: String { String(cString: strerror(errno)) }
}
