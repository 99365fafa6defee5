package snmpx

import (
	"context"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Config describes one agent and how to talk to it. Zero fields take the library's
// defaults (1 s timeout, 5 retries, 60 varbinds per request, max-repetitions 10,
// non-repeaters 0, source check on, no per-agent in-flight limit).
type Config struct {
	// Target is the agent: "host", "host:port", "[v6addr]:port", with an optional
	// "udp:"/"udp6:" prefix; port 161 by default. Resolved once, by Open.
	Target string
	// Version is the SNMP version. The zero value is V1 (its wire value, as in gosnmp);
	// most agents want V2c.
	Version Version
	// Community is the v1/v2c community ("public" when empty).
	Community string
	// Timeout is the wait for each transmission's response.
	Timeout time.Duration
	// Retries is the number of retransmissions after the first send; 0 keeps the
	// library's default (5, as Net-SNMP), NoRetries (or any negative value) means none.
	Retries int
	// Backoff multiplies the timeout after each retransmission (>= 1; 0 = constant).
	Backoff float64
	// Deadline bounds one whole operation, every retry and walk step included.
	Deadline time.Duration
	// MaxVarBinds is the most varbinds per request; longer Get/GetNext lists are split.
	MaxVarBinds int
	// MaxRepetitions is GetBulk's max-repetitions for bulk walks and GetBulk's default.
	MaxRepetitions int
	// NonRepeaters is GetBulk's default non-repeaters.
	NonRepeaters int
	// MaxInFlight limits the requests in flight to this agent at once; more wait in the
	// library (0 = unlimited).
	MaxInFlight int
	// AcceptAnySource accepts responses from any address (multi-homed agents); by default
	// only the target's address is accepted.
	AcceptAnySource bool
	// WaitOnUnreachable ignores ICMP port unreachable and waits for the timeout and retries,
	// as Net-SNMP does; by default such a report fails the request at once with
	// ErrUnreachable.
	WaitOnUnreachable bool
	// AllowNonIncreasing lets walks continue past OIDs that do not increase (Net-SNMP's
	// -Cc); an OID equal to the previous one still fails.
	AllowNonIncreasing bool
	// WalkMaxRequests bounds the requests one walk may issue (0 = unlimited).
	WalkMaxRequests uint64
	// Format asks for the library's text rendering of every returned binding
	// (VarBind.Text, as `snmpget -On` prints it).
	Format bool
	// V3 holds the SNMPv3 user settings, used when Version is V3.
	V3 V3Config
}

// sessionOpts are the settings a Session reads after Open (the library holds the rest;
// secrets are not kept on the Go side), a fraction of a Config's size: a fleet keeps
// thousands of sessions.
type sessionOpts struct {
	Version            Version
	Format             bool
	AllowNonIncreasing bool
	MaxRepetitions     uint32
	WalkMaxRequests    uint64
}

// NoRetries as Config.Retries sends each request once.
const NoRetries = -1

// V3Config is an SNMPv3 USM user (RFC 3414) and its context (RFC 3411).
type V3Config struct {
	// User is the securityName.
	User string
	// Level is the security level (0: derived by the library from the protocols set).
	Level SecurityLevel
	// Auth is the authentication protocol, with AuthPassphrase or a localized AuthKey.
	Auth           AuthProtocol
	AuthPassphrase string
	AuthKey        []byte
	// Priv is the privacy protocol, with PrivPassphrase or a localized PrivKey.
	Priv           PrivProtocol
	PrivPassphrase string
	PrivKey        []byte
	// ContextName and ContextEngineID select the context (RFC 3411 §3.3.1).
	ContextName     []byte
	ContextEngineID []byte
	// SecurityEngineID is the agent's engine ID; set it to skip discovery.
	SecurityEngineID []byte
}

// Session is one agent with its settings, on the package's shared runtime. It is safe
// for concurrent use: any number of goroutines may call its methods at once, each call
// a request in flight, with no lock held while it waits. Close it when done; a Session
// that becomes unreachable without Close is closed by a cleanup (a safety net against
// leaks, not a substitute for Close).
type Session struct {
	mu      sync.RWMutex // read-held by every use of c; write-held by Close
	c       cSession
	closed  atomic.Bool // set by Close, under mu; read without it by the poller
	cfg     sessionOpts
	peer    string
	cleanup runtime.Cleanup
	// waiting counts this session's requests whose waiter may still be there, so Close
	// only searches the runtime's table when there is something to cancel.
	waiting atomic.Int64
}

// Open creates a session for cfg. It starts the package's runtime with the first
// session. A host name in Target is resolved here (a short blocking call).
func Open(cfg Config) (*Session, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if err := rt.acquire(); err != nil {
		return nil, err
	}
	c, err := configBuild(&cfg)
	if err != nil {
		rt.release()
		return nil, err
	}
	sc, err := sessionOpen(c)
	configFree(c)
	if err != nil {
		rt.release()
		return nil, err
	}
	s := &Session{c: sc, cfg: sessionOpts{Version: cfg.Version, Format: cfg.Format,
		AllowNonIncreasing: cfg.AllowNonIncreasing, MaxRepetitions: uint32(cfg.MaxRepetitions),
		WalkMaxRequests: cfg.WalkMaxRequests}, peer: sessionPeer(sc)}
	s.cleanup = runtime.AddCleanup(s, func(c cSession) {
		sessionFree(c)
		rt.release()
	}, sc)
	return s, nil
}

func (cfg *Config) check() error {
	neg := func(name string, v int) error {
		if v < 0 || int64(v) > 1<<32-1 {
			return newError(CodeInvalid, name+" "+strconv.Itoa(v)+" out of range")
		}
		return nil
	}
	for _, f := range []struct {
		n string
		v int
	}{{"MaxVarBinds", cfg.MaxVarBinds}, {"MaxRepetitions", cfg.MaxRepetitions},
		{"NonRepeaters", cfg.NonRepeaters}, {"MaxInFlight", cfg.MaxInFlight}} {
		if err := neg(f.n, f.v); err != nil {
			return err
		}
	}
	if cfg.Retries > 1<<32-1 {
		return newError(CodeInvalid, "Retries out of range")
	}
	if cfg.Timeout < 0 || cfg.Deadline < 0 {
		return newError(CodeInvalid, "negative Timeout or Deadline")
	}
	return nil
}

// Close cancels the session's requests in flight (they return errors matching ErrClosed
// and ErrCancelled), frees the session and, with the last one, stops the runtime. It is
// idempotent and safe to call concurrently with requests.
func (s *Session) Close() error {
	s.mu.Lock()
	if s.closed.Load() {
		s.mu.Unlock()
		return nil
	}
	s.closed.Store(true)
	if s.waiting.Load() > 0 {
		for _, id := range rt.pendingOf(s) {
			sessionCancel(s.c, id)
		}
	}
	sessionFree(s.c)
	s.c = nil
	s.mu.Unlock()
	s.cleanup.Stop()
	rt.release()
	return nil
}

// Peer is the agent's resolved address, e.g. "127.0.0.1:161".
func (s *Session) Peer() string { return s.peer }

// isClosed reports whether Close has been called; it takes no lock, so the poller can ask
// while a Close holds mu.
func (s *Session) isClosed() bool { return s.closed.Load() }

// cancel asks the library to cancel a request (no-op once the session is closed).
func (s *Session) cancel(id uint64) {
	s.mu.RLock()
	if !s.closed.Load() {
		sessionCancel(s.c, id)
	}
	s.mu.RUnlock()
	runtime.KeepAlive(s)
}

// do submits one request and waits for its outcome or the context. It releases b.
// It is split in three so that the frame parked while the request is in flight (wait's)
// is small: a fleet parks one goroutine per agent, and their stacks are most of its
// memory.
func (s *Session) do(ctx context.Context, b *built, objs []Object) (result, error) {
	p, err := s.start(ctx, b, objs)
	if err != nil {
		return result{}, err
	}
	if !s.wait(ctx, p) {
		return result{}, ctxError(ctx) // the poller drops the outcome
	}
	return s.finish(ctx, p)
}

// request is do for the methods that return bindings, building the request of kind from
// objs and vals (GetBulk's parameters in nonRep and maxRep, with kind reqGetBulk):
// response(do(...)) with the wait written out, so that a parked request has few frames
// (every GC cycle scans the stack of every parked goroutine, frame by frame, and a fleet
// parks one per agent), and small enough to inline into Get and the other methods.
//
// Its frame is kept small, and so are those of the calls it makes before it parks
// (build, start, submit): a goroutine starts with a 2 KiB stack, any call path deeper
// than about 1.1 KiB grows it to 4 KiB, and a parked stack never shrinks back, so the
// depth of this path decides whether a fleet's goroutines (one per agent) take 2 or
// 4 KiB each. The rare paths (a context with a Done channel, errors) are calls of
// their own, out of this frame.
func (s *Session) request(ctx context.Context, kind requestKind, objs []Object, vals []Value, nonRep, maxRep uint32) ([]VarBind, error) {
	b := build(kind, objs, vals)
	if kind == reqGetBulk {
		b.bulk, b.nonRep, b.maxRep = true, nonRep, maxRep
	}
	p, err := s.start(ctx, b, objs)
	if err != nil {
		return nil, err
	}
	if done := ctx.Done(); done == nil {
		<-p.ch
	} else if !s.waitDone(p, done) {
		return nil, ctxError(ctx)
	}
	return s.response(ctx, p)
}

// waitDone is wait for a context with a Done channel (done).
//
//go:noinline
func (s *Session) waitDone(p *pending, done <-chan struct{}) bool {
	select {
	case <-p.ch:
		return true
	case <-done:
		return s.abandon(p)
	}
}

// response is response(s.finish(ctx, p)), in one frame that copies only the bindings.
//
//go:noinline
func (s *Session) response(ctx context.Context, p *pending) ([]VarBind, error) {
	s.waiting.Add(-1)
	e := p.err
	var vbs []VarBind
	var agent error
	if e == nil {
		vbs, agent = p.res.answer()
	}
	p.res, p.err, p.sess = result{}, nil, nil
	pendingPool.Put(p)
	if e != nil {
		return nil, s.outcomeError(ctx, e)
	}
	return vbs, agent
}

// start registers and submits a request; on success the returned pending has its id.
// It releases b.
func (s *Session) start(ctx context.Context, b *built, objs []Object) (*pending, error) {
	if ctx.Err() != nil {
		b.release()
		return nil, ctxError(ctx)
	}
	if err := checkNames(objs); err != nil {
		b.release()
		return nil, err
	}
	p := pendingPool.Get().(*pending)
	p.state.Store(stateWaiting)
	p.sess = s
	s.mu.RLock()
	if s.closed.Load() {
		s.mu.RUnlock()
		b.release()
		p.sess = nil
		pendingPool.Put(p)
		return nil, closedError(CodeInvalid)
	}
	tag := rt.register(p, s.cfg.Format)
	id, bad, err := submit(s.c, rt.cq, b, tag)
	b.release()
	if err != nil {
		s.mu.RUnlock()
		rt.unregister(tag)
		p.sess = nil
		pendingPool.Put(p)
		return nil, submitError(err, bad, objs)
	}
	p.id = id
	s.waiting.Add(1)
	s.mu.RUnlock()
	runtime.KeepAlive(s)
	return p, nil
}

// checkNames refuses a Name with a NUL byte (the library takes names as C strings).
func checkNames(objs []Object) error {
	for i, o := range objs {
		if n, ok := o.(Name); ok && strings.IndexByte(string(n), 0) >= 0 {
			return nulInName(i)
		}
	}
	return nil
}

// nulInName is the error of a Name with a NUL byte at objs[i].
//
//go:noinline
func nulInName(i int) error {
	return newError(CodeParse, "object "+strconv.Itoa(i)+": a Name cannot contain a NUL byte")
}

// submitError is err, a refused submission, naming the object it is about (bad, if
// in range).
//
//go:noinline
func submitError(err error, bad int, objs []Object) error {
	if e, ok := err.(*Error); ok && bad >= 0 && bad < len(objs) {
		e.Msg = joinMsg(e.Msg, "object "+strconv.Itoa(bad)+" ("+objectText(objs[bad])+")")
	}
	return err
}

// wait blocks until the poller delivers p's outcome (true) or ctx ends first (false: the
// request is cancelled and abandoned).
func (s *Session) wait(ctx context.Context, p *pending) bool {
	done := ctx.Done()
	if done == nil {
		<-p.ch
		return true
	}
	select {
	case <-p.ch:
		return true
	case <-done:
		return s.abandon(p)
	}
}

// abandon cancels p for its context; false if the waiter left before the outcome came,
// true if the outcome was delivered in the race (it has been received).
func (s *Session) abandon(p *pending) bool {
	s.cancel(p.id)
	if p.state.CompareAndSwap(stateWaiting, stateAbandoned) {
		s.waiting.Add(-1)
		return false
	}
	<-p.ch
	return true
}

// finish takes a delivered outcome and recycles p.
func (s *Session) finish(ctx context.Context, p *pending) (result, error) {
	s.waiting.Add(-1)
	r, e := p.res, p.err
	p.res, p.err, p.sess = result{}, nil, nil
	pendingPool.Put(p)
	if e != nil {
		return result{}, s.outcomeError(ctx, e)
	}
	return r, nil
}

// outcomeError is the error of a request that failed with e: a cancellation is reported
// as the context's or the closed session's when one of them caused it.
//
//go:noinline
func (s *Session) outcomeError(ctx context.Context, e *Error) error {
	if e.Code == CodeCancelled {
		if ctx.Err() != nil { // cancelled by us for the context, delivered in the race
			return ctxError(ctx)
		}
		if s.isClosed() {
			return closedError(CodeCancelled)
		}
	}
	return e
}

func joinMsg(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

func objectText(o Object) string {
	switch v := o.(type) {
	case OID:
		return v.String()
	case Name:
		return strconv.Quote(string(v))
	}
	return "?"
}

// build flattens objects (and Set values) for submission into a pooled request.
func build(kind requestKind, objs []Object, vals []Value) *built {
	b := newBuilt(kind)
	b.addObjects(objs)
	if len(vals) > 0 {
		b.addValues(vals)
	}
	return b
}

// addObjects appends the objects to b.
func (b *built) addObjects(objs []Object) {
	for _, o := range objs {
		switch v := o.(type) {
		case OID:
			b.objs = append(b.objs, mkObj(0, u32(len(b.arcs)), u32(len(v))))
			b.arcs = append(b.arcs, v...)
		case Name:
			b.objs = append(b.objs, mkObj(1, u32(len(b.data)), u32(len(v))))
			b.data = append(append(b.data, v...), 0)
		default: // a nil Object: an empty OID, refused by the library
			b.objs = append(b.objs, mkObj(0, 0, 0))
		}
	}
}

// addValues appends Set values to b.
//
//go:noinline
func (b *built) addValues(vals []Value) {
	for _, v := range vals {
		var off, n uint32
		switch {
		case v.typ == TypeObjectID:
			off, n = u32(len(b.arcs)), u32(len(v.oid))
			b.arcs = append(b.arcs, v.oid...)
		case v.bytes != nil:
			off, n = u32(len(b.data)), u32(len(v.bytes))
			b.data = append(b.data, v.bytes...)
		}
		b.vals = append(b.vals, mkVal(v.Type(), off, n, v.num))
	}
}

// response turns a decoded result into bindings and, for a non-zero error-status, an
// *Error with CodeAgent (the bindings are returned too).
func response(r result, err error) ([]VarBind, error) {
	if err != nil {
		return nil, err
	}
	return r.answer()
}

// answer is a delivered response's bindings and, for a non-zero error-status, the *Error
// with CodeAgent (the bindings are returned too): what every form of request returns.
func (r *result) answer() ([]VarBind, error) {
	if r.status != StatusNoError {
		return r.vbs, agentError(r)
	}
	return r.vbs, nil
}

// agentError is the *Error of a response with a non-zero error-status.
//
//go:noinline
func agentError(r *result) *Error {
	return &Error{Code: CodeAgent, Msg: "the agent answered with an error-status",
		Status: r.status, Index: r.index, FailedOID: r.failed}
}

// Get reads the objects (GetRequest, RFC 3416 §4.2.1). Missing objects are values
// (noSuchObject, noSuchInstance), not errors. An agent error-status returns the bindings
// and an *Error with CodeAgent, Status, Index and FailedOID.
func (s *Session) Get(ctx context.Context, objs ...Object) ([]VarBind, error) {
	return s.request(ctx, reqGet, objs, nil, 0, 0)
}

// GetNext reads the object after each given one (GetNextRequest, RFC 3416 §4.2.2).
func (s *Session) GetNext(ctx context.Context, objs ...Object) ([]VarBind, error) {
	return s.request(ctx, reqGetNext, objs, nil, 0, 0)
}

// GetBulk reads nonRepeaters objects once and up to maxRepetitions successors of the
// others (GetBulkRequest, RFC 3416 §4.2.3; not on SNMPv1: ErrUsage).
func (s *Session) GetBulk(ctx context.Context, nonRepeaters, maxRepetitions int, objs ...Object) ([]VarBind, error) {
	if err := checkBulk(nonRepeaters, maxRepetitions); err != nil {
		return nil, err
	}
	return s.request(ctx, reqGetBulk, objs, nil, uint32(nonRepeaters), uint32(maxRepetitions))
}

// checkBulk refuses GetBulk parameters outside the PDU's INTEGER (0..max-bindings)
// range (RFC 3416 §3).
func checkBulk(nonRepeaters, maxRepetitions int) error {
	if nonRepeaters < 0 || maxRepetitions < 0 || int64(nonRepeaters) > 1<<31-1 || int64(maxRepetitions) > 1<<31-1 {
		return newError(CodeInvalid, "GetBulk non-repeaters and max-repetitions must be in 0..2^31-1")
	}
	return nil
}

// Binding is one object to Set and its new value.
type Binding struct {
	Object Object
	Value  Value
}

// Set writes the values (SetRequest, RFC 3416 §4.2.5). Settable types: INTEGER, OCTET
// STRING, OBJECT IDENTIFIER, IpAddress, Counter32, Gauge32, TimeTicks, Counter64, Opaque.
// A refused Set returns an *Error with CodeAgent and the failed OID.
func (s *Session) Set(ctx context.Context, bindings ...Binding) ([]VarBind, error) {
	objs := make([]Object, len(bindings))
	vals := make([]Value, len(bindings))
	for i, b := range bindings {
		objs[i], vals[i] = b.Object, b.Value
	}
	return s.request(ctx, reqSet, objs, vals, 0, 0)
}

// Walk reads every object in the roots' subtrees with GetNext (the library's walk: one
// request from Go, every step in the library), in order, root after root. It never
// truncates silently: an error-status mid-walk fails with CodeAgent, a non-increasing
// OID with ErrNotIncreasing. For very large subtrees prefer WalkSeq.
func (s *Session) Walk(ctx context.Context, roots ...Object) ([]VarBind, error) {
	return s.request(ctx, reqWalk, roots, nil, 0, 0)
}

// BulkWalk is Walk with GetBulk (Config.MaxRepetitions per request; not on SNMPv1).
func (s *Session) BulkWalk(ctx context.Context, roots ...Object) ([]VarBind, error) {
	return s.request(ctx, reqBulkWalk, roots, nil, 0, 0)
}

func u32(n int) uint32 { return uint32(n) }
