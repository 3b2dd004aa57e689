import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file mapped read-only into memory, whose pages can be handed back once read.
///
/// A resumed run decodes a checkpoint of tens of megabytes (74 MB for the 10M benchmark's
/// normalize output). Read into a `Data`, the whole text stays resident beside the values
/// decoded from it until the end. Mapped, the pages already read are dropped as decoding
/// moves on (`dropPages(before:)`); reading one again, should a decoder go back, faults it
/// in from the file, so dropping is never wrong, only a hint. The file is replaced by rename
/// when rewritten, never changed in place, so the mapping reads the version it opened.
public final class MappedFile {
  public let bytes: UnsafeRawBufferPointer
  private let length: Int

  /// Maps `url`; nil when it cannot be mapped (then read it instead).
  public init?(_ url: URL) {
    let fd = open(url.path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, info.st_size > 0 else { return nil }
    length = Int(info.st_size)
    guard let base = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
    bytes = UnsafeRawBufferPointer(start: base, count: length)
    #if canImport(Glibc)
      _ = madvise(base, length, MADV_SEQUENTIAL)
    #endif
  }

  deinit {
    if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), length) }
  }

  /// Hands back the whole pages before `offset` (all of them: a decoder that went back may
  /// have read some again).
  public func dropPages(before offset: Int) {
    let end = min(offset, length) / Self.pageSize * Self.pageSize
    guard end > 0, let base = bytes.baseAddress else { return }
    _ = madvise(UnsafeMutableRawPointer(mutating: base), end, MADV_DONTNEED)
  }

  private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
}
