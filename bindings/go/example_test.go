package snmpx_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	snmpx "snmpx/bindings/go"
)

// Reading two objects by name from an SNMPv2c agent.
func ExampleSession_Get() {
	s, err := snmpx.Open(snmpx.Config{
		Target:    os.Getenv("SNMPX_TEST_AGENT"), // e.g. "192.0.2.1:161"
		Version:   snmpx.V2c,
		Community: "public",
		Timeout:   time.Second,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	vbs, err := s.Get(context.Background(), snmpx.Name("SNMPv2-MIB::sysName.0"), snmpx.Name("sysLocation.0"))
	if err != nil {
		log.Fatal(err)
	}
	for _, vb := range vbs {
		name, _ := vb.Value.Text()
		fmt.Println(vb.OID, name)
	}
	// Output:
	// 1.3.6.1.2.1.1.5.0 snmpx-test
	// 1.3.6.1.2.1.1.6.0 snmpx test lab
}

// Keeping requests in flight without a goroutine each: Go submits a Call and returns,
// and every Call comes back on the one channel, here to the goroutine that submitted them.
func ExampleSession_Go() {
	s, err := snmpx.Open(snmpx.Config{Target: os.Getenv("SNMPX_TEST_AGENT"), Version: snmpx.V2c})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	names := []string{"sysName.0", "sysLocation.0", "sysContact.0"}
	done := make(chan *snmpx.Call, len(names))
	for i, n := range names {
		s.Go(context.Background(), &snmpx.Call{Op: snmpx.OpGet, Objects: []snmpx.Object{snmpx.Name(n)},
			Done: done, User: i})
	}
	got := make([]string, len(names))
	for range names {
		c := <-done
		if c.Err != nil {
			log.Fatal(c.Err)
		}
		got[c.User.(int)], _ = c.VarBinds[0].Value.Text()
	}
	fmt.Println(got[0], "|", got[1])
	// Output:
	// snmpx-test | snmpx test lab
}

// Streaming a subtree, row by row.
func ExampleSession_WalkSeq() {
	s, err := snmpx.Open(snmpx.Config{Target: os.Getenv("SNMPX_TEST_AGENT"), Version: snmpx.V2c})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	n := 0
	for vb, err := range s.WalkSeq(context.Background(), snmpx.MustParseOID("1.3.6.1.2.1.1")) {
		if err != nil {
			log.Fatal(err)
		}
		if n < 1 {
			fmt.Println(vb.OID, vb.Value)
		}
		n++
	}
	fmt.Println(n >= 7)
	// Output:
	// 1.3.6.1.2.1.1.1.0 "snmpx test agent (Net-SNMP snmpd)"
	// true
}

// Telling failures apart with errors.Is and errors.As.
func ExampleError() {
	s, err := snmpx.Open(snmpx.Config{Target: os.Getenv("SNMPX_TEST_AGENT"), Version: snmpx.V2c, Community: "private"})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	_, err = s.Set(context.Background(), snmpx.Binding{Object: snmpx.Name("sysLocation.0"), Value: snmpx.StringValue("x")})
	var e *snmpx.Error
	switch {
	case errors.Is(err, snmpx.ErrTimeout):
		fmt.Println("no answer")
	case errors.Is(err, snmpx.StatusNotWritable) && errors.As(err, &e):
		fmt.Println("refused:", e.Status, "at", e.FailedOID)
	}
	// Output:
	// refused: notWritable at 1.3.6.1.2.1.1.6.0
}

// Parsing numeric OIDs.
func ExampleParseOID() {
	o, err := snmpx.ParseOID(".1.3.6.1.2.1.2.2.1.2")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(o.Append(3), o.Append(3).HasPrefix(o))
	_, err = snmpx.ParseOID("1.3.x")
	fmt.Println(errors.Is(err, snmpx.ErrParse))
	// Output:
	// 1.3.6.1.2.1.2.2.1.2.3 true
	// true
}
