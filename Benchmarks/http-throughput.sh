#!/usr/bin/env bash
# HTTP throughput: `sigfox-sim load` against wrk and hey, all three aimed at the same nginx on loopback.
#
# The script starts its own nginx (not the system service) from a temporary directory, on 127.0.0.1 and a
# free port, answering `204 No Content` to every request (POST bodies are read and discarded, keep-alive
# stays on). Every tool sends the same request: POST, Content-Type: application/json, a JSON body of the
# size `sigfox-sim load` reports as `bodyBytes` in a 1-second probe run. Then, --runs times, it runs wrk,
# hey, libcurl alone and `sigfox-sim load --rate max` (once per --engine-threads count) in turn for
# --duration seconds each at --concurrency connections, prints each run's figures, a table of medians and
# sigfox-sim's req/s ratio to each tool.
#
# `libcurl-c/N` is Benchmarks/curl-ceiling.c (built here with cc): libcurl's multi interface on N threads
# doing nothing per request but re-adding its handle, the same loop as sigfox-sim's engine. It is the
# ceiling of any engine that sends through libcurl on this machine; `sigfox-sim/N` is sigfox-sim with N
# engine threads, each running its own generator, scheduler and libcurl multi handle.
#
#   Benchmarks/http-throughput.sh                                   release build, 3 runs of 10 s, 64 conns
#   Benchmarks/http-throughput.sh --sigfox-sim .build-release/release/sigfox-sim --duration 5 --runs 5
#
# Options:
#   --duration SECONDS    length of each tool's run (default 10)
#   --concurrency N       connections kept open by each tool (default 64)
#   --runs N              rounds of wrk, hey, sigfox-sim; the table quotes medians (default 3)
#   --sigfox-sim PATH     binary to measure (default: `swift build -c release --product sigfox-sim
#                         --scratch-path .build-release`, then .build-release/release/sigfox-sim)
#   --engine-threads N,M  `sigfox-sim load --engine-threads` counts to measure, and the thread counts of
#                         the libcurl-c rows (default 1,2: one engine core, then sharded over two)
#   --wrk-threads N       wrk -t (default 1: on a 2-core machine nginx needs the other core)
#   --nginx-workers N     nginx worker_processes (default 1)
#   --help                this text
#
# Needs nginx-light, wrk, hey and python3 (Debian 12 packages): installed with apt-get when run as root,
# otherwise the script prints the apt-get line and exits 2.
#
# Latency: wrk and hey time each request from its send to its response on a fixed set of connections, a
# closed model (a new request only when one finishes). `--rate max` makes sigfox-sim load a closed model
# too, so its figures are `latency.service` (service time, from the actual send), not the latency from the
# intended send time that an open-model (fixed --rate) run would report. p50 and p99 are in milliseconds.
# The last two lines of the output are `ratio to hey: X` and `ratio to wrk: Y`, for sigfox-sim's best
# --engine-threads count (named on the line before them); the table has every count.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
    awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "${BASH_SOURCE[0]}"
}

die() { echo "http-throughput: $*" >&2; exit 1; }

duration=10
concurrency=64
runs=3
sim=""
engine_threads=1,2
wrk_threads=1
nginx_workers=1

while [ $# -gt 0 ]; do
    option="$1"
    value=""
    case "$option" in
        --help|-h) usage; exit 0 ;;
        --*=*) value="${option#*=}"; option="${option%%=*}" ;;
        --*)
            if [ $# -lt 2 ]; then echo "http-throughput: $option needs a value" >&2; exit 2; fi
            value="$2"; shift ;;
        *) echo "http-throughput: unexpected argument: $option (see --help)" >&2; exit 2 ;;
    esac
    shift
    case "$option" in
        --duration) duration="$value" ;;
        --concurrency) concurrency="$value" ;;
        --runs) runs="$value" ;;
        --sigfox-sim) sim="$value" ;;
        --engine-threads) engine_threads="$value" ;;
        --wrk-threads) wrk_threads="$value" ;;
        --nginx-workers) nginx_workers="$value" ;;
        *) echo "http-throughput: unknown option: $option (see --help)" >&2; exit 2 ;;
    esac
