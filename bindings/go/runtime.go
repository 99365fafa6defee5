package snmpx

import (
	"context"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
)

// The package's runtime: one C library reference (snmpx_init), one completion queue and
// one poller goroutine for the whole process, started by the first Open and stopped when
// the last Session closes.
//
// Concurrency model: a request is submitted with one short, non-blocking cgo call
// (snmpxgo_submit -> snmpx_session_submit_cq) carrying a uint64 tag. The poller goroutine
// waits for the queue's eventfd in Go's network poller (no OS thread is blocked while
// nothing completes), then drains the queue with one cgo call per batch of up to
// pollBatchSize completions (snmpxgo_take), in which the library lends each completion to
// a C visitor (snmpx_cq_poll_each: no handle allocated per completion) that serialises its
// outcome into the batch's C buffer. The poller decodes each outcome from that buffer into
// Go values and hands them to the goroutine waiting on its tag. So a request costs
// one cgo call of its own (the submission); decoding and routing are shared per batch.
// No cgo call lasts as long as a request, so 10,000 requests in flight are 10,000 parked
// goroutines, not 10,000 OS threads.

const pollBatchSize = 256

// Pending request states.
const (
	stateWaiting   uint32 = iota
	stateDelivered        // the poller handed the outcome to the waiter
	stateAbandoned        // the waiter left (context done); the poller drops the outcome
)

// pending is one request in flight. For a blocking method, the poller writes res/err
// before the send on ch and the waiter reads them after the receive; for an asynchronous
// Call (call set), the poller completes the call itself (deliverCall).
type pending struct {
	state atomic.Uint32
	ch    chan struct{} // capacity 1: the poller never blocks on it
	sess  *Session
	id    uint64 // the library's request id, set after submission
	res   result
	err   *Error
	// An asynchronous Call: the call, its context and the stop of the context's
	// AfterFunc (nil for a context that never ends).
	call *Call
	ctx  context.Context
	stop func() bool
}

var pendingPool = sync.Pool{New: func() any { return &pending{ch: make(chan struct{}, 1)} }}

// Tags: bits 0-31 index rtState.slots, bits 32-62 a sequence number that must match the
// slot's (a stale or corrupt tag finds nobody), bit 63 asks for the text rendering
// (SNMPXGO_TAG_FORMAT).
const (
	tagFormat  = uint64(1) << 63
	tagSeqMask = uint64(1)<<31 - 1
)

// rtState is the package runtime; rt is the only instance.
type rtState struct {
	mu   sync.Mutex // guards refs and the fields below it
	refs int
	cq   cQueue
	file *os.File // a dup of the queue's eventfd, registered with Go's poller
	done chan struct{}

	// The requests in flight, by tag: a slab (a slice indexed by the tag's low bits, with
	// a free list) rather than a map, guarded by pmu, as are the counts of requests in
	// flight (plain integers updated in the critical sections that add and remove slots,
	// not atomics of their own: every request would touch two more shared cache lines).
	pmu         sync.Mutex
	slots       []slot
	free        []uint32
	seq         uint64
	inFlight    int64      // requests submitted and not yet delivered
	maxInFlight int64      // high-water mark of inFlight (Stats)
	pend        []*pending // the poller's scratch for routing one batch

	batches     atomic.Uint64
	completions atomic.Uint64
}

// slot is one entry of the slab of requests in flight.
type slot struct {
	p   *pending
	seq uint64
}

var rt rtState

// acquire takes one reference on the runtime, starting it if needed.
func (r *rtState) acquire() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.refs > 0 {
		r.refs++
		return nil
	}
	if c := libInit(); c != CodeOK {
		return newError(c, "snmpx_init")
	}
	q, c := cqNew()
	if c != CodeOK {
		libShutdown()
		return newError(c, "creating the completion queue")
	}
	file, err := pollable(q)
	if err != nil {
		cqFree(q)
		libShutdown()
		return err
	}
	batch, err := newPollBatch(pollBatchSize)
	if err != nil {
		file.Close()
		cqFree(q)
		libShutdown()
		return err
	}
	r.cq, r.file, r.done = q, file, make(chan struct{})
	r.refs = 1
	go r.poller(q, file, batch, r.done)
	return nil
}

// pollable registers a duplicate of the queue's eventfd with Go's network poller. The
// queue keeps its own descriptor (the C contract: do not read or close it); the
// duplicate shares the eventfd, so it is readable exactly when the queue's is.
func pollable(q cQueue) (*os.File, error) {
	fd, c := cqFd(q)
	if c != CodeOK {
		return nil, newError(c, "snmpx_cq_fd")
	}
	dup, err := dupCloexec(fd)
	if err != nil {
		return nil, &Error{Code: CodeConnection, Msg: "duplicating the queue descriptor", cause: err}
	}
	if err := syscall.SetNonblock(dup, true); err != nil {
		syscall.Close(dup)
		return nil, &Error{Code: CodeConnection, Msg: "queue descriptor", cause: err}
	}
	return os.NewFile(uintptr(dup), "snmpx-cq"), nil
}

func dupCloexec(fd int) (int, error) {
	r, _, errno := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_DUPFD_CLOEXEC, 0)
	if errno != 0 {
		return -1, errno
	}
	return int(r), nil
}

