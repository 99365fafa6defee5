package snmpx_test

import (
	"errors"
	"testing"

	snmpx "snmpx/bindings/go"
)

func TestParseOID(t *testing.T) {
	good := map[string]string{
		"1.3.6.1.2.1.1.1.0":  "1.3.6.1.2.1.1.1.0",
		".1.3.6.1":           "1.3.6.1",
		" 2.999.4294967295 ": "2.999.4294967295",
		"0.39":               "0.39",
		"1":                  "1",
	}
	for in, want := range good {
		o, err := snmpx.ParseOID(in)
		if err != nil || o.String() != want {
			t.Errorf("ParseOID(%q) = %v, %v; want %s", in, o, err, want)
		}
	}
	for _, in := range []string{"", ".", "1..3", "1.3.a", "3.1", "1.40", "0.40", "1.3.4294967296", "-1.3", "sysDescr.0"} {
		if o, err := snmpx.ParseOID(in); err == nil {
			t.Errorf("ParseOID(%q) = %v, want an error", in, o)
		} else if !errors.Is(err, snmpx.ErrParse) && !errors.Is(err, snmpx.ErrInvalid) {
			t.Errorf("ParseOID(%q): %v is neither ErrParse nor ErrInvalid", in, err)
		}
	}
	long := make(snmpx.OID, 129)
	long[0] = 1
	if err := long.Validate(); !errors.Is(err, snmpx.ErrInvalid) {
		t.Errorf("129 arcs: %v", err)
	}
	if err := long[:128].Validate(); err != nil {
		t.Errorf("128 arcs: %v", err)
	}
}

func TestOIDOrderAndPrefix(t *testing.T) {
	a := snmpx.MustParseOID("1.3.6.1.2.1.1")
	b := snmpx.MustParseOID("1.3.6.1.2.1.1.5.0")
	c := snmpx.MustParseOID("1.3.6.1.2.1.2")
	if !b.HasPrefix(a) || c.HasPrefix(a) || !a.HasPrefix(a) || a.HasPrefix(b) {
		t.Error("HasPrefix")
	}
	if a.Compare(b) != -1 || b.Compare(c) != -1 || c.Compare(a) != 1 || a.Compare(a.Append()) != 0 {
		t.Error("Compare")
	}
	if !a.Append(5, 0).Equal(b) || a.Equal(b) {
		t.Error("Append/Equal")
	}
	defer func() {
		if recover() == nil {
			t.Error("MustParseOID of bad text did not panic")
		}
	}()
	snmpx.MustParseOID("x")
}
