#!/usr/bin/env bash
# The CI soak (60 s): examples/soak.rs polls 5,000 simulated devices (500 of them SNMPv3)
# and 20 closed ports with 5% loss, 5% duplication and 1% misbehaving replies, checks every
# answer against the simulator's model and exits non-zero if the accounting does not add up
# (succeeded + failed == submitted), a wrong value or unexplained error appears, RSS grows
# more than 16 MiB after the warm-up, or descriptors or threads grow. The 10-minute run is
# `SOAK_SECONDS=600 scripts/soak-ci.sh` (docs/RELIABILITY.md, "Soak").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${SOAK_SECONDS:-60}
printf '\n==== %s ====\n' "Soak ($seconds s): 5,000 simulated devices with faults (examples/soak.rs)"
nice -n 10 cargo build --release --example soak
nice -n 5 target/release/examples/soak --duration "$seconds" --report 10 "$@"
