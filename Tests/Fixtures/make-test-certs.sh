#!/usr/bin/env bash
# Makes a throw-away test CA, a server certificate it signs for 127.0.0.1/localhost, and a
# self-signed certificate for the same names, in the folder given as $1. Used by the TLS tests.
set -euo pipefail
out="$1"
mkdir -p "$out"
cd "$out"
quiet() { "$@" >/dev/null 2>&1; }
quiet openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=sigfox-sim test CA" \
    -keyout ca.key -out ca.pem
quiet openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n' > server.ext
quiet openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
    -extfile server.ext -out server.pem
quiet openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout self.key -out self.pem
# An expired certificate (its validity ends before it begins) and one for another host, both from the CA.
quiet openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout expired.key -out expired.csr
quiet openssl x509 -req -in expired.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days -1 \
    -extfile server.ext -out expired.pem
printf 'subjectAltName=DNS:elsewhere.invalid\nbasicConstraints=CA:FALSE\n' > elsewhere.ext
quiet openssl req -newkey rsa:2048 -nodes -subj "/CN=elsewhere.invalid" -keyout elsewhere.key -out elsewhere.csr
quiet openssl x509 -req -in elsewhere.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
    -extfile elsewhere.ext -out elsewhere.pem
