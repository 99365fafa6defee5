package snmpx_test

import (
	"context"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	snmpx "snmpx/bindings/go"
)

// The agent tests run under examples/test_agent (scripts/test.sh does this), which starts
// a private Net-SNMP snmpd with the harness configuration of tests/common/snmpd.rs and
// passes its address in SNMPX_TEST_AGENT. Without it they fail: they never skip.
func agentAddr(t testing.TB) string {
	t.Helper()
	a := os.Getenv("SNMPX_TEST_AGENT")
	if a == "" {
		t.Fatal("SNMPX_TEST_AGENT is not set: run the Go tests under the test agent, e.g. " +
			"`../../target/release/examples/test_agent go test ./...` (scripts/test.sh does)")
	}
	return a
}

func env(t testing.TB, name string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		t.Fatalf("%s is not set (the test agent launcher sets it)", name)
	}
	return v
}

// open opens a session to the test agent with a short timeout and closes it when the
// test ends.
func open(t testing.TB, version snmpx.Version, community string) *snmpx.Session {
	t.Helper()
	s, err := snmpx.Open(snmpx.Config{
		Target:    agentAddr(t),
		Version:   version,
		Community: community,
		Timeout:   2 * time.Second,
		Retries:   2,
	})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// silentAgent is a bound UDP socket that never answers: requests to it time out.
func silentAgent(t testing.TB) string {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c.LocalAddr().String()
}

var (
	sysDescr    = snmpx.MustParseOID("1.3.6.1.2.1.1.1.0")
	sysObjectID = snmpx.MustParseOID("1.3.6.1.2.1.1.2.0")
	sysUpTime   = snmpx.MustParseOID("1.3.6.1.2.1.1.3.0")
	sysContact  = snmpx.MustParseOID("1.3.6.1.2.1.1.4.0")
	sysName     = snmpx.MustParseOID("1.3.6.1.2.1.1.5.0")
	sysLocation = snmpx.MustParseOID("1.3.6.1.2.1.1.6.0")
	system      = snmpx.MustParseOID("1.3.6.1.2.1.1")
)

func text(t testing.TB, v snmpx.Value) string {
	t.Helper()
	s, err := v.Text()
	if err != nil {
		t.Fatalf("Text of %v: %v", v, err)
	}
	return s
}

// repoRoot is the repository root (bindings/go is two levels down).
func repoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("runtime.Caller failed")
	}
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// threads is the process's current OS thread count (/proc/self/status).
func threads(t testing.TB) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "Threads:"); ok {
			var n int
			for _, c := range strings.TrimSpace(v) {
				n = n*10 + int(c-'0')
			}
			return n
		}
	}
	t.Fatal("no Threads: line in /proc/self/status")
	return 0
}

func netipMust(s string) netip.Addr { return netip.MustParseAddr(s) }
