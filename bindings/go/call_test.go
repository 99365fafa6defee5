package snmpx_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	snmpx "snmpx/bindings/go"
)

// goCall submits c on s and waits for it on its Done channel.
func goCall(t *testing.T, s *snmpx.Session, ctx context.Context, c *snmpx.Call) *snmpx.Call {
	t.Helper()
	s.Go(ctx, c)
	if got := recvCall(t, c.Done); got != c {
		t.Fatalf("Done delivered another call: %+v", got)
	}
	return c
}

// waitInFlight waits until the runtime's count of requests in flight satisfies ok,
// failing the test after 30 s instead of hanging.
func waitInFlight(t *testing.T, ok func(int64) bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ok(snmpx.RuntimeStats().InFlight) {
		if time.Now().After(deadline) {
			t.Fatalf("requests in flight stuck at %d for 30 s", snmpx.RuntimeStats().InFlight)
		}
		time.Sleep(time.Millisecond)
	}
}

// recvCall receives one call from done, failing the test after 30 s instead of hanging.
func recvCall(t *testing.T, done chan *snmpx.Call) *snmpx.Call {
	t.Helper()
	select {
	case c := <-done:
		return c
	case <-time.After(30 * time.Second):
		t.Fatal("no call delivered in 30 s")
		return nil
	}
}

// TestCallEveryOp: each operation through Session.Go returns what its blocking method
// returns, against the real agent, on v1 and v2c.
func TestCallEveryOp(t *testing.T) {
	for _, ver := range versions {
		t.Run(ver.name, func(t *testing.T) {
			s := open(t, ver.v, "private")
			ctx := ctxT(t)
			done := make(chan *snmpx.Call, 1)
			c := &snmpx.Call{Op: snmpx.OpGet, Objects: []snmpx.Object{sysDescr, snmpx.Name("sysName.0")}, Done: done}
			goCall(t, s, ctx, c)
			want, err := s.Get(ctx, sysDescr, snmpx.Name("sysName.0"))
			if c.Err != nil || err != nil || len(c.VarBinds) != 2 || text(t, c.VarBinds[1].Value) != "snmpx-test" {
				t.Fatalf("Get: %v %v, blocking %v %v", c.VarBinds, c.Err, want, err)
			}
			sameOIDs(t, "Get", c.VarBinds, want)
			// The same Call, reused once received, for each other operation.
			c.Op, c.Objects = snmpx.OpGetNext, []snmpx.Object{system}
			goCall(t, s, ctx, c)
			if c.Err != nil || len(c.VarBinds) != 1 || !c.VarBinds[0].OID.Equal(sysDescr) {
				t.Errorf("GetNext: %v %v", c.VarBinds, c.Err)
			}
			c.Op = snmpx.OpWalk
			goCall(t, s, ctx, c)
			want, err = s.Walk(ctx, system)
			if c.Err != nil || err != nil || len(want) < 7 {
				t.Fatalf("Walk: %d bindings %v, blocking %d %v", len(c.VarBinds), c.Err, len(want), err)
			}
			sameOIDs(t, "Walk", c.VarBinds, want)
			value := "snmpx-go call " + ver.name + " " + time.Now().Format(time.RFC3339Nano)
			c.Op, c.Objects, c.Values = snmpx.OpSet, []snmpx.Object{sysContact}, []snmpx.Value{snmpx.StringValue(value)}
			goCall(t, s, ctx, c)
			if got, err := s.Get(ctx, sysContact); c.Err != nil || err != nil || text(t, got[0].Value) != value {
				t.Errorf("Set: %v; read back %v %v", c.Err, got, err)
			}
			// A refused Set: the bindings and the agent's error, as Set returns them.
			c.Objects, c.Values = []snmpx.Object{sysLocation}, []snmpx.Value{snmpx.StringValue("y")}
			goCall(t, s, ctx, c)
			var e *snmpx.Error
			if !errors.As(c.Err, &e) || e.Code != snmpx.CodeAgent || !e.FailedOID.Equal(sysLocation) || len(c.VarBinds) != 1 {
				t.Errorf("refused Set: %v %v", c.VarBinds, c.Err)
			}
			c.Op, c.Objects, c.Values = snmpx.OpGetBulk, []snmpx.Object{sysDescr, system}, nil
			c.NonRepeaters, c.MaxRepetitions = 1, 3
			goCall(t, s, ctx, c)
			c2 := &snmpx.Call{Op: snmpx.OpBulkWalk, Objects: []snmpx.Object{system}}
			goCall(t, s, ctx, c2) // Done made by Go
			if ver.v == snmpx.V1 {
				if !errors.Is(c.Err, snmpx.ErrUsage) || !errors.Is(c2.Err, snmpx.ErrUsage) {
					t.Errorf("GetBulk/BulkWalk on v1: %v / %v", c.Err, c2.Err)
				}
				return
			}
			want, err = s.GetBulk(ctx, 1, 3, sysDescr, system)
			if c.Err != nil || err != nil || len(c.VarBinds) != 4 {
				t.Fatalf("GetBulk: %v %v, blocking %v %v", c.VarBinds, c.Err, want, err)
			}
			sameOIDs(t, "GetBulk", c.VarBinds, want)
			want, err = s.BulkWalk(ctx, system)
			if c2.Err != nil || err != nil {
				t.Fatalf("BulkWalk: %d bindings %v, blocking %d %v", len(c2.VarBinds), c2.Err, len(want), err)
			}
			sameOIDs(t, "BulkWalk", c2.VarBinds, want)
		})
	}
}

