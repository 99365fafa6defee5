package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	snmpx "snmpx/bindings/go"
)

// jsonLine is a parsed output line.
type jsonLine struct {
	Target string  `json:"target"`
	OK     bool    `json:"ok"`
	MS     float64 `json:"ms"`
	Error  string  `json:"error"`
	Values []struct {
		OID   string `json:"oid"`
		Type  string `json:"type"`
		Value string `json:"value"`
	} `json:"values"`
}

// sweepLines runs one sweep over targets with either API and returns its lines by target;
// it checks that no more than window devices had a request in flight at once.
func sweepLines(t *testing.T, targets []target, oids string, sequential, calls bool, window int) map[string]jsonLine {
	t.Helper()
	objs := parseObjects(oids)
	done := make(chan *device, len(targets))
	sw := &sweep{ctx: context.Background(), objs: objs, asked: askedOf(objs), sequential: sequential,
		done: done, sem: make(chan struct{}, window)}
	snmpx.ResetMaxInFlight()
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		if calls {
			sw.runCalls(targets, 200*time.Millisecond, 1)
		} else {
			sw.runGoroutines(targets, 200*time.Millisecond, 1)
		}
	}()
	select {
	case <-finished:
	case <-time.After(60 * time.Second):
		t.Fatalf("sweep (calls %v) did not finish in 60 s", calls)
	}
	if m := snmpx.RuntimeStats().MaxInFlight; m > int64(window) {
		t.Errorf("calls %v: %d requests in flight at once with a window of %d", calls, m, window)
	}
	close(done)
	lines := map[string]jsonLine{}
	for d := range done {
		var l jsonLine
		raw := d.l.finish(nil, d.addr, d.ms)
		if err := json.Unmarshal(raw, &l); err != nil {
			t.Fatalf("line %q: %v", raw, err)
		}
		if _, dup := lines[l.Target]; dup {
			t.Fatalf("two lines for %s", l.Target)
		}
		lines[l.Target] = l
	}
	if got := int(sw.ok.Load() + sw.failed.Load()); got != len(targets) || len(lines) != len(targets) {
		t.Fatalf("%d devices counted, %d lines, for %d targets", got, len(lines), len(targets))
	}
	return lines
}

// sameLine compares two lines of one target but for the time and the TimeTicks values
// (sysUpTime moves between the sweeps).
func sameLine(t *testing.T, what string, a, b jsonLine) {
	t.Helper()
	same := a.OK == b.OK && a.Error == b.Error && len(a.Values) == len(b.Values)
	for k := 0; same && k < len(a.Values); k++ {
		va, vb := a.Values[k], b.Values[k]
		same = va.OID == vb.OID && va.Type == vb.Type && (va.Value == vb.Value || va.Type == "Timeticks")
	}
	if !same {
		t.Errorf("%s: calls %+v, goroutines %+v", what, a, b)
	}
}

// TestSweepAPIsAgree: the asynchronous Calls (the default) and the goroutine per target
// (-goroutines) poll the same fleet to the same lines, with a window smaller than the
// fleet, in sequence and in one Get: every simulated device's own answers in the asked
// order; the same failures for a silent agent, a target that cannot be opened, a missing
// object (v2c: an exception value) and an SNMPv1 error-status (noSuchName, with its
// bindings). A window of 1 polls one device at a time.
func TestSweepAPIsAgree(t *testing.T) {
	const devices = 300
	base, port := startSim(t, devices+1)
	silent, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	targets := []target{{addr: silent.LocalAddr().String(), version: snmpx.V2c, community: "public"},
		{addr: "127.0.0.1:99999", version: snmpx.V2c, community: "public"}}
	addr := base
	for i := 0; i < devices; i++ {
		targets = append(targets, target{addr: addr.String() + ":" + port, version: snmpx.V2c, community: "public"})
		addr = addr.Next()
	}
	targets = append(targets, target{addr: addr.String() + ":" + port, version: snmpx.V1, community: "public"})
	const oids = "1.3.6.1.2.1.1.1.0,1.3.6.1.2.1.1.3.0,1.3.6.1.2.1.1.5.0,1.3.6.1.2.1.2.2.1.2.1"
	const missing = oids + ",1.3.6.1.2.1.1.99.0"
	for _, list := range []string{oids, missing} {
		for _, sequential := range []bool{true, false} {
			calls := sweepLines(t, targets, list, sequential, true, 64)
			gor := sweepLines(t, targets, list, sequential, false, 64)
			for i, tg := range targets {
				c := calls[tg.addr]
				sameLine(t, fmt.Sprintf("%s (sequential %v, %d objects)", tg.addr, sequential, strings.Count(list, ",")+1), c, gor[tg.addr])
				switch {
				case i == 0: // silent: a timeout
					if c.OK || !strings.Contains(c.Error, "timeout") {
						t.Errorf("silent agent: %+v", c)
					}
				case i == 1: // cannot be opened
					if c.OK || c.Error == "" {
						t.Errorf("bad target: %+v", c)
					}
				case i == len(targets)-1 && list == missing: // v1: noSuchName
					if c.OK || !strings.Contains(c.Error, "noSuchName") || (!sequential && len(c.Values) != 5) {
						t.Errorf("v1 missing object (sequential %v): %+v", sequential, c)
					}
				case list == missing: // v2c: noSuchObject, not an error
					if c.OK || c.Error != "" || len(c.Values) != 5 || c.Values[4].Type != "NoSuchObject" {
						t.Errorf("v2c missing object: %+v", c)
					}
				default:
					if !c.OK || len(c.Values) != 4 {
						t.Fatalf("%s (sequential %v): %+v", tg.addr, sequential, c)
					}
					if want := fmt.Sprintf(`"dev-%06d"`, i-2); c.Values[2].Value != want {
						t.Errorf("%s sysName %s, want %s", tg.addr, c.Values[2].Value, want)
					}
				}
			}
		}
	}
	few := targets[2:12]
	sameLine(t, "window 1", sweepLines(t, few, oids, true, true, 1)[few[3].addr],
		sweepLines(t, few, oids, true, false, 1)[few[3].addr])
}
