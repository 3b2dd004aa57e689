import Foundation

#if canImport(Glibc)
  import Glibc
#endif

extension Error {
  /// Why a file operation failed, in the operating system's words ("Not a directory", "No
  /// space left on device"): on Linux, Foundation's own description of such an error is often
  /// only "The operation could not be completed. (NSCocoaErrorDomain error 512.)".
  public var systemReason: String {
    let error = self as NSError
    if error.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(error.code))) }
    if let underlying = error.userInfo[NSUnderlyingErrorKey] as? any Error {
      let posix = underlying as NSError
      if posix.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(posix.code))) }
    }
    return error.localizedDescription
  }
}