// TestCallRefusals: a call that cannot be submitted still arrives on Done, once, with a
// typed error, and nothing reaches the library.
func TestCallRefusals(t *testing.T) {
	s := open(t, snmpx.V2c, "public")
	ctx := ctxT(t)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	before := snmpx.RuntimeStats().Completions
	for _, tc := range []struct {
		name string
		ctx  context.Context
		call snmpx.Call
		want error
	}{
		{"unknown op", ctx, snmpx.Call{Op: 0, Objects: []snmpx.Object{sysName}}, snmpx.ErrInvalid},
		{"op past the last", ctx, snmpx.Call{Op: snmpx.OpBulkWalk + 1, Objects: []snmpx.Object{sysName}}, snmpx.ErrInvalid},
		{"Set without values", ctx, snmpx.Call{Op: snmpx.OpSet, Objects: []snmpx.Object{sysContact}}, snmpx.ErrInvalid},
		{"negative max-repetitions", ctx, snmpx.Call{Op: snmpx.OpGetBulk, Objects: []snmpx.Object{system}, MaxRepetitions: -1}, snmpx.ErrInvalid},
		{"NUL in a name", ctx, snmpx.Call{Op: snmpx.OpGet, Objects: []snmpx.Object{snmpx.Name("sys\x00Name.0")}}, snmpx.ErrParse},
		{"unknown name", ctx, snmpx.Call{Op: snmpx.OpGet, Objects: []snmpx.Object{snmpx.Name("NO-SUCH-MIB::nothing.0")}}, snmpx.ErrUnknownObject},
		{"done context", cancelled, snmpx.Call{Op: snmpx.OpGet, Objects: []snmpx.Object{sysName}}, context.Canceled},
	} {
		c := tc.call
		got := s.Go(tc.ctx, &c)
		if got != &c {
			t.Fatalf("%s: Go returned another call", tc.name)
		}
		recvCall(t, c.Done)
		if !errors.Is(c.Err, tc.want) || c.VarBinds != nil {
			t.Errorf("%s: %v %v, want %v", tc.name, c.VarBinds, c.Err, tc.want)
		}
		select {
		case <-c.Done:
			t.Errorf("%s: delivered twice", tc.name)
		default:
		}
	}
	if st := snmpx.RuntimeStats(); st.Completions != before || st.InFlight != 0 {
		t.Errorf("refused calls reached the library: %+v", st)
	}
	closed := open(t, snmpx.V2c, "public")
	closed.Close()
	c := closed.Go(ctx, &snmpx.Call{Op: snmpx.OpGet, Objects: []snmpx.Object{sysName}})
	if recvCall(t, c.Done); !errors.Is(c.Err, snmpx.ErrClosed) {
		t.Errorf("Go on a closed session: %v", c.Err)
	}
}

