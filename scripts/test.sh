#!/usr/bin/env bash
# The project's test command (README; also run by .ci/run): every test suite, each bounded
# in time. Interop tests start private Net-SNMP agents on loopback high ports (tests/common).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

banner() { printf '\n==== %s ====\n' "$*"; }

banner "cargo test --release (workspace: unit, integration, interop, doc tests)"
timeout 2400 cargo test --release --workspace

banner "C ABI and C++ wrapper: header check, CMake build, ctest against snmpd (tests/c, cpp_tests)"
timeout 300 bash scripts/check-header.sh
build=target/cmake-ci
timeout 300 cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
timeout 1800 cmake --build "$build" -j2
timeout 900 ctest --test-dir "$build" --output-on-failure

# The build above also built the C++ wrapper (bindings/cpp), its GoogleTest suite
# (cpp_tests, label "cpp", run by the ctest above), the header hygiene targets and the C++
# examples. Here the C++ suite runs again under sanitizers. The Rust library itself is not
# instrumented (stable Rust has no -Zsanitizer): ASan/UBSan check the C++ side and every
# allocation through the interceptors; TSan ignores what libsnmpx's own code does
# (cpp_tests/tsan.supp) and checks the wrapper's and the tests' C++ code.
banner "C++ wrapper tests under AddressSanitizer + UndefinedBehaviorSanitizer"
asan=target/cmake-asan
timeout 300 cmake -S . -B "$asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSNMPX_SANITIZE=address,undefined -DSNMPX_BUILD_EXAMPLES=OFF
timeout 1800 cmake --build "$asan" -j2
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    timeout 900 ctest --test-dir "$asan" -L cpp --output-on-failure

banner "C++ wrapper tests under ThreadSanitizer"
tsan=target/cmake-tsan
timeout 300 cmake -S . -B "$tsan" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSNMPX_SANITIZE=thread -DSNMPX_BUILD_EXAMPLES=OFF
timeout 1800 cmake --build "$tsan" -j2
TSAN_OPTIONS="halt_on_error=1 suppressions=$PWD/cpp_tests/tsan.supp" \
    timeout 900 ctest --test-dir "$tsan" -L cpp --output-on-failure

banner "Go package (bindings/go): generated constants, gofmt, vet, go test -race against snmpd"
# A fixed prefix: Go's build cache keeps the pkg-config link flags of earlier runs, so a new
# random prefix on every run leaves it linking against a directory that no longer exists.
pcprefix=$PWD/target/install-prefix
rm -rf "$pcprefix"
timeout 300 cmake --install "$build" --prefix "$pcprefix" >/dev/null
TEST_GO_PKGCONFIG=$pcprefix timeout 2400 bash scripts/test-go.sh

timeout 600 bash scripts/soak-ci.sh # soak: 60 s, 5,000 simulated devices with faults
timeout 1500 bash scripts/fuzz-ci.sh # every fuzz target, 20 s each from its seeds
timeout 2400 bash scripts/sanitize-ci.sh # overflow checks, Miri, valgrind on C examples

# ---------------------------------------------------------------------------------------
# Further suites go here, each wrapped in `timeout` and printing its runner's summary line:
#   - benchmark smoke runs:      bash bench/peers/build.sh && short runs of each peer
# ---------------------------------------------------------------------------------------
