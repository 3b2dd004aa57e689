#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Opening inbox files for reading, refusing anything that is not a regular file.
public enum RegularFile {
  /// Why `open` gave no descriptor.
  public enum Failure: Error, Equatable {
    /// `open(2)` or `fstat(2)` failed with this errno.
    case system(Int32)
    case directory
    /// A named pipe, socket or device.
    case special
  }

  /// A read-only descriptor for `path` (links followed) when it is a regular file. The open is
  /// non-blocking, so a named pipe cannot make it wait for a writer; the descriptor returned
  /// blocks as usual. The caller closes it.
  public static func openForReading(_ path: String) throws(Failure) -> Int32 {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else { throw .system(errno) }
    var st = stat()
    guard fstat(fd, &st) == 0 else {
      let code = errno
      close(fd)
      throw .system(code)
    }
    let type = st.st_mode & S_IFMT
    guard type == S_IFREG else {
      close(fd)
      throw type == S_IFDIR ? .directory : .special
    }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    return fd
  }
}
