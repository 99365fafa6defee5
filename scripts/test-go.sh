#!/usr/bin/env bash
# The Go package's suite (bindings/go, examples/go), run by scripts/test.sh: generated
# constants match the C header, gofmt, go vet, then `go test -race` against a real Net-SNMP
# snmpd started by examples/test_agent (v1, v2c, every v3 user of the harness agent) and
# `snmpx sim` (scale tests), including the godoc examples. With TEST_GO_PKGCONFIG=PREFIX
# (an install prefix of `cmake --install`), the package is also built and its unit tests
# run with `-tags snmpx_pkgconfig` against that installed library.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export GOTOOLCHAIN=local GOFLAGS=-mod=readonly

[ -x /usr/local/go/bin/go ] && PATH=$PATH:/usr/local/go/bin
command -v go >/dev/null || { echo "test-go.sh: the Go toolchain is not installed" >&2; exit 1; }
echo "test-go.sh: $(go version)"
# the shared library, the simulator and the agent launcher
nice timeout 1800 cargo build --release --lib --bin snmpx --example test_agent

bash scripts/check-go-generated.sh

for dir in bindings/go examples/go; do
    unformatted=$(cd "$dir" && gofmt -l .)
    if [ -n "$unformatted" ]; then
        echo "test-go.sh: gofmt -l in $dir lists:" >&2
        echo "$unformatted" >&2
        exit 1
    fi
    (cd "$dir" && timeout 600 go vet ./...)
done
(cd examples/go && timeout 600 go build -o "$root/target/release/examples/go-fleet" ./fleet)
# the examples' own unit tests (the fleet example's JSON lines match encoding/json's)
(cd examples/go && timeout 600 go test -count=1 ./...)

(cd bindings/go && timeout 900 "$root/target/release/examples/test_agent" go test -race -count=1 -v ./... >"$root/target/go-test.log" 2>&1) || status=$?
grep -E '^(--- FAIL|FAIL|ok|panic)' "$root/target/go-test.log" || true
passed=$(grep -c -- '^--- PASS' "$root/target/go-test.log" || true)
failed=$(grep -c -- '^--- FAIL' "$root/target/go-test.log" || true)
if [ "${status:-0}" -ne 0 ]; then
    grep -B2 -A20 -- '--- FAIL' "$root/target/go-test.log" | head -150 >&2 || true
    echo "go test: $passed passed, $failed failed (log: target/go-test.log)" >&2
    exit "${status}"
fi

if [ -n "${TEST_GO_PKGCONFIG:-}" ]; then
    pc=$(dirname "$(find "$TEST_GO_PKGCONFIG" -name snmpx.pc | head -1)")
    libdir=$(dirname "$pc")
    # snmpx.pc names the prefix CMake was configured with, not the one `cmake --install
    # --prefix` copied to: let pkgconf derive the prefix from the file's location.
    wrapper=$(mktemp /tmp/snmpx-pkgconfig.XXXXXX)
    printf '#!/bin/sh\nexec pkg-config --define-prefix "$@"\n' >"$wrapper"
    chmod +x "$wrapper"
    (cd bindings/go && PKG_CONFIG="$wrapper" PKG_CONFIG_PATH="$pc" LD_LIBRARY_PATH="$libdir" \
        timeout 600 go test -tags snmpx_pkgconfig -count=1 -run 'ParseOID|OIDOrder|CodesMatchLibrary|ErrorMatching' .) ||
        { rm -f "$wrapper"; exit 1; }
    rm -f "$wrapper"
    echo "test-go.sh: built and tested with -tags snmpx_pkgconfig against $TEST_GO_PKGCONFIG"
fi
echo "go test: $passed passed, $failed failed"
