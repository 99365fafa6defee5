#!/usr/bin/env bash
# snmpx benchmark suite: builds everything, runs every workload for snmpx, Net-SNMP's C library
# and gosnmp in the same run, prints the tables and writes docs/BENCHMARKS.md.
#
#   bench/run.sh                 full suite (fleet D = 1,000 / 10,000 / 28,000), N=3 runs each
#   QUICK=1 bench/run.sh         small sizes (fleet D = 1,000), finishes in < 3 minutes
#
# Environment:
#   N=3                 runs per measurement; tables show the median
#   QUICK=0|1           small sizes
#   PIN=0|1             pin the simulator/snmpd to CPU 1 and the clients to CPU 0 (taskset)
#   WINDOW=64           requests in flight for the async/concurrent saturation clients
#   NETSNMP_WINDOW=10000 devices in flight for the Net-SNMP fleet client (its best, see the notes)
#   (snmpx-c-* rows: bench/peers/snmpx_c_get.c, loadgen's equivalent through the C ABI)
#   SNMPX_WINDOW=5000   extra snmpx fleet row with this many devices in flight (D >= 10,000)
#   GOSNMP_WINDOW=16000 devices in flight for the gosnmp fleet client (it needs one socket per
#                       device; at 28,000 it is also tried with every device at once)
#   OUT=docs/BENCHMARKS.md  where the report goes (QUICK runs default to target/bench/)
#   V3USER=bench:SHA:authpass1:AES:privpass1  the SNMPv3 user of the v3 rows (simulator and snmpd)
#   MIBDIR=../shared/mibs  MIB corpus of workload (e)
#   MIB_RUNS=20         process runs per MIB-load figure (median)
#
# snmpx appears twice in (b) and (c): through its Rust API (examples/*.rs, the CLI) and through
# the Go package (bindings/go; examples/go/loadgen and examples/go/fleet, rows "snmpx-go"),
# whose peer is gosnmp.
#
# Workloads: (a) codec micro-benchmarks, (b) client CPU per GET and saturation against the
# simulator and against a real snmpd, v2c and v3 authPriv, plus v3 thread/shard scaling,
# (c) fleet sweep, (d) 10,000-row bulk walk, (e) MIB corpus load and name <-> OID lookups.
# Every command runs under `timeout`; every process the script starts is killed by PID on exit.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

N=${N:-3}
QUICK=${QUICK:-0}
PIN=${PIN:-0}
WINDOW=${WINDOW:-64}
NETSNMP_WINDOW=${NETSNMP_WINDOW:-10000}
SNMPX_WINDOW=${SNMPX_WINDOW:-5000}
GOSNMP_WINDOW=${GOSNMP_WINDOW:-16000}
V3USER=${V3USER:-bench:SHA:authpass1:AES:privpass1}
MIBDIR=${MIBDIR:-$root/../shared/mibs}
MIB_RUNS=${MIB_RUNS:-20}
if [ "$QUICK" = 1 ]; then
    FLEET_SIZES=${FLEET_SIZES:-1000}
    REQ_ASYNC=20000 REQ_SYNC=4000 REQ_SNMPD=4000 REQ_SCALE=8000 CODEC_RUNS=1 WALK_REPS=3
    OUT=${OUT:-target/bench/BENCHMARKS-quick.md}
else
    FLEET_SIZES=${FLEET_SIZES:-"1000 10000 28000"}
    REQ_ASYNC=200000 REQ_SYNC=20000 REQ_SNMPD=20000 REQ_SCALE=40000 CODEC_RUNS=$N WALK_REPS=10
    OUT=${OUT:-docs/BENCHMARKS.md}
fi
SCALE_THREADS="1 2 4 16"
SCALE_SHARDS="1 2"
IFS=: read -r v3_name v3_auth v3_authpass v3_priv v3_privpass <<<"$V3USER"
[ -n "$v3_privpass" ] || { echo "run.sh: V3USER must be USER:AUTH:AUTHPASS:PRIV:PRIVPASS (authPriv)" >&2; exit 2; }
LATENCY_MS=20
TABLE_ROWS=10000

rel=target/release
peers=target/peers
work=$(mktemp -d /tmp/snmpx-bench.XXXXXX)
RES=$work/results.txt # lines: section|impl|key|value
: >"$RES"
NOTES=$work/notes.txt # free-text observations collected during the run
: >"$NOTES"
PIDS=()

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }
note() { printf -- '- %s\n' "$*" >>"$NOTES"; log "note: $*"; }

server_cpu() { if [ "$PIN" = 1 ]; then echo "taskset -c 1"; fi; }
client_cpu() { if [ "$PIN" = 1 ]; then echo "taskset -c 0"; fi; }

# A UDP port free on every address (the simulator binds the wildcard address).
free_port() {
    local p
    for p in $(shuf -i 20000-29999 -n 200); do
        if [ -z "$(ss -Hlun "sport = :$p" 2>/dev/null)" ]; then
            echo "$p"
            return 0
        fi
    done
    echo "run.sh: no free UDP port" >&2
    return 1
}

# kv KEY LINE -> value of KEY=... in a key=value line
kv() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2" | head -1; }

record() { echo "$1|$2|$3|$4" >>"$RES"; }

# values SECTION IMPL KEY -> the recorded values, one a line
values() { awk -F'|' -v s="$1" -v i="$2" -v k="$3" '$1 == s && $2 == i && $3 == k {print $4}' "$RES"; }
# median SECTION IMPL KEY -> median of the recorded numeric values ("-" if none)
median() {
    values "$@" | awk '/^-?[0-9.]+(e[-+]?[0-9]+)?$/' | sort -g |
        awk '{a[NR]=$1} END {if (NR==0) print "-"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'
}
# maxof SECTION IMPL KEY -> largest recorded value ("-" if none)
maxof() { values "$@" | sort -g | awk '{v=$1} END {print (NR ? v : "-")}'; }
# has_impl SECTION IMPL -> true when anything was recorded for IMPL in SECTION
has_impl() { awk -F'|' -v s="$1" -v i="$2" '$1 == s && $2 == i {f=1} END {exit !f}' "$RES"; }
# has SECTION -> true when anything was recorded for SECTION
has() { awk -F'|' -v s="$1" '$1 == s {f=1} END {exit !f}' "$RES"; }

# fmt VALUE DECIMALS
fmt() { if [ "$1" = "-" ] || [ -z "$1" ]; then echo "-"; else printf "%.${2}f" "$1"; fi; }
# ratio A B -> A/B with 2 decimals, "-" when either is missing
ratio() {
    if [ "$1" = "-" ] || [ "$2" = "-" ] || [ -z "$1" ] || [ -z "$2" ]; then
        echo "-"
    else
        awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2f", a / b }'
    fi
}
# pass VALUE OP LIMIT -> yes/NO/-
pass() {
    if [ "$1" = "-" ] || [ -z "$1" ]; then
        echo "not measured"
    else
        awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { ok = (op == "<=") ? (v <= l) : (v >= l); print ok ? "yes" : "**NO**" }'
    fi
}

udp_rcvbuf_errors() { awk '/^Udp: [0-9]/ {print $6}' /proc/net/snmp; }

# ---------------------------------------------------------------------------------------------
log "building (cargo build --release --lib --examples --bins --bench codec; bench/peers/build.sh; examples/go)"
nice timeout 1200 cargo build --release --lib --examples --bins >&2
(cd examples/go && GOTOOLCHAIN=local GOFLAGS=-mod=readonly nice timeout 600 go build -trimpath \
    -o "$root/$rel/examples/go-fleet" ./fleet && GOTOOLCHAIN=local GOFLAGS=-mod=readonly nice \
    timeout 600 go build -trimpath -o "$root/$rel/examples/go-loadgen" ./loadgen) >&2
codec_bin=$(nice timeout 1200 cargo build --release --bench codec --message-format=json 2>/dev/null |
    sed -n 's/.*"executable":"\([^"]*\/codec-[^"]*\)".*/\1/p' | tail -1)
[ -x "$codec_bin" ] || { echo "run.sh: codec bench binary not found" >&2; exit 1; }
nice timeout 1200 bash "$here/peers/build.sh" >&2
# The C-API client (same interface as loadgen), linked with the static library just built.
nice cc -O2 -Wall -Wextra -std=c11 -I"$root/include" -o "$peers/snmpx_c_get" \
    "$here/peers/snmpx_c_get.c" "$rel/libsnmpx.a" -lpthread -ldl -lm -lrt -lutil >&2