// TestCallCancellation: a context ending while calls wait cancels them in the library
// (each completes with the context's error, nothing stays in flight); Close completes
// the calls still in flight with ErrClosed.
func TestCallCancellation(t *testing.T) {
	s, err := snmpx.Open(snmpx.Config{Target: silentAgent(t), Version: snmpx.V2c, Timeout: 10 * time.Second, Retries: 5})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const n = 50
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan *snmpx.Call, n)
	for i := 0; i < n; i++ {
		s.Go(ctx, &snmpx.Call{Op: snmpx.OpGet, Objects: []snmpx.Object{sysName}, Done: done, User: i})
	}
	waitInFlight(t, func(n64 int64) bool { return n64 >= n })
	cancel()
	seen := map[int]bool{}
	for i := 0; i < n; i++ {
		c := recvCall(t, done)
		seen[c.User.(int)] = true
		if !errors.Is(c.Err, snmpx.ErrCancelled) || !errors.Is(c.Err, context.Canceled) {
			t.Errorf("cancelled call: %v", c.Err)
		}
	}
	if len(seen) != n {
		t.Errorf("%d distinct calls delivered, want %d", len(seen), n)
	}
	waitInFlight(t, func(n int64) bool { return n == 0 })
	// A deadline: DeadlineExceeded, a Timeout.
	dctx, dcancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer dcancel()
	c := goCall(t, s, dctx, &snmpx.Call{Op: snmpx.OpGet, Objects: []snmpx.Object{sysName}})
	var e *snmpx.Error
	if !errors.Is(c.Err, context.DeadlineExceeded) || !errors.As(c.Err, &e) || !e.Timeout() {
		t.Errorf("deadline: %v", c.Err)
	}
	// Close with calls in flight.
	for i := 0; i < 20; i++ {
		s.Go(context.Background(), &snmpx.Call{Op: snmpx.OpGet, Objects: []snmpx.Object{sysName}, Done: done})
	}
	waitInFlight(t, func(n int64) bool { return n >= 20 })
	s.Close()
	for i := 0; i < 20; i++ {
		if c := recvCall(t, done); !errors.Is(c.Err, snmpx.ErrClosed) || !errors.Is(c.Err, snmpx.ErrCancelled) {
			t.Errorf("call during Close: %v", c.Err)
		}
	}
}

