/// Codes of the checks built into the reconcile stage (rules.yaml holds the others). Kept in
/// the core because consolidate and the acceptance list read findings by these codes: a code
/// typed again as a string could drift from the one emitted.
///
/// Never reuse a retired code; leave a comment instead.
public enum ReconcileCodes {
  /// An expected department sent nothing usable.
  public static let missingDepartment = "REC-SUB-001"
  /// A resubmission replaced an older file of the same department (and form).
  public static let superseded = "REC-SUB-002"
  /// An accepted department did not send one of the required forms.
  public static let missingForm = "REC-SUB-003"
  /// A register-computed cell differs from the submitted table.
  public static let registerMismatch = "REC-REG-001"
  /// S-5: a figure is not a non-negative integer (counts) or non-negative decimal (amounts).
  public static let valueS5 = "REC-S5"
  /// C-9: an amount (万元) with more than 4 decimals.
  public static let decimalsC9 = "REC-C9"
  /// C-10: a blank or placeholder token instead of an explicit 0.
  public static let blankC10 = "REC-C10"
}

extension ReconcileCodes {
  /// A submission for another year reached reconcile (normalize normally holds it back).
  public static let wrongYear = "REC-SUB-004"
  /// No department's submission was accepted: every figure of the report would be empty.
  public static let nothingAccepted = "REC-SUB-005"
  /// A 填报日期 that is not a date, in a department whose files compete for a form.
  public static let unreadableDate = "REC-SUB-006"
  /// National cells of a provided form that no department wrote anything in (counted as 0).
  public static let unwrittenCells = "REC-SUB-007"
  /// Cells of the national format a department's table lacks (rows or columns deleted).
  public static let missingCells = "REC-SUB-008"
  /// A rate (unit %) that several departments reported: rates are not added up.
  public static let rateOfSeveral = "REC-RATE-001"
}
