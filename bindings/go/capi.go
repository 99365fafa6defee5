package snmpx

// Every call into the C library goes through this file. Each is short and non-blocking
// except where noted (snmpx_session_open resolves a host name; snmpx_shutdown drains the
// runtime), so no cgo call waits for the network.

/*
#include <stdlib.h>
#include "snmpxgo.h"

// None of these keeps a Go pointer after it returns or calls back into Go, so the
// variables whose addresses the hot paths pass (ids, counts, buffers) stay on the stack.
#cgo noescape snmpxgo_submit
#cgo nocallback snmpxgo_submit
#cgo noescape snmpxgo_take
#cgo nocallback snmpxgo_take
#cgo noescape snmpxgo_batch_new
#cgo nocallback snmpxgo_batch_new
#cgo noescape snmpxgo_decode_error
#cgo nocallback snmpxgo_decode_error
#cgo noescape snmpx_session_peer
#cgo nocallback snmpx_session_peer
#cgo noescape snmpx_session_open
#cgo nocallback snmpx_session_open
#cgo noescape snmpx_config_new
#cgo nocallback snmpx_config_new
#cgo noescape snmpx_config_set_community
#cgo nocallback snmpx_config_set_community
*/
import "C"

import (
	"sync"
	"unsafe"
)

type (
	cSession    = *C.snmpx_session
	cQueue      = *C.snmpx_cq
	cCompletion = *C.snmpx_completion
	cConfig     = *C.snmpx_config
	cObj        = C.snmpxgo_obj
	cVal        = C.snmpxgo_val
)

func libInit() Code        { return Code(C.snmpx_init()) }
func libShutdown() Code    { return Code(C.snmpx_shutdown()) }
func libInitCount() uint64 { return uint64(C.snmpx_init_count()) }

// LiveHandles is the number of C library handles of any type currently allocated and not
// freed (snmpx_live_handles): a leak check for tests. It is 0 once every Session is closed
// and the package's runtime has stopped.
func LiveHandles() int { return int(C.snmpx_live_handles()) }

// LibraryVersion is the version of the linked C library, e.g. "0.1.0" (HeaderVersion is
// the one this package was generated for).
func LibraryVersion() string { return C.GoString(C.snmpx_version()) }

// resultMessage is the library's static English description of a code.
func resultMessage(c Code) string { return C.GoString(C.snmpx_result_message(C.uint32_t(c))) }

func cqNew() (cQueue, Code) {
	var q cQueue
	r := Code(C.snmpx_cq_new(&q))
	return q, r
}

func cqFree(q cQueue) { C.snmpx_cq_free(q) }

func cqFd(q cQueue) (int, Code) {
	var fd C.int
	r := Code(C.snmpx_cq_fd(q, &fd))
	return int(fd), r
}

// pollBatch is the poller's C state (snmpxgo_batch): the tags and the serialised outcomes
// of the last batch taken, in C memory the poller reads in place until the next take.
type pollBatch struct{ b *C.snmpxgo_batch }

func newPollBatch(n int) (pollBatch, error) {
	b := C.snmpxgo_batch_new(C.size_t(n))
	if b == nil {
		return pollBatch{}, newError(CodeLimit, "out of memory for the poller's batch")
	}
	return pollBatch{b}, nil
}

func (p pollBatch) free() { C.snmpxgo_batch_free(p.b) }

// take is one snmpxgo_take call: it takes up to the batch's size of completions and
// serialises their outcomes; it returns how many.
func (p pollBatch) take(q cQueue) (int, Code) {
	r := Code(C.snmpxgo_take(q, p.b))
	return int(p.b.count), r
}

// full reports whether the last take filled the batch (the queue may hold more).
func (p pollBatch) full() bool { return p.b.count == p.b.max }

// outcomes is the serialised outcomes of the last take (C memory, valid until the next).
func (p pollBatch) outcomes() []byte {
	if p.b.len == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(p.b.buf)), int(p.b.len))
}

// tag and end give completion i's tag and the end offset of its outcome.
func (p pollBatch) tag(i int) uint64 { return uint64(unsafe.Slice(p.b.tags, p.b.max)[i]) }
func (p pollBatch) end(i int) int    { return int(unsafe.Slice(p.b.ends, p.b.max)[i]) }

