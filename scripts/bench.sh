#!/usr/bin/env bash
# Benchmarks Almanac on the reference workload (shared/bench): generated register inboxes,
# timed with GNU time. Called by `make bench` after the release build.
#
#   scripts/bench.sh                 end-to-end runs at 100k / 1M / 10M rows (data generated once)
#   BENCH_PEERS=1 scripts/bench.sh   also pandas, polars and DuckDB (bench-data/.venv) and ratios
#   BENCH_SECTIONS="ingest" BENCH_SCALES="r1m" BENCH_RUNS=3 scripts/bench.sh
#
# Sections: `e2e` (almanac run of pipelines/bench-registers, first run and unchanged rerun,
# figures checked against truth/), `peers`, `dirty` (the BENCH_DIRTY_SCALE inbox, r100k unless
# set, with 2,000 unit names no seed registers), `large` (one register of BENCH_LARGE_ROWS
# rows, 2,000,000 unless set, in one file, from the BENCH_LARGE_SCALE inbox's largest file),
# `ingest` (RecordReader next to the libcsv
# floor), `data` (only generates the data, for `make microbench`).
# Each is a function `section_<name> <scale>`. bench-data/ is git-ignored.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${ALMANAC_SHARED:-$REPO/../shared}
BIN=${ALMANAC_BIN:-$REPO/.build/release/almanac}
DATA=${BENCH_DATA:-$REPO/bench-data}
RUNS=${BENCH_RUNS:-3}
PEERS=${BENCH_PEERS:-0}
SECTIONS=${BENCH_SECTIONS:-e2e dirty large}
[ "$PEERS" = 1 ] && [ -z "${BENCH_SECTIONS:-}" ] && SECTIONS="e2e peers dirty large"
DIRTY_SCALE=${BENCH_DIRTY_SCALE:-r100k}
LARGE_SCALE=${BENCH_LARGE_SCALE:-r100k}
LARGE_ROWS=${BENCH_LARGE_ROWS:-2000000}
SCALES=${BENCH_SCALES:-r100k r1m r10m}
PIPELINE=$REPO/pipelines/bench-registers
JOBS=${BENCH_JOBS:-$(nproc)}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

die() { echo "bench: $*" >&2; exit 1; }

[ -x "$BIN" ] || die "no release binary at $BIN (run: swift build -c release --product almanac)"
[ -f "$SHARED/bench/gen_registers.py" ] || die "shared benchmark not found under $SHARED (set ALMANAC_SHARED)"
[ -x /usr/bin/time ] || die "GNU time (/usr/bin/time) is required"

rows_for() {
  case $1 in
    r100k) echo 100000 ;;
    r1m) echo 1000000 ;;
    r10m) echo 10000000 ;;
    *) die "unknown scale $1 (r100k, r1m, r10m)" ;;
  esac
}

# ensure_data SCALE: generates bench-data/SCALE once (deterministic, so reused across runs).
ensure_data() {
  local scale=$1
  if [ ! -f "$DATA/$scale/manifest.csv" ]; then
    echo "generating $DATA/$scale ($(rows_for "$scale") rows)..."
    python3 "$SHARED/bench/gen_registers.py" --rows "$(rows_for "$scale")" --out "$DATA/$scale" >/dev/null
  fi
}

section_data() { ensure_data "$1"; }

# inbox_bytes SCALE: total size of the inbox files on disk.
inbox_bytes() {
  find "$DATA/$1/inbox" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }'
}

# measure LABEL BYTES CMD...: one warm-up, then RUNS runs; prints the median (by wall time)
# as: label, wall, user, sys, peak RSS, MB/s of BYTES.
measure() {
  local label=$1 bytes=$2
  shift 2
  local out="$TMP/measure.txt"
  : >"$out"
  for i in $(seq 0 "$RUNS"); do
    if ! /usr/bin/time -f "%e %U %S %M" -o "$TMP/time.txt" "$@" >"$TMP/stdout.txt" 2>"$TMP/stderr.txt"; then
      echo "bench: '$label' failed:" >&2
      tail -n 5 "$TMP/stderr.txt" >&2
      return 1
    fi
    [ "$i" -gt 0 ] && tail -n 1 "$TMP/time.txt" >>"$out"
  done
  sort -n -k1,1 "$out" | awk -v n="$RUNS" -v label="$label" -v bytes="$bytes" '
    NR == int((n + 1) / 2) {
      mbs = ($1 > 0) ? bytes / 1e6 / $1 : 0
      printf "  %-40s %8.2f %8.2f %8.2f %9.1f %9.1f\n", label, $1, $2, $3, $4 / 1024, mbs
    }'
}