done

if ! [[ "$engine_threads" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]]; then
    echo "http-throughput: --engine-threads must be positive integers separated by commas, not '$engine_threads'" >&2
    exit 2
fi
IFS=, read -r -a thread_counts <<<"$engine_threads"
for pair in "duration:$duration" "concurrency:$concurrency" "runs:$runs" \
            "wrk-threads:$wrk_threads" "nginx-workers:$nginx_workers"; do
    if ! [[ "${pair#*:}" =~ ^[1-9][0-9]*$ ]]; then
        echo "http-throughput: --${pair%%:*} must be a positive integer, not '${pair#*:}'" >&2
        exit 2
    fi
done
for count in "${thread_counts[@]}"; do
    if [ "$count" -gt "$concurrency" ]; then
        echo "http-throughput: --engine-threads $count cannot exceed --concurrency ($concurrency)" >&2
        exit 2
    fi
done
if [ "$wrk_threads" -gt "$concurrency" ]; then
    echo "http-throughput: --wrk-threads ($wrk_threads) cannot exceed --concurrency ($concurrency)" >&2
    exit 2
fi

# --- state cleaned up on exit, whatever happens -------------------------------------------------------
tmp=""
nginx_pid=""
tool_pid=""
policy_rc_created=""
cleanup() {
    local status=$?
    set +e
    if [ -n "$policy_rc_created" ]; then rm -f /usr/sbin/policy-rc.d; fi
    # A tool still running (Ctrl-C during its run): its whole process group.
    if [ -n "$tool_pid" ]; then
        kill -TERM -- "-$tool_pid" 2>/dev/null
        wait "$tool_pid" 2>/dev/null
    fi
    if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
        kill -TERM "$nginx_pid" 2>/dev/null
        for _ in $(seq 1 50); do
            kill -0 "$nginx_pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$nginx_pid" 2>/dev/null; then
            pkill -KILL -P "$nginx_pid" 2>/dev/null   # its workers
            kill -KILL "$nginx_pid" 2>/dev/null
        fi
        wait "$nginx_pid" 2>/dev/null
    fi
    if [ -n "$tmp" ]; then rm -rf "$tmp"; fi
    exit "$status"
}
trap cleanup EXIT
# nginx and each tool run in sessions of their own (setsid), so a Ctrl-C reaches this script only: it stops
# at once, says so, and the cleanup above stops the tool and nginx. (Otherwise the terminal's SIGINT would
# reach them too, hey would print its figures and exit 0, and the script would go on and find nginx dead.)
trap 'echo "http-throughput: interrupted; nothing more is measured" >&2; exit 130' INT
trap 'exit 143' TERM

