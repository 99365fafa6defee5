// Peer benchmark client: v1/v2c/v3 GET round trips through gosnmp (github.com/gosnmp/gosnmp).
//
// Usage: gosnmp_get MODE TARGET COMMUNITY OID REQUESTS WINDOW VERSION
//
//	MODE     sync       - one GoSNMP, sequential Get calls (WINDOW ignored)
//	         concurrent - WINDOW goroutines, each with its own GoSNMP to the same target
//	                      (gosnmp allows one request in flight per GoSNMP value)
//	TARGET   host:port, e.g. 127.0.0.1:16100
//	OID      numeric, e.g. .1.3.6.1.2.1.1.1.0
//	VERSION  1, 2c or 3. With 3, COMMUNITY is the USM user instead, as for examples/loadgen.rs:
//	         USER[:AUTH:AUTHPASS[:PRIV:PRIVPASS]] with Net-SNMP protocol names (MD5, SHA,
//	         SHA-224, SHA-256, SHA-384, SHA-512; DES, AES, AES-192, AES-256, AES-192-C,
//	         AES-256-C), e.g. bench:SHA:authpass1:AES:privpass1. Each GoSNMP gets its own copy
//	         of the UsmSecurityParameters (gosnmp keeps per-connection engine state in them);
//	         gosnmp caches the password-to-key result process-wide (PasswordCaching, on by
//	         default) and localizes once per GoSNMP. Every GoSNMP makes one GET before the
//	         measured loop, so discovery and key localization are not counted.
//
// Prints one line of key=value pairs, the same as bench/peers/netsnmp_get.c:
//
//	impl=gosnmp-sync|gosnmp-concurrent requests=N window=W ok=.. errors=.. wall_s=..
//	cpu_user_s=.. cpu_sys_s=.. cpu_us_per_req=.. req_per_s=..
//
// CPU is getrusage(RUSAGE_SELF) over the request loop only (connect excluded); per-request
// figures divide by completed requests (ok + errors). A request is ok when the response has
// error-status 0 and no exception value.
package main

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gosnmp/gosnmp"
)

const (
	timeout = time.Second // per attempt
	retries = 2
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: gosnmp_get sync|concurrent TARGET COMMUNITY|USMSPEC OID REQUESTS WINDOW 1|2c|3")
	fmt.Fprintln(os.Stderr, "  e.g. gosnmp_get concurrent 127.0.0.1:16100 public .1.3.6.1.2.1.1.1.0 20000 16 2c")
	fmt.Fprintln(os.Stderr, "       gosnmp_get concurrent 127.0.0.1:16100 bench:SHA:authpass1:AES:privpass1 .1.3.6.1.2.1.1.1.0 20000 16 3")
	os.Exit(2)
}

var authProtocols = map[string]gosnmp.SnmpV3AuthProtocol{
	"MD5": gosnmp.MD5, "SHA": gosnmp.SHA, "SHA-224": gosnmp.SHA224, "SHA-256": gosnmp.SHA256,
	"SHA-384": gosnmp.SHA384, "SHA-512": gosnmp.SHA512,
}

var privProtocols = map[string]gosnmp.SnmpV3PrivProtocol{
	"DES": gosnmp.DES, "AES": gosnmp.AES, "AES-192": gosnmp.AES192, "AES-256": gosnmp.AES256,
	"AES-192-C": gosnmp.AES192C, "AES-256-C": gosnmp.AES256C,
}

// usmFromSpec parses USER[:AUTH:AUTHPASS[:PRIV:PRIVPASS]] into the message flags and the USM
// parameters every GoSNMP copies.
func usmFromSpec(spec string) (gosnmp.SnmpV3MsgFlags, *gosnmp.UsmSecurityParameters) {
	f := strings.Split(spec, ":")
	if (len(f) != 1 && len(f) != 3 && len(f) != 5) || f[0] == "" {
		fmt.Fprintln(os.Stderr, "gosnmp_get: v3 spec must be USER[:AUTH:AUTHPASS[:PRIV:PRIVPASS]]")
		os.Exit(2)
	}
	usm := &gosnmp.UsmSecurityParameters{UserName: f[0]}
	flags := gosnmp.NoAuthNoPriv
	if len(f) >= 3 {
		a, ok := authProtocols[strings.ToUpper(f[1])]
		if !ok {
			fmt.Fprintf(os.Stderr, "gosnmp_get: unknown auth protocol %q\n", f[1])
			os.Exit(2)
		}
		usm.AuthenticationProtocol, usm.AuthenticationPassphrase = a, f[2]
		flags = gosnmp.AuthNoPriv
	}
	if len(f) == 5 {
		p, ok := privProtocols[strings.ToUpper(f[3])]
		if !ok {
			fmt.Fprintf(os.Stderr, "gosnmp_get: unknown privacy protocol %q\n", f[3])
			os.Exit(2)
		}
		usm.PrivacyProtocol, usm.PrivacyPassphrase = p, f[4]
		flags = gosnmp.AuthPriv
	}
	return flags, usm
}

