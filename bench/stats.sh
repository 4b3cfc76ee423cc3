#!/usr/bin/env bash
# The leadership dashboard (issue #17): the 双进双报到 benchmark's region
# (bench/report_in.sh: the demo region with VOLUNTEERS (100,000) volunteers in
# a temporary SQLite file, grown to each of STEPS activities with their ledger
# entries), timed by bench/stats.py instead: the dashboard cold and cached,
# narrowed to a team, the overview and the rows behind a figure, against
# /healthz in the same run. Prints one JSON line per figure; see
# bench/README.md. Only 127.0.0.1:RI_PORT is contacted.
#
# Knobs (environment): VOLUNTEERS=100000 STEPS="100000" REQUESTS=30
# RI_PORT=18302 KEEP=0 BIN=(build release)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TIMER=$HERE/stats.py STEPS=${STEPS:-100000} REQUESTS=${REQUESTS:-30} RI_PORT=${RI_PORT:-18302} exec bash "$HERE/report_in.sh"
