// Command fleet polls a fleet of SNMP agents through the snmpx Go package: it reads
// targets and OIDs, polls every target concurrently (one Session per target, all on the
// package's one runtime) and prints one JSON line per target.
//
// Usage:
//
//	fleet -targets FILE -oids OID[,OID...] [-sequential] [-in-flight N] [-timeout 1s]
//	      [-retries 2] [-goroutines] [-output FILE] [-procs N] [-gogc N]
//	      [-summary [-memstats]] [-cpuprofile FILE] [-memprofile FILE]
//
// The targets file has one target per line: `host[:port][,version[,community]]`
// (version 1 or 2c, default 2c; community default public); blank lines, lines starting
// with '#' and a `host,version,community` header are skipped. OIDs are numeric or MIB
// names (`sysName.0`, `IF-MIB::ifDescr.1`). By default each target gets one Get of every
// OID; with -sequential, one Get per OID, one after the other. -in-flight bounds the
// targets polled at once (0 = all at once).
//
// Two ways to use the package, the same output. By default (calls.go) the main goroutine
// drives every target with asynchronous Calls (Session.Go): it opens the sessions,
// submits each target's first Get, and as each Call returns on one channel it records the
// answer and submits the target's next Get on the same Call. With -goroutines
// (goroutines.go) each target gets a goroutine that calls the blocking Session.Get and
// waits, the usual shape of a Go program. The Calls cost less: 10,000 targets x 15 GETs
// in sequence measured 0.89-0.92 s of client CPU and about 50 MiB, against 1.12-1.14 s and
// 80 MiB with a goroutine per target (docs/BENCHMARKS.md; no goroutine to park and wake per
// request, no stacks to hold and scan for the garbage collector).
//
// Go runtime settings. The poller runs with one P (GOMAXPROCS=1) unless -procs or the
// GOMAXPROCS environment variable says otherwise: its goroutines only submit, wait and
// format (one goroutine drives the targets, or one per target submits and waits; one
// writer renders the lines), while the network work runs on the library's I/O thread,
// outside Go's scheduler.
// A second P did not add throughput; it cost CPU (goroutines stolen between Ps with their
// state, idle-time GC workers, and Go threads competing with the I/O thread for the
// cores): 10,000 devices x 15 GETs took about 15% less client CPU with one P, in the same
// wall time. With -goroutines the garbage collector runs at GOGC=50 unless -gogc or the
// GOGC environment variable says otherwise: a fleet's live heap is small (a few hundred
// bytes per device besides its goroutine), and the default GOGC=100 lets garbage grow to the
// live heap plus the goroutine stacks scanned, about 10 MB more peak memory for 10,000
// devices at a few percent more GC work. The Calls have no stacks to scan and keep Go's
// default: GOGC=50 cost them about 3% more CPU for 3-4 MB less memory.
//
// Memory, with -goroutines: a target's goroutine keeps Go's initial 2 KiB stack only while every call path
// it runs is shallower than about 1.1 KiB (a grown stack stays grown while the goroutine
// waits): so the sessions are opened by the main goroutine, which then starts the
// target's goroutine, and the lines are rendered by the writer goroutine. 10,000 targets
// take 20 MB of stacks, not 40.
//
// Output, one line per target, in completion order:
//
//	{"target":"127.1.0.1:1161","ok":true,"ms":21.4,"values":[{"oid":"1.3.6.1.2.1.1.5.0","type":"OctetString","value":"\"dev-1\""}]}
//	{"target":"127.1.0.2:1161","ok":false,"ms":3000.9,"error":"snmpx: timeout ..."}
//
// With -summary, a line of key=value pairs (the format of the benchmark peers in
// bench/peers: devices, ok/failed counts, requests, wall time, client CPU, peak RSS) ends
// the run (with the GOMAXPROCS and GOGC values used and api=calls|goroutines), on stdout when -output is a file,
// on stderr otherwise; -memstats adds a second
// line with the Go runtime's peak heap and stack memory, allocations, GC cycles and the
// package's poller batches, and the CPU time of the library's I/O threads (the rest of
// the client's CPU time is the Go side). -cpuprofile and -memprofile write pprof profiles
// of the run (`go tool pprof`). The exit status is 1 if any target failed.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	snmpx "snmpx/bindings/go"
)

