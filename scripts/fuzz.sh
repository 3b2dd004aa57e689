#!/usr/bin/env bash
# Runs the libFuzzer target over ingest for a given time (`make fuzz FUZZ_SECONDS=600`).
#
# The corpus lives in fuzz-corpus/ingest (git-ignored), seeded from the test fixtures and the
# committed regressions; crashes, leaks and timeouts are written to fuzz-corpus/artifacts/.
# A found input belongs in Tests/Fixtures/ingest/fuzz-regressions/ once fixed: `make test`
# replays that folder (FuzzCorpusReplayTests).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
binary="Fuzz/.build/debug/ingest-fuzz"
corpus="fuzz-corpus/ingest"
artifacts="fuzz-corpus/artifacts"
dict="fuzz-corpus/ingest.dict"
mkdir -p "$corpus" "$artifacts"

[[ -x "$binary" ]] || { echo "fuzz.sh: $binary is missing; run 'make fuzz'" >&2; exit 2; }

# Seed: every fixture and regression input (names are content hashes, so reseeding is idempotent).
seeded=0
while IFS= read -r -d '' f; do
  sum=$(sha1sum -- "$f" | cut -c1-40)
  if [[ ! -e "$corpus/$sum" ]]; then cp -- "$f" "$corpus/$sum"; seeded=$((seeded + 1)); fi
done < <(find Tests/Fixtures/ingest -type f \( -name '*.csv' -o -name '*.gz' -o -name '*.txt' -o -path '*fuzz-regressions/*' \) -print0)
echo "seeded $seeded new inputs from the fixtures"

# Dictionary: the forms' labels (UTF-8 and GB18030), metadata keys and CSV punctuation.
python3 - "$dict" <<'PY'
import re, sys
labels = set()
for path in ["pipelines/disclosure-2021/forms.yaml"]:
    text = open(path, encoding="utf-8").read()
    labels.update(re.findall(r"label: ([^,}\]]+)", text))
    for group in re.findall(r"(?:aliases|parents): \[([^\]]*)\]", text):
        labels.update(x.strip() for x in group.split(","))
labels.update(["填报单位：", "填报日期：", "单位：件", "填表人", "备注", "2025年度", "表三", "合计", "\ufeff",
               "\"\"", "\",\"", "\r\n", ",,,,", "\t", ";", "\"\r\n\"", "-1", "1e9", "１２", "（", "）"])
def esc(b):
    return "".join(chr(c) if 0x20 <= c < 0x7f and c not in (0x22, 0x5c) else "\\x%02X" % c for c in b)
with open(sys.argv[1], "w") as out:
    for label in sorted(l for l in labels if l):
        out.write('"%s"\n' % esc(label.encode("utf-8")))
        try:
            gb = label.encode("gb18030")
            if gb != label.encode("utf-8"):
                out.write('"%s"\n' % esc(gb))
        except UnicodeEncodeError:
            pass
    out.write('"%s"\n' % esc(b"\x1f\x8b\x08\x00"))
PY

log="fuzz-corpus/last-run.log"
before=$(find "$artifacts" -type f | wc -l)
export LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
set +e
"$binary" "$corpus" -dict="$dict" -max_total_time="$seconds" -max_len=16384 -timeout=20 -rss_limit_mb=2048 \
  -artifact_prefix="$artifacts/" -print_final_stats=1 2>&1 | tee "$log" | grep -E "^#[0-9]+.*(pulse|DONE|NEW)|ERROR|SUMMARY|stat::|Done" | tail -40
status=${PIPESTATUS[0]}
set -e
executions=$(grep -Eo 'stat::number_of_executed_units: [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+$' || echo "?")
echo "fuzz: ${seconds}s, ${executions} executions, corpus $(find "$corpus" -type f | wc -l) files ($(du -sh "$corpus" | cut -f1)), exit $status"
if [[ $status -ne 0 ]] || [[ $(find "$artifacts" -type f | wc -l) -ne $before ]]; then
  echo "fuzz: found a failing input in $artifacts/ (see $log); fix it and add it to Tests/Fixtures/ingest/fuzz-regressions/" >&2
  exit 1
fi