for b in "$rel/snmpx" "$rel/examples/loadgen" "$rel/examples/fleet" "$rel/examples/mib_bench" "$peers/snmpx_c_get" \
    "$peers/netsnmp_get" "$peers/netsnmp_fleet" "$peers/udp_floor" "$peers/gosnmp_get" "$peers/gosnmp_fleet" \
    "$rel/examples/go-fleet" "$rel/examples/go-loadgen"; do
    [ -x "$b" ] || { echo "run.sh: $b missing after build" >&2; exit 1; }
done
have_snmpd=1
command -v /usr/sbin/snmpd >/dev/null || have_snmpd=0
command -v snmpbulkwalk >/dev/null || have_snmpd=0
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "run.sh: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
t_suite=$(date +%s)

# start_sim NAME ARGS... -> sets SIM_PORT; the simulator runs in its own process
start_sim() {
    local name=$1
    shift
    SIM_PORT=$(free_port)
    $(server_cpu) "$rel/snmpx" sim --port "$SIM_PORT" --duration 3000 "$@" >"$work/$name.out" 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    eval "${name}_PID=$pid"
    local i
    for i in $(seq 200); do
        grep -q 'listening' "$work/$name.out" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    echo "run.sh: simulator $name did not start:" >&2
    cat "$work/$name.out" >&2
    exit 1
}
stop_pid() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# ---------------------------------------------------------------------------------------------
# (a) codec micro-benchmarks
log "(a) codec micro-benchmarks, $CODEC_RUNS run(s)"
for i in $(seq "$CODEC_RUNS"); do
    out=$($(client_cpu) timeout 120 "$codec_bin")
    while read -r line; do
        case $line in
        encode_get_v2c_1vb_ns=*) record codec snmpx encode_get_ns "$(kv encode_get_v2c_1vb_ns "$line")" ;;
        decode_response_v2c_*)
            n=$(sed -n 's/decode_response_v2c_\([0-9]*\)vb_ns=.*/\1/p' <<<"$line")
            record codec snmpx "decode_${n}vb_ns" "$(kv "decode_response_v2c_${n}vb_ns" "$line")"
            record codec snmpx "decode_${n}vb_ns_per_vb" "$(kv ns_per_varbind "$line")"
            record codec snmpx "decode_drop_${n}vb_ns_per_vb" "$(kv with_drop_ns_per_varbind "$line")"
            ;;
        esac
    done <<<"$out"
done

# ---------------------------------------------------------------------------------------------
# (b) client CPU per GET and saturation
OID=1.3.6.1.2.1.1.1.0
# getrun SECTION TARGET REQ_ASYNC REQ_SYNC [VERSION CREDENTIAL]
# VERSION 2c (default, CREDENTIAL = community "public") or 3 (CREDENTIAL = the USM spec
# USER:AUTH:AUTHPASS:PRIV:PRIVPASS, understood by all three clients).
getrun() {
    local sec=$1 target=$2 ra=$3 rs=$4 ver=${5:-2c} cred=${6:-public} line
    local -a cmds=(
        "snmpx-sync|$rel/examples/loadgen sync $target $cred $OID $rs 1 $ver"
        "snmpx-async|$rel/examples/loadgen async $target $cred $OID $ra $WINDOW $ver"
        "snmpx-queue|$rel/examples/loadgen queue $target $cred $OID $ra $WINDOW $ver"
        "netsnmp-sync|$peers/netsnmp_get sync $target $cred .$OID $rs 1 $ver"
        "netsnmp-async|$peers/netsnmp_get async $target $cred .$OID $ra $WINDOW $ver"
        "gosnmp-sync|$peers/gosnmp_get sync $target $cred .$OID $rs 1 $ver"
        "gosnmp-concurrent|$peers/gosnmp_get concurrent $target $cred .$OID $ra $WINDOW $ver"
    )
    if [ "$ver" = 2c ]; then
        cmds+=(
            "snmpx-c-sync|$peers/snmpx_c_get sync $target public $OID $rs 1 2c"
            "snmpx-c-async|$peers/snmpx_c_get async $target public $OID $ra $WINDOW 2c"
            "snmpx-c-queue|$peers/snmpx_c_get queue $target public $OID $ra $WINDOW 2c"
            "snmpx-go-sync|$rel/examples/go-loadgen sync $target public $OID $rs 1 2c"
            "snmpx-go-concurrent|$rel/examples/go-loadgen concurrent $target public $OID $ra $WINDOW 2c"
        )
    fi
    local c name cmd
    for c in "${cmds[@]}"; do
        name=${c%%|*}
        cmd=${c#*|}
        # shellcheck disable=SC2086 # cmd is a word list built above
        if line=$($(client_cpu) timeout 120 $cmd 2>>"$work/clients.err" | grep '^impl='); then :; fi
        if [ -z "$line" ]; then
            note "$sec: $name produced no result line (exit or timeout)"
            continue
        fi
        record "$sec" "$name" cpu_us "$(kv cpu_us_per_req "$line")"
        record "$sec" "$name" rate "$(kv req_per_s "$line")"
        record "$sec" "$name" errors "$(kv errors "$line")"
    done
}

log "(b) GET round trips against the simulator (own process, 100 devices, no latency)"
start_sim simget --devices 100
for i in $(seq "$N"); do
    getrun sim "127.1.0.1:$SIM_PORT" "$REQ_ASYNC" "$REQ_SYNC"
done
stop_pid "$simget_PID"

# scalerun TARGET: snmpx v3 throughput with T client threads sharing one Session, on a Runtime
# of S shards; sync (each thread blocking on its own GETs) and queue (each thread with its own
# completion queue; $WINDOW requests in flight in total).
scalerun() {
    local target=$1 sh t m line
    for sh in $SCALE_SHARDS; do
        for t in $SCALE_THREADS; do
            for m in sync queue; do
                if line=$($(client_cpu) timeout 120 "$rel/examples/loadgen" "$m" "$target" "$V3USER" \
                    "$OID" "$REQ_SCALE" "$WINDOW" 3 "$sh" "$t" 2>>"$work/clients.err" | grep '^impl='); then :; fi
                if [ -z "$line" ]; then
                    note "v3 scaling: $m, $sh shard(s), $t thread(s) produced no result line"
                    continue
                fi
                record v3-scale "$m-$sh-$t" rate "$(kv req_per_s "$line")"
                record v3-scale "$m-$sh-$t" cpu_us "$(kv cpu_us_per_req "$line")"
                record v3-scale "$m-$sh-$t" errors "$(kv errors "$line")"
            done
        done
    done
}

log "(b) SNMPv3 authPriv ($v3_auth/$v3_priv) GET round trips against the simulator"
start_sim simv3 --devices 100 --v3-user "$V3USER"
for i in $(seq "$N"); do
    getrun sim-v3 "127.1.0.1:$SIM_PORT" "$REQ_ASYNC" "$REQ_SYNC" 3 "$V3USER"
done
log "(b) SNMPv3 thread/shard scaling (snmpx), $REQ_SCALE GETs per run"
for i in $(seq "$N"); do
    scalerun "127.1.0.1:$SIM_PORT"
done
stop_pid "$simv3_PID"

# snmpd: minimal config plus the 10,000-row table of workload (d) (override lines), same data
# as the walk file the simulator serves.
walkfile=$work/table.walk
awk -v n="$TABLE_ROWS" 'BEGIN {
    for (i = 1; i <= n; i++) printf ".1.3.6.1.4.1.99998.1.1.2.%d = STRING: \"port-%d\"\n", i, i
    for (i = 1; i <= n; i++) printf ".1.3.6.1.4.1.99998.1.1.6.%d = Counter32: %d\n", i, i * 1000
}' >"$walkfile"
SNMPD_PORT=
snmpd_pid=
if [ "$have_snmpd" = 1 ]; then
    sd=$work/snmpd
    mkdir -p "$sd"
    {
        echo "rocommunity public 127.0.0.1"
        echo "createUser $v3_name $v3_auth \"$v3_authpass\" $v3_priv \"$v3_privpass\""
        echo "rouser -s usm $v3_name priv"
        echo "sysDescr snmpx benchmark agent"
        awk -v n="$TABLE_ROWS" 'BEGIN {
            for (i = 1; i <= n; i++) printf "override .1.3.6.1.4.1.99998.1.1.2.%d octet_str \"port-%d\"\n", i, i
            for (i = 1; i <= n; i++) printf "override .1.3.6.1.4.1.99998.1.1.6.%d counter %d\n", i, i * 1000
        }'
    } >"$sd/bench.conf"
    SNMPD_PORT=$(free_port)
    SNMPCONFPATH=$sd SNMP_PERSISTENT_DIR=$sd MIBS="" $(server_cpu) timeout 3000 /usr/sbin/snmpd -f -C \
        -c "$sd/bench.conf" -Lf "$sd/snmpd.log" -I -smux "udp:127.0.0.1:$SNMPD_PORT" &
    snmpd_pid=$!
    PIDS+=("$snmpd_pid")
    up=0
    for i in $(seq 60); do
        if SNMPCONFPATH=$sd SNMP_PERSISTENT_DIR=$sd MIBS="" timeout 5 snmpget -v2c -c public -t 0.5 \
            -r 0 -On "127.0.0.1:$SNMPD_PORT" .1.3.6.1.4.1.99998.1.1.2.1 >/dev/null 2>&1; then
            up=1
            break
        fi
        kill -0 "$snmpd_pid" 2>/dev/null || break
        sleep 0.25
    done
    if [ "$up" = 0 ]; then
        note "snmpd did not start (log: $(tail -3 "$sd/snmpd.log" | tr '\n' ' ')); snmpd rows skipped"
        have_snmpd=0
    fi
