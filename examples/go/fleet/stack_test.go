package main

import (
	"bufio"
	"context"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	snmpx "snmpx/bindings/go"
)

// TestDeviceGoroutineKeepsSmallStack: a device's goroutine runs a whole poll (15 GETs in
// sequence against the simulator, recording every answer) without growing its stack past
// Go's initial 2 KiB. At 4 KiB a goroutine, a 10,000-device sweep holds 20 MB more, which
// is what this guards against (a deeper frame in the fleet's poll or in the package's
// request path). Each goroutine is held, before it exits, at its send to the writer, so
// the stacks are measured with the whole poll behind them. The figure is the growth of
// the stack memory in use, so it is meaningful in a fresh test process (-count=1, as
// scripts/test-go.sh runs it): a rerun reuses the stacks of the previous run's goroutines.
func TestDeviceGoroutineKeepsSmallStack(t *testing.T) {
	const devices = 500
	base, port := startSim(t, devices)
	objs := parseObjects("1.3.6.1.2.1.1.1.0,1.3.6.1.2.1.1.2.0,1.3.6.1.2.1.1.3.0,1.3.6.1.2.1.1.4.0," +
		"1.3.6.1.2.1.1.5.0,1.3.6.1.2.1.1.6.0,1.3.6.1.2.1.2.1.0,1.3.6.1.2.1.2.2.1.2.1,1.3.6.1.2.1.2.2.1.8.1," +
		"1.3.6.1.2.1.2.2.1.10.1,1.3.6.1.2.1.2.2.1.16.1,1.3.6.1.2.1.31.1.1.1.6.1,1.3.6.1.2.1.31.1.1.1.10.1," +
		"1.3.6.1.2.1.31.1.1.1.15.1,1.3.6.1.2.1.31.1.1.1.18.1")
	done := make(chan *device) // unbuffered: every device waits here until read
	sw := &sweep{ctx: context.Background(), objs: objs, asked: askedOf(objs), sequential: true, done: done,
		sem: make(chan struct{}, devices)}
	ds := make([]*device, devices)
	addr := base
	for i := range ds {
		d := sw.open(target{addr: addr.String() + ":" + port, version: snmpx.V2c, community: "public"}, 5*time.Second, 1)
		if d.s == nil {
			t.Fatal(d.l.err)
		}
		ds[i] = d
		addr = addr.Next()
	}
	// Go starts new goroutines with the average stack depth its last GC cycle saw (rounded
	// up to a power of two, at least 2 KiB): a few shallow goroutines make that 2 KiB
	// whatever the depth of the test runner's own goroutines.
	idle := make(chan struct{})
	defer close(idle)
	for range 1000 {
		go func() { <-idle }()
	}
	runtime.GC()
	before := stackBytes()
	for _, d := range ds {
		sw.sem <- struct{}{}
		sw.wg.Add(1)
		go sw.poll(d)
	}
	// Every device ends its poll blocked on the send to done (bounded: each GET times out
	// after 5 s with one retry).
	deadline := time.After(120 * time.Second)
	for blocked := 0; blocked < devices; {
		select {
		case <-deadline:
			t.Fatalf("only %d of %d devices finished their poll", blocked, devices)
		case <-time.After(10 * time.Millisecond):
		}
		blocked = int(sw.ok.Load() + sw.failed.Load())
	}
	runtime.GC() // a GC cycle would shrink a stack that could be shrunk
	perDevice := float64(stackBytes()-before) / devices
	for range ds {
		d := <-done
		if !d.l.ok() {
			t.Errorf("%s failed: %s", d.addr, d.l.err)
		}
	}
	sw.wg.Wait()
	t.Logf("goroutine stacks: %.0f bytes per device", perDevice)
	if perDevice > 3*1024 {
		t.Errorf("goroutine stacks take %.0f bytes per device: a device's call path grew its "+
			"stack past the initial 2 KiB", perDevice)
	}
}

// stackBytes is the memory of the goroutine stacks in use (runtime/metrics).
func stackBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/stacks:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// startSim runs `snmpx sim` (target/release/snmpx, built by cargo) with devices agents on
// a free port, 5 ms reply latency; it is killed when the test ends and stops by itself
// after 2 minutes. It returns the first agent's address and the port.
func startSim(t *testing.T, devices int) (netip.Addr, string) {
	t.Helper()
	bin := filepath.Join("..", "..", "..", "target", "release", "snmpx")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("%s not found: build it with `cargo build --release --bins` (%v)", bin, err)
	}
	cmd := exec.Command(bin, "sim", "--devices", fmt.Sprint(devices), "--port", "0",
		"--latency-ms", "5", "--duration", "120")
	out, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = cmd.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	re := regexp.MustCompile(`listening on (127\.[0-9.]+):([0-9]+)`)
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if m := re.FindStringSubmatch(lines.Text()); m != nil {
			go func() { // keep draining its output
				for lines.Scan() {
				}
			}()
			return netip.MustParseAddr(m[1]), m[2]
		}
	}
	t.Fatal("snmpx sim did not report its address")
	return netip.Addr{}, ""
}
