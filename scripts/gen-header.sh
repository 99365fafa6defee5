#!/usr/bin/env bash
# Regenerates include/snmpx.h from src/ffi with the pinned cbindgen (tools/gen-header).
# Usage: scripts/gen-header.sh [OUTPUT]   (default: include/snmpx.h)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${1:-include/snmpx.h}
mkdir -p "$(dirname "$out")"
cargo run --quiet --release --locked \
    --manifest-path tools/gen-header/Cargo.toml \
    --target-dir target/gen-header -- "$(realpath -m "$out")"
