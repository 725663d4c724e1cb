# Shared by scripts/sigfox-sim and scripts/test: installs what the build needs, or says what to install.
# Sourced, not run.

# require_debian_packages PACKAGE CHECK-COMMAND [PACKAGE CHECK-COMMAND ...]
# For each pair whose check fails, installs the Debian package with apt-get when running as root;
# otherwise prints the exact command to run and exits 1.
require_debian_packages() {
    local missing=()
    while [ $# -ge 2 ]; do
        if ! eval "$2" >/dev/null 2>&1; then missing+=("$1"); fi
        shift 2
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "sigfox-sim: installing ${missing[*]} with apt-get ..." >&2
        export DEBIAN_FRONTEND=noninteractive
        if ! apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; then
            apt-get update -qq >/dev/null 2>&1 || true
            apt-get install -y -qq "${missing[@]}" >&2 || {
                echo "sigfox-sim: apt-get could not install ${missing[*]}" >&2
                exit 1
            }
        fi
    else
        echo "sigfox-sim: missing Debian packages: ${missing[*]}" >&2
        echo "  install them with:  sudo apt-get install ${missing[*]}" >&2
        exit 1
    fi
}

require_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        echo "sigfox-sim: the Swift toolchain (6.0 or newer) is not on PATH; see https://www.swift.org/install/linux/" >&2
        exit 1
    fi
}

# libcurl's development files: the CCurl module links against them.
require_libcurl() {
    require_debian_packages libcurl4-openssl-dev "pkg-config --exists libcurl || test -f /usr/include/x86_64-linux-gnu/curl/curl.h || test -f /usr/include/curl/curl.h"
    if ! command -v pkg-config >/dev/null 2>&1; then
        require_debian_packages pkg-config "command -v pkg-config"
    fi
}

# build_release_sigfox_sim NAME
# Builds sigfox-sim optimised in .build-release (what the benchmarks measure) and sets `sim` to the binary.
# NAME (the calling script) starts the progress line, on standard error.
build_release_sigfox_sim() {
    local top
    top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    require_swift
    require_libcurl
    echo "$1: building sigfox-sim (release, .build-release) ..." >&2
    (cd "$top" && swift build -c release --product sigfox-sim --scratch-path "$top/.build-release" >&2)
    sim="$top/.build-release/release/sigfox-sim"
}