type target struct {
	addr      string
	version   snmpx.Version
	community string
}

func readTargets(path string) ([]target, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ts []target
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, "host,") {
			continue
		}
		f := strings.Split(l, ",")
		t := target{addr: strings.TrimSpace(f[0]), version: snmpx.V2c, community: "public"}
		if len(f) > 1 {
			switch strings.TrimSpace(f[1]) {
			case "1":
				t.version = snmpx.V1
			case "2c", "":
			default:
				return nil, fmt.Errorf("%s:%d: version %q (1 or 2c)", path, n, f[1])
			}
		}
		if len(f) > 2 {
			t.community = strings.TrimSpace(f[2])
		}
		ts = append(ts, t)
	}
	return ts, sc.Err()
}

func parseObjects(list string) []snmpx.Object {
	var objs []snmpx.Object
	for _, o := range strings.Split(list, ",") {
		if o = strings.TrimSpace(o); o == "" {
			continue
		}
		if oid, err := snmpx.ParseOID(o); err == nil {
			objs = append(objs, oid)
		} else {
			objs = append(objs, snmpx.Name(o))
		}
	}
	return objs
}

func rusage() (user, sys float64, maxrssKB int64) {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime), tv(ru.Stime), ru.Maxrss
}

func main() {
	targetsPath := flag.String("targets", "", "targets file (required)")
	oidList := flag.String("oids", "", "comma-separated OIDs or names (required)")
	sequential := flag.Bool("sequential", false, "one Get per OID, in sequence (default: one Get of all)")
	inFlight := flag.Int("in-flight", 0, "targets polled at once (0 = all)")
	timeout := flag.Duration("timeout", time.Second, "timeout of each attempt")
	retries := flag.Int("retries", 2, "retransmissions after the first attempt")
	output := flag.String("output", "-", "where the JSON lines go (- = stdout)")
	summary := flag.Bool("summary", false, "print a key=value summary line to stderr")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the sweep to this file (go tool pprof)")
	memProfile := flag.String("memprofile", "", "write an allocation profile of the run to this file (go tool pprof)")
	memStats := flag.Bool("memstats", false, "add the Go runtime's allocation, GC and stack figures to the summary line")
	procs := flag.Int("procs", 0, "GOMAXPROCS (0: the GOMAXPROCS environment variable, else 1)")
	gcPercent := flag.Int("gogc", 0, "GOGC percentage, negative = off (0: the GOGC environment variable, else 50 with -goroutines and Go's default without)")
	goroutines := flag.Bool("goroutines", false, "one goroutine per target calling the blocking Get (default: asynchronous Calls from one goroutine)")
	flag.Parse()
	gogc := runtimeSettings(*procs, *gcPercent, *goroutines)
	if *targetsPath == "" || *oidList == "" || *inFlight < 0 {
		flag.Usage()
		os.Exit(2)
	}
	targets, err := readTargets(*targetsPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fleet:", err)
		os.Exit(2)
	}
	objs := parseObjects(*oidList)
	asked := askedOf(objs)
	if len(objs) == 0 || len(targets) == 0 {
		fmt.Fprintln(os.Stderr, "fleet: no targets or no OIDs")
		os.Exit(2)
	}
	var out io.Writer = os.Stdout
	if *output != "-" {
		f, err := os.Create(*output)
		if err != nil {
			fmt.Fprintln(os.Stderr, "fleet:", err)
			os.Exit(2)
		}
		defer f.Close()
		out = f
	}
	w := bufio.NewWriterSize(out, 1<<16)
	done := make(chan *device, 1024)
	written := make(chan struct{})
	go func() { // one writer renders every line: they never interleave
		var line []byte
		for d := range done {
			line = d.l.finish(line[:0], d.addr, d.ms)
			w.Write(line)
		}
		w.Flush()
		close(written)
	}()

	retry := *retries
	if retry == 0 {
		retry = snmpx.NoRetries
	}
	window := *inFlight
	if window == 0 || window > len(targets) {
		window = len(targets)
	}
	sw := &sweep{ctx: context.Background(), objs: objs, asked: asked, sequential: *sequential, done: done,
		sem: make(chan struct{}, window)}
	if *memProfile != "" {
		runtime.MemProfileRate = 4096
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "fleet:", err)
			os.Exit(2)
		}
		defer stop()
	}
	peak := watchMemory(*memStats)
	u0, s0, _ := rusage()
	start := time.Now()
	api := "calls"
	if *goroutines {
		api = "goroutines"
		sw.runGoroutines(targets, *timeout, retry)
	} else {
		sw.runCalls(targets, *timeout, retry)
	}
	wall := time.Since(start).Seconds()
	close(done)
	<-written
	u1, s1, maxrss := rusage()
	if *summary {
		mode := "batch"
		if *sequential {
			mode = "seq"
		}
		sumOut := os.Stdout
		if *output == "-" {
			sumOut = os.Stderr
		}
		fmt.Fprintf(sumOut, "impl=snmpx-go-fleet mode=%s devices=%d window=%d requests=%d ok_devices=%d "+
			"failed_devices=%d wall_s=%.3f cpu_user_s=%.3f cpu_sys_s=%.3f maxrss_kb=%d gomaxprocs=%d gogc=%d api=%s\n",
			mode, len(targets), window, sw.requests.Load(), sw.ok.Load(), sw.failed.Load(), wall, u1-u0, s1-s0, maxrss,
			runtime.GOMAXPROCS(0), gogc, api)
		if *memStats {
			st := snmpx.RuntimeStats()
			fmt.Fprintf(sumOut, "%s poller_batches=%d completions=%d\n", peak(), st.Batches, st.Completions)
		}
	}
	if *memProfile != "" {
		if err := writeHeapProfile(*memProfile); err != nil {
			fmt.Fprintln(os.Stderr, "fleet:", err)
		}
	}
	if sw.failed.Load() > 0 {
		os.Exit(1)
	}
}

