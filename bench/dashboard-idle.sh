#!/usr/bin/env bash
# Idle cost of `runbook dashboard` (bench/RESULTS.md): RSS and CPU of the server process with a
# real PM2 daemon (the test apps) and a few recorded runs, with no page open and with one open page
# (its event stream refreshed every 5 s). Usage: bash bench/dashboard-idle.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
WINDOW=${1:-60}
WORK=$(mktemp -d)
export PM2_HOME=$WORK/pm2 RUNBOOK_STATE_DIR=$WORK/state RUNBOOK_ENV_FILE=$WORK/none API_TOKEN=bench-secret-value
PM2="node node_modules/pm2/bin/pm2"
cleanup() {
  [ -n "${DASH:-}" ] && kill "$DASH" 2>/dev/null || true
  [ -n "${STREAM:-}" ] && kill "$STREAM" 2>/dev/null || true
  $PM2 kill >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

$PM2 start test/fixtures/pm2/ecosystem.config.cjs >/dev/null
for load in 0.5 1.5 0.8; do node bin/runbook --dir test/fixtures/dashboard run hourly-check --metric load.1=$load >/dev/null || true; done

node bin/runbook --dir test/fixtures/dashboard dashboard --port 0 > "$WORK/out" &
DASH=$!
until grep -q http "$WORK/out" 2>/dev/null; do sleep 0.1; done
URL=$(grep -o 'http://[^ ]*' "$WORK/out")

rss() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$DASH/status"; }
ticks() { awk '{ print $14 + $15 }' "/proc/$DASH/stat"; }
# CPU used by the server over the window, as a percentage of one core.
cpu_over() {
  local before after
  before=$(ticks); sleep "$WINDOW"; after=$(ticks)
  awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v s="$WINDOW" 'BEGIN { printf "%.2f", 100 * t / hz / s }'
}

echo "listening:                   RSS $(rss) MiB"
curl -s "${URL}" >/dev/null
for _ in $(seq 20); do curl -s "${URL}api/status" >/dev/null; curl -s "${URL}api/runs?limit=15" >/dev/null; done
curl -s "${URL}api/readings?playbook=hourly-check" >/dev/null
echo "after 20 page loads:         RSS $(rss) MiB"
cpu=$(cpu_over)
echo "idle, no page open, ${WINDOW}s:    RSS $(rss) MiB, CPU ${cpu}% of a core"
curl -s -N "${URL}api/events" >/dev/null &
STREAM=$!
cpu=$(cpu_over)
echo "one page open (5s updates), ${WINDOW}s: RSS $(rss) MiB, CPU ${cpu}% of a core"
