#!/usr/bin/env bash
# The scheduler with a million pending retries (a receiver that is down): resident memory and timer
# operations a second. Builds sigfox-sim-bench in release (scratch path .build-release) and runs
# `sigfox-sim-bench scheduler`; options are passed on (--deliveries N, --devices N). See Benchmarks/README.md.
#
#   Benchmarks/scheduler.sh
#   Benchmarks/scheduler.sh --deliveries 200000
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/lib.sh
. "$root/scripts/lib.sh"
cd "$root"
require_swift
require_libcurl
echo "== release build (.build-release)"
swift build -c release --product sigfox-sim-bench --scratch-path "$root/.build-release" >/dev/null
"$root/.build-release/release/sigfox-sim-bench" scheduler "$@"
