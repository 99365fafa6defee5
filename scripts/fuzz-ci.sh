#!/usr/bin/env bash
# Builds every cargo-fuzz target (fuzz/) and runs each for a short, bounded time from its
# committed seeds (fuzz/seeds/<target>), printing the executions per target. Any crash,
# hang (> 10 s for one input) or memory blow-up fails the script; the input that did it is
# kept under fuzz/artifacts/<target>/ and its reproduction command is printed.
#
#   FUZZ_SECONDS=N   seconds per target (default 20)
#   FUZZ_TARGETS=".." only these targets (default: all of `cargo fuzz list`)
#
# Needs a nightly toolchain and cargo-fuzz; on a fresh machine both are installed first
# (rustup toolchain install nightly --profile minimal; cargo install cargo-fuzz --locked).
# Longer runs: see fuzz/README.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

secs=${FUZZ_SECONDS:-20}
printf '\n==== %s ====\n' "Fuzzing: every cargo-fuzz target built, then run ${secs}s from its seeds"
work=$PWD/target/fuzz-ci
rm -rf "$work"
mkdir -p "$work"

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "fuzz-ci: no nightly toolchain; installing it (rustup, minimal profile)"
    rustup toolchain install nightly --profile minimal
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz-ci: cargo-fuzz missing; installing it"
    cargo install cargo-fuzz --locked
fi
echo "fuzz-ci: $(cargo +nightly --version), $(cargo +nightly fuzz --version)"

cd fuzz
targets=${FUZZ_TARGETS:-$(cargo +nightly fuzz list)}
echo "fuzz-ci: building $(echo $targets | wc -w) targets (AddressSanitizer, debug assertions)"
nice -n 5 cargo +nightly fuzz build

failed=()
summary=()
for t in $targets; do
    corpus=$work/corpus/$t
    mkdir -p "$corpus"
    seeds=seeds/$t
    [ -d "$seeds" ] || seeds=
    log=$work/$t.log
    echo "fuzz-ci: $t for ${secs}s (seeds: ${seeds:-none})"
    rc=0
    # New inputs go to the scratch corpus (first directory); the seeds are only read.
    timeout $((secs + 120)) cargo +nightly fuzz run "$t" "$corpus" $seeds -- \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        >"$log" 2>&1 || rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    added=$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -1)
    if [ "$rc" -ne 0 ]; then
        failed+=("$t")
        echo "fuzz-ci: $t FAILED (exit $rc); last lines of $log:"
        tail -n 40 "$log"
        summary+=("$(printf '%-14s %12s %10s %8s  FAILED' "$t" "${execs:-?}" "${rate:-?}" "${added:-?}")")
    else
        summary+=("$(printf '%-14s %12s %10s %8s  ok' "$t" "${execs:-?}" "${rate:-?}" "${added:-?}")")
    fi
done

echo
echo "fuzz-ci: ${secs}s per target"
printf '%-14s %12s %10s %8s  %s\n' target executions exec/s new result
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz-ci: FAILED: ${failed[*]} (inputs in fuzz/artifacts/<target>/; reproduce with"
    echo "         cd fuzz && cargo +nightly fuzz run <target> <artifact>)"
    exit 1
fi
echo "fuzz-ci: all $(echo $targets | wc -w) targets ran without a crash"
