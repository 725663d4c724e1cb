#!/usr/bin/env python3
"""Mutation fuzzing of sigfox-sim's inputs: scenarios, callbacks, payloadConfigs and journals.

    Tests/Fuzz/fuzz.py [--cases N] [--seconds S] [--seed K] [--binary PATH]

Takes the project's own files as seeds (Scenarios/*.yaml, Scenarios/callbacks/*, Tests/Fixtures/api-v2/*,
Scenarios/golden/*.jsonl, payloadConfigs), mutates them (bytes flipped, removed, inserted; lines repeated
or dropped; numbers made huge, negative or tiny; keys duplicated; line breaks, NUL, '..' and non-UTF-8
bytes inserted) and runs the command that reads each under a timeout: `run --time virtual`, `render`,
`decode`, `replay --target` (loopback only, port 1). Every case must end by itself with exit 0, 1 or 2:

- a crash (a signal, or exit 132/134/139) or a hang (the timeout) fails the run (exit 1);
- an exit 2 whose message does not name the file (and, for content errors, the line) is reported as
  "without a position" but does not fail it.

Bounded in count (--cases, default 300) and time (--seconds, default 240). The last line is
`fuzz: N passed, N failed` (cases without a crash or a hang, and with one).
"""
import argparse
import glob
import os
import random
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOKENS = [
    b"1e300", b"-1e300", b"99999999999999999999", b"-9223372036854775808", b"1e-320", b"NaN", b"-1", b"0",
    b"..", b"../", b"/proc/self/environ", b"\r\n", b"\n", b"\x00", b"\xff\xfe", b"{", b"}", b"[", b"]", b":",
    b",", b"'", b'"', b"{receiver}", b"{customData#x}", b"{", b"\xe2\x82", b"\t", b"&a", b"*a", b"!!binary",
    b"count: 1000000000", b"every: 1ms", b"+99999999999999h", b"scaled:1e-300", b"\x1b[2J",
]
PAYLOAD_CONFIGS = [
    "temp::int:16 hum::uint:8", "b1::bool:7 b2::bool:6 i1:1:uint:16", "str::char:6 i1::uint:16 i2::uint:32",
    "t::float:32", "x::uint:12:little-endian", "v::int:64",
]


def mutate(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(7)
        position = rng.randrange(len(data) + 1) if data else 0
        if choice == 0 and data:
            data[min(position, len(data) - 1)] = rng.randrange(256)
        elif choice == 1 and data:
            del data[position:position + rng.randint(1, 8)]
        elif choice == 2:
            data[position:position] = rng.choice(TOKENS)
        elif choice == 3:
            lines = bytes(data).split(b"\n")
            if lines:
                line = rng.randrange(len(lines))
                lines.insert(line, lines[line])
                data = bytearray(b"\n".join(lines))
        elif choice == 4:
            lines = bytes(data).split(b"\n")
            if len(lines) > 1:
                del lines[rng.randrange(len(lines))]
                data = bytearray(b"\n".join(lines))
        elif choice == 5:
            numbers = list(re.finditer(rb"\b\d+(\.\d+)?\b", bytes(data)))
            if numbers:
                match = rng.choice(numbers)
                data[match.start():match.end()] = rng.choice([b"99999999999999999999", b"1e300", b"-7", b"0", b"1e-320"])
        else:
            data = data[: rng.randrange(len(data) + 1)]
    return bytes(data)


def cases(rng: random.Random):
    scenarios = sorted(glob.glob(os.path.join(ROOT, "Scenarios", "*.yaml")))
    callbacks = sorted(glob.glob(os.path.join(ROOT, "Scenarios", "callbacks", "uplink-*")))
    callbacks += sorted(glob.glob(os.path.join(ROOT, "Tests", "Fixtures", "api-v2", "*callback*")))
    journals = sorted(glob.glob(os.path.join(ROOT, "Scenarios", "golden", "*.jsonl")))
    message = os.path.join(ROOT, "Scenarios", "callbacks", "message.json")
    kinds = [("scenario", scenarios), ("callback", callbacks), ("journal", journals), ("payloadConfig", None)]
    while True:
        kind, seeds = rng.choice([k for k in kinds if k[1] is None or k[1]])
        if kind == "payloadConfig":
            config = mutate(rng.choice(PAYLOAD_CONFIGS).encode(), rng).decode("utf-8", "replace").replace("\x00", "")
            data = "".join(rng.choice("0123456789abcdef") for _ in range(rng.choice([0, 2, 4, 8, 24, 26])))
            yield kind, None, ["decode", "--config", config, "--data", data]
            continue
        seed = rng.choice(seeds)
        with open(seed, "rb") as handle:
            original = handle.read()
        suffix = os.path.splitext(seed)[1]
        yield kind, (mutate(original, rng), suffix), {
            "scenario": lambda path: ["run", path, "--time", "virtual", "--no-progress"],
            "callback": lambda path: ["render", "--callback", path, "--message", message],
            "journal": lambda path: ["replay", path, "--speed", "max", "--target", "http://127.0.0.1:1/", "--no-progress"],
        }[kind]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=240)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "debug", "sigfox-sim"))
    parser.add_argument("--timeout", type=float, default=20)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.monotonic()
    counts = {"cases": 0, "crashes": 0, "hangs": 0, "without position": 0, "exit 0": 0, "exit 1": 0, "exit 2": 0}
    failures = []
    with tempfile.TemporaryDirectory(prefix="sigfox-fuzz-") as folder:
        for index, (kind, content, command) in enumerate(cases(rng)):
            if index >= args.cases or time.monotonic() - started > args.seconds:
                break
            path = None
            if content is not None:
                data, suffix = content
                path = os.path.join(folder, f"case{index}{suffix}")
                with open(path, "wb") as handle:
                    handle.write(data)
                command = command(path)
            counts["cases"] += 1
            try:
                result = subprocess.run([args.binary] + command, stdin=subprocess.DEVNULL, capture_output=True,
                                        timeout=args.timeout, cwd=ROOT)
            except subprocess.TimeoutExpired:
                counts["hangs"] += 1
                failures.append((f"hang after {args.timeout:.0f} s", kind, command, path))
                continue
            code = result.returncode
            if code < 0 or code >= 128:
                counts["crashes"] += 1
                tail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
                failures.append((f"crash (exit {code}): {' | '.join(tail)}", kind, command, path))
                continue
            counts[f"exit {code}"] = counts.get(f"exit {code}", 0) + 1
            if code == 2 and path is not None:
                error = result.stderr.decode("utf-8", "replace")
                # A content error names the file and a line; "does not exist"-like ones name the file.
                if os.path.basename(path) not in error:
                    counts["without position"] += 1
            if path:
                os.remove(path)
        print(f"fuzz: seed {args.seed}, {counts['cases']} cases in {time.monotonic() - started:.0f} s: "
              f"exit 0 {counts['exit 0']}, exit 1 {counts['exit 1']}, exit 2 {counts['exit 2']}; "
              f"{counts['crashes']} crashes, {counts['hangs']} hangs, "
              f"{counts['without position']} messages without a position")
        for reason, kind, command, path in failures[:20]:
            print(f"  {reason}: {kind}: sigfox-sim {' '.join(command)}")
            if path and os.path.exists(path):
                kept = os.path.join(tempfile.gettempdir(), os.path.basename(path))
                os.replace(path, kept)
                print(f"    input kept in {kept}")
    bad = counts["crashes"] + counts["hangs"]
    print(f"fuzz: {counts['cases'] - bad} passed, {bad} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
