#!/usr/bin/env bash
# Renders a drafted report (OUTBOX_DIR/report.html) to PNG with headless Chromium, so the
# official table layout (merged cells of 表三 etc.) can be checked by eye or attached to a review.
#
# Usage: scripts/screenshot-report.sh OUTBOX_DIR [OUT_PNG]
#   OUTBOX_DIR  a folder holding report.html, e.g. outbox/2023
#   OUT_PNG     where to write the image (default: OUTBOX_DIR/report.png)
# Environment:
#   WINDOW_SIZE  viewport in CSS pixels (default 1240,1754: A4 at 150 dpi); the page is taller
#                than one screen, so raise the height (e.g. 1240,9000) to capture the whole report.
#   CHROMIUM     browser binary (default: chromium, installed with apt-get when missing).
# The PNG is a screen rendering; for the print layout (A4 pages, 草稿 mark on every page) use
#   chromium --headless --no-sandbox --print-to-pdf=report.pdf file:///…/report.html
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 OUTBOX_DIR [OUT_PNG]" >&2
  exit 2
fi
dir=$(cd "$1" && pwd)
html="$dir/report.html"
out=${2:-"$dir/report.png"}
[[ -f "$html" ]] || { echo "no report.html in $dir" >&2; exit 2; }

browser=${CHROMIUM:-chromium}
if ! command -v "$browser" >/dev/null 2>&1; then
  echo "installing chromium (Debian package) …" >&2
  SUDO=""; [[ "$(id -u)" -ne 0 ]] && SUDO=sudo
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --window-size="${WINDOW_SIZE:-1240,1754}" --screenshot="$out" "file://$html" 2>/dev/null
[[ -s "$out" ]] || { echo "chromium wrote no image" >&2; exit 1; }
echo "$out"
