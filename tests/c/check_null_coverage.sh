#!/usr/bin/env bash
# Usage: check_null_coverage.sh HEADER TEST_SOURCE. Fails if a function declared in the
# header is never called in the NULL-argument test (so new functions get covered).
set -euo pipefail
header=$1 test=$2
missing=0 total=0
for fn in $(sed -nE 's/^[A-Za-z_][A-Za-z0-9_ ]*[ *](snmpx_[a-z0-9_]+)\(.*/\1/p' "$header" | sort -u); do
    total=$((total + 1))
    if ! grep -q "\b$fn(" "$test"; then
        echo "not covered by $(basename "$test"): $fn" >&2
        missing=$((missing + 1))
    fi
done
echo "$((total - missing)) passed, $missing failed"
[[ $missing -eq 0 ]]
