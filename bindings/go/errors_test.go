package snmpx_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	snmpx "snmpx/bindings/go"
)

// Every generated code is one the linked library knows, and no other code in the
// assigned ranges is (the header and the library agree; scripts/check-go-generated.sh
// checks the Go file against the header).
func TestCodesMatchLibrary(t *testing.T) {
	known := map[snmpx.Code]bool{}
	for c := snmpx.Code(0); c < 128; c++ {
		if c.String() != fmt.Sprintf("Code(%d)", c) {
			known[c] = true
		}
	}
	if len(known) < 29 {
		t.Fatalf("only %d generated codes", len(known))
	}
	for c := snmpx.Code(0); c < 128; c++ {
		msg := c.Message()
		if known[c] == (msg == "unknown result code") {
			t.Errorf("code %d (%v): library says %q", c, c, msg)
		}
	}
}

func TestErrorMatching(t *testing.T) {
	e := &snmpx.Error{Code: snmpx.CodeAgent, Status: snmpx.StatusNotWritable, Index: 2, FailedOID: snmpx.OID{1, 3, 6, 1, 2, 1, 1, 6, 0}}
	wrapped := fmt.Errorf("poll: %w", e)
	if !errors.Is(wrapped, snmpx.ErrAgent) || !errors.Is(wrapped, snmpx.StatusNotWritable) {
		t.Error("agent error does not match its sentinel and status")
	}
	if errors.Is(wrapped, snmpx.StatusNoSuchName) || errors.Is(wrapped, snmpx.ErrTimeout) || e.Timeout() {
		t.Error("agent error matches the wrong things")
	}
	if got := e.Error(); got != "snmpx: agent error-status (error-status notWritable, index 2, OID 1.3.6.1.2.1.1.6.0)" &&
		!contains(got, "notWritable, index 2, OID 1.3.6.1.2.1.1.6.0") {
		t.Errorf("message %q", got)
	}
	if !errors.Is(snmpx.ErrAuth, snmpx.ErrV3Authentication) || snmpx.ErrAuth.Code != snmpx.CodeV3Authentication {
		t.Error("ErrAuth alias")
	}
	if errors.Is(snmpx.ErrTimeout, snmpx.ErrCancelled) || !errors.Is(snmpx.ErrTimeout, snmpx.ErrTimeout) {
		t.Error("sentinels")
	}
	plain := &snmpx.Error{Code: snmpx.CodeTimeout}
	if !errors.Is(plain, snmpx.ErrTimeout) || !plain.Timeout() || errors.Is(plain, context.Canceled) {
		t.Error("timeout error")
	}
	if snmpx.StatusNotWritable.String() != "notWritable" || snmpx.ErrorStatus(99).String() != "errorStatus(99)" {
		t.Error("ErrorStatus names")
	}
	if snmpx.CodeTimeout.String() != "SNMPX_E_TIMEOUT" || snmpx.CodeTimeout.Message() == "" {
		t.Error("Code names")
	}
}

// After every session is closed the runtime stops and no C handle is left.
func TestNoLeaks(t *testing.T) {
	for i := 0; i < 3; i++ {
		s := open(t, snmpx.V2c, "public")
		if _, err := s.Walk(ctxT(t), system); err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	if st := snmpx.RuntimeStats(); st.Running {
		t.Fatalf("a session of an earlier test is still open: %+v", st)
	}
	if n := snmpx.LiveHandles(); n != 0 {
		t.Errorf("%d C handles alive after every session closed", n)
	}
}