fi
if [ "$have_snmpd" = 1 ]; then
    log "(b) GET round trips against snmpd (Net-SNMP $(/usr/sbin/snmpd -v | sed -n 's/.*version: *//p' | head -1))"
    for i in $(seq "$N"); do
        getrun snmpd "127.0.0.1:$SNMPD_PORT" "$REQ_SNMPD" "$REQ_SNMPD"
    done
    mkdir -p "$sd/client" # the client's persistent files stay out of snmpd's directory
    if SNMPCONFPATH=$sd SNMP_PERSISTENT_DIR=$sd/client MIBS="" timeout 10 snmpget -v3 -l authPriv \
        -u "$v3_name" -a "$v3_auth" -A "$v3_authpass" -x "$v3_priv" -X "$v3_privpass" -t 1 -r 1 -On \
        "127.0.0.1:$SNMPD_PORT" ".$OID" >/dev/null 2>&1; then
        log "(b) SNMPv3 authPriv GET round trips against snmpd"
        for i in $(seq "$N"); do
            getrun snmpd-v3 "127.0.0.1:$SNMPD_PORT" "$REQ_SNMPD" "$REQ_SNMPD" 3 "$V3USER"
        done
    else
        note "snmpd: the v3 user $v3_name did not answer snmpget -v3; snmpd v3 rows skipped"
    fi
fi

# ---------------------------------------------------------------------------------------------
# (d) bulk walk of the 10,000-row table (2 columns = 20,000 varbinds), max-repetitions 25
# walkrun SECTION TARGET: each measurement times WALK_REPS walks back to back (10 ms clock
# resolution of /usr/bin/time) and divides by WALK_REPS.
walkrun() {
    local sec=$1 target=$2 impl cmd wall user sys rss
    local root=.1.3.6.1.4.1.99998
    for i in $(seq "$N"); do
        for impl in snmpx snmpbulkwalk; do
            if [ "$impl" = snmpx ]; then
                cmd="$rel/snmpx bulkwalk -c public --max-repetitions 25 -t 1 -r 5 $target ${root#.}"
            else
                cmd="snmpbulkwalk -v2c -c public -Cr25 -t 1 -r 5 -On $target $root"
            fi
            if SNMPCONFPATH=$work SNMP_PERSISTENT_DIR=$work MIBS="" $(client_cpu) timeout 300 \
                "$TIME" -f '%e %U %S %M' -o "$work/time.txt" bash -c \
                "for r in \$(seq $WALK_REPS); do $cmd >$work/walk.$impl.txt || exit 1; done" \
                2>>"$work/clients.err"; then
                read -r wall user sys rss <"$work/time.txt"
                record "$sec" "$impl" wall "$(awk -v w="$wall" -v n="$WALK_REPS" 'BEGIN{print w/n}')"
                record "$sec" "$impl" cpu "$(awk -v u="$user" -v s="$sys" -v n="$WALK_REPS" 'BEGIN{print (u+s)/n}')"
                record "$sec" "$impl" rss "$rss"
                record "$sec" "$impl" lines "$(grep ' = ' "$work/walk.$impl.txt" | grep -vc 'No more variables left' || true)"
            else
                note "walk $sec: $impl failed: $(tail -2 "$work/time.txt" | tr '\n' ' ')"
            fi
        done
        if [ "$i" = 1 ]; then
            # snmpbulkwalk ends with a 'No more variables left in this MIB View' line when the
            # walk reaches the end of the agent's MIB (the simulator serves only this table);
            # `snmpx bulkwalk` (native, not the Net-SNMP-compatible mode) prints no such line.
            grep -v 'No more variables left in this MIB View' "$work/walk.snmpbulkwalk.txt" >"$work/walk.nb.txt" || true
            if cmp -s "$work/walk.snmpx.txt" "$work/walk.nb.txt"; then
                record "$sec" both identical yes
            else
                record "$sec" both identical no
                note "walk $sec: snmpx and snmpbulkwalk outputs differ ($(diff "$work/walk.snmpx.txt" "$work/walk.nb.txt" | head -3 | tr '\n' ' '))"
            fi
        fi
    done
}
log "(d) bulk walk, $TABLE_ROWS rows x 2 columns, simulator (recorded-walk mode)"
start_sim simwalk --devices 1 --walk-file "$walkfile"
walkrun walk-sim "127.1.0.1:$SIM_PORT"
stop_pid "$simwalk_PID"
if [ "$have_snmpd" = 1 ]; then
    log "(d) bulk walk against snmpd"
    walkrun walk-snmpd "127.0.0.1:$SNMPD_PORT"
    stop_pid "$snmpd_pid"
fi

