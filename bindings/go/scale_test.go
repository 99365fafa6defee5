package snmpx_test

import (
	"bufio"
	"context"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	snmpx "snmpx/bindings/go"
)

// startSim runs `snmpx sim` (target/release/snmpx, built by cargo) as a subprocess on a
// free port; it is killed when the test ends and stops by itself after `duration`.
func startSim(t *testing.T, devices, latencyMs int, duration time.Duration, extra ...string) (base netip.Addr, port string) {
	t.Helper()
	bin := filepath.Join(repoRoot(t), "target", "release", "snmpx")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("%s not found: build it with `cargo build --release --bins` (%v)", bin, err)
	}
	args := append([]string{"sim", "--devices", fmt.Sprint(devices), "--port", "0", "--latency-ms",
		fmt.Sprint(latencyMs), "--duration", fmt.Sprint(int(duration.Seconds()))}, extra...)
	cmd := exec.Command(bin, args...)
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
	return
}

// openSim opens a v2c session (10 s timeout, 1 retry) to each of the first n devices of a
// simulator started by startSim; they are closed when the test ends.
func openSim(t *testing.T, base netip.Addr, port string, n int) []*snmpx.Session {
	t.Helper()
	sessions := make([]*snmpx.Session, n)
	addr := base
	for i := range sessions {
		s, err := snmpx.Open(snmpx.Config{Target: addr.String() + ":" + port, Version: snmpx.V2c,
			Timeout: 10 * time.Second, Retries: 1})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		sessions[i] = s
		addr = addr.Next()
	}
	return sessions
}

// TestTenThousandInFlightFewThreads: 10,000 GETs in flight at once (100 devices of the
// simulator with 2 s reply latency, 100 goroutines per device) must not create an OS
// thread per request. The thread count is sampled from /proc/self/status during the run.
func TestTenThousandInFlightFewThreads(t *testing.T) {
	const devices, perDevice = 100, 100
	base, port := startSim(t, devices, 2000, 120*time.Second)
	sessions := openSim(t, base, port, devices)
	before := threads(t)
	snmpx.ResetMaxInFlight()
	stop := make(chan struct{})
	var maxThreads atomic.Int64
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			if n := int64(threads(t)); n > maxThreads.Load() {
				maxThreads.Store(n)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	var wg sync.WaitGroup
	var failed atomic.Int64
	var firstErr atomic.Value
	oid := snmpx.MustParseOID("1.3.6.1.2.1.1.5.0")
	for _, s := range sessions {
		for j := 0; j < perDevice; j++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.Get(context.Background(), oid); err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
				}
			}()
		}
	}
	wg.Wait()
	close(stop)
	<-sampled
	st := snmpx.RuntimeStats()
	t.Logf("threads before %d, max during %d; max in flight %d; %d completions in %d batches",
		before, maxThreads.Load(), st.MaxInFlight, st.Completions, st.Batches)
	if f := failed.Load(); f > 0 {
		t.Fatalf("%d of %d requests failed, first: %v", f, devices*perDevice, firstErr.Load())
	}
	if st.MaxInFlight < devices*perDevice*9/10 {
		t.Errorf("only %d requests were in flight at once: the test did not load the runtime", st.MaxInFlight)
	}
	if m := maxThreads.Load(); m > int64(before)+32 {
		t.Errorf("%d OS threads during the run (%d before): requests pin threads", m, before)
	}
}

// TestFleetManySessions: 2,000 sessions (one per simulated device) polled concurrently,
// 15 GETs each in sequence, the benchmark's workload at a test's size.
func TestFleetManySessions(t *testing.T) {
	const devices = 2000
	base, port := startSim(t, devices, 5, 120*time.Second)
	oids := []snmpx.OID{}
	for _, o := range strings.Fields("1.3.6.1.2.1.1.1.0 1.3.6.1.2.1.1.3.0 1.3.6.1.2.1.1.5.0 1.3.6.1.2.1.2.2.1.2.1 1.3.6.1.2.1.2.2.1.10.1") {
		oids = append(oids, snmpx.MustParseOID(o))
	}
	var wg sync.WaitGroup
	var failed atomic.Int64
	addr := base
	for i := 0; i < devices; i++ {
		target := addr.String() + ":" + port
		addr = addr.Next()
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := snmpx.Open(snmpx.Config{Target: target, Version: snmpx.V2c, Timeout: 5 * time.Second, Retries: 2})
			if err != nil {
				failed.Add(1)
				return
			}
			defer s.Close()
			for _, o := range oids {
				vbs, err := s.Get(context.Background(), o)
				if err != nil || vbs[0].Value.IsException() {
					failed.Add(1)
					return
				}
			}
		}()
	}
	wg.Wait()
	if f := failed.Load(); f > 0 {
		t.Errorf("%d of %d devices failed", f, devices)
	}
	if st := snmpx.RuntimeStats(); st.Running || st.InFlight != 0 {
		t.Errorf("runtime still running after every session closed: %+v", st)
	}
	if n := snmpx.LiveHandles(); n != 0 {
		t.Errorf("%d C handles leaked", n)
	}
}

// TestLargeOutcomesAmongSmallOnes: whole-table walks whose outcomes (~600 KB each) are
// larger than the poller's serialisation buffer complete in the same batches as many
// one-varbind Gets, every outcome intact and routed to its own caller (the poller grows
// its buffer and resumes the batch where it stopped), with and without Format.
func TestLargeOutcomesAmongSmallOnes(t *testing.T) {
	const devices, rows, getters = 4, 2000, 64
	base, port := startSim(t, devices, 1, 120*time.Second, "--big-table", fmt.Sprint(rows))
	table := snmpx.MustParseOID("1.3.6.1.4.1.99999.1")
	sysName := snmpx.MustParseOID("1.3.6.1.2.1.1.5.0")
	var wg sync.WaitGroup
	errs := make(chan error, devices*(getters+1))
	addr := base
	for i := 0; i < devices; i++ {
		target := addr.String() + ":" + port
		addr = addr.Next()
		format := i%2 == 1
		s, err := snmpx.Open(snmpx.Config{Target: target, Version: snmpx.V2c, Timeout: 10 * time.Second,
			Retries: 1, Format: format, MaxRepetitions: 50})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		want := fmt.Sprintf("dev-%06d", i)
		wg.Add(1)
		go func() {
			defer wg.Done()
			vbs, err := s.BulkWalk(ctxT(t), table)
			switch {
			case err != nil:
				errs <- fmt.Errorf("%s: walk: %w", target, err)
				return
			case len(vbs) != 4*rows:
				errs <- fmt.Errorf("%s: walk returned %d rows, want %d", target, len(vbs), 4*rows)
				return
			}
			for k, vb := range vbs {
				if !vb.OID.HasPrefix(table) || (k > 0 && vb.OID.Compare(vbs[k-1].OID) <= 0) ||
					(format != (vb.Text != "")) {
					errs <- fmt.Errorf("%s: row %d: %v %q (format %v)", target, k, vb.OID, vb.Text, format)
					return
				}
			}
		}()
		for g := 0; g < getters; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := 0; n < 20; n++ {
					vbs, err := s.Get(ctxT(t), sysName)
					if err != nil {
						errs <- fmt.Errorf("%s: get: %w", target, err)
						return
					}
					if got, _ := vbs[0].Value.Text(); got != want || format != (vbs[0].Text != "") {
						errs <- fmt.Errorf("%s: sysName %q text %q, want %q (format %v)", target, got, vbs[0].Text, want, format)
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