// TestCallFullDoneChannel: a Done channel nobody reads does not stall the poller (other
// requests complete meanwhile) and loses no outcome.
func TestCallFullDoneChannel(t *testing.T) {
	s := open(t, snmpx.V2c, "public")
	ctx := ctxT(t)
	const n = 100
	done := make(chan *snmpx.Call) // unbuffered, not read until the end
	for i := 0; i < n; i++ {
		s.Go(ctx, &snmpx.Call{Op: snmpx.OpGet, Objects: []snmpx.Object{sysName}, Done: done, User: i})
	}
	waitInFlight(t, func(n int64) bool { return n == 0 }) // every outcome taken by the poller
	for i := 0; i < 5; i++ {                              // the poller still routes
		if _, err := s.Get(ctx, sysName); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[int]bool{}
	for i := 0; i < n; i++ {
		c := recvCall(t, done)
		if c.Err != nil || text(t, c.VarBinds[0].Value) != "snmpx-test" {
			t.Errorf("call %v: %v %v", c.User, c.VarBinds, c.Err)
		}
		seen[c.User.(int)] = true
	}
	if len(seen) != n {
		t.Errorf("%d distinct calls delivered, want %d", len(seen), n)
	}
}

// TestCallReusedByAnotherGoroutine: Calls received on one goroutine are resubmitted at once
// from it while the goroutine that first submitted them has moved on (the race detector
// checks that nothing of a delivered Call is written by its earlier Go).
func TestCallReusedByAnotherGoroutine(t *testing.T) {
	s := open(t, snmpx.V2c, "public")
	ctx := ctxT(t)
	const calls, rounds = 16, 50
	done := make(chan *snmpx.Call, calls)
	submitted := make(chan struct{})
	go func() {
		defer close(submitted)
		for i := 0; i < calls; i++ {
			s.Go(ctx, &snmpx.Call{Op: snmpx.OpGet, Objects: []snmpx.Object{sysName}, Done: done, User: new(int)})
		}
	}()
	for got := 0; got < calls*rounds; got++ {
		c := recvCall(t, done)
		if c.Err != nil || text(t, c.VarBinds[0].Value) != "snmpx-test" {
			t.Fatalf("round %d: %v %v", *c.User.(*int), c.VarBinds, c.Err)
		}
		if n := c.User.(*int); *n+1 < rounds {
			*n++
			c.Objects = []snmpx.Object{sysName}
			s.Go(ctx, c)
		}
	}
	<-submitted
	select {
	case c := <-done:
		t.Fatalf("an extra delivery: %+v", c)
	default:
	}
}

// TestCallsFleetFromOneGoroutine: the fleet's pattern at a test's size. One goroutine
// keeps 10,000 requests in flight (the simulator answers after 1 s), then polls 2,000
// devices x 5 objects in sequence by resubmitting each device's Call as it returns; every
// answer is the device's own, and no OS thread is made per request.
func TestCallsFleetFromOneGoroutine(t *testing.T) {
	const devices, objects = 2000, 5
	base, port := startSim(t, devices, 1000, 120*time.Second)
	sessions := openSim(t, base, port, devices)
	before := threads(t)
	snmpx.ResetMaxInFlight()
	done := make(chan *snmpx.Call, 10000)
	for i := 0; i < 10000; i++ {
		sessions[i%devices].Go(context.Background(), &snmpx.Call{Op: snmpx.OpGet,
			Objects: []snmpx.Object{sysName}, Done: done, User: i % devices})
	}
	during := threads(t)
	for i := 0; i < 10000; i++ {
		c := recvCall(t, done)
		want := fmt.Sprintf("dev-%06d", c.User.(int))
		if c.Err != nil || text(t, c.VarBinds[0].Value) != want {
			t.Fatalf("call for device %v: %v %v", c.User, c.VarBinds, c.Err)
		}
	}
	if st := snmpx.RuntimeStats(); st.MaxInFlight < 9000 {
		t.Errorf("only %d requests were in flight at once", st.MaxInFlight)
	}
	if during > before+32 {
		t.Errorf("%d OS threads with 10,000 calls in flight (%d before)", during, before)
	}

	objs := []snmpx.Object{sysDescr, sysObjectID, sysUpTime, sysContact, sysName}
	type dev struct {
		i, next int
		call    snmpx.Call
	}
	got := 0
	for i, s := range sessions {
		d := &dev{i: i}
		d.call = snmpx.Call{Op: snmpx.OpGet, Objects: objs[:1], Done: done, User: d}
		s.Go(context.Background(), &d.call)
	}
	for finished := 0; finished < devices; {
		c := recvCall(t, done)
		d := c.User.(*dev)
		if c.Err != nil || len(c.VarBinds) != 1 || !c.VarBinds[0].OID.Equal(objs[d.next].(snmpx.OID)) {
			t.Fatalf("device %d object %d: %v %v", d.i, d.next, c.VarBinds, c.Err)
		}
		if d.next == 4 && text(t, c.VarBinds[0].Value) != fmt.Sprintf("dev-%06d", d.i) {
			t.Fatalf("device %d got %v", d.i, c.VarBinds[0].Value)
		}
		got++
		if d.next++; d.next < objects {
			c.Objects = objs[d.next : d.next+1]
			sessions[d.i].Go(context.Background(), c)
			continue
		}
		finished++
	}
	if got != devices*objects {
		t.Errorf("%d answers, want %d", got, devices*objects)
	}
}
