package snmpx_test

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	snmpx "snmpx/bindings/go"
)

var versions = []struct {
	name string
	v    snmpx.Version
}{{"v1", snmpx.V1}, {"v2c", snmpx.V2c}}

func TestGet(t *testing.T) {
	for _, ver := range versions {
		t.Run(ver.name, func(t *testing.T) {
			s := open(t, ver.v, "public")
			vbs, err := s.Get(ctxT(t), sysName, sysDescr, sysUpTime, sysObjectID)
			if err != nil {
				t.Fatal(err)
			}
			if len(vbs) != 4 {
				t.Fatalf("%d bindings", len(vbs))
			}
			if !vbs[0].OID.Equal(sysName) || text(t, vbs[0].Value) != env(t, "SNMPX_TEST_SYS_NAME") {
				t.Errorf("sysName: %v = %v", vbs[0].OID, vbs[0].Value)
			}
			if text(t, vbs[1].Value) != env(t, "SNMPX_TEST_SYS_DESCR") {
				t.Errorf("sysDescr = %v", vbs[1].Value)
			}
			if vbs[2].Value.Type() != snmpx.TypeTimeticks {
				t.Errorf("sysUpTime type %v", vbs[2].Value.Type())
			}
			if d, err := vbs[2].Value.Duration(); err != nil || d <= 0 {
				t.Errorf("sysUpTime %v %v", d, err)
			}
			if o, err := vbs[3].Value.OID(); err != nil || !o.HasPrefix(snmpx.OID{1, 3, 6, 1, 4, 1}) {
				t.Errorf("sysObjectID %v %v", o, err)
			}
			if _, err := vbs[0].Value.Int64(); !errors.Is(err, snmpx.ErrWrongType) {
				t.Errorf("Int64 of a string: %v", err)
			}
		})
	}
}