// takeError converts and frees a C error of a failed call (nil: only the code is known).
func takeError(code Code, e *C.snmpx_error) *Error {
	if e == nil {
		return newError(code, "")
	}
	defer C.snmpx_error_free(e)
	buf := make([]byte, 256)
	for {
		var n C.size_t
		r := Code(C.snmpxgo_decode_error(e, (*C.uint8_t)(unsafe.SliceData(buf)), C.size_t(len(buf)), &n))
		if r == CodeBufferTooSmall {
			buf = make([]byte, int(n))
			continue
		}
		if r != CodeOK {
			return newError(code, "")
		}
		d := decoder{b: buf[:int(n)]}
		got := Code(d.u32())
		err := d.errorBlock(got)
		if d.bad {
			return newError(code, "")
		}
		return err
	}
}

// configBuild makes a C configuration from cfg; the caller frees it with configFree.
// Straight-line calls: Open runs once per agent, and a fleet opens thousands.
func configBuild(cfg *Config) (cConfig, error) {
	target := C.CString(cfg.Target)
	var c cConfig
	r := Code(C.snmpx_config_new(target, &c))
	C.free(unsafe.Pointer(target))
	if r != CodeOK {
		return nil, newError(r, "target "+quote(cfg.Target))
	}
	err := configCommon(c, cfg)
	if err == nil && cfg.Version == V3 {
		// configV3's closures keep their Config: a copy of its own, so that cfg (Open's
		// argument) stays on the stack for v1/v2c, which a fleet opens by the thousand.
		v3 := *cfg
		err = configV3Apply(c, &v3)
	}
	if err != nil {
		C.snmpx_config_free(c)
		return nil, err
	}
	return c, nil
}

// configCommon applies the version-independent settings.
func configCommon(c cConfig, cfg *Config) error {
	fail := func(r C.snmpx_result, what string) error { return newError(Code(r), what) }
	if r := C.snmpx_config_set_version(c, C.uint32_t(cfg.Version)); r != 0 {
		return fail(r, "version "+cfg.Version.String())
	}
	if n := len(cfg.Community); n > 0 {
		p := (*C.uint8_t)(unsafe.Pointer(unsafe.StringData(cfg.Community)))
		if r := C.snmpx_config_set_community(c, p, C.size_t(n)); r != 0 {
			return fail(r, "community")
		}
	}
	if cfg.Timeout != 0 {
		if r := C.snmpx_config_set_timeout(c, C.double(cfg.Timeout.Seconds())); r != 0 {
			return fail(r, "timeout")
		}
	}
	if cfg.Retries != 0 {
		retries := C.uint32_t(0) // NoRetries, or any negative value
		if cfg.Retries > 0 {
			retries = C.uint32_t(cfg.Retries)
		}
		if r := C.snmpx_config_set_retries(c, retries); r != 0 {
			return fail(r, "retries")
		}
	}
	if cfg.Backoff != 0 {
		if r := C.snmpx_config_set_backoff(c, C.double(cfg.Backoff)); r != 0 {
			return fail(r, "backoff")
		}
	}
	if cfg.Deadline != 0 {
		if r := C.snmpx_config_set_deadline(c, C.double(cfg.Deadline.Seconds())); r != 0 {
			return fail(r, "deadline")
		}
	}
	if cfg.MaxVarBinds != 0 {
		if r := C.snmpx_config_set_max_varbinds(c, C.uint32_t(cfg.MaxVarBinds)); r != 0 {
			return fail(r, "max varbinds")
		}
	}
	if cfg.MaxRepetitions != 0 {
		if r := C.snmpx_config_set_max_repetitions(c, C.uint32_t(cfg.MaxRepetitions)); r != 0 {
			return fail(r, "max repetitions")
		}
	}
	if cfg.NonRepeaters != 0 {
		if r := C.snmpx_config_set_non_repeaters(c, C.uint32_t(cfg.NonRepeaters)); r != 0 {
			return fail(r, "non-repeaters")
		}
	}
	if cfg.MaxInFlight != 0 {
		if r := C.snmpx_config_set_max_in_flight(c, C.uint32_t(cfg.MaxInFlight)); r != 0 {
			return fail(r, "max in flight")
		}
	}
	if cfg.AcceptAnySource {
		if r := C.snmpx_config_set_check_source(c, false); r != 0 {
			return fail(r, "check source")
		}
	}
	if cfg.WaitOnUnreachable {
		if r := C.snmpx_config_set_fail_on_unreachable(c, false); r != 0 {
			return fail(r, "fail on unreachable")
		}
	}
	if cfg.AllowNonIncreasing {
		if r := C.snmpx_config_set_check_increasing(c, false); r != 0 {
			return fail(r, "check increasing")
		}
	}
	if cfg.WalkMaxRequests != 0 {
		if r := C.snmpx_config_set_walk_max_requests(c, C.uint64_t(cfg.WalkMaxRequests)); r != 0 {
			return fail(r, "walk max requests")
		}
	}
	return nil
}

