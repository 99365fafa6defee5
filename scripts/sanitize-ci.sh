#!/usr/bin/env bash
# Sanitizers and tools beyond the sanitizer runs of the C++ suite in scripts/test.sh:
#   1. the library's unit tests and the codec tests in the dev profile, where integer
#      overflow panics (overflow-checks) and debug assertions are on;
#   2. Miri (undefined behaviour, invalid pointer use, leaks) on the codec and engine unit
#      tests, if Miri can be installed for the nightly toolchain (skipped with a message
#      otherwise);
#   3. valgrind memcheck on the C examples (examples/c) against a private snmpd: invalid
#      reads/writes, uninitialised values and leaks (scripts/valgrind.supp lists the one
#      documented exception).
# `go test -race` runs in scripts/test-go.sh.
#
# Run after the CMake build of scripts/test.sh (target/cmake-ci); it is built here if missing.
#   MIRI_SECONDS=N  bound of the Miri test run (default 600)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

banner() { printf '\n---- %s ----\n' "$*"; }
printf '\n==== %s ====\n' "Sanitizers and tools: overflow checks, Miri, valgrind (scripts/sanitize-ci.sh)"

banner "unit and codec tests with overflow checks (dev profile)"
# The dev profile has overflow-checks and debug-assertions on; the release suite has neither.
timeout 1200 nice -n 5 cargo test --lib --test codec --test v3_message

banner "Miri: codec and engine unit tests"
# Selected: the BER, OID, PDU and value codecs, the SNMPv3 framing, report and clock tests, and
# the engine's v1/v2c scenarios (none opens a socket or starts a thread). Left out because
# they take minutes each under Miri, not because they fail there: everything that hashes or
# encrypts in a loop (pass-phrase expansion is a 1 MiB hash, RFC 3414 A.2.1; the MAC and
# privacy tests flip every byte or cover every protocol; the SNMPv3 engine tests derive keys)
# and the four longest engine scenarios (2,000 requests, 100-row walks).
miri_ok=1
if ! cargo +nightly miri --version >/dev/null 2>&1; then
    echo "sanitize-ci: Miri missing; trying: rustup +nightly component add miri rust-src"
    rustup +nightly component add miri rust-src || miri_ok=0
fi
if [ "$miri_ok" = 1 ] && timeout 900 cargo +nightly miri setup >/dev/null 2>&1; then
    v3=message::v3::tests
    timeout "${MIRI_SECONDS:-600}" nice -n 5 cargo +nightly miri test \
        --lib -- ber:: oid:: value:: pdu:: engine:: $v3::misc:: $v3::incoming::header_ranges \
        $v3::incoming::malformed_headers $v3::outgoing::discovery_request \
        $v3::outgoing::encode_checks \
        --skip keys_derive_from_a_cache --skip engine::tests_v3 --skip large_get_is_split \
        --skip request_ids_are_unique --skip walk_limits_are_errors --skip walks_stop_at_subtree_end
else
    echo "sanitize-ci: SKIPPED Miri: it cannot be installed or set up for $(cargo +nightly --version 2>/dev/null || echo 'the nightly toolchain (missing)')"
fi

banner "valgrind memcheck on the C examples against snmpd"
build=target/cmake-ci
if [ ! -x "$build/examples/c/snmpx_walk" ]; then
    timeout 300 cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
    timeout 1800 cmake --build "$build" -j2
fi
agent=target/release/examples/test_agent
[ -x "$agent" ] || timeout 900 cargo build --release --example test_agent
vg="valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible"
vg="$vg --errors-for-leak-kinds=definite,indirect,possible --suppressions=$PWD/scripts/valgrind.supp"
ex=$PWD/$build/examples/c
# The launcher starts a private snmpd and exports its address as SNMPX_TEST_AGENT; a
# memcheck error makes valgrind exit 99, and any failure (pipes included) fails the shell.
timeout 600 "$agent" bash -ec "
    set -o pipefail
    echo '[valgrind] snmpx_walk --bulk (v2c, streaming walk)'
    $vg $ex/snmpx_walk --bulk -v2c -c public -Cr5 \"\$SNMPX_TEST_AGENT\" 1.3.6.1.2.1.1 | tail -n 2
    echo '[valgrind] snmpx_get (SNMPv3 authPriv SHA/AES: discovery, keys, encryption)'
    $vg $ex/snmpx_get -v3 -l authPriv -u priv_sha_aes -a SHA -A priv_sha_aes-authpass \
        -x AES -X priv_sha_aes-privpass \"\$SNMPX_TEST_AGENT\" 1.3.6.1.2.1.1.5.0
    echo '[valgrind] snmpx_get with a usage error (error objects freed)'
    rc=0; $vg $ex/snmpx_get -v3 -u x -A short \"\$SNMPX_TEST_AGENT\" 1.3 || rc=\$?
    test \"\$rc\" -eq 2
    echo '[valgrind] snmpx_poller (completion queue, 2 rounds x 6 targets, threads)'
    a=\$SNMPX_TEST_AGENT
    $vg $ex/snmpx_poller -R 2 -W 4 -v2c -c public -t 2 -r 2 -- \$a \$a \$a \$a \$a \$a | tail -n 2
"
echo "sanitize-ci: valgrind: no memory errors, no leaks"
