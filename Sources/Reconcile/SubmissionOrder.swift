import AlmanacCore
import Foundation

/// Which of two submissions of one department is newer.
///
/// The rule (documented for operators): the submission with the later 填报日期 wins; a sheet
/// without a readable 填报日期 counts as older than any dated one; on equal (or no) dates the
/// file whose inbox path sorts last wins, the name compared without its extension, so that a
/// name that extends another (`表三（更正）.csv`, `表三-更正.csv`, `表三 (1).csv` after `表三.csv`)
/// and `02_…` after `01_…` replace it. The sha256 breaks a tie of identical paths. File times
/// are never used: copying an inbox must not change the result.
public enum SubmissionOrder {
  /// 填报日期 as `yyyymmdd` (`WrittenDate.yyyymmdd`); nil when unreadable.
  public static func date(_ filledOn: String?) -> Int? { WrittenDate.yyyymmdd(filledOn) }

  /// True when `a` is older than `b` (so `b` supersedes `a`).
  public static func isOlder(_ a: Submission, than b: Submission) -> Bool {
    let da = date(a.filledOn) ?? 0
    let db = date(b.filledOn) ?? 0
    if da != db { return da < db }
    // Paths without their extensions: a name that extends another sorts after it, whatever
    // character the extension follows.
    let (na, nb) = (InboxFileKind.stem(a.source.path), InboxFileKind.stem(b.source.path))
    if na != nb { return na < nb }
    return (a.source.path, a.source.sha256) < (b.source.path, b.source.sha256)
  }

  /// True when `newer`'s name is `older`'s with a word of correction added (`表三（更正）.csv`,
  /// `表三-修改.csv`, `表三 终稿.csv` after `表三.csv`): the department said which is newer. A
  /// copy's name (`表三 (1).csv`, `表三 - 副本.csv`) or a name that merely sorts later says
  /// nothing of the kind.
  public static func namesACorrection(older: Submission, newer: Submission) -> Bool {
    let (a, b) = (
      InboxFileKind.stem((older.source.path as NSString).lastPathComponent),
      InboxFileKind.stem((newer.source.path as NSString).lastPathComponent)
    )
    guard b.count > a.count, b.hasPrefix(a) else { return false }
    let added = b.dropFirst(a.count)
    return correctionWords.contains { added.contains($0) }
  }

  static let correctionWords = ["更正", "修正", "修改", "修订", "更新", "最终", "终稿", "定稿"]

  /// A 填报日期 written but not readable as a date.
  public static func isUnreadable(_ filledOn: String?) -> Bool {
    guard let text = filledOn?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return false }
    return date(text) == nil
  }
}
