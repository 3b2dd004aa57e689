#!/usr/bin/env bash
# `make demo`: runs the bundled 凌海市 2016 example through the whole pipeline into a fresh
# outbox and says where the report and the reconciliation log are and what the exit code means.
# Called by `make demo` after `make release` built .build/release/almanac.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BIN=${ALMANAC_BIN:-.build/release/almanac}
PIPELINE=pipelines/linghai-2016
INBOX=examples/linghai-2016/inbox
OUTBOX=outbox/demo
STATE=.almanac/demo
YEAR=2016

if [ ! -x "$BIN" ]; then
  echo "demo: $BIN is missing; build it first with 'make release' (or run 'make demo')." >&2
  exit 2
fi

# A fresh run every time: the previous demo's outbox and checkpoints go, the inbox is never touched.
rm -rf -- "$OUTBOX" "$STATE"

echo "demo: almanac run --pipeline $PIPELINE --inbox $INBOX --outbox $OUTBOX --state $STATE --year $YEAR"
"$BIN" run --pipeline "$PIPELINE" --inbox "$INBOX" --outbox "$OUTBOX" --state "$STATE" --year "$YEAR"
code=$?

OUT="$OUTBOX/$YEAR"
echo
case $code in
  0|1)
    missing=0
    for f in report.md report.html reconciliation.html reconciliation.jsonl submissions.csv consolidated.csv; do
      [ -s "$OUT/$f" ] || { echo "demo: expected output $OUT/$f was not written" >&2; missing=1; }
    done
    if [ $missing -ne 0 ]; then
      echo "demo: FAILED: almanac exited $code but its outputs are incomplete." >&2
      exit 3
    fi
    echo "Drafted report:        $OUT/report.md"
    echo "                       $OUT/report.html   (prints on A4)"
    echo "Reconciliation log:    $OUT/reconciliation.html   (for people, in Chinese)"
    echo "                       $OUT/reconciliation.jsonl  (one finding per line)"
    echo "Submissions:           $OUT/submissions.csv"
    echo "Consolidated figures:  $OUT/consolidated.csv"
    echo
    echo "Trace a figure to its file, line and column (the 60 建议提案 of the error below):"
    echo "  $BIN explain ind.jy_zs.bnd --pipeline $PIPELINE --state $STATE --year $YEAR"
    echo "Check later that the outbox and the inbox are still what this run published:"
    echo "  $BIN verify --outbox $OUTBOX --inbox $INBOX --state $STATE --year $YEAR"
    errors=$(grep -c '"severity":"error"' "$OUT/reconciliation.jsonl" || true)
    warnings=$(grep -c '"severity":"warning"' "$OUT/reconciliation.jsonl" || true)
    echo
    if [ $code -eq 0 ]; then
      echo "Exit code 0: the run is complete; findings, if any, are warnings ($warnings) or info."
    else
      echo "Exit code 1: the run is complete and the report is drafted (marked 草稿), but $errors"
      echo "error finding(s) need an auditor before it can be published ($warnings warning(s) as well)."
      echo "For this example that is expected: the published report itself says 60 建议提案 while its"
      echo "breakdown by topic adds up to 56; see REC-LH-JY3 in the reconciliation log and the"
      echo "report's 数据说明."
      # The findings' ids, for the command an auditor would use to accept them as the
      # published report's own inconsistencies (not run here: it would write into seeds/).
      ids=$(grep '"severity":"error"' "$OUT/reconciliation.jsonl" | sed -n 's/.*"id":"\([0-9a-f]*\)".*/\1/p' | cut -c1-8 | tr '\n' ' ')
      if [ -n "$ids" ]; then
        echo "An auditor who accepts them as the published report's own figures records the decision"
        echo "(in seeds/accepted_findings.csv), and the next run drafts the final report (exit 0):"
        echo "  $BIN accept ${ids}--reason \"原报告如此，保留原数\" --by 审核人 --outbox $OUTBOX"
      fi
    fi
    exit 0
    ;;
  2) echo "demo: FAILED with exit code 2: usage or configuration error (flags, pipeline or seeds); nothing was run." >&2 ;;
  3) echo "demo: FAILED with exit code 3: a stage failed (I/O error …); completed stages keep their checkpoints: rerun the almanac command above to resume (make demo starts afresh)." >&2 ;;
  75) echo "demo: FAILED with exit code 75: another run holds the lock on $STATE; nothing was done." >&2 ;;
  *) echo "demo: FAILED: almanac exited with unexpected code $code." >&2 ;;
esac
exit "$code"
