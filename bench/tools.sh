#!/usr/bin/env bash
# Process start-to-exit time of the Net-SNMP-compatible commands: snmpx vs Net-SNMP 5.9.3,
# same arguments, same MIBs, same agent (snmpx sim on loopback, one device with a
# 10,000-row table under 1.3.6.1.4.1.99999).
#   bench/tools.sh [RUNS]     (default 20 runs per row; prints a Markdown table)
# Needs: /usr/bin/snmpget, /usr/bin/snmpbulkwalk (Debian's snmp package), a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-20}
BIN=target/release/snmpx
[ -x "$BIN" ] || cargo build --release --bin snmpx >/dev/null
MIBDIR=${SNMPX_TEST_MIBS:-$(pwd)/../shared/mibs}
PORT=$(( 20000 + RANDOM % 20000 ))
TMP=$(mktemp -d)
"$BIN" sim --devices 1 --port "$PORT" --per-port 127.0.0.1 --big-table 10000 >"$TMP/sim.log" 2>&1 &
SIM=$!
trap 'kill $SIM 2>/dev/null; wait $SIM 2>/dev/null; rm -rf "$TMP"' EXIT
export SNMPCONFPATH="$TMP" SNMP_PERSISTENT_DIR="$TMP"
unset MIBS MIBDIRS
T=127.0.0.1:$PORT
for _ in $(seq 50); do
  snmpget -v2c -c public -t 0.2 -r 0 -On "$T" .1.3.6.1.2.1.1.3.0 >/dev/null 2>&1 && break
  sleep 0.1
done

# median wall time (ms) of RUNS runs of "$@"
median_ms() {
  local times=()
  for _ in $(seq "$RUNS"); do
    local s e
    s=$(date +%s%N)
    "$@" >/dev/null 2>"$TMP/err" || { echo "failed: $* ($(head -c 200 "$TMP/err"))" >&2; return 1; }
    e=$(date +%s%N)
    times+=($(( (e - s) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'
}

rows() {
  local label=$1; shift
  local mibs=("$@")
  local g="-v2c -c public $T"
  local o=.1.3.6.1.2.1.1.5.0 w=.1.3.6.1.4.1.99999
  printf '| snmpget 1 OID | %s | %s | %s |\n' "$label" \
    "$(median_ms snmpget "${mibs[@]}" $g $o)" "$(median_ms "$BIN" snmpget "${mibs[@]}" $g $o)"
  printf '| snmpbulkwalk 10,000 rows | %s | %s | %s |\n' "$label" \
    "$(median_ms snmpbulkwalk "${mibs[@]}" $g $w)" "$(median_ms "$BIN" snmpbulkwalk "${mibs[@]}" $g $w)"
  printf '| snmpbulkwalk 10,000 rows -Cr50 | %s | %s | %s |\n' "$label" \
    "$(median_ms snmpbulkwalk "${mibs[@]}" -Cr50 $g $w)" "$(median_ms "$BIN" snmpbulkwalk "${mibs[@]}" -Cr50 $g $w)"
}

echo "| command | MIBs | Net-SNMP 5.9.3 ms (median of $RUNS) | snmpx ms |"
echo "|---|---|---|---|"
MIBS= rows 'none (MIBS="")'
rows "corpus, default list" -M "$MIBDIR"
rows "corpus, -m ALL" -M "$MIBDIR" -m ALL
# Same output? (the agent's table is static)
a=$(snmpbulkwalk -M "$MIBDIR" -m ALL -v2c -c public "$T" .1.3.6.1.4.1.99999 | md5sum)
b=$("$BIN" snmpbulkwalk -M "$MIBDIR" -m ALL -v2c -c public "$T" .1.3.6.1.4.1.99999 | md5sum)
[ "$a" = "$b" ] && echo "(10,000-row outputs identical)" || echo "(10,000-row outputs DIFFER)"