# --- dependencies -------------------------------------------------------------------------------------
nginx_check="command -v nginx || test -x /usr/sbin/nginx"
missing=()
eval "$nginx_check" >/dev/null 2>&1 || missing+=(nginx-light)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v hey >/dev/null 2>&1 || missing+=(hey)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "http-throughput: missing Debian packages: ${missing[*]}; install them with:" >&2
        echo "apt-get install -y ${missing[*]}"
        exit 2
    fi
    # Installing nginx would start the system service on port 80; this script runs its own nginx, so keep
    # the package's init script from starting anything (Debian's policy-rc.d, removed again right after).
    if [[ " ${missing[*]} " == *" nginx-light "* ]] && [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        policy_rc_created=1
    fi
    # shellcheck source=SCRIPTDIR/../scripts/lib.sh
    . "$root/scripts/lib.sh"
    require_debian_packages nginx-light "$nginx_check" wrk "command -v wrk" hey "command -v hey" \
        python3 "command -v python3"
    if [ -n "$policy_rc_created" ]; then rm -f /usr/sbin/policy-rc.d; policy_rc_created=""; fi
fi
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

# --- sigfox-sim ---------------------------------------------------------------------------------------
if [ -z "$sim" ]; then
    # shellcheck source=SCRIPTDIR/../scripts/lib.sh
    . "$root/scripts/lib.sh"
    build_release_sigfox_sim http-throughput
fi
[ -x "$sim" ] || die "sigfox-sim binary not found or not executable: $sim"

# --- libcurl alone ------------------------------------------------------------------------------------
tmp="$(mktemp -d "${TMPDIR:-/tmp}/http-throughput.XXXXXX")"
chmod 755 "$tmp"   # nginx workers run as nobody when the master is root
ceiling=""
compiler="${CC:-}"
if [ -z "$compiler" ]; then
    for candidate in cc clang gcc; do
        if command -v "$candidate" >/dev/null 2>&1; then compiler="$candidate"; break; fi
    done
fi
if [ -z "$compiler" ]; then
    echo "http-throughput: no C compiler (cc, clang or gcc): the libcurl-c rows are left out" >&2
elif ! "$compiler" -O2 -o "$tmp/curl-ceiling" "$root/Benchmarks/curl-ceiling.c" -lcurl -lpthread 2>"$tmp/cc.err"; then
    cat "$tmp/cc.err" >&2
    echo "http-throughput: $compiler could not build Benchmarks/curl-ceiling.c: the libcurl-c rows are left out" >&2
else
    ceiling="$tmp/curl-ceiling"
fi

# --- nginx --------------------------------------------------------------------------------------------
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
url="http://127.0.0.1:$port/"
worker_connections=$(( concurrency * 2 + 64 ))
[ "$worker_connections" -lt 1024 ] && worker_connections=1024
ulimit -n $(( worker_connections * 2 + 64 )) 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

temp_paths=""
for kind in client_body proxy fastcgi uwsgi scgi; do
    # nginx-light has no uwsgi/scgi modules: only name the temp paths of modules this binary has.
    case "$kind" in
        uwsgi|scgi) "$nginx_bin" -V 2>&1 | grep -q -- "--without-http_${kind}_module" && continue ;;
    esac
    temp_paths+="    ${kind}_temp_path $tmp/${kind}_temp;"$'\n'
done

cat >"$tmp/nginx.conf" <<EOF
daemon off;
worker_processes $nginx_workers;
worker_rlimit_nofile $(( worker_connections * 2 + 64 ));
pid $tmp/nginx.pid;
error_log $tmp/error.log warn;

events {
    worker_connections $worker_connections;
}

http {
    access_log off;
$temp_paths
    keepalive_requests 1000000;
    keepalive_timeout 75s;
    client_max_body_size 16m;
    client_body_buffer_size 64k;

    server {
        listen 127.0.0.1:$port backlog=4096;
        # Every method, every path, any body: nginx reads and discards the body before answering, so the
        # connection stays usable for the next request.
        location / {
            return 204;
        }
    }
}
EOF

"$nginx_bin" -t -q -p "$tmp/" -e "$tmp/error.log" -c "$tmp/nginx.conf" >&2 \
    || die "nginx rejected its configuration ($tmp/nginx.conf)"
setsid -w "$nginx_bin" -p "$tmp/" -e "$tmp/error.log" -c "$tmp/nginx.conf" </dev/null >"$tmp/nginx.out" 2>&1 &
nginx_pid=$!
if ! python3 - "$port" <<'EOF'
import socket, sys, time
deadline = time.time() + 10
while time.time() < deadline:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=0.5).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
EOF
then
    cat "$tmp/nginx.out" "$tmp/error.log" >&2 2>/dev/null || true
    die "nginx did not start listening on 127.0.0.1:$port"
fi
kill -0 "$nginx_pid" 2>/dev/null || die "nginx exited at startup: $(cat "$tmp/nginx.out" "$tmp/error.log" 2>/dev/null)"
echo "nginx: $url (pid $nginx_pid, $nginx_workers worker(s))"

# --- the request --------------------------------------------------------------------------------------
if ! "$sim" load --target "$url" --rate max --concurrency 1 --duration 1 --no-progress --json \
        >"$tmp/probe.json" 2>"$tmp/probe.err"; then
    cat "$tmp/probe.err" >&2
    die "the sigfox-sim load probe run failed"
