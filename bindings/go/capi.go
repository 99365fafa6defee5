package snmpx

// Every call into the C library goes through this file. Each is short and non-blocking
// except where noted (snmpx_session_open resolves a host name; snmpx_shutdown drains the
// runtime), so no cgo call waits for the network.

/*
#include <stdlib.h>
#include "snmpxgo.h"
*/
import "C"

import (
	"runtime"
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

// pollBuffers are C memory for one poller's batches (so no Go memory holds C pointers
// that C writes).
type pollBuffers struct {
	comps *cCompletion
	tags  *C.uint64_t
	cap   int
}

func newPollBuffers(n int) *pollBuffers {
	return &pollBuffers{
		comps: (*cCompletion)(C.calloc(C.size_t(n), C.size_t(unsafe.Sizeof(cCompletion(nil))))),
		tags:  (*C.uint64_t)(C.calloc(C.size_t(n), 8)),
		cap:   n,
	}
}

func (b *pollBuffers) free() {
	C.free(unsafe.Pointer(b.comps))
	C.free(unsafe.Pointer(b.tags))
}

// poll takes up to b.cap completions without blocking; completion i and its tag are
// b.at(i).
func (b *pollBuffers) poll(q cQueue) (int, Code) {
	var n C.size_t
	r := Code(C.snmpxgo_poll(q, b.comps, b.tags, C.size_t(b.cap), &n))
	return int(n), r
}

func (b *pollBuffers) at(i int) (cCompletion, uint64) {
	c := unsafe.Slice(b.comps, b.cap)[i]
	t := unsafe.Slice(b.tags, b.cap)[i]
	return c, uint64(t)
}

func completionFree(c cCompletion) { C.snmpx_completion_free(c) }

// decodeCompletion serialises a completion into buf and frees it; needed is the length
// required, and ok is false when buf was too small (the completion is then kept).
func decodeCompletion(c cCompletion, buf []byte, format bool) (needed int, ok bool, r Code) {
	var n C.size_t
	f := C.int(0)
	if format {
		f = 1
	}
	r = Code(C.snmpxgo_decode(c, (*C.uint8_t)(unsafe.SliceData(buf)), C.size_t(len(buf)), &n, f))
	if r == CodeBufferTooSmall {
		return int(n), false, CodeOK
	}
	return int(n), r == CodeOK, r
}

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
func configBuild(cfg *Config) (cConfig, error) {
	target := C.CString(cfg.Target)
	defer C.free(unsafe.Pointer(target))
	var c cConfig
	if r := Code(C.snmpx_config_new(target, &c)); r != CodeOK {
		return nil, newError(r, "target "+quote(cfg.Target))
	}
	ok := false
	defer func() {
		if !ok {
			C.snmpx_config_free(c)
		}
	}()
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
	steps := []func() error{
		func() error {
			return set("version "+cfg.Version.String(), C.snmpx_config_set_version(c, C.uint32_t(cfg.Version)))
		},
		func() error {
			if cfg.Community == "" {
				return nil
			}
			p, n, done := bytesArg([]byte(cfg.Community))
			defer done()
			return set("community", C.snmpx_config_set_community(c, p, n))
		},
		func() error {
			if cfg.Timeout == 0 {
				return nil
			}
			return set("timeout", C.snmpx_config_set_timeout(c, C.double(cfg.Timeout.Seconds())))
		},
		func() error {
			switch {
			case cfg.Retries == 0:
				return nil
			case cfg.Retries < 0:
				return set("retries", C.snmpx_config_set_retries(c, 0))
			}
			return set("retries", C.snmpx_config_set_retries(c, C.uint32_t(cfg.Retries)))
		},
		func() error {
			if cfg.Backoff == 0 {
				return nil
			}
			return set("backoff", C.snmpx_config_set_backoff(c, C.double(cfg.Backoff)))
		},
		func() error {
			if cfg.Deadline == 0 {
				return nil
			}
			return set("deadline", C.snmpx_config_set_deadline(c, C.double(cfg.Deadline.Seconds())))
		},
		func() error {
			if cfg.MaxVarBinds == 0 {
				return nil
			}
			return set("max varbinds", C.snmpx_config_set_max_varbinds(c, C.uint32_t(cfg.MaxVarBinds)))
		},
		func() error {
			if cfg.MaxRepetitions == 0 {
				return nil
			}
			return set("max repetitions", C.snmpx_config_set_max_repetitions(c, C.uint32_t(cfg.MaxRepetitions)))
		},
		func() error {
			if cfg.NonRepeaters == 0 {
				return nil
			}
			return set("non-repeaters", C.snmpx_config_set_non_repeaters(c, C.uint32_t(cfg.NonRepeaters)))
		},
		func() error {
			if cfg.MaxInFlight == 0 {
				return nil
			}
			return set("max in flight", C.snmpx_config_set_max_in_flight(c, C.uint32_t(cfg.MaxInFlight)))
		},
		func() error {
			if !cfg.AcceptAnySource {
				return nil
			}
			return set("check source", C.snmpx_config_set_check_source(c, false))
		},
		func() error {
			if !cfg.WaitOnUnreachable {
				return nil
			}
			return set("fail on unreachable", C.snmpx_config_set_fail_on_unreachable(c, false))
		},
		func() error {
			if !cfg.AllowNonIncreasing {
				return nil
			}
			return set("check increasing", C.snmpx_config_set_check_increasing(c, false))
		},
		func() error {
			if cfg.WalkMaxRequests == 0 {
				return nil
			}
			return set("walk max requests", C.snmpx_config_set_walk_max_requests(c, C.uint64_t(cfg.WalkMaxRequests)))
		},
	}
	if cfg.Version == V3 {
		steps = append(steps, configV3(c, cfg, set, bytesArg)...)
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	ok = true
	return c, nil
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
	buf := make([]byte, 64)
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

// built is a request flattened for snmpxgo_submit.
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

// submit hands a request to the library; the completion arrives on q with tag.
func submit(s cSession, q cQueue, b *built, tag uint64) (uint64, int, error) {
	var id C.uint64_t
	var bad C.int64_t
	var e *C.snmpx_error
	var vals *cVal
	if b.vals != nil {
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
	r := Code(C.snmpxgo_submit(s, q, C.uint32_t(b.kind), unsafe.SliceData(b.objs), C.size_t(len(b.objs)),
		vals, arcs, data, bulk, C.uint32_t(b.nonRep), C.uint32_t(b.maxRep), C.uint64_t(tag), &id, &bad, &e))
	runtime.KeepAlive(b)
	if r != CodeOK {
		return 0, int(bad), takeError(r, e)
	}
	return uint64(id), -1, nil
}

func mkObj(kind, off, n uint32) cObj {
	return cObj{kind: C.uint32_t(kind), off: C.uint32_t(off), len: C.uint32_t(n)}
}

func mkVal(typ Type, off, n uint32, num uint64) cVal {
	return cVal{_type: C.uint32_t(typ), off: C.uint32_t(off), len: C.uint32_t(n), num: C.uint64_t(num)}
}
