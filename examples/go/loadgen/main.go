// Command loadgen measures GET round trips through the snmpx Go package, for the
// benchmark suite (bench/run.sh), in the format of the peer clients in bench/peers.
//
// Usage: loadgen MODE TARGET COMMUNITY OID REQUESTS WINDOW VERSION
//
//	MODE     sync       - one goroutine, one Get after another (WINDOW ignored)
//	         concurrent - WINDOW goroutines sharing one Session, each Get after Get
//	TARGET   host:port
//	OID      numeric, e.g. 1.3.6.1.2.1.1.1.0
//	VERSION  1 or 2c
//
// Prints one line of key=value pairs:
//
//	impl=snmpx-go-sync|snmpx-go-concurrent requests=N window=W ok=.. errors=.. wall_s=..
//	cpu_user_s=.. cpu_sys_s=.. cpu_us_per_req=.. req_per_s=..
//
// CPU is getrusage(RUSAGE_SELF) over the request loop (Open excluded), divided by the
// completed requests. A request is ok when it succeeded without an exception value.
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	snmpx "snmpx/bindings/go"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: loadgen sync|concurrent TARGET COMMUNITY OID REQUESTS WINDOW 1|2c")
	os.Exit(2)
}

func rusage() (float64, float64) {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime), tv(ru.Stime)
}

func main() {
	if len(os.Args) != 8 || (os.Args[1] != "sync" && os.Args[1] != "concurrent") {
		usage()
	}
	oid, err := snmpx.ParseOID(os.Args[4])
	requests, err2 := strconv.Atoi(os.Args[5])
	window, err3 := strconv.Atoi(os.Args[6])
	if err != nil || err2 != nil || err3 != nil || requests < 1 || window < 1 {
		usage()
	}
	version := snmpx.V2c
	if os.Args[7] == "1" {
		version = snmpx.V1
	}
	if os.Args[1] == "sync" {
		window = 1
	}
	s, err := snmpx.Open(snmpx.Config{Target: os.Args[2], Version: version, Community: os.Args[3],
		Timeout: time.Second, Retries: 2})
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
	defer s.Close()
	var next, ok, errs atomic.Int64
	var wg sync.WaitGroup
	u0, s0 := rusage()
	start := time.Now()
	for w := 0; w < window; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			for next.Add(1) <= int64(requests) {
				vbs, err := s.Get(ctx, oid)
				if err != nil || len(vbs) != 1 || vbs[0].Value.IsException() {
					errs.Add(1)
				} else {
					ok.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	wall := time.Since(start).Seconds()
	u1, s1 := rusage()
	done := float64(ok.Load() + errs.Load())
	fmt.Printf("impl=snmpx-go-%s requests=%d window=%d ok=%d errors=%d wall_s=%.3f cpu_user_s=%.3f "+
		"cpu_sys_s=%.3f cpu_us_per_req=%.2f req_per_s=%.0f\n", os.Args[1], requests, window, ok.Load(),
		errs.Load(), wall, u1-u0, s1-s0, (u1-u0+s1-s0)*1e6/done, done/wall)
}
