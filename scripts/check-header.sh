#!/usr/bin/env bash
# Fails if include/snmpx.h differs from what scripts/gen-header.sh generates now (the
# committed header must match src/ffi and Cargo.toml's version).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bash scripts/gen-header.sh "$tmp/snmpx.h"
if ! diff -u include/snmpx.h "$tmp/snmpx.h"; then
    echo "error: include/snmpx.h is out of date; run scripts/gen-header.sh and commit it" >&2
    exit 1
fi
echo "include/snmpx.h is up to date"

# Every C name the header declares must carry the library prefix (DESIGN.md "Names").
names() {
    local h=include/snmpx.h
    # macros the header defines (those of the compiler and the system headers it includes
    # removed)
    comm -13 <(printf '#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n' |
        cc -dM -E -x c - | awk '{print $2}' | sed 's/(.*//' | sort -u) \
        <(cc -dM -E -Iinclude -x c "$h" | awk '{print $2}' | sed 's/(.*//' | sort -u)
    sed -nE 's/^  ([A-Za-z_][A-Za-z0-9_]*) = .*/\1/p' "$h"                      # enumerators
    sed -nE 's/^enum ([A-Za-z_][A-Za-z0-9_]*).*/\1/p' "$h"                      # enum tags
    sed -nE 's/^typedef .*[ *]([A-Za-z_][A-Za-z0-9_]*);$/\1/p' "$h"            # typedef names
    sed -nE 's/^typedef [^(]*\(\*([A-Za-z_][A-Za-z0-9_]*)\).*/\1/p' "$h"       # fn pointer types
    sed -nE 's/^[A-Za-z_][A-Za-z0-9_ ]*[ *]([A-Za-z_][A-Za-z0-9_]*)\(.*/\1/p' "$h" # functions
}
bad=$(names | grep -vE '^(snmpx_|SNMPX_)' | sort -u || true)
if [[ -n $bad ]]; then
    echo "error: include/snmpx.h declares names without the snmpx_/SNMPX_ prefix:" >&2
    echo "$bad" >&2
    exit 1
fi
echo "every name declared in include/snmpx.h carries the snmpx_/SNMPX_ prefix ($(names | sort -u | wc -l) names)"
