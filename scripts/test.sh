#!/usr/bin/env bash
# The project's test command (README; also run by .ci/run): every test suite, each bounded
# in time. Interop tests start private Net-SNMP agents on loopback high ports (tests/common).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

banner() { printf '\n==== %s ====\n' "$*"; }

banner "cargo test --release (workspace: unit, integration, interop, doc tests)"
timeout 2400 cargo test --release --workspace

banner "C ABI: header check, CMake build, ctest against snmpd (tests/c)"
timeout 300 bash scripts/check-header.sh
build=target/cmake-ci
timeout 300 cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
timeout 1800 cmake --build "$build" -j2
timeout 900 ctest --test-dir "$build" --output-on-failure

banner "Go package (bindings/go): generated constants, gofmt, vet, go test -race against snmpd"
pcprefix=$(mktemp -d /tmp/snmpx-install.XXXXXX)
timeout 300 cmake --install "$build" --prefix "$pcprefix" >/dev/null
TEST_GO_PKGCONFIG=$pcprefix timeout 2400 bash scripts/test-go.sh
rm -rf "$pcprefix"

# ---------------------------------------------------------------------------------------
# Further suites go here, each wrapped in `timeout` and printing its runner's summary line:
#   - C++ wrapper tests:         cmake -S cpp_tests -B target/cpp_tests && ctest ...
#   - benchmark smoke runs:      bash bench/peers/build.sh && short runs of each peer
# ---------------------------------------------------------------------------------------