fi
body_bytes="$(python3 - "$tmp/probe.json" <<'EOF'
import json, sys
value = json.load(open(sys.argv[1]))["bodyBytes"]
print(int(round(float(value))))
EOF
)" || { cat "$tmp/probe.json" >&2; die "no bodyBytes in sigfox-sim load --json output (above)"; }

python3 - "$body_bytes" "$tmp/body.json" "$tmp/request.lua" <<'EOF'
import sys
size, body_path, lua_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
head, tail = '{"device":"10000A","data":"', '"}'
if size >= len(head) + len(tail):
    body = head + "x" * (size - len(head) - len(tail)) + tail
elif size >= 2:
    body = "{" + " " * (size - 2) + "}"
else:
    sys.exit(f"bodyBytes {size} is too small for a JSON body")
assert len(body.encode()) == size
open(body_path, "w").write(body)
open(lua_path, "w").write(
    'wrk.method = "POST"\n'
    f'wrk.body = [[{body}]]\n'
    'wrk.headers["Content-Type"] = "application/json"\n'
)
EOF
echo "request: POST, Content-Type: application/json, ${body_bytes}-byte body"
echo "settings: ${duration}s per tool, $concurrency connections, $runs run(s), wrk -t$wrk_threads," \
     "sigfox-sim --engine-threads $engine_threads"

# --- runs ---------------------------------------------------------------------------------------------
results="$tmp/results.tsv"
: >"$results"

# record TOOL RUN: parses $tmp/TOOL.out (TOOL is wrk, hey, libcurl-c/N or sigfox-sim/N), prints the raw line and appends "tool<TAB>rps<TAB>p50<TAB>p99".
record() {
    python3 - "$1" "$2" "$tmp/${1/\//-}.out" "$results" <<'EOF'
import json, re, sys
tool, run, path, results = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
text = open(path).read()
notes = []

def fail(why):
    sys.stderr.write(text + "\n")
    sys.exit(f"http-throughput: cannot read {tool}'s output (above): {why}")

def wrk_ms(value):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", value)
    if not match:
        fail(f"latency {value!r}")
    return float(match[1]) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000, "h": 3600000}[match[2]]

if tool == "wrk":
    rps = re.search(r"^Requests/sec:\s*([\d.]+)", text, re.M)
    p50 = re.search(r"^\s*50(?:\.0+)?%\s+(\S+)", text, re.M)
    p99 = re.search(r"^\s*99(?:\.0+)?%\s+(\S+)", text, re.M)
    if not (rps and p50 and p99):
        fail("no Requests/sec or 50%/99% lines")
    rps, p50, p99 = float(rps[1]), wrk_ms(p50[1]), wrk_ms(p99[1])
    for pattern in (r"Socket errors:[^\n]*", r"Non-2xx or 3xx responses:[^\n]*"):
        found = re.search(pattern, text)
        if found:
            notes.append(found[0].strip())
elif tool == "hey":
    rps = re.search(r"Requests/sec:\s*([\d.]+)", text)
    p50 = re.search(r"50% in ([\d.]+) secs", text)
    p99 = re.search(r"99% in ([\d.]+) secs", text)
    if not (rps and p50 and p99):
        fail("no Requests/sec or 50%/99% latency lines")
    rps, p50, p99 = float(rps[1]), float(p50[1]) * 1000, float(p99[1]) * 1000
    codes = re.findall(r"\[(\d{3})\]\s+(\d+) responses", text)
    other = [f"{n} x {c}" for c, n in codes if c != "204"]
    if other:
        notes.append("non-204 responses: " + ", ".join(other))
    if "Error distribution:" in text:
        notes.append("errors: " + " ".join(text.split("Error distribution:", 1)[1].split())[:200])
elif tool.startswith("libcurl-c"):
    try:
        data = json.loads(text)
        rps, p50, p99 = float(data["perSecond"]), float(data["p50"]), float(data["p99"])
        if data["errors"]:
            notes.append(f"{data['errors']} errors")
    except (ValueError, KeyError, TypeError) as error:
        fail(f"{type(error).__name__}: {error}")
