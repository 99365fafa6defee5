#!/usr/bin/env bash
# Builds the peer benchmark clients (Net-SNMP C library and gosnmp) into target/peers/:
# netsnmp_get / gosnmp_get (GET round trips, CPU per GET, saturation) and
# netsnmp_fleet / gosnmp_fleet (the fleet sweep), and udp_floor (the fleet sweep's floor).
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

for prog in netsnmp_get netsnmp_fleet; do
    echo "build.sh: $prog (libnetsnmp $(net-snmp-config --version))"
    # shellcheck disable=SC2046 # net-snmp-config prints several flags meant to be split
    cc -O2 -Wall -Wextra -o "$out/$prog" "$here/$prog.c" $(net-snmp-config --libs)
done

# The floor client (no library: the least work a one-socket client can do, see its header).
echo "build.sh: udp_floor"
cc -O2 -Wall -Wextra -o "$out/udp_floor" "$here/udp_floor.c"

for prog in gosnmp_get gosnmp_fleet; do
    echo "build.sh: $prog ($(go version | cut -d' ' -f3), $(grep gosnmp/gosnmp "$here/$prog/go.mod" | xargs))"
    (cd "$here/$prog" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly timeout 600 go build -trimpath -o "$out/$prog" .)
done

echo "build.sh: built netsnmp_get netsnmp_fleet udp_floor gosnmp_get gosnmp_fleet in $out"
