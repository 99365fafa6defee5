#!/usr/bin/env bash
# Builds the peer benchmark clients (Net-SNMP C library and gosnmp) into target/peers/.
# Needs: a C compiler, libsnmp-dev (net-snmp-config), Go; gosnmp comes from the Go module proxy
# at the version pinned in gosnmp_get/go.mod + go.sum.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/target/peers"
mkdir -p "$out"

for tool in cc net-snmp-config go; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "build.sh: '$tool' not found (apt-get install gcc libsnmp-dev; Go toolchain)" >&2
        exit 1
    }
done

echo "build.sh: netsnmp_get (libnetsnmp $(net-snmp-config --version))"
# shellcheck disable=SC2046 # net-snmp-config prints several flags meant to be split
cc -O2 -Wall -Wextra -o "$out/netsnmp_get" "$here/netsnmp_get.c" $(net-snmp-config --libs)

echo "build.sh: gosnmp_get ($(go version | cut -d' ' -f3), $(grep gosnmp/gosnmp "$here/gosnmp_get/go.mod" | xargs))"
(cd "$here/gosnmp_get" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly timeout 600 go build -trimpath -o "$out/gosnmp_get" .)

echo "build.sh: built $out/netsnmp_get $out/gosnmp_get"