// configV3Apply applies the SNMPv3 settings (configV3).
func configV3Apply(c cConfig, cfg *Config) error {
	set := func(what string, r C.snmpx_result) error {
		if Code(r) != CodeOK {
			return newError(Code(r), what)
		}
		return nil
	}
	bytesArg := func(b []byte) (*C.uint8_t, C.size_t, func()) {
		if len(b) == 0 {
			p := (*C.uint8_t)(C.malloc(1))
			return p, 0, func() { C.free(unsafe.Pointer(p)) }
		}
		p := (*C.uint8_t)(C.CBytes(b))
		return p, C.size_t(len(b)), func() { C.free(unsafe.Pointer(p)) }
	}
	for _, step := range configV3(c, cfg, set, bytesArg) {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// configV3 are the SNMPv3 setters (snmpx_config_set_security_name and the rest).
func configV3(c cConfig, cfg *Config, set func(string, C.snmpx_result) error,
	bytesArg func([]byte) (*C.uint8_t, C.size_t, func())) []func() error {
	v := &cfg.V3
	withBytes := func(what string, b []byte, f func(*C.uint8_t, C.size_t) C.snmpx_result) func() error {
		return func() error {
			if b == nil {
				return nil
			}
			p, n, done := bytesArg(b)
			defer done()
			return set(what, f(p, n))
		}
	}
	return []func() error{
		func() error {
			name := C.CString(v.User)
			defer C.free(unsafe.Pointer(name))
			return set("SNMPv3 user", C.snmpx_config_set_security_name(c, name))
		},
		func() error {
			if v.Level == 0 {
				return nil
			}
			return set("SNMPv3 security level", C.snmpx_config_set_security_level(c, C.uint32_t(v.Level)))
		},
		func() error {
			if v.AuthKey != nil {
				return withBytes("SNMPv3 auth key", v.AuthKey, func(p *C.uint8_t, n C.size_t) C.snmpx_result {
					return C.snmpx_config_set_auth_key(c, C.uint32_t(v.Auth), p, n)
				})()
			}
			if v.Auth == 0 {
				return nil
			}
			return withBytes("SNMPv3 auth passphrase", []byte(v.AuthPassphrase), func(p *C.uint8_t, n C.size_t) C.snmpx_result {
				return C.snmpx_config_set_auth(c, C.uint32_t(v.Auth), p, n)
			})()
		},
		func() error {
			if v.PrivKey != nil {
				return withBytes("SNMPv3 priv key", v.PrivKey, func(p *C.uint8_t, n C.size_t) C.snmpx_result {
					return C.snmpx_config_set_priv_key(c, C.uint32_t(v.Priv), p, n)
				})()
			}
			if v.Priv == 0 {
				return nil
			}
			return withBytes("SNMPv3 priv passphrase", []byte(v.PrivPassphrase), func(p *C.uint8_t, n C.size_t) C.snmpx_result {
				return C.snmpx_config_set_priv(c, C.uint32_t(v.Priv), p, n)
			})()
		},
		withBytes("SNMPv3 context name", v.ContextName, func(p *C.uint8_t, n C.size_t) C.snmpx_result {
			return C.snmpx_config_set_context_name(c, p, n)
		}),
		withBytes("SNMPv3 context engine ID", v.ContextEngineID, func(p *C.uint8_t, n C.size_t) C.snmpx_result {
			return C.snmpx_config_set_context_engine_id(c, p, n)
		}),
		withBytes("SNMPv3 security engine ID", v.SecurityEngineID, func(p *C.uint8_t, n C.size_t) C.snmpx_result {
			return C.snmpx_config_set_security_engine_id(c, p, n)
		}),
	}
}

func configFree(c cConfig) { C.snmpx_config_free(c) }

// sessionOpen opens a session (blocks while a host name resolves).
func sessionOpen(c cConfig) (cSession, error) {
	var s cSession
	var e *C.snmpx_error
	if r := Code(C.snmpx_session_open(c, &s, &e)); r != CodeOK {
		return nil, takeError(r, e)
	}
	return s, nil
}

func sessionFree(s cSession) { C.snmpx_session_free(s) }

func sessionCancel(s cSession, id uint64) Code {
	return Code(C.snmpx_session_cancel(s, C.uint64_t(id)))
}

// sessionPeer is the agent's resolved address.
func sessionPeer(s cSession) string {
	var arr [64]byte
	buf := arr[:]
	for {
		var n C.size_t
		r := Code(C.snmpx_session_peer(s, (*C.char)(unsafe.Pointer(unsafe.SliceData(buf))), C.size_t(len(buf)), &n))
		if r == CodeBufferTooSmall {
			buf = make([]byte, int(n)+1)
			continue
		}
		if r != CodeOK {
			return ""
		}
		return string(buf[:int(n)])
	}
}

// built is a request flattened for snmpxgo_submit. Built requests are pooled: the
// library copies everything at submission, so a built request is reused right after.
type built struct {
	kind   requestKind
	objs   []cObj
	vals   []cVal
	arcs   []uint32
	data   []byte
	bulk   bool
	nonRep uint32
	maxRep uint32
}

var builtPool = sync.Pool{New: func() any { return new(built) }}

// newBuilt is an empty request of kind from the pool.
func newBuilt(kind requestKind) *built {
	b := builtPool.Get().(*built)
	b.kind, b.bulk, b.nonRep, b.maxRep = kind, false, 0, 0
	b.objs, b.vals, b.arcs, b.data = b.objs[:0], b.vals[:0], b.arcs[:0], b.data[:0]
	return b
}

// release returns b to the pool (buffers grown by a large request are dropped).
func (b *built) release() {
	if cap(b.arcs) > 4096 || cap(b.data) > 16384 || cap(b.objs) > 256 {
		return
	}
	builtPool.Put(b)
}

// cAddr is a C handle's address as an integer: the one argument form of a C pointer that
// needs no cgo pointer check (snmpxgo_submit runs once per request).
func cAddr(p unsafe.Pointer) C.uintptr_t { return C.uintptr_t(uintptr(p)) }

// submit hands a request to the library; the completion arrives on q with tag.
func submit(s cSession, q cQueue, b *built, tag uint64) (uint64, int, error) {
	var out C.snmpxgo_submit_out
	var vals *cVal
	if len(b.vals) > 0 {
		vals = unsafe.SliceData(b.vals)
	}
	bulk := C.uint32_t(0)
	if b.bulk {
		bulk = 1
	}
	var data *C.char
	if len(b.data) > 0 {
		data = (*C.char)(unsafe.Pointer(unsafe.SliceData(b.data)))
	}
	var arcs *C.uint32_t
	if len(b.arcs) > 0 {
		arcs = (*C.uint32_t)(unsafe.SliceData(b.arcs))
	}
	var objs *cObj
	if len(b.objs) > 0 {
		objs = unsafe.SliceData(b.objs)
	}
	r := Code(C.snmpxgo_submit(cAddr(unsafe.Pointer(s)), cAddr(unsafe.Pointer(q)), C.uint32_t(b.kind), objs, C.size_t(len(b.objs)),
		vals, arcs, data, bulk, C.uint32_t(b.nonRep), C.uint32_t(b.maxRep), C.uint64_t(tag), &out))
	if r != CodeOK {
		var e *C.snmpx_error
		if out.err != 0 {
			e = C.snmpxgo_error_at(out.err)
		}
		return 0, int(out.bad), takeError(r, e)
	}
	return uint64(out.request_id), -1, nil
}

func mkObj(kind, off, n uint32) cObj {
	return cObj{kind: C.uint32_t(kind), off: C.uint32_t(off), len: C.uint32_t(n)}
}

func mkVal(typ Type, off, n uint32, num uint64) cVal {
	return cVal{_type: C.uint32_t(typ), off: C.uint32_t(off), len: C.uint32_t(n), num: C.uint64_t(num)}
}
