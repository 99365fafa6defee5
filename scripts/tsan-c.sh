#!/usr/bin/env bash
# One-off ThreadSanitizer run of the C thread tests (tests/c: test_threads, test_async,
# test_v3) with libsnmpx itself instrumented. Needs the nightly toolchain (-Zsanitizer);
# not part of scripts/test.sh. gcc's libtsan provides the runtime; a three-line shim adds the
# __tsan_mem* entry points newer rustc emits and gcc 12's libtsan lacks.
# Prints each test's summary and ThreadSanitizer warning count; exits non-zero on any warning.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=target/tsan-c
mkdir -p "$out"
RUSTFLAGS="-Zsanitizer=thread -Cunsafe-allow-abi-mismatch=sanitizer" \
    timeout 1800 nice cargo +nightly build --release --lib \
    --target x86_64-unknown-linux-gnu --target-dir target/tsan
timeout 600 cargo build --release --example test_agent
cat >"$out/shim.c" <<'C'
#include <string.h>
void *__tsan_memcpy(void *d, const void *s, size_t n) { return memcpy(d, s, n); }
void *__tsan_memmove(void *d, const void *s, size_t n) { return memmove(d, s, n); }
void *__tsan_memset(void *d, int c, size_t n) { return memset(d, c, n); }
C
lib=target/tsan/x86_64-unknown-linux-gnu/release/libsnmpx.a
status=0
for t in test_threads test_async test_v3; do
    gcc -std=gnu11 -O1 -g -fsanitize=thread -fno-omit-frame-pointer -Iinclude \
        "tests/c/$t.c" "$out/shim.c" "$lib" -lpthread -ldl -lm -lrt -lutil -o "$out/$t"
    rc=0
    TSAN_OPTIONS="halt_on_error=0 suppressions=$PWD/tests/c/tsan.supp" \
        timeout 900 target/release/examples/test_agent "$out/$t" >"$out/$t.log" 2>&1 || rc=$?
    warnings=$(grep -c 'WARNING: ThreadSanitizer' "$out/$t.log" || true)
    echo "$t: exit $rc, $(grep -E '^[0-9]+ passed' "$out/$t.log" | tail -1), $warnings TSan warnings (log: $out/$t.log)"
    [[ $rc -eq 0 && $warnings -eq 0 ]] || status=1
done
exit $status