else:
    try:
        data = json.loads(text)
        rps = float(data["requests"]["perSecond"])
        p50 = float(data["latency"]["service"]["p50Ms"])
        p99 = float(data["latency"]["service"]["p99Ms"])
    except (ValueError, KeyError, TypeError) as error:
        fail(f"{type(error).__name__}: {error}")

line = f"run {run}  {tool:<13} req/s {rps:>10.1f}   p50 {p50:8.3f} ms   p99 {p99:8.3f} ms"
if notes:
    line += "   (" + "; ".join(notes) + ")"
print(line, flush=True)
with open(results, "a") as out:
    out.write(f"{tool}\t{rps}\t{p50}\t{p99}\n")
EOF
}

# run_tool TOOL RUN COMMAND...: runs the command, output to $tmp/TOOL.out, stops the script if it fails.
run_tool() {
    local tool="$1" run="$2" file="${1/\//-}"
    shift 2
    # In the background and waited for, so that a Ctrl-C interrupts the wait at once (bash runs a trap
    # only when the foreground command has finished).
    setsid -w "$@" </dev/null >"$tmp/$file.out" 2>"$tmp/$file.err" &
    tool_pid=$!
    local status=0
    wait "$tool_pid" || status=$?
    tool_pid=""
    if [ "$status" -ne 0 ]; then
        cat "$tmp/$file.out" "$tmp/$file.err" >&2
        die "$tool failed (run $run, exit $status): $*"
    fi
    kill -0 "$nginx_pid" 2>/dev/null || die "nginx died during $tool's run $run: $(cat "$tmp/error.log" 2>/dev/null)"
    record "$tool" "$run"
}

for run in $(seq 1 "$runs"); do
    run_tool wrk "$run" wrk -t"$wrk_threads" -c"$concurrency" -d"${duration}s" --latency \
        -s "$tmp/request.lua" "$url"
    run_tool hey "$run" hey -z "${duration}s" -c "$concurrency" -m POST -T application/json \
        -D "$tmp/body.json" "$url"
    for count in "${thread_counts[@]}"; do
        if [ -n "$ceiling" ]; then
            run_tool "libcurl-c/$count" "$run" "$ceiling" "$url" "$tmp/body.json" "$concurrency" "$duration" "$count"
        fi
        run_tool "sigfox-sim/$count" "$run" "$sim" load --target "$url" --rate max --concurrency "$concurrency" \
            --duration "$duration" --engine-threads "$count" --no-progress --json
    done
done

# --- medians ------------------------------------------------------------------------------------------
echo
python3 - "$results" "$runs" <<'EOF'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    tool, *figures = line.split("\t")
    rows.setdefault(tool, []).append([float(x) for x in figures])
runs = int(sys.argv[2])
median = {tool: [statistics.median(column) for column in zip(*values)] for tool, values in rows.items()}
title = "medians" if runs > 1 else "figures"
print(f"{title} of {runs} run(s):")
print(f"{'tool':<15}{'req/s':<11}{'p50 ms':<9}{'p99 ms':<9}vs hey  vs wrk")
for tool, (rps, p50, p99) in median.items():
    against = "  ".join(f"{rps / median[other][0]:5.2f}" if median[other][0] > 0 else "  n/a" for other in ("hey", "wrk"))
    print(f"{tool:<15}{rps:<11.0f}{p50:<9.3f}{p99:<9.3f}{against}")
for tool in median:
    if tool.startswith("sigfox-sim/") and "libcurl-c/" + tool.split("/")[1] in median:
        ceiling = median["libcurl-c/" + tool.split("/")[1]][0]
        print(f"{tool} reaches {median[tool][0] / ceiling:.0%} of libcurl alone on as many threads")
print()
best = max((tool for tool in median if tool.startswith("sigfox-sim/")), key=lambda tool: median[tool][0])
print(f"best sigfox-sim: --engine-threads {best.split('/')[1]}")
sim = median[best][0]
for tool in ("hey", "wrk"):
    other = median[tool][0]
    ratio = f"{sim / other:.2f}" if other > 0 else "n/a"
    print(f"ratio to {tool}: {ratio}")
EOF