func cpuSeconds() (user, sys float64) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		fmt.Fprintln(os.Stderr, "gosnmp_get: getrusage:", err)
		os.Exit(1)
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime), tv(ru.Stime)
}

func newClient(host string, port uint16, community string, version gosnmp.SnmpVersion) *gosnmp.GoSNMP {
	g := &gosnmp.GoSNMP{
		Target:    host,
		Port:      port,
		Transport: "udp",
		Version:   version,
		Timeout:   timeout,
		Retries:   retries,
		MaxOids:   gosnmp.MaxOids,
	}
	if version == gosnmp.Version3 {
		flags, usm := usmFromSpec(community)
		g.SecurityModel = gosnmp.UserSecurityModel
		g.MsgFlags = flags
		g.SecurityParameters = usm
	} else {
		g.Community = community
	}
	if err := g.Connect(); err != nil {
		fmt.Fprintf(os.Stderr, "gosnmp_get: connect to %s:%d: %v\n", host, port, err)
		os.Exit(1)
	}
	return g
}

// getOK performs one GET and reports whether it returned the value asked for.
func getOK(g *gosnmp.GoSNMP, oids []string) bool {
	res, err := g.Get(oids)
	if err != nil || res == nil || res.Error != gosnmp.NoError || len(res.Variables) != 1 {
		return false
	}
	switch res.Variables[0].Type {
	case gosnmp.NoSuchObject, gosnmp.NoSuchInstance, gosnmp.EndOfMibView:
		return false
	}
	return true
}

func main() {
	if len(os.Args) != 8 {
		usage()
	}
	mode, target, community, oid := os.Args[1], os.Args[2], os.Args[3], os.Args[4]
	requests, err1 := strconv.ParseInt(os.Args[5], 10, 64)
	window, err2 := strconv.ParseInt(os.Args[6], 10, 64)
	if err1 != nil || err2 != nil || requests < 1 || window < 1 {
		fmt.Fprintln(os.Stderr, "gosnmp_get: REQUESTS and WINDOW must be positive integers")
		os.Exit(2)
	}
	var version gosnmp.SnmpVersion
	switch os.Args[7] {
	case "1":
		version = gosnmp.Version1
	case "2c":
		version = gosnmp.Version2c
	case "3":
		version = gosnmp.Version3
	default:
		usage()
	}
	host, portText, err := net.SplitHostPort(target)
	if err != nil {
		fmt.Fprintf(os.Stderr, "gosnmp_get: TARGET %q is not host:port: %v\n", target, err)
		os.Exit(2)
	}
	port, err := strconv.ParseUint(portText, 10, 16)
	if err != nil {
		fmt.Fprintf(os.Stderr, "gosnmp_get: bad port in %q\n", target)
		os.Exit(2)
	}
	if mode != "sync" && mode != "concurrent" {
		usage()
	}
	if mode == "sync" {
		window = 1
	}
	if window > requests {
		window = requests
	}

	clients := make([]*gosnmp.GoSNMP, window)
	for i := range clients {
		clients[i] = newClient(host, uint16(port), community, version)
	}
	oids := []string{oid}
	if version == gosnmp.Version3 {
		// discovery, time sync and key localization before the measured loop
		for _, g := range clients {
			if !getOK(g, oids) {
				fmt.Fprintln(os.Stderr, "gosnmp_get: first v3 request failed")
				os.Exit(1)
			}
		}
	}

	var ok, errs atomic.Int64
	u0, s0 := cpuSeconds()
	start := time.Now()
	if mode == "sync" {
		for i := int64(0); i < requests; i++ {
			if getOK(clients[0], oids) {
				ok.Add(1)
			} else {
				errs.Add(1)
			}
		}
	} else {
		var next atomic.Int64 // requests claimed so far
		var wg sync.WaitGroup
		for _, g := range clients {
			wg.Add(1)
			go func(g *gosnmp.GoSNMP) {
				defer wg.Done()
				for next.Add(1) <= requests {
					if getOK(g, oids) {
						ok.Add(1)
					} else {
						errs.Add(1)
					}
				}
			}(g)
		}
		wg.Wait()
	}
	wall := time.Since(start).Seconds()
	u1, s1 := cpuSeconds()
	for _, g := range clients {
		_ = g.Conn.Close()
	}

	done := float64(ok.Load() + errs.Load())
	user, sys := u1-u0, s1-s0
	cpuPerReq, rate := 0.0, 0.0
	if done > 0 {
		cpuPerReq = (user + sys) * 1e6 / done
	}
	if wall > 0 {
		rate = done / wall
	}
	fmt.Printf("impl=gosnmp-%s requests=%d window=%d ok=%d errors=%d wall_s=%.3f cpu_user_s=%.3f "+
		"cpu_sys_s=%.3f cpu_us_per_req=%.2f req_per_s=%.0f\n",
		mode, requests, window, ok.Load(), errs.Load(), wall, user, sys, cpuPerReq, rate)
	if ok.Load() == 0 {
		os.Exit(1) // errors are reported in the line; fail only if nothing worked
	}
}
