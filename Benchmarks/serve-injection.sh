#!/usr/bin/env bash
# Uplink injection into `sigfox-sim serve`: sustained uplinks a second through
# `POST /sim/devices/{id}/uplinks` over keep-alive connections (wrk with a Lua script), each firing one
# DATA/UPLINK callback to nginx, every message and try recorded in SQLite (--data on disk).
#
#   Benchmarks/serve-injection.sh                          release build, 20 s, 64 connections
#   Benchmarks/serve-injection.sh --duration 60 --connections 32 --sigfox-sim .build-release/release/sigfox-sim
#   Benchmarks/serve-injection.sh --soak 1800 --rate 500   30-minute soak at 500 uplinks/s, RSS every minute
#
# Options:
#   --duration SECONDS     length of the wrk run (default 20)
#   --connections N        wrk connections (default 64)
#   --devices N            devices in the fleet, chosen at random per request (default 1000)
#   --soak SECONDS         instead of wrk's closed loop: a paced client at --rate uplinks/s for SECONDS,
#                          sampling serve's resident memory every --sample seconds
#   --rate N               uplinks a second of the soak (default 500)
#   --sample SECONDS       RSS sampling period of the soak (default 60)
#   --sigfox-sim PATH      binary to measure (default: a release build in .build-release)
#   --dead-receiver        the callback goes to a port nothing listens on: every try fails and waits for
#                          its retries (with --soak: serve's memory behind a dead receiver)
#   --serve-args "ARGS"    more options for serve (e.g. "--max-held-deliveries 100000000" to hold every
#                          waiting delivery in memory, as before the bound)
#
# Prints: wrk's requests/s and latency, the messages and tries the store holds at the end (all must be
# there, no delivery left waiting), how long after the last uplink the engine had ended every try (the
# rate counts only if it keeps up), the write-ahead log's size at the end, the share of the run serve's engine spent committing to SQLite (from /metrics), and serve's CPU
# time (user+system) per uplink. Needs nginx, wrk and python3 (Debian packages).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration=20
connections=64
devices=1000
soak=""
rate=500
sample=60
sim=""
dead=""
serve_args=""
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) duration="$2"; shift 2 ;;
        --connections) connections="$2"; shift 2 ;;
        --devices) devices="$2"; shift 2 ;;
        --soak) soak="$2"; shift 2 ;;
        --rate) rate="$2"; shift 2 ;;
        --sample) sample="$2"; shift 2 ;;
        --sigfox-sim) sim="$2"; shift 2 ;;
        --dead-receiver) dead=1; shift ;;
        --serve-args) serve_args="$2"; shift 2 ;;
        --help|-h) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "serve-injection: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
# shellcheck source=SCRIPTDIR/../scripts/lib.sh
. "$root/scripts/lib.sh"
for tool in wrk python3; do command -v "$tool" >/dev/null || require_debian_packages "$tool" "command -v $tool"; done
command -v nginx >/dev/null || test -x /usr/sbin/nginx || require_debian_packages nginx-light "test -x /usr/sbin/nginx"
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
if [ -z "$sim" ]; then
    build_release_sigfox_sim serve-injection
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/serve-injection.XXXXXX")"
chmod 755 "$tmp"
nginx_pid=""
serve_pid=""
cleanup() {
    set +e
    [ -n "$serve_pid" ] && kill -KILL "$serve_pid" 2>/dev/null
    [ -n "$nginx_pid" ] && { kill -TERM "$nginx_pid" 2>/dev/null; sleep 0.3; pkill -KILL -P "$nginx_pid" 2>/dev/null; kill -KILL "$nginx_pid" 2>/dev/null; }
    rm -rf "$tmp"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# --- nginx: 204 to everything, keep-alive ------------------------------------------------------------
nginx_port="$(free_port)"
cat >"$tmp/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $tmp/client_body; proxy_temp_path $tmp/proxy; fastcgi_temp_path $tmp/fastcgi;
    uwsgi_temp_path $tmp/uwsgi; scgi_temp_path $tmp/scgi;
    keepalive_requests 1000000;
    server { listen 127.0.0.1:$nginx_port; location / { return 204; } }
}
EOF
setsid "$nginx_bin" -c "$tmp/nginx.conf" -p "$tmp" >/dev/null 2>&1 &
nginx_pid=$!

# --- the fleet: one device type whose DATA/UPLINK callback posts to nginx ------------------------------
callback_port="$nginx_port"
[ -n "$dead" ] && callback_port="$(free_port)"   # nothing listens there: connection refused
cat >"$tmp/scenario.yaml" <<EOF
name: serve-injection
baseStations:
  - { id: 1D44, lat: 43.61, lng: 1.45 }
  - { id: A9DC, lat: 43.59, lng: 1.43 }
deviceTypes:
  - id: 5f1d3a2b4c6e8f0a1b2c3d4e
    name: Bench
    callbacks:
      - id: uplink
        service: DATA/UPLINK
        url: "http://127.0.0.1:$callback_port/sigfox"
        method: POST
        contentType: application/json
        body: '{"device":"{device}","time":{time},"seq":{seqNumber},"data":"{data}"}'
devices:
  - { count: $devices, firstId: "100000", deviceType: Bench, area: { lat: 43.6, lng: 1.44, sizeKm: 4 } }
