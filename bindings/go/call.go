package snmpx

import (
	"context"
	"runtime"
	"strconv"
)

// Op is the operation of an asynchronous Call (Session.Go).
type Op uint8

// The operations of a Call, one per blocking method of Session.
const (
	// OpGet is Get: GetRequest (RFC 3416 §4.2.1).
	OpGet Op = iota + 1
	// OpGetNext is GetNext: GetNextRequest (RFC 3416 §4.2.2).
	OpGetNext
	// OpGetBulk is GetBulk: GetBulkRequest (RFC 3416 §4.2.3) with the Call's
	// NonRepeaters and MaxRepetitions.
	OpGetBulk
	// OpSet is Set: SetRequest (RFC 3416 §4.2.5) of the Call's Values, one per object.
	OpSet
	// OpWalk is Walk: every object in the roots' subtrees, with GetNext.
	OpWalk
	// OpBulkWalk is BulkWalk: Walk with GetBulk.
	OpBulkWalk
)

// String names the operation as its blocking method, e.g. "Get".
func (o Op) String() string {
	switch o {
	case OpGet:
		return "Get"
	case OpGetNext:
		return "GetNext"
	case OpGetBulk:
		return "GetBulk"
	case OpSet:
		return "Set"
	case OpWalk:
		return "Walk"
	case OpBulkWalk:
		return "BulkWalk"
	}
	return "Op(" + strconv.Itoa(int(o)) + ")"
}

// kind is the library's request kind of the operation (0 for an unknown one).
func (o Op) kind() requestKind {
	switch o {
	case OpGet:
		return reqGet
	case OpGetNext:
		return reqGetNext
	case OpGetBulk:
		return reqGetBulk
	case OpSet:
		return reqSet
	case OpWalk:
		return reqWalk
	case OpBulkWalk:
		return reqBulkWalk
	}
	return 0
}

// Call is one asynchronous request, the form of net/rpc's Client.Go: Session.Go submits it
// and returns at once, and the package's poller sends the Call on Done when its outcome
// is in VarBinds and Err. No goroutine waits for it, so a program can keep thousands of
// requests in flight from one goroutine that receives from Done (a fleet poller that
// issues each device's next request as the previous one completes), without a goroutine
// stack per request in flight.
//
// The fields above the outcome describe the request; Go reads them (Values only for OpSet,
// NonRepeaters and MaxRepetitions only for OpGetBulk) and copies what the library needs,
// but the poller uses Done and writes the outcome when the Call completes, possibly after Go
// has returned: so a Call in flight must not be changed or submitted again until it has
// been received from Done. Then it may be reused (its fields changed and Go called again),
// from any goroutine. The call must not be nil.
type Call struct {
	// Op is the operation.
	Op Op
	// Objects are the objects of the request (the roots of a walk).
	Objects []Object
	// Values are OpSet's values, one per object.
	Values []Value
	// NonRepeaters and MaxRepetitions are OpGetBulk's parameters.
	NonRepeaters, MaxRepetitions int
	// Done receives the Call exactly once, when it completes, even when Go fails at
	// once. Go makes a channel of capacity 1 when it is nil. Make it buffered, with room
	// for every Call that may be in flight on it: a full (or unbuffered) channel never
	// blocks the package's poller or loses an outcome, but each delivery to it then waits
	// on a goroutine of its own (net/rpc panics on an unbuffered channel instead).
	Done chan *Call
	// User is the caller's: the package carries it unchanged (e.g. which device the call
	// is for).
	User any

	// VarBinds and Err are the outcome, as the blocking method returns them: the
	// bindings, and nil or the error (an agent error-status returns both).
	VarBinds []VarBind
	Err      error
}