header() {
  printf "  %-40s %8s %8s %8s %9s %9s\n" "" "wall s" "user s" "sys s" "RSS MiB" "MB/s"
}

# section_ingest SCALE: RecordReader over every inbox file, next to the libcsv parse floor.
section_ingest() {
  local scale=$1
  ensure_data "$scale"
  local inbox="$DATA/$scale/inbox"
  local bytes files
  bytes=$(inbox_bytes "$scale")
  files=$(find "$inbox" -type f | wc -l)
  if [ ! -x "$TMP/csvcount" ]; then
    cc -O2 -I"$SHARED/bench/limits" -o "$TMP/csvcount" "$SHARED/bench/limits/csvcount.c" -lcsv -lz \
      || die "cannot compile the libcsv floor (needs libcsv-dev, zlib1g-dev)"
  fi
  echo "== ingest $scale: $files files, $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB on disk, median of $RUNS =="
  header
  measure "libcsv floor (csvcount, 1 core)" "$bytes" "$TMP/csvcount" "$inbox"/*
  "$TMP/csvcount" "$inbox"/* | sed 's/^/    floor: /'
  measure "almanac debug-read, 1 job" "$bytes" "$BIN" debug-read --quiet --jobs 1 "$inbox"
  if [ "$JOBS" -gt 1 ]; then
    measure "almanac debug-read, $JOBS jobs" "$bytes" "$BIN" debug-read --quiet --jobs "$JOBS" "$inbox"
  fi
  measure "almanac debug-read --bytes-only, $JOBS jobs" "$bytes" "$BIN" debug-read --quiet --bytes-only --jobs "$JOBS" "$inbox"
  "$BIN" debug-read --quiet --jobs "$JOBS" "$inbox" | sed 's/^/    almanac: /'
}

# e2e results per scale, for the peers' ratios: wall seconds of Almanac's first run; and
# DuckDB's, for the summary of issue 7's targets.
declare -A ALMANAC_WALL=()
declare -A DUCKDB_WALL=()

rows_of() { awk -F, 'NR > 1 { s += $4 } END { print s }' "$DATA/$1/manifest.csv"; }

# run_once LABEL STATE CMD...: one timed run; appends "wall user sys rss_kib" to $TMP/LABEL.
run_once() {
  local label=$1
  shift
  if ! /usr/bin/time -f "%e %U %S %M" -o "$TMP/time.txt" "$@" >"$TMP/stdout.txt" 2>"$TMP/stderr.txt"; then
    # almanac exits 1 when findings of severity error exist (the declared totals disagree): a
    # completed run. Anything else is a failure.
    if ! grep -q "Command exited with non-zero status 1$" "$TMP/time.txt"; then
      echo "bench: '$label' failed:" >&2
      tail -n 5 "$TMP/stderr.txt" >&2
      exit 1
    fi
  fi
  tail -n 1 "$TMP/time.txt" >>"$TMP/$label"
}

# median LABEL: the run with the median wall time, as "wall user sys rss_kib".
median() { sort -n -k1,1 "$TMP/$1" | awk -v n="$(wc -l <"$TMP/$1")" 'NR == int((n + 1) / 2)'; }

# report NAME SCALE BYTES ROWS LINE: one table row from a median line.
report() {
  echo "$5" | awk -v name="$1" -v scale="$2" -v bytes="$3" -v rows="$4" '{
    cpu = $2 + $3
    printf "  %-8s %-7s %8.2f %8.2f %9.1f %11.0f %9.1f\n", name, scale, $1, cpu,
      ($1 > 0 ? bytes / 1e6 / $1 : 0), ($1 > 0 ? rows / $1 : 0), $4 / 1024
  }'
}

table_header() {
  printf "  %-8s %-7s %8s %8s %9s %11s %9s\n" "tool" "scale" "wall s" "CPU s" "MB/s" "rows/s" "RSS MB"
}

# section_e2e SCALE: `almanac run` from an empty state folder (median of RUNS after a warm-up),
# then unchanged reruns on the same state; the figures are checked against truth/.
section_e2e() {
  local scale=$1
  ensure_data "$scale"
  local d="$DATA/$scale" bytes rows
  python3 "$REPO/scripts/bench_seeds.py" "$d" "$PIPELINE"
  bytes=$(inbox_bytes "$scale")
  rows=$(rows_of "$scale")
  local work="$TMP/e2e-$scale"
  : >"$TMP/first-$scale"
  : >"$TMP/rerun-$scale"
  : >"$TMP/stages-$scale"
  for i in $(seq 0 "$RUNS"); do
    rm -rf "$work"
    mkdir -p "$work"
    local args=(run --pipeline "$PIPELINE" --seeds "$d/almanac-seeds" --inbox "$d/inbox" --outbox "$work/outbox"
      --state "$work/state" --year 2025 --quiet)
    if [ "$i" -eq 0 ]; then
      run_once "warm-$scale" "$BIN" "${args[@]}"
    else
      run_once "first-$scale" "$BIN" "${args[@]}"
      stage_times "$work/state" >>"$TMP/stages-$scale"
      run_once "rerun-$scale" "$BIN" "${args[@]}"
    fi
  done
  local first rerun
  first=$(median "first-$scale")
  rerun=$(median "rerun-$scale")
  ALMANAC_WALL[$scale]=$(echo "$first" | cut -d' ' -f1)
  echo "== almanac end to end, $scale: $(find "$d/inbox" -type f | wc -l) files, $rows rows," \
    "$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB, median of $RUNS =="
  table_header
  report almanac "$scale" "$bytes" "$rows" "$first"
  echo "$rerun" | awk -v files="$(find "$d/inbox" -type f | wc -l)" '{
    printf "  unchanged rerun (same state, %d files): %.2f s wall, %.1f MB RSS\n", files, $1, $4 / 1024 }'
  sed 's/^/  stages (wall s, one first run each): /' "$TMP/stages-$scale"
  python3 "$REPO/scripts/bench_check.py" "$d" "$work/outbox/2025" | sed 's/^/  truth: /'
}

# stage_times STATE: one line of stage wall times from the run summary (last-run.json).
stage_times() {
  python3 - "$1" <<'PY'
import json, glob, sys
paths = glob.glob(sys.argv[1] + "/*/*/last-run.json")
stages = json.load(open(paths[0]))["stages"] if paths else []
print(" ".join(f"{s['name']} {s.get('seconds') or 0:.2f}" for s in stages))
PY
}

