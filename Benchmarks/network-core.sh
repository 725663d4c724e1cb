#!/usr/bin/env bash
# Network core benchmark: how many uplinks and callback triggers a second the simulated network
# handles on one core (10,000 devices, 50 base stations by default).
#   Benchmarks/network-core.sh                      build release, run 3 times
#   Benchmarks/network-core.sh --uplinks 1000000    extra options go to `sigfox-sim-bench network`
# Set SCRATCH to choose the build directory (default .build-release, apart from debug builds).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scratch="${SCRATCH:-.build-release}"

echo "== build (release, $scratch)"
swift build -c release --scratch-path "$scratch" --product sigfox-sim-bench >/dev/null
binary="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/sigfox-sim-bench"

for run in 1 2 3; do
    echo "== run $run"
    "$binary" network "$@" | grep -E '^(network bench|uplinks|triggers|time)'
done
