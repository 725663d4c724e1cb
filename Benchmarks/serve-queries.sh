#!/usr/bin/env bash
# Listing latency of `sigfox-sim serve` with a large store: `GET /sim/attempts?limit=100`,
# `GET /sim/messages?device=X&limit=100` and the Sigfox API v2's `GET /v2/devices/{id}/messages?limit=100`
# (and its second page, through paging.next), `GET /v2/device-types/{id}/messages?limit=100` and the device
# list `GET /v2/devices?limit=100`, with a million messages (and a million tries) stored; then the API v2 callbacks CRUD (create, update,
# list, delete), each request timed.
#
#   Benchmarks/serve-queries.sh                                 1,000,000 messages, 1,000 requests each
#   Benchmarks/serve-queries.sh --messages 200000 --requests 500 --sigfox-sim .build-release/release/sigfox-sim
#
# The store is made by serve itself (its schema), then filled in bulk with python3's sqlite3: messages of
# 1,000 devices spread over a day, one delivered try each, every trigger marked as fired (so the restart
# resumes nothing). serve is started on it and each listing is asked --requests times over one keep-alive
# connection, a random device each time; the script prints p50, p99 and max in milliseconds.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
messages=1000000
requests=1000
sim=""
while [ $# -gt 0 ]; do
    case "$1" in
        --messages) messages="$2"; shift 2 ;;
        --requests) requests="$2"; shift 2 ;;
        --sigfox-sim) sim="$2"; shift 2 ;;
        --help|-h) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "serve-queries: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
if [ -z "$sim" ]; then
    # shellcheck source=SCRIPTDIR/../scripts/lib.sh
    . "$root/scripts/lib.sh"
    build_release_sigfox_sim serve-queries
