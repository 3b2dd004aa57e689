/// A figure an export wrote with thousands separators and without quotes: `1,204` is read back
/// as two fields, `1` and `204`. Ingest joins such fields again (the cell keeps `1,204` as
/// text) and reconcile's S-5 says what happened; both recognize the joined text here.
public enum SplitThousands {
  /// True for `1,204`, `1,234,567`, `9,116.36`: one to three digits not starting with 0, then
  /// groups of three, decimals after the last group. `0,100` is a 0 and a stray value.
  public static func isJoined(_ text: String) -> Bool {
    text.wholeMatch(of: /[1-9][0-9]{0,2}(,[0-9]{3})+(\.[0-9]+)?/) != nil
  }
}