// runtimeSettings applies -procs and -gogc (see the package comment) and returns the
// GOGC percentage in effect (-1: off).
func runtimeSettings(procs, gcPercent int, goroutines bool) int {
	switch {
	case procs > 0:
		runtime.GOMAXPROCS(procs)
	case os.Getenv("GOMAXPROCS") == "":
		runtime.GOMAXPROCS(1)
	}
	switch {
	case gcPercent != 0:
		debug.SetGCPercent(gcPercent)
	case os.Getenv("GOGC") == "" && goroutines:
		debug.SetGCPercent(50)
	}
	gogc := debug.SetGCPercent(-1) // read it back (Go has no getter) ...
	debug.SetGCPercent(gogc)       // ... and restore it
	return max(gogc, -1)
}

// sweep is the state of one sweep, shared by the goroutines that poll.
type sweep struct {
	ctx                  context.Context
	objs                 []snmpx.Object
	asked                []asked
	sequential           bool
	requests, ok, failed atomic.Int64
	done                 chan<- *device // to the writer
	sem                  chan struct{}  // its capacity is the most devices polled at once
	wg                   sync.WaitGroup // -goroutines: the devices' goroutines
}

// device is one target's poll: its session, its answers (recorded compactly as they
// arrive, see line.go) and its time; the writer goroutine renders its line.
type device struct {
	addr  string
	s     *snmpx.Session // nil if it could not be opened (l.err says why)
	began time.Time
	ms    float64
	l     lineBuilder
	call  snmpx.Call // the device's request in flight (-goroutines: unused)
	next  int        // the index of the object asked for by the Call in flight
}

// open opens the target's session.
func open(t target, timeout time.Duration, retries int) (*snmpx.Session, error) {
	return snmpx.Open(snmpx.Config{Target: t.addr, Version: t.version, Community: t.community,
		Timeout: timeout, Retries: retries})
}