// Go submits the call and returns it; its outcome arrives on call.Done (see Call). The
// context bounds the request as it bounds a blocking method's: when it ends first, the
// request is cancelled in the library and the Call completes with the context's error.
// Go never blocks on the network: it is the blocking methods without their wait.
func (s *Session) Go(ctx context.Context, call *Call) *Call {
	if call.Done == nil {
		call.Done = make(chan *Call, 1)
	}
	call.VarBinds, call.Err = nil, nil
	if err := call.check(); err != nil {
		call.Err = err
		call.deliver()
		return call
	}
	if err := s.startCall(ctx, call); err != nil {
		call.Err = err
		call.deliver()
	}
	return call
}

// check refuses a call the library would not know how to build.
func (c *Call) check() error {
	switch {
	case c.Op.kind() == 0:
		return newError(CodeInvalid, "unknown operation "+c.Op.String())
	case c.Op == OpSet && len(c.Values) != len(c.Objects):
		return newError(CodeInvalid, "Set needs one value per object")
	case c.Op == OpGetBulk:
		return checkBulk(c.NonRepeaters, c.MaxRepetitions)
	}
	return nil
}

// deliver sends the completed call on its Done channel without ever blocking the sender
// (the poller): a full channel gets the call from a goroutine of its own.
func (c *Call) deliver() {
	select {
	case c.Done <- c:
	default:
		go func() { c.Done <- c }()
	}
}

// callCancel is what a cancellable context's AfterFunc needs to cancel an asynchronous
// request: its session, and its library id once the submission has returned it.
type callCancel struct {
	s  *Session
	id uint64
	ok chan struct{} // closed once id is set
}

// startCall registers and submits an asynchronous call. A fresh pending (not a pooled
// one) carries it: the poller may deliver the call, and its caller reuse it, before this
// function returns, so nothing here touches the pending or the call after submission
// but the request id (which only Close reads, under s.mu, held here).
func (s *Session) startCall(ctx context.Context, call *Call) error {
	if ctx.Err() != nil {
		return ctxError(ctx)
	}
	if err := checkNames(call.Objects); err != nil {
		return err
	}
	var vals []Value
	if call.Op == OpSet {
		vals = call.Values
	}
	b := build(call.Op.kind(), call.Objects, vals)
	if call.Op == OpGetBulk {
		b.bulk, b.nonRep, b.maxRep = true, uint32(call.NonRepeaters), uint32(call.MaxRepetitions)
	}
	p := &pending{sess: s, call: call, ctx: ctx}
	var cc *callCancel
	if ctx.Done() != nil {
		cc = &callCancel{s: s, ok: make(chan struct{})}
		p.stop = context.AfterFunc(ctx, func() {
			<-cc.ok // the submission has returned (or failed: id 0)
			if cc.id != 0 {
				s.cancel(cc.id)
			}
		})
	}
	objs := call.Objects // the call is not read after submission
	s.mu.RLock()
	if s.closed.Load() {
		s.mu.RUnlock()
		b.release()
		p.stopContext(cc)
		return closedError(CodeInvalid)
	}
	s.waiting.Add(1)
	tag := rt.register(p, s.cfg.Format)
	id, bad, err := submit(s.c, rt.cq, b, tag)
	b.release()
	if err != nil {
		s.waiting.Add(-1)
		s.mu.RUnlock()
		rt.unregister(tag)
		p.stopContext(cc)
		return submitError(err, bad, objs)
	}
	p.id = id
	s.mu.RUnlock()
	if cc != nil {
		cc.id = id
		close(cc.ok)
	}
	runtime.KeepAlive(s)
	return nil
}

// stopContext undoes startCall's AfterFunc for a call that was not submitted.
func (p *pending) stopContext(cc *callCancel) {
	if cc != nil {
		p.stop()
		close(cc.ok)
	}
}

// deliverCall completes an asynchronous call with its decoded outcome (the poller).
func deliverCall(p *pending, res result, e *Error) {
	s, c := p.sess, p.call
	s.waiting.Add(-1)
	if p.stop != nil {
		p.stop()
	}
	if e != nil {
		c.Err = s.outcomeError(p.ctx, e)
	} else {
		c.VarBinds, c.Err = res.answer()
	}
	c.deliver()
}
