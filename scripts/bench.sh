#!/usr/bin/env bash
# Benchmarks Almanac on the reference workload (shared/bench): generated register inboxes,
# timed with GNU time next to the C floors. Called by `make bench` after the release build.
#
#   scripts/bench.sh                 all sections at the default scale
#   BENCH_SECTIONS="ingest" BENCH_SCALES="r1m" BENCH_RUNS=3 scripts/bench.sh
#
# Each section is a function `section_<name> <scale>`; add one (e.g. end-to-end runs at
# r100k/r1m/r10m) and list it in BENCH_SECTIONS. bench-data/ is git-ignored.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${ALMANAC_SHARED:-$REPO/../shared}
BIN=${ALMANAC_BIN:-$REPO/.build/release/almanac}
DATA=${BENCH_DATA:-$REPO/bench-data}
RUNS=${BENCH_RUNS:-3}
SECTIONS=${BENCH_SECTIONS:-ingest}
SCALES=${BENCH_SCALES:-r1m}
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

echo "almanac bench: $(nproc) cores, binary $BIN"
for section in $SECTIONS; do
  for scale in $SCALES; do
    "section_$section" "$scale"
  done
done