EOF
serve_port="$(free_port)"
# shellcheck disable=SC2086
setsid "$sim" serve "$tmp/scenario.yaml" --port "$serve_port" --data "$tmp/data" --quiet $serve_args >"$tmp/serve.out" 2>&1 &
serve_pid=$!
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$serve_port/health" >/dev/null 2>&1 && break
    sleep 0.1
done
base="http://127.0.0.1:$serve_port"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$serve_pid/stat"; }
ticks_per_second="$(getconf CLK_TCK)"
metric() { curl -fsS "$base/metrics" | awk -v name="$1" '$1 == name {print $2}'; }
count() { python3 -c "import sqlite3,sys; print(sqlite3.connect('$tmp/data/sigfox-sim.sqlite').execute('SELECT COUNT(*) FROM $1').fetchone()[0])"; }

cat >"$tmp/uplinks.lua" <<EOF
local first = 0x100000
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"payload":"ff3842"}'
request = function()
    return wrk.format(nil, string.format("/sim/devices/%X/uplinks", first + math.random(0, $devices - 1)))
end
EOF

ticks_before="$(cpu_ticks)"
store_before="$(metric sigfox_sim_store_commit_seconds_sum)"
started="$(date +%s.%N)"
if [ -z "$soak" ]; then
    echo "== wrk: $connections connections, $duration s, POST /sim/devices/{random of $devices}/uplinks"
    wrk -t 1 -c "$connections" -d "${duration}s" --latency -s "$tmp/uplinks.lua" "$base" | tee "$tmp/wrk.out"
else
    echo "== soak: $rate uplinks/s for $soak s, resident memory every $sample s"
    python3 - "$serve_port" "$rate" "$soak" "$sample" "$serve_pid" "$devices" <<'PY'
import http.client, random, sys, time, threading
port, rate, seconds, sample, pid, devices = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5], int(sys.argv[6])
def rss_mb():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
sent = [0]; errors = [0]
def client(share):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    start = time.monotonic(); n = 0
    while time.monotonic() - start < seconds:
        due = start + n / share
        delay = due - time.monotonic()
        if delay > 0: time.sleep(delay)
        try:
            conn.request("POST", "/sim/devices/%X/uplinks" % (0x100000 + random.randrange(devices)), '{"payload":"ff3842"}', {"Content-Type": "application/json"})
            r = conn.getresponse(); r.read()
            if r.status != 201: errors[0] += 1
        except Exception:
            errors[0] += 1; conn = http.client.HTTPConnection("127.0.0.1", port)
        n += 1; sent[0] += 1
threads = [threading.Thread(target=client, args=(rate / 8,)) for _ in range(8)]
for t in threads: t.start()
start = time.monotonic(); first = None
print("minute  rss_MB  uplinks_sent")
while any(t.is_alive() for t in threads):
    time.sleep(min(sample, max(0.1, seconds - (time.monotonic() - start))))
    value = rss_mb()
    if first is None: first = value
    print(f"{(time.monotonic() - start) / 60:6.1f}  {value:6.1f}  {sent[0]}  ({(value / first - 1) * 100:+.1f} % of the first sample)")
for t in threads: t.join()
print(f"sent {sent[0]} uplinks, {errors[0]} errors")
PY
fi
ended="$(date +%s.%N)"
# The last first receptions come 4.5 s after their uplink at most; then the engine ends what it still has
# (pending deliveries and tries on the wire), 60 s at most.
sleep 6
for _ in $(seq 1 600); do
    awk -v p="$(metric sigfox_sim_deliveries_pending)" -v f="$(metric sigfox_sim_tries_in_flight)" \
        'BEGIN { exit !(p + 0 == 0 && f + 0 == 0) }' && break
    sleep 0.1
done
drained="$(date +%s.%N)"
ticks_after="$(cpu_ticks)"
wal_bytes="$(stat -c %s "$tmp/data/sigfox-sim.sqlite-wal" 2>/dev/null || echo 0)"
store_after="$(metric sigfox_sim_store_commit_seconds_sum)"
uplinks="$(metric sigfox_sim_uplinks_total)"
kill -INT "$serve_pid"
wait "$serve_pid" 2>/dev/null || true
serve_pid=""
messages="$(count message)"
tries="$(count attempt)"
waiting="$(count delivery)"
python3 - "$started" "$ended" "$ticks_before" "$ticks_after" "$ticks_per_second" "$store_before" "$store_after" \
    "$uplinks" "$messages" "$tries" "$waiting" "$drained" "$wal_bytes" <<'PY'
import sys
started, ended, t0, t1, hz, s0, s1, uplinks, messages, tries, waiting, drained, wal = sys.argv[1:]
wall = float(ended) - float(started)
cpu = (int(t1) - int(t0)) / int(hz)
uplinks = float(uplinks or 0)
print(f"uplinks accepted: {uplinks:.0f} in {wall:.1f} s = {uplinks / wall:,.0f} uplinks/s")
print(f"store at the end: {messages} messages, {tries} tries, {waiting} deliveries still waiting; "
      f"the last try ended {float(drained) - float(ended):.1f} s after the last uplink; "
      f"write-ahead log {int(wal) / 1048576:.1f} MiB")
print(f"serve CPU: {cpu:.1f} s ({cpu / wall * 100:.0f} % of one core), {cpu / max(uplinks, 1) * 1e6:.0f} µs per uplink")
store = float(s1 or 0) - float(s0 or 0)
print(f"SQLite commits: {store:.2f} s of the engine thread = {store / wall * 100:.1f} % of the run, "
      f"{store / max(cpu, 1e-9) * 100:.1f} % of serve's CPU")
PY
