// Peer benchmark client: a fleet sweep through gosnmp (github.com/gosnmp/gosnmp), the way
// gosnmp is meant to be used for many devices: one goroutine per device, each with its own
// GoSNMP value (gosnmp allows one request in flight per GoSNMP, and each owns one UDP socket).
//
// Usage: gosnmp_fleet seq|batch BASE_IP PORT DEVICES WINDOW
//
//	seq     15 GETs of one varbind each per device, one after the other
//	batch   one GET of the same 15 varbinds per device
//	BASE_IP device i is at BASE_IP + i (the simulator's --base), port PORT
//	WINDOW  devices (goroutines, sockets) in flight at once; WINDOW >= DEVICES starts every
//	        device at once. Each device holds a socket, so a window above the process's
//	        descriptor limit fails: those devices are counted in connect_failed.
//
// Prints one line of key=value pairs:
//
//	impl=gosnmp-fleet mode=.. devices=.. window=.. requests=.. ok_devices=.. failed_devices=..
//	connect_failed=.. varbinds=.. wall_s=.. cpu_user_s=.. cpu_sys_s=.. maxrss_kb=..
//
// A device is ok when every GET answered with error-status 0 and no exception value.
// Timeout 1 s per attempt, 2 retries (as `snmpx poll`).
package main

import (
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gosnmp/gosnmp"
)

// The 15 objects of `snmpx demo` (src/bin/snmpx/demo.rs), in the same order.
var oids = []string{
	".1.3.6.1.2.1.1.1.0", ".1.3.6.1.2.1.1.2.0", ".1.3.6.1.2.1.1.3.0",
	".1.3.6.1.2.1.1.4.0", ".1.3.6.1.2.1.1.5.0", ".1.3.6.1.2.1.1.6.0",
	".1.3.6.1.2.1.2.1.0", ".1.3.6.1.2.1.2.2.1.2.1", ".1.3.6.1.2.1.2.2.1.8.1",
	".1.3.6.1.2.1.2.2.1.10.1", ".1.3.6.1.2.1.2.2.1.16.1", ".1.3.6.1.2.1.31.1.1.1.6.1",
	".1.3.6.1.2.1.31.1.1.1.10.1", ".1.3.6.1.2.1.31.1.1.1.15.1", ".1.3.6.1.2.1.31.1.1.1.18.1",
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: gosnmp_fleet seq|batch BASE_IP PORT DEVICES WINDOW")
	fmt.Fprintln(os.Stderr, "  e.g. gosnmp_fleet seq 127.1.0.1 1161 10000 10000")
	os.Exit(2)
}

func rusage() (user, sys float64, maxrssKB int64) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		fmt.Fprintln(os.Stderr, "gosnmp_fleet: getrusage:", err)
		os.Exit(1)
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime), tv(ru.Stime), ru.Maxrss
}

// answered reports whether a response carries n values and no error or exception.
func answered(res *gosnmp.SnmpPacket, err error, n int) (bool, int) {
	if err != nil || res == nil {
		return false, 0
	}
	got := len(res.Variables)
	if res.Error != gosnmp.NoError || got != n {
		return false, got
	}
	for _, v := range res.Variables {
		switch v.Type {
		case gosnmp.NoSuchObject, gosnmp.NoSuchInstance, gosnmp.EndOfMibView:
			return false, got
		}
	}
	return true, got
}

func main() {
	if len(os.Args) != 6 || (os.Args[1] != "seq" && os.Args[1] != "batch") {
		usage()
	}
	batch := os.Args[1] == "batch"
	base := net.ParseIP(os.Args[2]).To4()
	port, err1 := strconv.ParseUint(os.Args[3], 10, 16)
	devices, err2 := strconv.ParseInt(os.Args[4], 10, 64)
	window, err3 := strconv.ParseInt(os.Args[5], 10, 64)
	if base == nil || err1 != nil || err2 != nil || err3 != nil || devices < 1 || window < 1 {
		usage()
	}
	if window > devices {
		window = devices
	}
	baseN := binary.BigEndian.Uint32(base)

	var requests, varbinds, ok, failed, connectFailed atomic.Int64
	var firstConnectErr atomic.Value
	sem := make(chan struct{}, window)
	var wg sync.WaitGroup

	u0, s0, _ := rusage()
	start := time.Now()
	for i := int64(0); i < devices; i++ {
		sem <- struct{}{}
		wg.Add(1)
		go func(i int64) {
			defer func() { <-sem; wg.Done() }()
			ip := make(net.IP, 4)
			binary.BigEndian.PutUint32(ip, baseN+uint32(i))
			g := &gosnmp.GoSNMP{
				Target:    ip.String(),
				Port:      uint16(port),
				Transport: "udp",
				Community: "public",
				Version:   gosnmp.Version2c,
				Timeout:   time.Second,
				Retries:   2,
				MaxOids:   gosnmp.MaxOids,
			}
			if err := g.Connect(); err != nil {
				connectFailed.Add(1)
				failed.Add(1)
				firstConnectErr.CompareAndSwap(nil, err.Error())
				return
			}
			defer g.Conn.Close()
			if batch {
				requests.Add(1)
				res, err := g.Get(oids)
				good, n := answered(res, err, len(oids))
				varbinds.Add(int64(n))
				if good {
					ok.Add(1)
				} else {
					failed.Add(1)
				}
				return
			}
			for _, o := range oids {
				requests.Add(1)
				res, err := g.Get([]string{o})
				good, n := answered(res, err, 1)
				varbinds.Add(int64(n))
				if !good {
					failed.Add(1)
					return
				}
			}
			ok.Add(1)
		}(i)
	}
	wg.Wait()
	wall := time.Since(start).Seconds()
	u1, s1, maxrss := rusage()
	if e := firstConnectErr.Load(); e != nil {
		fmt.Fprintf(os.Stderr, "gosnmp_fleet: %d connect failures, first: %s\n", connectFailed.Load(), e)
	}
	mode := "seq"
	if batch {
		mode = "batch"
	}
	fmt.Printf("impl=gosnmp-fleet mode=%s devices=%d window=%d requests=%d ok_devices=%d "+
		"failed_devices=%d connect_failed=%d varbinds=%d wall_s=%.3f cpu_user_s=%.3f "+
		"cpu_sys_s=%.3f maxrss_kb=%d\n",
		mode, devices, window, requests.Load(), ok.Load(), failed.Load(), connectFailed.Load(),
		varbinds.Load(), wall, u1-u0, s1-s0, maxrss)
	if failed.Load() > 0 {
		os.Exit(1)
	}
}
