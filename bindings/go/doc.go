// Package snmpx is the Go interface of the snmpx SNMP manager library (a Rust library
// with a C ABI, include/snmpx.h): SNMPv1, v2c and v3 Get, GetNext, GetBulk, Set and
// walks, from any number of goroutines at once, over one shared runtime.
//
// # Concurrency
//
// All sessions share one runtime: the library's I/O thread, one completion queue and one
// poller goroutine. A request is submitted with a short, non-blocking cgo call; the
// poller waits for the queue's eventfd in Go's network poller, takes completions in
// batches (one cgo call serialises a whole batch), decodes them and wakes the goroutine
// waiting for each. No cgo call lasts as long as a
// request, so 10,000 requests in flight cost 10,000 parked goroutines and a handful of OS
// threads. A Session is safe for concurrent use; many requests to one agent are in
// flight at once (bound them with Config.MaxInFlight). Cancelling a request's context
// cancels it in the library.
//
// The blocking methods (Get, Walk, ...) park the calling goroutine until the poller hands
// it the outcome. Session.Go is their asynchronous form, after net/rpc's Client.Go: it
// submits a Call and returns, and the poller sends the completed Call on the Call's Done
// channel. One goroutine can so keep any number of requests in flight and issue each
// agent's next request as its previous one returns, with no goroutine, stack or park and
// wake-up per request: for a fleet of thousands of agents polled in sequence this is the
// cheaper form (examples/go/fleet measured about a fifth less CPU and 40% less memory
// than with a goroutine per agent).
//
// A goroutine that waits for a request keeps Go's initial 2 KiB stack if its own frames
// above the call (Get and the others) stay within a few hundred bytes; Open goes deeper.
// For a fleet with one goroutine per agent, open the sessions before starting those
// goroutines (as examples/go/fleet does): their stacks then take 2 KiB each, not 4 (a
// grown stack stays grown while the goroutine waits).
//
// # Errors
//
// Every failure is an *Error carrying the library's result Code. The sentinels (ErrTimeout,
// ErrAuth, ErrUnknownObject, ErrCancelled, ... one per code) and the ErrorStatus values
// (StatusNotWritable, ...) work with errors.Is. The codes, statuses, types and protocol
// constants are generated from the C header (go generate; scripts/check-go-generated.sh
// fails when they drift).
//
// # Objects
//
// Requests take Objects: an OID (numeric arcs) or a Name, text the library resolves with
// its MIB resolver ("sysDescr.0", "IF-MIB::ifDescr.3", "1.3.6.1.2.1.1.1.0"). Results come
// back as VarBinds with numeric OIDs and typed Values.
//
// # Building and linking
//
// The package links libsnmpx. Two ways, chosen by build tag; each has its cgo directives
// in one file:
//
//   - default (link_local.go): the library built in this repository. Run
//     `cargo build --release` at the repository root; the package finds
//     ../../include/snmpx.h and ../../target/release/libsnmpx.so relative to its
//     directory (${SRCDIR}) and records that directory as the binary's rpath, so
//     `go test` and `go build` need no LD_LIBRARY_PATH.
//   - `-tags snmpx_pkgconfig` (link_pkgconfig.go): an installed library, found with
//     `pkg-config snmpx` (the snmpx.pc that `cmake --install` writes); set
//     PKG_CONFIG_PATH for a non-standard prefix, and LD_LIBRARY_PATH or the system
//     loader path so the shared library is found at run time.
package snmpx
