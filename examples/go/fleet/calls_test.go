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

// sweepLines runs one sweep over targets with either API and returns its lines by target.
func sweepLines(t *testing.T, targets []target, oids string, sequential, calls bool, window int) map[string]jsonLine {
	t.Helper()
	objs := parseObjects(oids)
	done := make(chan *device, len(targets))
	sw := &sweep{ctx: context.Background(), objs: objs, asked: askedOf(objs), sequential: sequential,
		done: done, window: window, sem: make(chan struct{}, window)}
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

// TestSweepAPIsAgree: the asynchronous Calls (the default) and the goroutine per target
// (-goroutines) poll the same fleet to the same lines: every simulated device's own
// answers in the asked order, and the same failures for a silent agent and a target that
// cannot be opened. With a window smaller than the fleet, in sequence and in one Get.
func TestSweepAPIsAgree(t *testing.T) {
	const devices = 300
	base, port := startSim(t, devices)
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
	const oids = "1.3.6.1.2.1.1.1.0,1.3.6.1.2.1.1.3.0,1.3.6.1.2.1.1.5.0,1.3.6.1.2.1.2.2.1.2.1"
	for _, sequential := range []bool{true, false} {
		calls := sweepLines(t, targets, oids, sequential, true, 64)
		gor := sweepLines(t, targets, oids, sequential, false, 64)
		for i, tg := range targets {
			c, g := calls[tg.addr], gor[tg.addr]
			switch {
			case i == 0: // silent: a timeout
				if c.OK || !strings.Contains(c.Error, "timeout") || g.OK || !strings.Contains(g.Error, "timeout") {
					t.Errorf("silent agent: calls %+v, goroutines %+v", c, g)
				}
				continue
			case i == 1: // cannot be opened
				if c.OK || c.Error == "" || c.Error != g.Error {
					t.Errorf("bad target: calls %q, goroutines %q", c.Error, g.Error)
				}
				continue
			}
			if !c.OK || !g.OK || len(c.Values) != 4 || len(g.Values) != 4 {
				t.Fatalf("%s (sequential %v): calls %+v, goroutines %+v", tg.addr, sequential, c, g)
			}
			for k := range c.Values {
				if c.Values[k].OID != g.Values[k].OID || c.Values[k].Type != g.Values[k].Type {
					t.Errorf("%s binding %d: calls %+v, goroutines %+v", tg.addr, k, c.Values[k], g.Values[k])
				}
			}
			if want := fmt.Sprintf(`"dev-%06d"`, i-2); c.Values[2].Value != want || g.Values[2].Value != want {
				t.Errorf("%s sysName: calls %s, goroutines %s, want %s", tg.addr, c.Values[2].Value, g.Values[2].Value, want)
			}
		}
	}
}