# ---------------------------------------------------------------------------------------------
# (e) MIB corpus: whole process (exec to exit) loading every module in MIBDIR and resolving one
# name, snmpx (`examples/mib_bench --once DIR`) against `snmptranslate -M DIR -m ALL`, runs
# alternated; wall from the shell's clock around the exec, peak RSS from /usr/bin/time in
# separate runs. Then the in-process figures `examples/mib_bench DIR` prints.
MIB_THREADS=4
if [ -d "$MIBDIR" ] && command -v snmptranslate >/dev/null; then
    MIBDIR=$(cd "$MIBDIR" && pwd)
    log "(e) MIB corpus load ($MIBDIR), $MIB_RUNS process runs each, then in-process lookups"
    mibcfg=$work/mibcfg
    mkdir -p "$mibcfg" # an empty config dir: only -M / -m decide what snmptranslate loads
    # mibcmd IMPL -> the command line
    mibcmd() {
        if [ "$1" = snmpx ]; then
            echo "$rel/examples/mib_bench --once $MIBDIR"
        else
            echo "snmptranslate -M $MIBDIR -m ALL -On SNMPv2-MIB::sysDescr.0"
        fi
    }
    for impl in snmpx snmptranslate; do
        # one unmeasured run each: page cache, and snmptranslate's first run creates
        # cert_indexes/ in its persistent directory (and says so on stderr)
        # shellcheck disable=SC2046
        SNMPCONFPATH=$mibcfg SNMP_PERSISTENT_DIR=$mibcfg timeout 60 $(mibcmd $impl) >/dev/null 2>&1 || true
    done
    for r in $(seq "$MIB_RUNS"); do
        for impl in snmpx snmptranslate; do
            t0=$EPOCHREALTIME
            # shellcheck disable=SC2046 # the command is a word list
            if SNMPCONFPATH=$mibcfg SNMP_PERSISTENT_DIR=$mibcfg $(client_cpu) timeout 60 $(mibcmd $impl) \
                >"$work/mib.$impl.out" 2>"$work/mib.$impl.err"; then
                t1=$EPOCHREALTIME
                record mib "$impl" wall_ms "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print (b-a)*1000}')"
            else
                note "MIB load: $impl failed: $(head -2 "$work/mib.$impl.err" | tr '\n' ' ')"
                continue
            fi
            [ "$r" = 1 ] && record mib "$impl" output "$(tr -d '\n' <"$work/mib.$impl.out")"
            [ "$r" = 1 ] && record mib "$impl" stderr_lines "$(wc -l <"$work/mib.$impl.err")"
            # shellcheck disable=SC2046
            if SNMPCONFPATH=$mibcfg SNMP_PERSISTENT_DIR=$mibcfg $(client_cpu) timeout 60 "$TIME" -f '%M' \
                -o "$work/time.txt" $(mibcmd $impl) >/dev/null 2>&1; then
                record mib "$impl" rss "$(tail -1 "$work/time.txt")"
            fi
        done
    done
    # CPU per process: user+sys of MIB_RUNS runs back to back (10 ms clock of /usr/bin/time)
    for impl in snmpx snmptranslate; do
        if SNMPCONFPATH=$mibcfg SNMP_PERSISTENT_DIR=$mibcfg $(client_cpu) timeout 300 "$TIME" -f '%U %S' \
            -o "$work/time.txt" bash -c "for r in \$(seq $MIB_RUNS); do $(mibcmd $impl) >/dev/null 2>&1 || exit 1; done"; then
            read -r user sys <"$work/time.txt"
            record mib "$impl" cpu_ms "$(awk -v u="$user" -v s="$sys" -v n="$MIB_RUNS" 'BEGIN{print (u+s)*1000/n}')"
        fi
    done
    for i in $(seq "$N"); do
        if out=$($(client_cpu) timeout 120 "$rel/examples/mib_bench" "$MIBDIR" "$MIB_THREADS" 2>>"$work/clients.err"); then
            while read -r line; do
                case $line in
                "load ALL from "*)
                    record mib-in snmpx modules "$(sed -n 's/.* \([0-9]*\) modules.*/\1/p' <<<"$line")"
                    record mib-in snmpx nodes "$(sed -n 's/.* \([0-9]*\) nodes.*/\1/p' <<<"$line")"
                    ;;
                "load ALL best of 5: "*)
                    record mib-in snmpx load_ms "$(sed -n 's/.*best of 5: \([0-9.]*\) ms.*/\1/p' <<<"$line")"
                    record mib-in snmpx resident_kb "$(sed -n 's/.*resident now \([0-9]*\) kB.*/\1/p' <<<"$line")"
                    ;;
                *"name->OID"*)
                    read -r name _ fwd _ _ rev _ <<<"$line"
                    [ "$i" = 1 ] && echo "$name" >>"$work/mib.names"
                    record mib-in fwd "$name" "$fwd"
                    record mib-in rev "$name" "$rev"
                    ;;
                *" threads on "*)
                    record mib-in snmpx mt_cpu_ns "$(sed -n 's/.*: \([0-9.]*\) ns CPU per lookup.*/\1/p' <<<"$line")"
                    ;;
                esac
            done <<<"$out"
        else
            note "mib_bench $MIBDIR failed"
        fi
    done
else
    note "(e) skipped: MIB corpus $MIBDIR or snmptranslate missing"
fi

# ---------------------------------------------------------------------------------------------
# (c) fleet sweep: D devices, 20 ms reply latency, 15 sequential GETs (seq) or one GET of the
# same 15 varbinds (batch) per device.
maxd=0
for d in $FLEET_SIZES; do [ "$d" -gt "$maxd" ] && maxd=$d; done
log "(c) fleet sweep, simulator with $maxd devices, ${LATENCY_MS} ms latency (own process, 1 thread)"
start_sim simfleet --devices "$maxd" --latency-ms "$LATENCY_MS"
poll_oids=1.3.6.1.2.1.1.1.0,1.3.6.1.2.1.1.2.0,1.3.6.1.2.1.1.3.0,1.3.6.1.2.1.1.4.0,1.3.6.1.2.1.1.5.0,1.3.6.1.2.1.1.6.0,1.3.6.1.2.1.2.1.0,1.3.6.1.2.1.2.2.1.2.1,1.3.6.1.2.1.2.2.1.8.1,1.3.6.1.2.1.2.2.1.10.1,1.3.6.1.2.1.2.2.1.16.1,1.3.6.1.2.1.31.1.1.1.6.1,1.3.6.1.2.1.31.1.1.1.10.1,1.3.6.1.2.1.31.1.1.1.15.1,1.3.6.1.2.1.31.1.1.1.18.1

# fleetone SECTION IMPL ULIMIT CMD... ; records wall/rss/cpu/failed from the client's line
fleetone() {
    local sec=$1 impl=$2 lim=$3 line e0 e1
    shift 3
    e0=$(udp_rcvbuf_errors)
    line=$( (ulimit -n "$lim" && $(client_cpu) timeout 180 "$@") 2>>"$work/clients.err" | grep '^impl=' || true)
    e1=$(udp_rcvbuf_errors)
    if [ -z "$line" ]; then
        note "$sec: $impl produced no result line"
        record "$sec" "$impl" failed_runs 1
        return
    fi
    record "$sec" "$impl" wall "$(kv wall_s "$line")"
    record "$sec" "$impl" rss "$(kv maxrss_kb "$line")"
    record "$sec" "$impl" cpu "$(awk -v u="$(kv cpu_user_s "$line")" -v s="$(kv cpu_sys_s "$line")" 'BEGIN{print u+s}')"
    record "$sec" "$impl" failed "$(kv failed_devices "$line")"
    record "$sec" "$impl" rcvbuf_drops $((e1 - e0))
    local rt
    rt=$(kv retransmissions "$line")
    [ -n "$rt" ] && record "$sec" "$impl" retrans "$rt"
    local f cf
    f=$(kv failed_devices "$line")
    cf=$(kv connect_failed "$line")
    if [ "${f:-0}" != 0 ]; then
        note "$sec: $impl: $f of $(kv devices "$line") devices failed (wall $(kv wall_s "$line") s, retransmissions ${rt:-?}, system UDP receive-buffer drops during the run $((e1 - e0)), connect failures ${cf:-n/a})"
    fi
}

# pollone SECTION D MODE: `snmpx poll` (the CLI, JSON lines to /dev/null), whole process
pollone() {
    local sec=$1 d=$2 mode=$3 e0 e1
    local -a extra=()
    [ "$mode" = seq ] && extra=(--sequential)
    e0=$(udp_rcvbuf_errors)
    if (ulimit -n 1024 && $(client_cpu) timeout 180 "$TIME" -f '%e %U %S %M' -o "$work/time.txt" \
        "$rel/snmpx" poll --targets "$work/targets.$d.csv" --oids "$poll_oids" "${extra[@]}" \
        --in-flight "$d" --output /dev/null --no-progress) 2>"$work/poll.err"; then
        :
    else
        note "$sec: snmpx poll exit status non-zero: $(grep 'snmpx poll:' "$work/poll.err" | head -1)"
    fi
    e1=$(udp_rcvbuf_errors)
    local wall user sys rss
    local tl
    tl=$(grep -E '^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$' "$work/time.txt" | tail -1 || true)
    [ -n "$tl" ] || return 0
    read -r wall user sys rss <<<"$tl"
    record "$sec" snmpx-poll wall "$wall"
    record "$sec" snmpx-poll rss "$rss"
    record "$sec" snmpx-poll cpu "$(awk -v u="$user" -v s="$sys" 'BEGIN{print u+s}')"
    local failed
    failed=$(sed -n 's/.* ok, \([0-9]*\) failed).*/\1/p' "$work/poll.err" | head -1)
    record "$sec" snmpx-poll failed "${failed:-?}"
    record "$sec" snmpx-poll rcvbuf_drops $((e1 - e0))
}

for d in $FLEET_SIZES; do
    {
        echo "host,version,community"
        awk -v n="$d" -v p="$SIM_PORT" 'BEGIN { for (i = 0; i < n; i++) {
            a = 127 * 16777216 + 1 * 65536 + 1 + i
            printf "%d.%d.%d.%d:%d,2c,public\n", int(a / 16777216), int(a / 65536) % 256, int(a / 256) % 256, a % 256, p } }'
    } >"$work/targets.$d.csv"