# ensure_venv: bench-data/.venv with the peers' libraries (PyPI).
ensure_venv() {
  local venv="$DATA/.venv"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import pandas, polars, duckdb, pyarrow" 2>/dev/null; then
    echo "setting up $venv (pandas, polars, duckdb, pyarrow)..."
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check pandas polars duckdb pyarrow
  fi
}

# section_peers SCALE: the same job in pandas, polars and DuckDB, and Almanac's wall-time ratio.
section_peers() {
  local scale=$1
  ensure_data "$scale"
  ensure_venv
  local d="$DATA/$scale" bytes rows
  bytes=$(inbox_bytes "$scale")
  rows=$(rows_of "$scale")
  echo "== peers, $scale: median of $RUNS (almanac/peer = Almanac's wall time over the peer's) =="
  table_header
  for p in duckdb polars pandas; do
    : >"$TMP/$p-$scale"
    for i in $(seq 0 "$RUNS"); do
      rm -rf "$TMP/peer-out"
      if [ "$i" -eq 0 ]; then
        run_once "warm-$p" "$DATA/.venv/bin/python" "$SHARED/bench/peers/${p}_job.py" "$d" "$TMP/peer-out"
      else
        run_once "$p-$scale" "$DATA/.venv/bin/python" "$SHARED/bench/peers/${p}_job.py" "$d" "$TMP/peer-out"
      fi
    done
    local line
    line=$(median "$p-$scale")
    report "$p" "$scale" "$bytes" "$rows" "$line" | tr -d '\n'
    if [ -n "${ALMANAC_WALL[$scale]:-}" ]; then
      echo "$line" | awk -v a="${ALMANAC_WALL[$scale]}" -v p="$p" '{ printf "   almanac/%s = %.2f", p, a / $1 }'
    fi
    [ "$p" = duckdb ] && DUCKDB_WALL[$scale]=$(echo "$line" | cut -d' ' -f1)
    echo
    cmp -s "$TMP/peer-out/consolidated.csv" "$d/truth/consolidated.csv" || echo "  ($p: consolidated.csv differs from truth)"
  done
}

# first_runs LABEL SEEDS INBOX WORK: a warm-up and RUNS first runs of the benchmark pipeline on
# INBOX, each from an empty WORK folder (the last run's outbox is left there); their times go
# to $TMP/LABEL, for `median LABEL`.
first_runs() {
  local label=$1 seeds=$2 inbox=$3 work=$4
  : >"$TMP/$label"
  for i in $(seq 0 "$RUNS"); do
    rm -rf "$work"
    mkdir -p "$work"
    run_once "$([ "$i" -eq 0 ] && echo "warm-$label" || echo "$label")" "$BIN" run --pipeline "$PIPELINE" \
      --seeds "$seeds" --inbox "$inbox" --outbox "$work/outbox" --state "$work/state" --year 2025 --quiet
  done
}