func TestGetByName(t *testing.T) {
	s := open(t, snmpx.V2c, "public")
	vbs, err := s.Get(ctxT(t), snmpx.Name("SNMPv2-MIB::sysName.0"), snmpx.Name("sysDescr.0"), snmpx.Name(".1.3.6.1.2.1.1.6.0"))
	if err != nil {
		t.Fatal(err)
	}
	if !vbs[0].OID.Equal(sysName) || !vbs[1].OID.Equal(sysDescr) || !vbs[2].OID.Equal(sysLocation) {
		t.Errorf("OIDs %v %v %v", vbs[0].OID, vbs[1].OID, vbs[2].OID)
	}
	if text(t, vbs[2].Value) != env(t, "SNMPX_TEST_SYS_LOCATION") {
		t.Errorf("sysLocation %v", vbs[2].Value)
	}
	_, err = s.Get(ctxT(t), sysName, snmpx.Name("noSuchThingAnywhere.0"))
	var e *snmpx.Error
	if !errors.Is(err, snmpx.ErrUnknownObject) || !errors.As(err, &e) || e.Code != snmpx.CodeMIBUnknownObject {
		t.Fatalf("unknown name: %v", err)
	}
	if want := `object 1 ("noSuchThingAnywhere.0")`; !contains(e.Error(), want) {
		t.Errorf("error %q does not name %s", e.Error(), want)
	}
	if _, err := s.Get(ctxT(t), snmpx.Name("sys\x00Name.0")); !errors.Is(err, snmpx.ErrParse) {
		t.Errorf("NUL in a name: %v", err)
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestMissingObjectsAreValues(t *testing.T) {
	s := open(t, snmpx.V2c, "public")
	vbs, err := s.Get(ctxT(t), snmpx.OID{1, 3, 6, 1, 2, 1, 1, 5, 1}, snmpx.OID{1, 3, 6, 1, 99, 1, 0})
	if err != nil {
		t.Fatal(err)
	}
	if vbs[0].Value.Type() != snmpx.TypeNoSuchInstance || vbs[1].Value.Type() != snmpx.TypeNoSuchObject {
		t.Errorf("types %v %v", vbs[0].Value.Type(), vbs[1].Value.Type())
	}
	if !vbs[0].Value.IsException() || vbs[0].Value.String() != "noSuchInstance" {
		t.Errorf("exception %v", vbs[0].Value)
	}
	// SNMPv1: the same request is an error-status (noSuchName) with the failed OID.
	v1 := open(t, snmpx.V1, "public")
	vbs, err = v1.Get(ctxT(t), sysName, snmpx.OID{1, 3, 6, 1, 99, 1, 0})
	var e *snmpx.Error
	if !errors.As(err, &e) || !errors.Is(err, snmpx.ErrAgent) || !errors.Is(err, snmpx.StatusNoSuchName) {
		t.Fatalf("v1 missing object: %v", err)
	}
	if e.Index != 2 || !e.FailedOID.Equal(snmpx.OID{1, 3, 6, 1, 99, 1, 0}) || len(vbs) != 2 {
		t.Errorf("index %d OID %v bindings %d", e.Index, e.FailedOID, len(vbs))
	}
}

func TestGetNext(t *testing.T) {
	for _, ver := range versions {
		t.Run(ver.name, func(t *testing.T) {
			s := open(t, ver.v, "public")
			vbs, err := s.GetNext(ctxT(t), system, sysContact)
			if err != nil {
				t.Fatal(err)
			}
			if !vbs[0].OID.Equal(sysDescr) || !vbs[1].OID.Equal(sysName) {
				t.Errorf("GetNext OIDs %v %v", vbs[0].OID, vbs[1].OID)
			}
		})
	}
}

func TestGetBulk(t *testing.T) {
	s := open(t, snmpx.V2c, "public")
	vbs, err := s.GetBulk(ctxT(t), 1, 3, sysContact, system)
	if err != nil {
		t.Fatal(err)
	}
	// one non-repeater, then 3 repetitions of one repeater
	want := []snmpx.OID{sysName, sysDescr, sysObjectID, sysUpTime}
	if len(vbs) != len(want) {
		t.Fatalf("%d bindings: %v", len(vbs), vbs)
	}
	for i, w := range want {
		if !vbs[i].OID.Equal(w) {
			t.Errorf("binding %d: %v, want %v", i, vbs[i].OID, w)
		}
	}
	v1 := open(t, snmpx.V1, "public")
	if _, err := v1.GetBulk(ctxT(t), 0, 5, system); !errors.Is(err, snmpx.ErrUsage) {
		t.Errorf("GetBulk on v1: %v", err)
	}
	if _, err := s.GetBulk(ctxT(t), -1, 5, system); !errors.Is(err, snmpx.ErrInvalid) {
		t.Errorf("negative non-repeaters: %v", err)
	}
}

func TestSet(t *testing.T) {
	for _, ver := range versions {
		t.Run(ver.name, func(t *testing.T) {
			s := open(t, ver.v, "private")
			want := "snmpx-go " + ver.name + " " + time.Now().Format(time.RFC3339Nano)
			vbs, err := s.Set(ctxT(t), snmpx.Binding{Object: sysContact, Value: snmpx.StringValue(want)})
			if err != nil {
				t.Fatal(err)
			}
			if text(t, vbs[0].Value) != want {
				t.Errorf("Set echoed %v", vbs[0].Value)
			}
			got, err := s.Get(ctxT(t), snmpx.Name("sysContact.0"))
			if err != nil || text(t, got[0].Value) != want {
				t.Fatalf("read back %v %v", got, err)
			}
			// sysLocation is set in the agent's config: not writable. The error names it.
			_, err = s.Set(ctxT(t),
				snmpx.Binding{Object: sysContact, Value: snmpx.StringValue("x")},
				snmpx.Binding{Object: sysLocation, Value: snmpx.StringValue("y")})
			var e *snmpx.Error
			if !errors.As(err, &e) || e.Code != snmpx.CodeAgent {
				t.Fatalf("Set of sysLocation: %v", err)
			}
			wantStatus := snmpx.StatusNotWritable
			if ver.v == snmpx.V1 {
				wantStatus = snmpx.StatusNoSuchName // RFC 2576 §4.3 maps notWritable to noSuchName
			}
			if e.Status != wantStatus || !errors.Is(err, wantStatus) || e.Index != 2 || !e.FailedOID.Equal(sysLocation) {
				t.Errorf("status %v index %d OID %v", e.Status, e.Index, e.FailedOID)
			}
			// a value of the wrong type
			_, err = s.Set(ctxT(t), snmpx.Binding{Object: sysContact, Value: snmpx.IntegerValue(5)})
			if !errors.As(err, &e) || e.Code != snmpx.CodeAgent || e.Index != 1 {
				t.Errorf("Set of an INTEGER into sysContact: %v", err)
			}
			// the read-only community
			ro := open(t, ver.v, "public")
			if _, err := ro.Set(ctxT(t), snmpx.Binding{Object: sysContact, Value: snmpx.StringValue("z")}); !errors.Is(err, snmpx.ErrAgent) {
				t.Errorf("Set through a read-only community: %v", err)
			}
			got, err = s.Get(ctxT(t), sysContact)
			if err != nil || text(t, got[0].Value) != want {
				t.Errorf("refused Sets changed sysContact: %v %v", got, err)
			}
		})
	}
}

func TestSetValueTypesRefusedLocally(t *testing.T) {
	s := open(t, snmpx.V2c, "private")
	// An IPv6 address cannot be an IpAddress: the library refuses before sending.
	_, err := s.Set(ctxT(t), snmpx.Binding{Object: sysContact, Value: snmpx.IPAddressValue(netipMust("::1"))})
	if !errors.Is(err, snmpx.ErrInvalid) {
		t.Errorf("IPv6 IpAddress: %v", err)
	}
	// A NULL value is not settable.
	if _, err := s.Set(ctxT(t), snmpx.Binding{Object: sysContact, Value: snmpx.Value{}}); !errors.Is(err, snmpx.ErrInvalid) {
		t.Errorf("NULL value: %v", err)
	}
	// A bad OID.
	if _, err := s.Get(ctxT(t), snmpx.OID{}); !errors.Is(err, snmpx.ErrInvalid) {
		t.Errorf("empty OID: %v", err)
	}
	if _, err := s.Get(ctxT(t)); err == nil {
		t.Error("Get of nothing succeeded")
	}
}

func TestTimeout(t *testing.T) {
	s, err := snmpx.Open(snmpx.Config{Target: silentAgent(t), Version: snmpx.V2c, Timeout: 50 * time.Millisecond, Retries: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.Get(ctxT(t), sysName)
	var e *snmpx.Error
	if !errors.Is(err, snmpx.ErrTimeout) || !errors.As(err, &e) || !e.Timeout() {
		t.Fatalf("silent agent: %v", err)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("not a net.Error timeout: %v", err)
	}
	if errors.Is(err, snmpx.ErrCancelled) || errors.Is(err, snmpx.ErrAuth) {
		t.Errorf("timeout matches other sentinels: %v", err)
	}
	// wrong community: snmpd ignores the request, so it times out too
	w, err := snmpx.Open(snmpx.Config{Target: agentAddr(t), Version: snmpx.V2c, Community: "wrong", Timeout: 50 * time.Millisecond, Retries: snmpx.NoRetries})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.Get(ctxT(t), sysName); !errors.Is(err, snmpx.ErrTimeout) {
		t.Errorf("wrong community: %v", err)
	}
}

// A closed port: the ICMP port unreachable fails the request at once with ErrUnreachable
// (the 10 s timeout would make a wait obvious); WaitOnUnreachable times out instead.
func TestUnreachable(t *testing.T) {
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := c.LocalAddr().String()
	c.Close()
	s, err := snmpx.Open(snmpx.Config{Target: closed, Version: snmpx.V2c, Timeout: 10 * time.Second, Retries: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	t0 := time.Now()
	_, err = s.Get(ctxT(t), sysName)
	if !errors.Is(err, snmpx.ErrUnreachable) || errors.Is(err, snmpx.ErrTimeout) {
		t.Fatalf("closed port: %v", err)
	}
	if took := time.Since(t0); took >= 10*time.Second {
		t.Errorf("failed only after %v", took)
	}
	w, err := snmpx.Open(snmpx.Config{Target: closed, Version: snmpx.V2c, Timeout: 50 * time.Millisecond, Retries: 1, WaitOnUnreachable: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.Get(ctxT(t), sysName); !errors.Is(err, snmpx.ErrTimeout) {
		t.Errorf("WaitOnUnreachable: %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	cases := []struct {
		cfg  snmpx.Config
		want error
	}{
		{snmpx.Config{Target: "no-such-host.invalid:161", Version: snmpx.V2c}, snmpx.ErrResolve},
		{snmpx.Config{Target: "127.0.0.1:notaport", Version: snmpx.V2c}, nil},
		{snmpx.Config{Target: "127.0.0.1", Version: snmpx.Version(7)}, snmpx.ErrInvalid},
		{snmpx.Config{Target: "127.0.0.1", Version: snmpx.V2c, MaxRepetitions: -1}, snmpx.ErrInvalid},
		{snmpx.Config{Target: "127.0.0.1", Version: snmpx.V2c, Backoff: 0.5}, snmpx.ErrInvalid},
		{snmpx.Config{Target: "127.0.0.1", Version: snmpx.V2c, Timeout: -time.Second}, snmpx.ErrInvalid},
	}
	for _, c := range cases {
		s, err := snmpx.Open(c.cfg)
		if err == nil {
			s.Close()
			t.Errorf("Open(%+v) succeeded", c.cfg)
			continue
		}
		var e *snmpx.Error
		if !errors.As(err, &e) {
			t.Errorf("Open(%+v): %T %v", c.cfg, err, err)
		}
		if c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("Open(%+v): %v, want %v", c.cfg, err, c.want)
		}
	}
}

func TestCancellation(t *testing.T) {
	s, err := snmpx.Open(snmpx.Config{Target: silentAgent(t), Version: snmpx.V2c, Timeout: 10 * time.Second, Retries: 5})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// A context cancelled while 50 requests wait: each returns ErrCancelled matching
	// context.Canceled, and the library's requests are cancelled (nothing stays in flight).
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.Get(ctx, sysName)
			errs <- err
		}()
	}
	for snmpx.RuntimeStats().InFlight < 50 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	wg.Wait()
	close(errs)
	for err := range errs {
		if !errors.Is(err, snmpx.ErrCancelled) || !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled request: %v", err)
		}
	}
	for snmpx.RuntimeStats().InFlight != 0 {
		time.Sleep(time.Millisecond) // the library's cancelled completions arrive and are freed
	}
	// A deadline: matches DeadlineExceeded and is a Timeout.
	dctx, dcancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer dcancel()
	_, err = s.Get(dctx, sysName)
	var e *snmpx.Error
	if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &e) || !e.Timeout() || !errors.Is(err, snmpx.ErrCancelled) {
		t.Errorf("deadline: %v", err)
	}
	for snmpx.RuntimeStats().InFlight != 0 {
		time.Sleep(time.Millisecond)
	}
	// An already-cancelled context sends nothing.
	before := snmpx.RuntimeStats().Completions
	if _, err := s.Get(ctx, sysName); !errors.Is(err, context.Canceled) {
		t.Errorf("done context: %v", err)
	}
	if snmpx.RuntimeStats().InFlight != 0 || snmpx.RuntimeStats().Completions != before {
		t.Error("a request was submitted with a done context")
	}
}

func TestCloseCancelsAndIsIdempotent(t *testing.T) {
	s, err := snmpx.Open(snmpx.Config{Target: silentAgent(t), Version: snmpx.V2c, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		go func() {
			_, err := s.Get(context.Background(), sysName)
			errs <- err
		}()
	}
	for snmpx.RuntimeStats().InFlight < 20 {
		time.Sleep(time.Millisecond)
	}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ { // concurrent Close calls
		wg.Add(1)
		go func() { defer wg.Done(); s.Close() }()
	}
	wg.Wait()
	for i := 0; i < 20; i++ {
		err := <-errs
		if !errors.Is(err, snmpx.ErrClosed) || !errors.Is(err, snmpx.ErrCancelled) {
			t.Errorf("request during Close: %v", err)
		}
	}
	if err := s.Close(); err != nil {
		t.Error(err)
	}
	if _, err := s.Get(context.Background(), sysName); !errors.Is(err, snmpx.ErrClosed) {
		t.Errorf("Get after Close: %v", err)
	}
	for range s.WalkSeq(context.Background(), system) {
		break
	}
}

// TestSharedSession: 1,000 goroutines on one session, each with its own mix of calls.
func TestSharedSession(t *testing.T) {
	s, err := snmpx.Open(snmpx.Config{Target: agentAddr(t), Version: snmpx.V2c, Community: "public",
		Timeout: 5 * time.Second, Retries: 3, MaxInFlight: 32}) // snmpd's small receive queue drops large bursts
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	wantName := env(t, "SNMPX_TEST_SYS_NAME")
	var wg sync.WaitGroup
	errs := make(chan error, 1000)
	for i := 0; i < 1000; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ctx := context.Background()
			switch i % 4 {
			case 0:
				vbs, err := s.Get(ctx, sysName)
				if err == nil && string(mustBytes(vbs[0].Value)) != wantName {
					err = errors.New("wrong sysName " + vbs[0].Value.String())
				}
				errs <- err
			case 1:
				vbs, err := s.GetNext(ctx, system)
				if err == nil && !vbs[0].OID.Equal(sysDescr) {
					err = errors.New("wrong GetNext " + vbs[0].OID.String())
				}
				errs <- err
			case 2:
				vbs, err := s.GetBulk(ctx, 0, 4, system)
				if err == nil && len(vbs) != 4 {
					err = errors.New("GetBulk length")
				}
				errs <- err
			case 3:
				vbs, err := s.Walk(ctx, system)
				if err == nil && (len(vbs) < 7 || !vbs[0].OID.Equal(sysDescr)) {
					err = errors.New("walk rows")
				}
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	n := 0
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
		n++
	}
	if n != 1000 {
		t.Errorf("%d results", n)
	}
}

func mustBytes(v snmpx.Value) []byte {
	b, _ := v.Bytes()
	return b
}

func TestFormat(t *testing.T) {
	s, err := snmpx.Open(snmpx.Config{Target: agentAddr(t), Version: snmpx.V2c, Format: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	vbs, err := s.Get(ctxT(t), sysName, sysUpTime)
	if err != nil {
		t.Fatal(err)
	}
	want := ".1.3.6.1.2.1.1.5.0 = STRING: \"" + env(t, "SNMPX_TEST_SYS_NAME") + "\""
	if vbs[0].Text != want {
		t.Errorf("Text %q, want %q", vbs[0].Text, want)
	}
	if !contains(vbs[1].Text, "Timeticks: (") {
		t.Errorf("Text %q", vbs[1].Text)
	}
	plain := open(t, snmpx.V2c, "public")
	vbs, _ = plain.Get(ctxT(t), sysName)
	if vbs[0].Text != "" {
		t.Errorf("Text without Format: %q", vbs[0].Text)
	}
}

func TestPeerAndVersion(t *testing.T) {
	s := open(t, snmpx.V2c, "public")
	if s.Peer() != agentAddr(t) {
		t.Errorf("Peer %q", s.Peer())
	}
	if snmpx.LibraryVersion() != snmpx.HeaderVersion {
		t.Errorf("library %s, header %s", snmpx.LibraryVersion(), snmpx.HeaderVersion)
	}
}
