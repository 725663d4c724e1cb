#!/usr/bin/env bash
# A day of a fleet's traffic in virtual time, through `sigfox-sim run` (the release build) to the embedded
# receiver: every device sends every 10 minutes with up to 5 minutes of jitter (144 uplinks a day), each
# firing a DATA/UPLINK and a DATA_ADVANCED callback. Prints wall time, callbacks a second and peak memory.
#   Benchmarks/virtual-day.sh                     100, 1,000 and 10,000 devices, then the outage day
#   Benchmarks/virtual-day.sh 300 3000            these fleet sizes, then the outage day at the largest
#   OUTAGE=0 Benchmarks/virtual-day.sh            without the outage day
# The outage day is the largest fleet with the embedded receiver answering 503 from +3h to +4h: every try
# in that hour fails and goes through the retry ladder (1, 2 and 4 minutes later).
# The 20-station day is the largest fleet under 20 base stations spread over 30 km (a device is heard by
# several), with the geolocation option and bodies that use {station}, {rssi}, {duplicates} and
# {computedLocation} (issue 32's target: under 120 s on 2 cores, under 300 MB).
#   STATIONS=0 Benchmarks/virtual-day.sh          without the 20-station day
# Set SCRATCH to choose the build directory (default .build-release, apart from debug builds).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scratch="${SCRATCH:-.build-release}"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000 10000)

if [ ! -x /usr/bin/time ]; then
    echo "virtual-day.sh needs GNU time for the peak memory: apt-get install time" >&2
    exit 2
fi

echo "== build (release, $scratch)"
if ! output="$(swift build -c release --scratch-path "$scratch" --product sigfox-sim 2>&1)"; then
    echo "$output" >&2
    exit 1
fi
binary="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/sigfox-sim"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The scenario of `devices` devices; `outage` 1 adds the receiver's hour of 503s; `outage` "stations": the
# 20-station day.
scenario() {
    local devices="$1" outage="$2" file="$work/day-$1-$2.yaml"
    if [ "$outage" = stations ]; then
        wide_scenario "$devices" "$file"
        echo "$file"
        return
    fi
    cat >"$file" <<EOF
name: virtual-day-$devices
seed: 7
start: 2026-01-01T00:00:00Z
time: virtual
baseStations:
  - { id: 1D44, lat: 43.61, lng: 1.45 }
  - { id: A9DC, lat: 43.59, lng: 1.43 }
  - { id: 0B2F, lat: 43.62, lng: 1.40 }
deviceTypes:
  - id: 5f1d3a2b4c6e8f0a1b2c3d4e
    name: fleet
    callbacks:
      - service: DATA/UPLINK
        url: "{receiver}/uplink?device={device}&seq={seqNumber}"
        method: POST
        contentType: application/json
        body: '{"device":"{device}","time":{time},"data":"{data}","reception":{reception}}'
      - service: DATA_ADVANCED
        url: "{receiver}/advanced"
        method: POST
        contentType: application/json
        body: '{"device":"{device}","seq":{seqNumber},"lqi":"{lqi}","duplicates":{duplicates}}'
devices:
  - { count: $devices, deviceType: fleet, area: { lat: 43.60, lng: 1.43, sizeKm: 10 } }
traffic:
  - { every: 10m, devices: all, count: 144, jitter: 5m }
EOF
    if [ "$outage" = 1 ]; then
        echo "  - { receiver: 503, from: +3h, to: +4h }" >>"$file"
    fi
    cat >>"$file" <<EOF
receiver: embedded
expect:
  - ledgerBalances: true
EOF
    echo "$file"
}

# The 20-station day of `devices` devices, written to `file`: a 5 x 4 grid of stations over 30 km by 30 km.
wide_scenario() {
    local devices="$1" file="$2"
    {
        printf 'name: virtual-day-20-stations-%s\nseed: 7\nstart: 2026-01-01T00:00:00Z\ntime: virtual\nbaseStations:\n' "$devices"
        python3 -c '
for row in range(4):
    for column in range(5):
        lat = 43.465 + row * 0.09       # 10 km between rows, 30 km in all
        lng = 1.243 + column * 0.0932   # 7.5 km between columns at 43.6 degrees
        print(f"  - {{ id: {0x2000 + row * 5 + column:04X}, lat: {lat:.4f}, lng: {lng:.4f} }}")
'
        cat <<EOF
deviceTypes:
  - id: 5f1d3a2b4c6e8f0a1b2c3d4e
    name: fleet
    callbacks:
      - service: DATA/UPLINK
        url: "{receiver}/uplink?device={device}&seq={seqNumber}&station={station}"
        method: POST
        contentType: application/json
        body: '{"device":"{device}","time":{time},"data":"{data}","station":"{station}","rssi":{rssi},"snr":{snr}}'
      - service: DATA_ADVANCED
        url: "{receiver}/advanced"
        method: POST
        contentType: application/json
        body: '{"device":"{device}","seq":{seqNumber},"lqi":"{lqi}","duplicates":{duplicates},"computedLocation":{computedLocation}}'
# Open country (path-loss exponent 3.0, not the town's 3.5): each frame is heard by several stations.
network: { pathLossExponent: 3.0 }
devices:
  - { count: $devices, deviceType: fleet, geolocation: true, area: { lat: 43.60, lng: 1.43, sizeKm: 30 } }
traffic:
  - { every: 10m, devices: all, count: 144, jitter: 5m }
receiver: embedded
expect:
  - ledgerBalances: true
EOF
    } >"$file"
}

# Runs one scenario and prints its row.
measure() {
    local devices="$1" outage="$2" label="$3" file
    file="$(scenario "$devices" "$outage")"
    /usr/bin/time -f '%e %M' -o "$work/time" "$binary" run "$file" --json >"$work/result.json" 2>"$work/stderr" || {
        echo "run failed (exit $?):" >&2
        tail -20 "$work/stderr" >&2
        exit 1
    }
    read -r wall kilobytes <"$work/time"
    python3 - "$work/result.json" "$devices" "$label" "$wall" "$kilobytes" <<'PY'
import json, sys
path, devices, label, wall, kilobytes = sys.argv[1:]
result = json.load(open(path))
ledger = result["ledger"]
tries = sum(sum(c["outcomes"].values()) for c in result.get("callbacks", []))
wall = float(wall)
balanced = "yes" if ledger["created"] == ledger["delivered"] + ledger["failed"] + ledger["pending"] + ledger["cancelled"] else "NO"
print(f"| {int(devices):,}{label} | {tries:,} | {wall:.1f} s | {tries / wall:,.0f} | {int(kilobytes) / 1024:,.0f} MB | {ledger['delivered']:,} / {ledger['failed']:,} | {balanced} |")
PY
}

echo
echo "| devices | callback tries | wall time | tries/s | peak RSS | delivered / failed | ledger balanced |"
echo "|---|---|---|---|---|---|---|"
for devices in "${sizes[@]}"; do
    measure "$devices" 0 ""
done
largest="${sizes[${#sizes[@]}-1]}"
if [ "${OUTAGE:-1}" = 1 ]; then
    measure "$largest" 1 " (receiver 503 from +3h to +4h)"
fi
if [ "${STATIONS:-1}" = 1 ]; then
    measure "$largest" stations " (20 stations over 30 km, {station} {rssi} {duplicates} {computedLocation})"
fi
