#!/usr/bin/env bash
# Installs snmpx from a CMake build tree into a temporary prefix, then builds and runs a
# consumer against it three ways: CMake find_package(snmpx) (shared and static targets) and
# pkg-config (shared, and static with --static). Run through test_agent (SNMPX_TEST_AGENT).
# Usage: install_test.sh CMAKE BUILD_DIR CONSUMER_SRC_DIR C_COMPILER
set -euo pipefail
cmake=$1 build=$2 src=$3 cc=$4
: "${SNMPX_TEST_AGENT:?run through the test_agent launcher}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/snmpx-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

"$cmake" --install "$build" --prefix "$prefix" >/dev/null
libdir=$(dirname "$(find "$prefix" -name 'libsnmpx.a' | head -1)")
echo "installed: $(cd "$prefix" && find . -type f -o -type l | sort | tr '\n' ' ')"
for f in include/snmpx.h; do test -f "$prefix/$f"; done
test -L "$libdir/libsnmpx.so" && test -f "$libdir/pkgconfig/snmpx.pc"
test -f "$libdir/cmake/snmpx/snmpxConfig.cmake"
soname=$(readelf -d "$libdir/libsnmpx.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
test -e "$libdir/$soname" || { echo "SONAME $soname not installed" >&2; exit 1; }

check() { # PROGRAM: runs it against the agent and checks its line
    local out
    out=$("$1" "$SNMPX_TEST_AGENT")
    echo "$(basename "$1"): $out"
    [[ $out == *'.1.3.6.1.2.1.1.5.0 = STRING: '* ]]
}

# CMake package: find_package(snmpx) from the prefix.
"$cmake" -S "$src" -B "$tmp/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_C_COMPILER="$cc" >/dev/null
"$cmake" --build "$tmp/cmake-build" >/dev/null
check "$tmp/cmake-build/consumer_shared"
check "$tmp/cmake-build/consumer_static"
# The static consumer does not need the shared library at run time.
if ldd "$tmp/cmake-build/consumer_static" | grep -q libsnmpx; then
    echo "consumer_static links libsnmpx.so" >&2
    exit 1
fi

# pkg-config: the .pc file is relocatable (paths relative to its own directory).
export PKG_CONFIG_PATH=$libdir/pkgconfig
pkg-config --exists --print-errors snmpx
[[ $(pkg-config --modversion snmpx) == "$(sed -n 's/^#define SNMPX_VERSION_STRING "\(.*\)"/\1/p' "$prefix/include/snmpx.h")" ]]
pc_libdir=$(pkg-config --variable=libdir snmpx)
[[ $(realpath "$pc_libdir") == $(realpath "$libdir") ]]
# shellcheck disable=SC2046 # word splitting of the flags is intended
"$cc" -std=c11 -Wall -Werror -o "$tmp/pc_shared" "$src/consumer.c" \
    $(pkg-config --cflags --libs snmpx) -Wl,-rpath,"$pc_libdir"
check "$tmp/pc_shared"
# shellcheck disable=SC2046
"$cc" -std=c11 -Wall -Werror -o "$tmp/pc_static" "$src/consumer.c" \
    $(pkg-config --cflags snmpx) "$pc_libdir/libsnmpx.a" $(pkg-config --libs-only-l --static snmpx | sed 's/-lsnmpx//')
check "$tmp/pc_static"
if ldd "$tmp/pc_static" | grep -q libsnmpx; then
    echo "pc_static links libsnmpx.so" >&2
    exit 1
fi
echo "install test passed"
