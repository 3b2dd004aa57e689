import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Files and folders named by bytes that need not be UTF-8 (as `unzip` leaves an archive made
/// on Chinese Windows): Foundation cannot create them.
public enum RawFileName {
  /// 财政局-表三.csv in GBK.
  public static let gbkSheet: [UInt8] = [
    0xB2, 0xC6, 0xD5, 0xFE, 0xBE, 0xD6, 0x2D, 0xB1, 0xED, 0xC8, 0xFD, 0x2E, 0x63, 0x73, 0x76,
  ]
  /// 财政局 in GBK.
  public static let gbkFolder: [UInt8] = [0xB2, 0xC6, 0xD5, 0xFE, 0xBE, 0xD6]
  /// 一、概述.md in GBK.
  public static let gbkText: [UInt8] = [0xD2, 0xBB, 0xA1, 0xA2, 0xB8, 0xC5, 0xCA, 0xF6, 0x2E, 0x6D, 0x64]

  /// Writes `content` to `dir/name`, or `dir/folder/name`; returns false when the file could
  /// not be made.
  public static func createFile(_ name: [UInt8], in dir: URL, folder: [UInt8]? = nil, content: String) -> Bool {
    let relative = folder.map { $0 + [UInt8(ascii: "/")] + name } ?? name
    let fd = path(relative, in: dir).withUnsafeBufferPointer {
      $0.baseAddress.map { open($0, O_CREAT | O_WRONLY | O_TRUNC, 0o644) } ?? -1
    }
    guard fd >= 0 else { return false }
    defer { close(fd) }
    let bytes = Array(content.utf8)
    return bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == bytes.count
  }

  /// Makes the folder `dir/name`; returns false when it could not be made.
  public static func createFolder(_ name: [UInt8], in dir: URL) -> Bool {
    path(name, in: dir).withUnsafeBufferPointer { $0.baseAddress.map { mkdir($0, 0o755) } ?? -1 } == 0
  }

  /// How the inbox listing shows such a name: each bad byte as U+FFFD.
  public static func shown(_ name: [UInt8]) -> String { String(decoding: name, as: UTF8.self) }

  static func path(_ name: [UInt8], in dir: URL) -> [CChar] {
    (Array(dir.path.utf8) + [UInt8(ascii: "/")] + name + [0]).map { CChar(bitPattern: $0) }
  }
}