// release drops one reference; the last stops the runtime: snmpx_shutdown completes
// whatever is still in flight (abandoned requests) with SNMPX_E_CANCELLED, the poller
// drains the queue and exits, and the queue is freed.
func (r *rtState) release() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.refs--
	if r.refs > 0 {
		return
	}
	libShutdown()
	r.file.Close() // wakes the poller; it drains once more and exits
	<-r.done
	cqFree(r.cq)
	r.cq, r.file, r.done = nil, nil, nil
}

// poller is the one goroutine that drains the queue.
func (r *rtState) poller(q cQueue, file *os.File, b pollBatch, done chan struct{}) {
	defer close(done)
	defer b.free()
	raw, err := file.SyscallConn()
	if err == nil {
		// The callback runs with the descriptor registered: it drains the queue and
		// returns false to wait (in the network poller, edge-triggered) for the next
		// write to the eventfd, which the library makes when the queue turns non-empty.
		// Read returns when the file is closed.
		_ = raw.Read(func(uintptr) bool {
			r.drain(q, b)
			return false
		})
	}
	r.drain(q, b)
}

// drain takes every waiting completion, in batches, and routes each to its waiter.
func (r *rtState) drain(q cQueue, b pollBatch) {
	for {
		n, c := b.take(q)
		if c != CodeOK {
			return
		}
		if n > 0 {
			r.route(b, n)
		}
		if !b.full() {
			return // the queue was emptied (and its eventfd reset) by this take
		}
	}
}

// route decodes the n outcomes of the last take and hands each to its waiter.
func (r *rtState) route(b pollBatch, n int) {
	r.batches.Add(1)
	r.completions.Add(uint64(n))
	ps := r.pend[:0]
	r.pmu.Lock()
	for i := 0; i < n; i++ {
		ps = append(ps, r.take(b.tag(i)))
	}
	r.pmu.Unlock()
	buf := b.outcomes()
	start := 0
	for i, p := range ps {
		end := b.end(i)
		if p != nil && p.state.Load() == stateWaiting {
			d := decoder{b: buf[start:end]}
			res, err := d.outcome()
			if d.bad {
				res, err = result{}, newError(CodePanic, "malformed completion buffer")
			}
			if p.call != nil {
				deliverCall(p, res, err)
			} else if p.state.CompareAndSwap(stateWaiting, stateDelivered) {
				p.res, p.err = res, err
				p.ch <- struct{}{}
			}
		}
		start = end
		ps[i] = nil
	}
	r.pend = ps[:0]
}

// register adds a request about to be submitted and returns its tag.
func (r *rtState) register(p *pending, format bool) uint64 {
	r.pmu.Lock()
	var i uint32
	if n := len(r.free); n > 0 {
		i = r.free[n-1]
		r.free = r.free[:n-1]
	} else {
		i = uint32(len(r.slots))
		r.slots = append(r.slots, slot{})
	}
	r.seq = (r.seq + 1) & tagSeqMask
	r.slots[i] = slot{p: p, seq: r.seq}
	tag := r.seq<<32 | uint64(i)
	r.inFlight++
	r.maxInFlight = max(r.maxInFlight, r.inFlight)
	r.pmu.Unlock()
	if format {
		tag |= tagFormat
	}
	return tag
}

// take removes and returns the request of tag (nil if there is none); pmu is held.
func (r *rtState) take(tag uint64) *pending {
	i, seq := uint32(tag), tag>>32&tagSeqMask
	if int(i) >= len(r.slots) || r.slots[i].p == nil || r.slots[i].seq != seq {
		return nil
	}
	p := r.slots[i].p
	r.slots[i] = slot{}
	r.free = append(r.free, i)
	r.inFlight--
	return p
}

// unregister removes a request whose submission failed.
func (r *rtState) unregister(tag uint64) {
	r.pmu.Lock()
	r.take(tag)
	r.pmu.Unlock()
}

// pendingOf lists the requests in flight on one session (for Close).
func (r *rtState) pendingOf(s *Session) []uint64 {
	r.pmu.Lock()
	defer r.pmu.Unlock()
	var ids []uint64
	for _, sl := range r.slots {
		if p := sl.p; p != nil && p.sess == s && p.state.Load() == stateWaiting {
			ids = append(ids, p.id)
		}
	}
	return ids
}

// Stats are the package runtime's counters, for tests and operators.
type Stats struct {
	// InFlight is the number of requests submitted and not yet completed.
	InFlight int64
	// MaxInFlight is the most requests that were in flight at once since the runtime
	// started (or since ResetMaxInFlight).
	MaxInFlight int64
	// Batches and Completions count the poller's queue drains and the completions they
	// took (Completions/Batches is the mean batch size).
	Batches, Completions uint64
	// Running reports whether the runtime is started (some Session is open).
	Running bool
}

// RuntimeStats reads the package runtime's counters.
func RuntimeStats() Stats {
	r := &rt
	r.mu.Lock()
	running := r.refs > 0
	r.mu.Unlock()
	r.pmu.Lock()
	inFlight, maxInFlight := r.inFlight, r.maxInFlight
	r.pmu.Unlock()
	return Stats{
		InFlight:    inFlight,
		MaxInFlight: maxInFlight,
		Batches:     r.batches.Load(),
		Completions: r.completions.Load(),
		Running:     running,
	}
}

// ResetMaxInFlight sets Stats.MaxInFlight back to the current number in flight.
func ResetMaxInFlight() {
	rt.pmu.Lock()
	rt.maxInFlight = rt.inFlight
	rt.pmu.Unlock()
}
