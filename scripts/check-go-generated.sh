#!/usr/bin/env bash
# Checks that the Go package's generated constants (bindings/go/zconst.go: result codes and
# their sentinel errors, error-status values, value types, versions, SNMPv3 protocols) and
# its SONAME link (bindings/go/lib/libsnmpx.so.<ABI>) are what include/snmpx.h gives, so
# Go cannot drift from the C header. Fix a failure with `go generate` in bindings/go.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../bindings/go"
GOTOOLCHAIN=local GOFLAGS=-mod=readonly timeout 300 go run ./internal/gen -check
