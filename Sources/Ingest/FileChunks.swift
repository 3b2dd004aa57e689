import AlmanacCore
import Foundation

/// Something that hands out a file's bytes chunk by chunk.
protocol ChunkSource: AnyObject {
  /// The next chunk, valid until the following call; nil at the end.
  func next() throws -> UnsafeRawBufferPointer?
}

/// Reads a file with read(2) into one reused buffer, optionally hashing every byte read.
final class FileChunks: ChunkSource {
  private let fd: Int32
  private let buffer: UnsafeMutableRawBufferPointer
  private var digest: Digest.Streaming?
  private(set) var bytesRead: Int64 = 0
  private var ended = false

  /// Opens the file at `path`; `hashing` keeps a SHA-256 of everything read.
  init(path: String, chunkSize: Int, hashing: Bool) throws {
    do {
      fd = try RegularFile.openForReading(path)
    } catch {
      switch error {
      case .system(let code): throw ByteFault.io(Self.describe(code))
      case .directory: throw ByteFault.io(Self.describe(EISDIR))
      case .special: throw ByteFault.io("这不是普通文件（而是命名管道、设备或套接字）")
      }
    }
    buffer = .allocate(byteCount: max(1, chunkSize), alignment: 16)
    digest = hashing ? Digest.Streaming() : nil
    _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
  }

  deinit {
    close(fd)
    buffer.deallocate()
  }

  /// Size on disk.
  func size() throws -> Int64 {
    var st = stat()
    guard fstat(fd, &st) == 0 else { throw ByteFault.io(Self.describe(errno)) }
    return Int64(st.st_size)
  }

  /// The first `count` bytes of the file (fewer if it is shorter), without moving the read offset.
  func peek(_ count: Int) throws -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, 0) }
    guard n >= 0 else { throw ByteFault.io(Self.describe(errno)) }
    return Array(bytes[..<n])
  }

  /// An errno in words staff understand.
  static func describe(_ code: Int32) -> String {
    switch code {
    case ENOENT: "文件不存在"
    case EACCES, EPERM: "没有读取权限"
    case EISDIR: "这是一个文件夹，不是文件"
    case EIO: "磁盘读取错误"
    default: "系统错误 \(code)（\(String(cString: strerror(code)))）"
    }
  }

  func next() throws -> UnsafeRawBufferPointer? {
    if ended { return nil }
    while true {
      let n = read(fd, buffer.baseAddress, buffer.count)
      if n < 0 {
        if errno == EINTR { continue }
        throw ByteFault.io(Self.describe(errno))
      }
      if n == 0 {
        ended = true
        return nil
      }
      let chunk = UnsafeRawBufferPointer(start: buffer.baseAddress, count: n)
      digest?.update(chunk)
      bytesRead += Int64(n)
      return chunk
    }
  }

  /// Reads the rest of the file (so the hash covers it) and returns the hex digest.
  func finishHash() throws -> String? {
    guard digest != nil else { return nil }
    while try next() != nil {}
    return digest?.finalize()
  }
}