done

for d in $FLEET_SIZES; do
    for mode in seq batch; do
        sec="fleet-$mode-$d"
        log "(c) $sec"
        gw=$GOSNMP_WINDOW
        [ "$gw" -gt "$d" ] && gw=$d
        for i in $(seq "$N"); do
            fleetone "$sec" snmpx 1024 "$rel/examples/fleet" "$mode" 127.1.0.1 "$SIM_PORT" "$d" "$d"
            if [ "$d" -ge 10000 ]; then
                fleetone "$sec" snmpx-window 1024 "$rel/examples/fleet" "$mode" 127.1.0.1 "$SIM_PORT" "$d" "$SNMPX_WINDOW"
            fi
            fleetone "$sec" netsnmp 20000 "$peers/netsnmp_fleet" "$mode" 127.1.0.1 "$SIM_PORT" "$d" "$NETSNMP_WINDOW"
            fleetone "$sec" udp-floor 1024 "$peers/udp_floor" "$mode" 127.1.0.1 "$SIM_PORT" "$d" "$d"
            fleetone "$sec" gosnmp 20000 "$peers/gosnmp_fleet" "$mode" 127.1.0.1 "$SIM_PORT" "$d" "$gw"
            goseq=()
            [ "$mode" = seq ] && goseq=(-sequential)
            fleetone "$sec" snmpx-go 1024 "$rel/examples/go-fleet" -targets "$work/targets.$d.csv" \
                -oids "$poll_oids" "${goseq[@]}" -in-flight "$d" -output /dev/null -summary
            fleetone "$sec" snmpx-go-goroutines 1024 "$rel/examples/go-fleet" -goroutines \
                -targets "$work/targets.$d.csv" -oids "$poll_oids" "${goseq[@]}" -in-flight "$d" \
                -output /dev/null -summary
            pollone "$sec" "$d" "$mode"
        done
        if [ "$d" -gt "$GOSNMP_WINDOW" ] && [ "$mode" = seq ]; then
            log "(c) $sec: gosnmp with every device at once (expected to run out of descriptors)"
            fleetone "$sec-all" gosnmp 20000 "$peers/gosnmp_fleet" "$mode" 127.1.0.1 "$SIM_PORT" "$d" "$d"
        fi
    done
done
sim_cpu_line=$(tail -1 "$work/simfleet.out" || true)
stop_pid "$simfleet_PID"
sim_cpu_line=$(tail -1 "$work/simfleet.out" || true)

# (f) the Net-SNMP-compatible commands, whole process (bench/tools.sh)
TOOLS_RUNS=$([ "$QUICK" = 1 ] && echo 3 || echo 10)
log "(f) Net-SNMP-compatible commands vs Net-SNMP's tools, $TOOLS_RUNS runs per row"
timeout 1200 bash "$here/tools.sh" "$TOOLS_RUNS" >"$work/tools.md" 2>"$work/tools.err" </dev/null || true
# Its status can be the simulator's SIGTERM from its exit trap: judge it by its output.
if ! grep -q 'row outputs' "$work/tools.md"; then
    note "bench/tools.sh failed ($(tail -2 "$work/tools.err" | tr '\n' ' ')); section (f) left out"
    : >"$work/tools.md"
fi

load_end=$(cut -d' ' -f1-3 /proc/loadavg)
t_total=$(($(date +%s) - t_suite))

