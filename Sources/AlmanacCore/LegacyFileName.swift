import Foundation

/// What an inbox name that is not UTF-8 most likely says. A zip file made on Chinese Windows
/// keeps its names in GBK, and `unzip` on Linux writes those bytes as they are: the operator
/// sees `?????-表三.csv`, and is best helped by the name the department gave it.
public enum LegacyFileName {
  /// `bytes` read as GB18030 (a superset of GBK), when they are valid GB18030 and hold at
  /// least one multi-byte character; nil otherwise.
  public static func gb18030Reading(_ bytes: [UInt8]) -> String? {
    guard bytes.contains(where: { $0 >= 0x80 }) else { return nil }
    return LegacyText.gb18030(bytes)
  }

  /// The GB18030 reading of the entry of `folder` whose name, decoded as UTF-8 with U+FFFD for
  /// each bad byte (as the inbox listing shows it), is `shownName`. Nil when no entry, or more
  /// than one, shows as that name, or its bytes are not GB18030.
  public static func reading(folder: String, shownName: String) -> String? {
    let matches = (FolderNames.list(folder) ?? []).filter { $0.name == shownName }
    guard matches.count == 1 else { return nil }
    return gb18030Reading(matches[0].bytes)
  }

  /// What to do about such a name (zh-CN, for findings): rename it to its GB18030 reading when
  /// there is one. `what` is 文件 or 文件夹.
  public static func renameAdvice(reading: String?, what: String = "文件") -> String {
    guard let reading else { return "请将\(what)改名为常规的中文或英文名称后重新提交。" }
    return "按 GBK（GB18030）编码可读作“\(reading)”，多半是在 Windows 上打包的压缩文件解压时未转换文件名编码。"
      + "请将\(what)改名为“\(reading)”后重新运行（可用 convmv -f gbk -t utf-8 --notest -r 转换收件箱中的文件名，"
      + "或解压时使用 unzip -O GBK）。"
  }
}