fi
tmp="$(mktemp -d "${TMPDIR:-/tmp}/serve-queries.XXXXXX")"
serve_pid=""
cleanup() {
    set +e
    [ -n "$serve_pid" ] && kill -KILL "$serve_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
cat >"$tmp/scenario.yaml" <<EOF
name: serve-queries
baseStations:
  - { id: 1D44, lat: 43.61, lng: 1.45 }
deviceTypes:
  - id: 5f1d3a2b4c6e8f0a1b2c3d4e
    name: Bench
    callbacks:
      - { id: uplink, service: DATA/UPLINK, url: "http://127.0.0.1:1/up", method: GET }
devices:
  - { count: 1000, firstId: "100000", deviceType: Bench, area: { lat: 43.6, lng: 1.44, sizeKm: 4 } }
EOF
start_serve() {
    "$sim" serve "$tmp/scenario.yaml" --port "$port" --data "$tmp/data" >"$tmp/serve.out" 2>&1 &
    serve_pid=$!
    for _ in $(seq 1 300); do
        curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    cat "$tmp/serve.out" >&2
    exit 1
}
stop_serve() { kill -INT "$serve_pid"; wait "$serve_pid" 2>/dev/null || true; serve_pid=""; }

echo "== making the store's schema, then $messages messages and tries in bulk"
start_serve
stop_serve
python3 - "$tmp/data/sigfox-sim.sqlite" "$messages" <<'PY'
import sqlite3, sys, time
path, count = sys.argv[1], int(sys.argv[2])
db = sqlite3.connect(path)
db.execute("PRAGMA journal_mode=WAL")
start_ms = 1_767_225_600_000
receptions = '[{"station":"1D44","rssi":-98.5,"snr":21.3,"nbRep":3,"firstHeard":0}]'
line = ('{"time":%d,"delivery":%d,"callback":"uplink","service":"DATA/UPLINK","channel":"URL","attempt":1,'
        '"devices":["%X"],"request":null,"status":200,"message":"OK","response":"","outcome":"delivered",'
        '"nextTry":null,"latencyMs":1.00}')
t0 = time.time()
batch_m, batch_a = [], []
for i in range(1, count + 1):
    device = 0x100000 + (i % 1000)
    at = start_ms + i * 86_400_000 // count
    batch_m.append((i, "uplink", "%X" % device, "5f1d3a2b4c6e8f0a1b2c3d4e", i // 1000 % 4096, at, at - 3000,
                    "ff3842", 0, 3, "Good", 2, 0, 1, None, None, receptions, 1, 1, None, None, None))
    batch_a.append((i, i, "uplink", "5f1d3a2b4c6e8f0a1b2c3d4e", "DATA/UPLINK", 1, at, "%X" % device, at, 200,
                    "delivered", None, 1.0, None, line % (at, i, device), None, None))
    if len(batch_m) == 50_000 or i == count:
        db.executemany("INSERT INTO message VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", batch_m)
        db.executemany("INSERT INTO attempt VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", batch_a)
        db.commit()
        batch_m, batch_a = [], []
print(f"   filled in {time.time() - t0:.0f} s")
PY
start_serve
python3 - "$port" "$requests" <<'PY'
import base64, http.client, json, random, sys, time
port, requests = int(sys.argv[1]), int(sys.argv[2])
conn = http.client.HTTPConnection("127.0.0.1", port)
auth = {"Authorization": "Basic " + base64.b64encode(b"sigfox-sim:sigfox-sim").decode(), "Content-Type": "application/json"}
def call(method, path, body=None):
    t = time.perf_counter()
    conn.request(method, path, body=body, headers=auth)
    r = conn.getresponse(); data = r.read()
    return (time.perf_counter() - t) * 1000, r.status, data
def report(name, times):
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    print(f"{name:52s} p50 {pick(0.5):6.2f} ms   p99 {pick(0.99):6.2f} ms   max {times[-1]:6.2f} ms")
def measure(name, path_of, count=None):
    times = []
    for n in range((count or requests) + 20):
        path = path_of()
        elapsed, status, body = call("GET", path)
        assert status == 200, (path, status, body[:200])
        if n >= 20: times.append(elapsed)   # the first 20 warm the page cache
    report(name, times)
device = lambda: "%X" % (0x100000 + random.randrange(1000))
print(f"== {requests} requests each")
measure("GET /sim/attempts?limit=100", lambda: "/sim/attempts?limit=100")
measure("GET /sim/messages?device=X&limit=100", lambda: f"/sim/messages?device={device()}&limit=100")
measure("GET /sim/attempts?device=X&limit=100", lambda: f"/sim/attempts?device={device()}&limit=100")
measure("GET /v2/devices/{id}/messages?limit=100", lambda: f"/v2/devices/{device()}/messages?limit=100")
# The page after the first, as a client following paging.next asks it (absolute URL: keep path and query).
def next_page():
    _, status, body = call("GET", f"/v2/devices/{device()}/messages?limit=100")
    following = json.loads(body).get("paging", {}).get("next", "")
    return following[following.index("/v2/"):] if "/v2/" in following else f"/v2/devices/{device()}/messages?limit=100"
measure("GET paging.next of a device's messages (page 2)", next_page)
measure("GET /v2/device-types/{id}/messages?limit=100", lambda: "/v2/device-types/5f1d3a2b4c6e8f0a1b2c3d4e/messages?limit=100")
measure("GET /v2/devices?limit=100 (each with its last message)", lambda: f"/v2/devices?limit=100&offset={random.randrange(10) * 100}")
measure("GET / (the dashboard: counters, 50 messages)", lambda: "/", 200)
measure("GET /?page=100 (the dashboard, page 101)", lambda: "/?page=100", 200)
measure("GET /ui/devices (1,000 devices' last message)", lambda: "/ui/devices", 100)
print(f"== callbacks CRUD through /v2, {requests // 4} rounds of create, update, list, delete")
crud = {"create": [], "update": [], "list": [], "delete": []}
type_path = "/v2/device-types/5f1d3a2b4c6e8f0a1b2c3d4e/callbacks"
for n in range(requests // 4):
    body = json.dumps({"channel": "URL", "callbackType": 0, "callbackSubtype": 2, "enabled": True,
                       "url": "http://127.0.0.1:1/crud?d={device}", "httpMethod": "GET"})
    elapsed, status, data = call("POST", type_path, body); assert status == 201, data
    crud["create"].append(elapsed)
    id = json.loads(data)["id"]
    elapsed, status, data = call("PUT", f"{type_path}/{id}", json.dumps({"url": "http://127.0.0.1:1/changed"})); assert status == 204, data
    crud["update"].append(elapsed)
    elapsed, status, data = call("GET", type_path); assert status == 200, data
    crud["list"].append(elapsed)
    elapsed, status, data = call("DELETE", f"{type_path}/{id}"); assert status == 204, data
    crud["delete"].append(elapsed)
for name, times in crud.items():
    report(f"callbacks {name}", times)
report("callbacks CRUD, all requests", sum(crud.values(), []))
PY
stop_serve