# ---------------------------------------------------------------------------------------------
# Report
log "writing $OUT"
mkdir -p "$(dirname "$OUT")"
md=$work/report.md
{
    cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
    echo "# snmpx benchmarks"
    echo
    echo "Generated by \`bench/run.sh\` ($([ "$QUICK" = 1 ] && echo "QUICK=1, " || true)N=$N runs per figure, **medians**;"
    echo "measured $(date -u '+%Y-%m-%d %H:%M UTC'), suite took ${t_total} s). Re-run: \`bench/run.sh\`"
    echo "(full, ~10 min) or \`QUICK=1 bench/run.sh\` (< 3 min, small sizes)."
    echo
    echo "## Machine and versions"
    echo
    echo "| | |"
    echo "| --- | --- |"
    echo "| CPUs (nproc) | $(nproc) |"
    echo "| CPU model | ${cpu_model:-unknown} |"
    echo "| kernel | $(uname -sr) |"
    echo "| memory | $(free -m | awk '/^Mem:/ {print $2 " MiB"}') |"
    echo "| load average at start / end | $load_start / $load_end |"
    echo "| snmpx | $(git -C "$root" describe --always --dirty 2>/dev/null || echo '?') ($(grep -m1 '^version' Cargo.toml | cut -d'"' -f2)) |"
    echo "| rustc | $(rustc --version) |"
    echo "| Net-SNMP (libnetsnmp, snmpd, snmpbulkwalk) | $(net-snmp-config --version) |"
    echo "| gosnmp | $(grep gosnmp/gosnmp bench/peers/gosnmp_fleet/go.mod | awk '{print $NF}') ($(go version | cut -d' ' -f3)) |"
    echo "| C compiler | $(cc --version | head -1) |"
    echo "| process fd limit (hard) | $(ulimit -Hn); snmpx clients run with \`ulimit -n 1024\` |"
    echo "| net.core.rmem_max | $(cat /proc/sys/net/core/rmem_max) bytes |"
    echo "| pinning | $([ "$PIN" = 1 ] && echo "simulator/snmpd on CPU 1, clients on CPU 0 (taskset)" || echo "none: server and client float over both CPUs (PIN=1 pins them)") |"
    echo
    echo "**Noise.** This is a 2-CPU virtual machine shared with other jobs (other builds were"
    echo "compiling during the run; see the load average above). Server and client share the same"
    echo "two CPUs. Medians of $N runs damp outliers but differences below ~20% are not"
    echo "significant; loopback UDP makes most of the cost kernel time (sys), which varies with"
    echo "the other load. Instruction counts (callgrind, \`CODEC_FIXED_ITERS\`) are the repeatable"
    echo "measure for the codec."
    echo

    echo "## (a) Codec micro-benchmarks (snmpx only)"
    echo
    echo "\`benches/codec.rs\` (\`cargo bench --bench codec\`): best of 5 rounds of ~200 ms each, median of $CODEC_RUNS run(s)."
    echo
    echo "| measurement | ns | target |"
    echo "| --- | --- | --- |"
    echo "| encode v2c GetRequest, 1 varbind (whole message) | $(fmt "$(median codec snmpx encode_get_ns)" 1) | <= 200 ns |"
    for n in 1 15 60; do
        echo "| decode v2c Response, $n varbind(s): per message / **per varbind** (decode + drop of the result: per varbind) | $(fmt "$(median codec snmpx "decode_${n}vb_ns")" 1) / **$(fmt "$(median codec snmpx "decode_${n}vb_ns_per_vb")" 1)** ($(fmt "$(median codec snmpx "decode_drop_${n}vb_ns_per_vb")" 1)) | <= 50 ns per varbind |"
    done
    echo

    echo "## (b) Client CPU per GET and saturation (v2c and v3 authPriv, 1 varbind, loopback)"
    echo
    echo "Clients: \`examples/loadgen.rs\` (snmpx), \`bench/peers/netsnmp_get.c\`, \`bench/peers/gosnmp_get\`."
    echo "CPU = user+sys of the client process (getrusage) over the request loop / completed requests."
    echo "sync = one blocking GET after another; async/queue/concurrent = $WINDOW requests in flight"
    echo "(snmpx: callbacks / completion queue; Net-SNMP: snmp_sess_async_send on one session;"
    echo "gosnmp: $WINDOW goroutines with one GoSNMP each). Requests per run: $REQ_ASYNC in flight"
    echo "modes, $REQ_SYNC sync (against snmpd: $REQ_SNMPD)."
    echo
    echo "SNMPv3 rows: user \`$v3_name\`, authPriv with $v3_auth / $v3_priv (\`snmpx sim --v3-user\`;"
    echo "snmpd: a \`createUser\` line). Each client derives the master keys once (Net-SNMP:"
    echo "\`generate_Ku\` before \`snmp_open\`, as snmpget does; gosnmp: its password-to-key cache)"
    echo "and makes one GET before the measured loop, so engine discovery, time synchronisation and"
    echo "key localization are not counted: the figures are the steady-state cost of a v3 GET"
    echo "(HMAC-SHA-96 over each message both ways, AES-128-CFB of each scoped PDU)."
    echo
    for sec in sim snmpd sim-v3 snmpd-v3; do
        has "$sec" || continue
        case $sec in
        sim) echo "### v2c against the simulator (\`snmpx sim\`, own process, 1 thread, 100 devices)" ;;
        snmpd) echo "### v2c against Net-SNMP snmpd $(net-snmp-config --version) (own process, minimal config)" ;;
        sim-v3) echo "### SNMPv3 authPriv ($v3_auth/$v3_priv) against the simulator (1 thread, 100 devices)" ;;
        snmpd-v3) echo "### SNMPv3 authPriv ($v3_auth/$v3_priv) against Net-SNMP snmpd $(net-snmp-config --version)" ;;
        esac
        echo
        echo "| client | CPU us/GET | GETs/s | errors (max) | CPU ratio peer/snmpx | rate ratio snmpx/peer |"
        echo "| --- | --- | --- | --- | --- | --- |"
        for impl in snmpx-sync snmpx-async snmpx-queue snmpx-c-sync snmpx-c-async snmpx-c-queue \
            netsnmp-sync netsnmp-async gosnmp-sync gosnmp-concurrent snmpx-go-sync snmpx-go-concurrent; do
            c=$(median "$sec" "$impl" cpu_us)
            r=$(median "$sec" "$impl" rate)
            case $impl in
            snmpx-c-*) ref=snmpx-${impl#snmpx-c-} ;; # the C API against the same Rust mode
            *-sync) ref=snmpx-sync ;;
            *) ref=snmpx-async ;;
            esac
            rc=$(median "$sec" "$ref" cpu_us)
            rr=$(median "$sec" "$ref" rate)
            if [[ $impl == snmpx-go-* ]]; then
                g=gosnmp-${impl#snmpx-go-}
                cr="$(ratio "$(median "$sec" "$g" cpu_us)" "$c") ($g / this)"
                qr="$(ratio "$r" "$(median "$sec" "$g" rate)") (this / $g)"
            elif [[ $impl == snmpx-* && $impl != snmpx-c-* ]]; then
                cr="" ; qr=""
            else
                cr="$(ratio "$c" "$rc") (vs $ref)"
                qr="$(ratio "$rr" "$r")"
            fi
            echo "| $impl | $(fmt "$c" 2) | $(fmt "$r" 0) | $(maxof "$sec" "$impl" errors) | $cr | $qr |"
        done
        echo
    done

    if has v3-scale; then
        echo "### SNMPv3 authPriv: snmpx throughput by client threads and runtime shards"
        echo
        echo "\`loadgen MODE TARGET $v3_name:... OID $REQ_SCALE $WINDOW 3 SHARDS THREADS\` against the same"
        echo "simulator (1 thread, 100 devices; one Session shared by all threads). **sync**: THREADS"
        echo "threads each blocking on its own GETs (THREADS requests in flight). **queue**: THREADS"
        echo "threads each with its own completion queue, $WINDOW requests in flight in total."
        echo "CPU = the whole client process (caller threads + shards) per GET. Two CPUs are shared"
        echo "by the client, the simulator and whatever else runs, so rates flatten once both are busy."
        echo
        echo "| shards | threads | sync GETs/s | sync CPU us/GET | queue GETs/s | queue CPU us/GET | errors (max) |"
        echo "| --- | --- | --- | --- | --- | --- | --- |"
        for sh in $SCALE_SHARDS; do
            for t in $SCALE_THREADS; do
                e=$(printf '%s\n%s\n' "$(maxof v3-scale "sync-$sh-$t" errors)" "$(maxof v3-scale "queue-$sh-$t" errors)" | { grep -v '^-$' || true; } | sort -g | tail -1)
                echo "| $sh | $t | $(fmt "$(median v3-scale "sync-$sh-$t" rate)" 0) | $(fmt "$(median v3-scale "sync-$sh-$t" cpu_us)" 2) | $(fmt "$(median v3-scale "queue-$sh-$t" rate)" 0) | $(fmt "$(median v3-scale "queue-$sh-$t" cpu_us)" 2) | ${e:--} |"
            done
        done
        echo
    fi

    echo "## (c) Fleet sweep (${LATENCY_MS} ms reply latency, simulator in its own process)"
    echo
    echo "Simulator: \`snmpx sim --devices $maxd --latency-ms $LATENCY_MS\` (1 thread; device i at"
    echo "127.1.0.1 + i, one port). Each device: 15 sequential GETs of one varbind (**seq**) or one GET"
    echo "of the same 15 varbinds (**batch**); timeout 1 s, 2 retries; a device fails if any GET fails."
    echo "Wall = the sweep inside the client (start of the first session to the last answer); RSS ="
    echo "peak resident set of the client process; CPU = client user+sys."
    echo
    echo "- **snmpx**: \`examples/fleet.rs\`, Rust API, one Runtime (1 I/O thread), one Session per"
    echo "  device, **all devices in flight at once**, \`ulimit -n 1024\`. For D >= 10,000 also with a"
    echo "  window of $SNMPX_WINDOW devices in flight, row \"snmpx, window\"."
    echo "- **snmpx poll**: the CLI (\`snmpx poll --targets FILE --oids ... [--sequential] --in-flight D"
    echo "  --output /dev/null\`), whole process from exec to exit incl. writing JSON lines; \`ulimit -n 1024\`."
    echo "- **Net-SNMP**: \`bench/peers/netsnmp_fleet.c\`, single-session API (session pointer held per"
    echo "  device), epoll over the sockets, a window of $NETSNMP_WINDOW devices in flight (one socket"
    echo "  each). Its best window, measured on the quiet machine (2026-11-29, 15 sequential GETs): at"
    echo "  10,000 devices windows of 1,000 / 2,000 / 3,000 / 5,000 / 7,500 / 10,000 took 3.23 / 1.71 /"
    echo "  1.56 / 1.45 / 1.44 / 1.41 s; at 28,000 windows of 2,000 / 10,000 / 19,000 took 4.81 / 4.47 /"
    echo "  4.54 s (an earlier pass on a loaded machine had favoured 2,000)."
    echo "- **gosnmp**: \`bench/peers/gosnmp_fleet\`, a goroutine per device, each with its own GoSNMP"
    echo "  (one socket), at most $GOSNMP_WINDOW devices at once (the hard fd limit is $(ulimit -Hn))."
    echo "- **snmpx-go**: \`examples/go/fleet\` through the Go package (bindings/go): a Session per"
    echo "  device, **all devices at once**, one runtime, \`ulimit -n 1024\`; whole sweep incl. opening"
    echo "  sessions and writing JSON lines to /dev/null, with the example's defaults of one P"
    echo "  (GOMAXPROCS=1), and GOGC=50 for the goroutine form (flags -procs/-gogc; with Go's defaults"
    echo "  it measured ~5% more CPU and ~10 MB more memory). Two forms of the same program: **Calls**"
    echo "  (the default) drives every device from one goroutine with asynchronous \`Session.Go\` Calls,"
    echo "  each device's next GET submitted as its previous Call returns; **goroutine per device**"
    echo "  (\`-goroutines\`) gives each device a goroutine calling the blocking \`Session.Get\`."
    echo "  Their peer is gosnmp (Go's defaults; one P gained it little)."
    echo "- **floor**: \`bench/peers/udp_floor.c\`, not a peer and not an SNMP library: the least work"
    echo "  any client on one UDP socket must do for the sweep (pre-encoded requests with the request-id"
    echo "  patched in, sendmmsg/recvmmsg in batches of 256, datagrams unfragmentable (IP ID 0) as snmpx"
    echo "  sends small ones, the response matched by its request-id, values not decoded, nothing"
    echo "  allocated per request; retransmission after 1 s as the others)."
    echo "  Its CPU is almost all kernel time: on loopback the sender's system call also runs the"
    echo "  receiver's IP/UDP input (the simulator's, for requests), so the kernel's per-datagram cost is"
    echo "  a floor no client can go under here. Its wall time bounds the ratio any one-socket client could reach"
    echo "  against the same peer run on this machine."
    echo
    echo "| D | mode | client | wall s | peak RSS MiB | CPU s | failed devices (max) | client retransmissions | peer wall / snmpx wall |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    for d in $FLEET_SIZES; do
        for mode in seq batch; do
            sec="fleet-$mode-$d"
            sw=$(median "$sec" snmpx wall)
            for impl in snmpx snmpx-window snmpx-poll netsnmp gosnmp snmpx-go snmpx-go-goroutines udp-floor; do
                has_impl "$sec" "$impl" || continue
                w=$(median "$sec" "$impl" wall)
                rss=$(median "$sec" "$impl" rss)
                rssm=$([ "$rss" = - ] && echo - || awk -v k="$rss" 'BEGIN{printf "%.1f", k/1024}')
                rt=$(median "$sec" "$impl" retrans)
                r=""
                [ "$impl" != snmpx ] && r=$(ratio "$w" "$sw")
                label=$impl
                [ "$impl" = snmpx-window ] && label="snmpx, window $SNMPX_WINDOW"
                [ "$impl" = udp-floor ] && label="floor (no library)"
                [ "$impl" = snmpx-go ] && label="snmpx-go (Calls)"
                [ "$impl" = snmpx-go-goroutines ] && label="snmpx-go (goroutine per device)"
                echo "| $d | $mode | $label | $(fmt "$w" 3) | $rssm | $(fmt "$(median "$sec" "$impl" cpu)" 2) | $(maxof "$sec" "$impl" failed) | $( [ "$rt" = - ] && echo "" || echo "$rt") | $r |"
            done
            if has "$sec-all"; then
                w=$(median "$sec-all" gosnmp wall)
                echo "| $d | $mode | gosnmp, all $d at once (1 run) | $(fmt "$w" 3) | $(awk -v k="$(median "$sec-all" gosnmp rss)" 'BEGIN{printf "%.1f", k/1024}') | $(fmt "$(median "$sec-all" gosnmp cpu)" 2) | $(maxof "$sec-all" gosnmp failed) | | |"
            fi
        done
    done
    echo
    echo "Simulator at the end of the fleet runs: \`${sim_cpu_line}\`"
    echo

    echo "## (d) Bulk walk of a ${TABLE_ROWS}-row table (2 columns = $((2 * TABLE_ROWS)) varbinds, max-repetitions 25)"
    echo
    echo "The same data from the simulator's recorded-walk mode (\`snmpx sim --walk-file\`, a generated"
    echo "\`snmpwalk -On\` file) and from snmpd (\`override\` lines). \`snmpx bulkwalk\` vs Net-SNMP's"
    echo "\`snmpbulkwalk -On -Cr25\`, both printing to a file; whole process (\`/usr/bin/time\` over"
    echo "$WALK_REPS walks back to back, divided by $WALK_REPS). Lines = varbind lines printed."
    echo
    echo "| agent | client | wall s | CPU s | peak RSS MiB | lines | same output as snmpbulkwalk | wall ratio snmpbulkwalk/snmpx | CPU ratio |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    for sec in walk-sim walk-snmpd; do
        has "$sec" || continue
        for impl in snmpx snmpbulkwalk; do
            w=$(median "$sec" "$impl" wall)
            c=$(median "$sec" "$impl" cpu)
            rss=$(median "$sec" "$impl" rss)
            rr="" cr="" same=""
            if [ "$impl" = snmpbulkwalk ]; then
                rr=$(ratio "$w" "$(median "$sec" snmpx wall)")
                cr=$(ratio "$c" "$(median "$sec" snmpx cpu)")
            else
                same=$(values "$sec" both identical | head -1)
            fi
            echo "| ${sec#walk-} | $impl | $(fmt "$w" 3) | $(fmt "$c" 3) | $([ "$rss" = - ] && echo - || awk -v k="$rss" 'BEGIN{printf "%.1f", k/1024}') | $(median "$sec" "$impl" lines) | $same | $rr | $cr |"
        done
    done
    echo

    if has mib; then
        nfiles=$(find "$MIBDIR" -maxdepth 1 -type f | wc -l)
        echo "## (e) MIB corpus: load and lookups"
        echo
        echo "Corpus: \`$MIBDIR\` ($nfiles files; snmpx loads $(median mib-in snmpx modules) modules, $(median mib-in snmpx nodes) nodes)."
        echo "Whole process from exec to exit, **median of $MIB_RUNS runs** (the two programs alternate):"
        echo "snmpx = \`examples/mib_bench --once DIR\` (\`MibLoader::add_dir(DIR).load_all()\`, resolve"
        echo "\`SNMPv2-MIB::sysDescr.0\`, print the OID); Net-SNMP = \`snmptranslate -M DIR -m ALL -On"
        echo "SNMPv2-MIB::sysDescr.0\` with an empty config directory (no snmp.conf). Wall = the shell's"
        echo "clock around the exec (process start included for both); peak RSS = /usr/bin/time, separate runs;"
        echo "CPU = user+sys of $MIB_RUNS runs back to back / $MIB_RUNS (less sensitive to other load than wall)."
        echo
        echo "| program | wall ms (median) | wall ms (min) | CPU ms per process | peak RSS MiB (median) | printed | stderr lines | wall ratio snmptranslate/snmpx |"
        echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
        for impl in snmpx snmptranslate; do
            w=$(median mib "$impl" wall_ms)
            mn=$(values mib "$impl" wall_ms | sort -g | awk 'NR == 1')
            rss=$(median mib "$impl" rss)
            r=""
            [ "$impl" = snmptranslate ] && r=$(ratio "$w" "$(median mib snmpx wall_ms)")
            echo "| $impl | $(fmt "$w" 1) | $(fmt "${mn:--}" 1) | $(fmt "$(median mib "$impl" cpu_ms)" 1) | $([ "$rss" = - ] && echo - || awk -v k="$rss" 'BEGIN{printf "%.1f", k/1024}') | \`$(values mib "$impl" output | head -1)\` | $(values mib "$impl" stderr_lines | head -1) | $r |"
        done
        echo
    fi
    if has mib-in; then
        echo "In-process (\`examples/mib_bench DIR $MIB_THREADS\`, median of $N runs): load of the whole corpus"
        echo "$(fmt "$(median mib-in snmpx load_ms)" 1) ms (best of 5 loads in one process, files already in the page cache),"
        echo "resident $(awk -v k="$(median mib-in snmpx resident_kb)" 'BEGIN{printf "%.1f", k/1024}') MiB after 6 loads. Lookups: 200,000 of each, one thread,"
        echo "CPU ns per call (the thread's CPU clock, so other load does not inflate it); name->OID ="
        echo "\`Mib::resolve\`, OID->name = \`format_oid\` with default options (MODULE::name.index)."
        echo
        echo "| name | name->OID ns | OID->name ns |"
        echo "| --- | --- | --- |"
        while read -r name; do
            echo "| \`$name\` | $(fmt "$(median mib-in fwd "$name")" 0) | $(fmt "$(median mib-in rev "$name")" 0) |"
        done <"$work/mib.names"
        echo
        echo "$MIB_THREADS threads sharing the snapshot, both lookups alternately: $(fmt "$(median mib-in snmpx mt_cpu_ns)" 0) ns CPU per lookup"
        echo "(process CPU time over the threaded run / lookups)."
        echo
    fi

    echo "## Targets (issues 2, 3, 4, 8 and 9)"
    echo
    echo "| target | measured (median) | met |"
    echo "| --- | --- | --- |"
    v=$(median codec snmpx encode_get_ns)
    echo "| encode of a v2c Get <= 200 ns | $(fmt "$v" 1) ns | $(pass "$v" '<=' 200) |"
    v=$(median codec snmpx decode_15vb_ns_per_vb)
    echo "| decode of a v2c Response <= 50 ns per varbind (15-varbind response) | $(fmt "$v" 1) ns | $(pass "$v" '<=' 50) |"
    v=$(median sim snmpx-async cpu_us)
    echo "| client CPU per v2c GET at saturation <= 5 us (snmpx-async vs simulator) | $(fmt "$v" 2) us | $(pass "$v" '<=' 5) |"
    v=$(median sim snmpx-queue cpu_us)
    echo "| same, completion-queue client | $(fmt "$v" 2) us | $(pass "$v" '<=' 5) |"
    a=$(median sim snmpx-async rate)
    q=$(median sim snmpx-queue rate)
    best=$(printf '%s\n%s\n' "$a" "$q" | grep -v '^-$' | sort -g | tail -1)
    echo "| >= 120,000 GETs/s against a fast loopback responder (best snmpx mode vs simulator) | $(fmt "${best:--}" 0) /s | $(pass "${best:--}" '>=' 120000) |"
    # Issue 5: the C path. CPU per request of the C client minus the Rust client, same mode.
    for m in async queue; do
        d=$(awk -v c="$(median sim "snmpx-c-$m" cpu_us)" -v r="$(median sim "snmpx-$m" cpu_us)" \
            'BEGIN { if (c == "-" || r == "-") print "-"; else printf "%.2f", c - r }')
        echo "| C API overhead per GET <= 1 us (snmpx-c-$m minus snmpx-$m CPU, vs simulator) | $d us | $(pass "$d" '<=' 1) |"
    done
    x=$(ratio "$(median sim snmpx-c-queue rate)" "$(median sim snmpx-queue rate)")
    echo "| C completion-queue client within 10% of the Rust API's throughput (snmpx-c-queue / snmpx-queue) | ${x}x | $(pass "$x" '>=' 0.9) |"
    if [[ " $FLEET_SIZES " == *" 28000 "* ]]; then
        w=$(median fleet-seq-28000 snmpx wall)
        r=$(median fleet-seq-28000 snmpx rss)
        f=$(maxof fleet-seq-28000 snmpx failed)
        echo "| 28,000 devices x 15 sequential GETs <= 2.5 s | $(fmt "$w" 3) s | $(pass "$w" '<=' 2.5) |"
        echo "| ... peak RSS <= 64 MB | $(awk -v k="$r" 'BEGIN{printf "%.1f", k*1024/1e6}') MB | $(pass "$(awk -v k="$r" 'BEGIN{print k*1024/1e6}')" '<=' 64) |"
        echo "| ... zero failures (all runs), fd limit 1024 | $f failed (max of $N) | $(pass "$f" '<=' 0) |"
        w=$(median fleet-batch-28000 snmpx wall)
        echo "| 28,000 devices x 1 GET of 15 varbinds <= 0.6 s | $(fmt "$w" 3) s | $(pass "$w" '<=' 0.6) |"
    fi
    if [[ " $FLEET_SIZES " == *" 10000 "* ]]; then
        sw=$(median fleet-seq-10000 snmpx wall)
        nw=$(median fleet-seq-10000 netsnmp wall)
        gw=$(median fleet-seq-10000 gosnmp wall)
        bp=$(printf '%s\n%s\n' "$nw" "$gw" | grep -v '^-$' | sort -g | head -1)
        x=$(ratio "${bp:--}" "$sw")
        fw=$(median fleet-seq-10000 udp-floor wall)
        echo "| 10,000 devices x 15 GETs >= 2.5x faster than the best peer (same run) | best peer ${bp:--} s / snmpx $sw s = ${x}x (the floor client: ${bp:--} / $fw = $(ratio "${bp:--}" "$fw")x) | $(pass "$x" '>=' 2.5) |"
    fi
    v=$(median sim-v3 snmpx-async cpu_us)
    echo "| client CPU per v3 authPriv ($v3_auth/$v3_priv) GET at saturation <= 10 us (snmpx-async vs simulator; Net-SNMP async $(fmt "$(median sim-v3 netsnmp-async cpu_us)" 1) us, gosnmp concurrent $(fmt "$(median sim-v3 gosnmp-concurrent cpu_us)" 1) us in this run) | $(fmt "$v" 2) us | $(pass "$v" '<=' 10) |"
    v=$(median sim-v3 snmpx-queue cpu_us)
    echo "| same, completion-queue client | $(fmt "$v" 2) us | $(pass "$v" '<=' 10) |"
    if has v3-scale; then
        r1=$(median v3-scale sync-1-1 rate)
        r16=$(median v3-scale sync-1-16 rate)
        r16b=$(median v3-scale sync-2-16 rate)
        echo "| v3 throughput scales with threads and shards; report 1/2/4/16 threads | sync, 1 shard: 1 thread $(fmt "$r1" 0) /s, 16 threads $(fmt "$r16" 0) /s ($(ratio "$r16" "$r1")x); 2 shards, 16 threads $(fmt "$r16b" 0) /s | reported (table above) |"
    fi
    if has mib; then
        a=$(median mib snmpx wall_ms)
        b=$(median mib snmptranslate wall_ms)
        met=$(awk -v a="$a" -v b="$b" 'BEGIN{ if (a == "-" || b == "-") print "not measured"; else print (a < b) ? "yes" : "**NO**" }')
        echo "| MIB corpus load faster than Net-SNMP (whole process wall, median; snmptranslate -m ALL) | snmpx $(fmt "$a" 1) ms vs $(fmt "$b" 1) ms (CPU $(fmt "$(median mib snmpx cpu_ms)" 1) vs $(fmt "$(median mib snmptranslate cpu_ms)" 1) ms) | $met |"
    fi
    if has mib-in; then
        worst=$(awk -F'|' '$1 == "mib-in" && ($2 == "fwd" || $2 == "rev") {print $3}' "$RES" | sort -u | while read -r name; do
            median mib-in fwd "$name"
            median mib-in rev "$name"
        done | sort -g | tail -1)
        echo "| name -> OID and OID -> name <= 1 us each (slowest of the names above, 1 thread) | $(fmt "${worst:--}" 0) ns | $(pass "${worst:--}" '<=' 1000) |"
        v=$(median mib-in snmpx mt_cpu_ns)
        echo "| ... from $MIB_THREADS threads at once (CPU per lookup) | $(fmt "$v" 0) ns | $(pass "$v" '<=' 1000) |"
    fi
    if [[ " $FLEET_SIZES " == *" 10000 "* ]]; then
        c=$(median fleet-seq-10000 snmpx-go cpu)
        r=$(median fleet-seq-10000 snmpx-go rss)
        gc=$(median fleet-seq-10000 gosnmp cpu)
        gr=$(median fleet-seq-10000 snmpx-go-goroutines cpu)
        echo "| Go package, 10,000 devices x 15 GETs: client CPU <= 1.0 s (Calls; goroutine per device: $(fmt "$gr" 2) s; gosnmp: $(fmt "$gc" 2) s) | $(fmt "$c" 2) s | $(pass "$c" '<=' 1.0) |"
        echo "| ... peak RSS <= 100 MB | $(awk -v k="$r" 'BEGIN{printf "%.1f", k*1024/1e6}') MB | $(pass "$(awk -v k="$r" 'BEGIN{print k*1024/1e6}')" '<=' 100) |"
    fi
    if [[ " $FLEET_SIZES " == *" 28000 "* ]]; then
        f=$(maxof fleet-seq-28000 snmpx-go failed)
        fg=$(maxof fleet-seq-28000 snmpx-go-goroutines failed)
        echo "| Go package, 28,000 devices x 15 GETs all at once, fd limit 1024: zero failures (Calls; goroutine per device: $fg failed) | $f failed (max of $N) | $(pass "$f" '<=' 0) |"
    fi
    echo

    if [ -s "$work/tools.md" ]; then
        echo "## (f) Net-SNMP-compatible commands: process start to exit (\`bench/tools.sh\`)"
        echo
        echo "Median of $TOOLS_RUNS runs, wall time from spawn to exit, against \`snmpx sim --big-table"
        echo "10000\` on loopback, same arguments and MIBs for both (\`-v2c -c public\`; default"
        echo "max-repetitions 10, i.e. 1,000 GetBulk round trips for the table). A blocking request"
        echo "crosses to the I/O thread and back (two thread wake-ups per round trip), which is what"
        echo "the default 10-repetition walk pays 1,000 times."
        echo
        cat "$work/tools.md"
        echo
    fi

    if [ -s "$NOTES" ]; then
        echo "## Observations from this run"
        echo
        cat "$NOTES"
        echo
    fi
    if [ -f "$here/analysis.md" ]; then
        cat "$here/analysis.md"
    fi
} >"$md"
cp "$md" "$OUT"
# the tables on the terminal
sed -n '/^## (a)/,$p' "$md" | grep -E '^(#|\|)' || true
log "done in ${t_total} s; report in $OUT"