# section_dirty SCALE (only DIRTY_SCALE): the inbox with 2,000 data rows naming units no seed
# registers, each reported once (NRM-019); next to the clean run when e2e ran. Such names
# once cost a similarity scan each (160 s instead of 2 s at r100k).
section_dirty() {
  local scale=$1
  [ "$scale" = "$DIRTY_SCALE" ] || return 0
  ensure_data "$scale"
  local d="$DATA/$scale" bytes rows changed
  python3 "$REPO/scripts/bench_seeds.py" "$d" "$PIPELINE"
  rm -rf "$TMP/dirty-inbox"
  changed=$(python3 "$REPO/scripts/bench_dirty.py" "$d/inbox" "$TMP/dirty-inbox" 2000)
  bytes=$(find "$TMP/dirty-inbox" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
  rows=$(rows_of "$scale")
  local work="$TMP/dirty-work"
  first_runs "dirty-$scale" "$d/almanac-seeds" "$TMP/dirty-inbox" "$work"
  echo "== almanac, $scale with $changed rows naming unregistered units, median of $RUNS =="
  table_header
  report almanac "$scale" "$bytes" "$rows" "$(median "dirty-$scale")" | tr -d '\n'
  if [ -n "${ALMANAC_WALL[$scale]:-}" ]; then
    median "dirty-$scale" | awk -v a="${ALMANAC_WALL[$scale]}" '{ printf "   dirty/clean = %.2f", $1 / a }'
  fi
  echo
  grep -o '"code":"NRM-019"' "$work/outbox/2025/reconciliation.jsonl" | wc -l | sed 's/^/  NRM-019 findings (unregistered unit names): /'
}

# section_large SCALE (only LARGE_SCALE): one register of LARGE_ROWS rows in one file, made
# from the scale's largest file (`scripts/bench_large.py`): time and peak RSS of a first run.
# The reference inboxes hold registers of 74,000 rows at most; what a register holds per row
# (its application numbers, NRM-031) shows only here.
section_large() {
  local scale=$1
  [ "$scale" = "$LARGE_SCALE" ] || return 0
  ensure_data "$scale"
  local d="$DATA/$scale" source bytes
  python3 "$REPO/scripts/bench_seeds.py" "$d" "$PIPELINE"
  # (awk reads the whole list: `head` would end the pipe early, a failure under pipefail)
  source=$(find "$d/inbox" -type f -printf '%s %p\n' | sort -k1,1nr -k2 | awk 'NR == 1 { sub(/^[0-9]+ /, ""); print }')
  rm -rf "$TMP/large-inbox"
  python3 "$REPO/scripts/bench_large.py" "$source" "$TMP/large-inbox" "$LARGE_ROWS" >/dev/null
  bytes=$(find "$TMP/large-inbox" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
  first_runs "large-$scale" "$d/almanac-seeds" "$TMP/large-inbox" "$TMP/large-work"
  echo "== almanac, one register of $LARGE_ROWS rows in one file ($(basename "$source") repeated), median of $RUNS =="
  table_header
  report almanac "$scale" "$bytes" "$LARGE_ROWS" "$(median "large-$scale")"
}

# targets: issue 7's three goals, from what this run measured (every e2e run, not only the
# medians, for memory and the rerun).
targets() {
  [ ${#ALMANAC_WALL[@]} -gt 0 ] || return 0
  echo "== targets (issue 7) =="
  cat "$TMP"/first-* "$TMP"/rerun-* 2>/dev/null | awk '{ if ($4 > m) m = $4 } END {
    printf "  peak RSS <= 100 MB at every scale: %.1f MB at most: %s\n", m / 1024, (m / 1024 <= 100 ? "met" : "NOT met") }'
  cat "$TMP"/rerun-* 2>/dev/null | awk '{ if ($1 > m) m = $1 } END {
    printf "  unchanged rerun of the 2,000-file inbox <= 1 s: %.2f s at most: %s\n", m, (m <= 1 ? "met" : "NOT met") }'
  if [ -n "${ALMANAC_WALL[r10m]:-}" ] && [ -n "${DUCKDB_WALL[r10m]:-}" ]; then
    awk -v a="${ALMANAC_WALL[r10m]}" -v d="${DUCKDB_WALL[r10m]}" 'BEGIN {
      printf "  10M wall <= 0.45 x DuckDB: %.2f s / %.2f s = %.2f: %s\n", a, d, a / d, (a / d <= 0.45 ? "met" : "NOT met") }'
  else
    echo "  10M wall <= 0.45 x DuckDB: not measured (needs BENCH_PEERS=1 and the r10m scale)"
  fi
}

echo "almanac bench: $(nproc) cores, binary $BIN"
for scale in $SCALES; do
  for section in $SECTIONS; do
    "section_$section" "$scale"
  done
done
targets
