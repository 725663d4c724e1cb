#!/usr/bin/env bash
# The HTML report's screenshot (Benchmarks/load-report.png): `sigfox-sim load --html` against a receiver
# with an outage, then the page rendered by headless Chromium.
#
# The receiver is a small Python server on 127.0.0.1 (a free port) whose answers follow the clock from its
# first request: 0-6 s 200 (1 % 500); 6-11 s an outage (70 % 503, 20 % 500, 10 % connection reset);
# from 11 s 200 again with 5 % 404, and every answer 14.0-14.5 s delayed 300 ms (one spike, which puts
# the latency chart on a log scale). --time scaled:60 brings Sigfox's 1, 2, 4 min retries into the run.
#
#   Benchmarks/load-report.sh                                   release build, writes Benchmarks/load-report.png
#   Benchmarks/load-report.sh --sigfox-sim .build/release/sigfox-sim --png /tmp/x.png --html /tmp/x.html
#
# Options:
#   --sigfox-sim PATH   binary to run (default: the release build in .build-release)
#   --png FILE          the screenshot (default Benchmarks/load-report.png)
#   --html FILE         also keep the page there (default: a temporary file, removed)
#   --help              this text
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
sim=""
png="$here/load-report.png"
html=""
while [ $# -gt 0 ]; do
    case "$1" in
        --sigfox-sim) sim="$2"; shift 2 ;;
        --png) png="$2"; shift 2 ;;
        --html) html="$2"; shift 2 ;;
        --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "load-report.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
if [ -z "$sim" ]; then
    # shellcheck source=../scripts/lib.sh
    . "$here/../scripts/lib.sh"
    build_release_sigfox_sim load-report.sh
fi
command -v chromium >/dev/null || { echo "load-report.sh: needs chromium (apt-get install chromium)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'kill "$receiver" 2>/dev/null || true; rm -rf "$work"' EXIT
cat >"$work/receiver.py" <<'PY'
import http.server, random, socket, struct, sys, time
random.seed(7)
first = None
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def do_POST(self):
        global first
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        now = time.monotonic()
        first = first or now
        t, roll = now - first, random.random()
        status = 500 if roll < 0.01 else 200
        if 6 <= t < 11:
            if roll < 0.1:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                return
            status = 503 if roll < 0.8 else 500
        elif t >= 11:
            status = 404 if roll < 0.05 else 200
            if 14 <= t < 14.5: time.sleep(0.3)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
PY
python3 "$work/receiver.py" >"$work/port" &
receiver=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port="$(cat "$work/port")"
html="${html:-$work/report.html}"

# Two thresholds, so the page leads with its verdict; the outage fails the second (load exits 1 then).
status=0
"$sim" load --target "http://127.0.0.1:$port/sigfox" --rate 300 --duration 20.5s --time scaled:60 \
    --concurrency 64 --no-progress --threshold 'p99<500ms' --threshold 'errors<1%' --html "$html" || status=$?
[ "$status" -le 1 ] || exit "$status"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,2350 \
    --screenshot="$png" "file://$(realpath "$html")" 2>/dev/null
echo "load-report.sh: wrote $png" >&2
