#!/usr/bin/env bash
# Usage: check_exports.sh LIBRARY SONAME. Fails if the shared library exports a symbol
# without the snmpx_ prefix (it would collide with libnetsnmp or others at link time) or
# lacks the expected SONAME.
set -euo pipefail
lib=$1 soname=$2
others=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -v '^snmpx_' || true)
if [[ -n $others ]]; then
    echo "error: $lib exports symbols without the snmpx_ prefix:" >&2
    echo "$others" >&2
    exit 1
fi
count=$(nm -D --defined-only "$lib" | grep -c ' snmpx_')
got=$(readelf -d "$lib" | sed -nE 's/.*Library soname: \[(.*)\]/\1/p')
if [[ $got != "$soname" ]]; then
    echo "error: SONAME of $lib is '$got', expected '$soname'" >&2
    exit 1
fi
echo "$count symbols exported, all snmpx_*; SONAME $got"
echo "1 passed, 0 failed"
