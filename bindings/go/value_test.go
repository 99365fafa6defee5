package snmpx_test

import (
	"net/netip"
	"testing"

	snmpx "snmpx/bindings/go"
)

// TestValueText: String and AppendText render the same text, and AppendText appends to
// what the buffer already holds.
func TestValueText(t *testing.T) {
	cases := []struct {
		v    snmpx.Value
		want string
	}{
		{snmpx.IntegerValue(-42), "-42"},
		{snmpx.Counter32Value(4294967295), "4294967295"},
		{snmpx.Counter64Value(18446744073709551615), "18446744073709551615"},
		{snmpx.TimeTicksValue(12345), "12345"},
		{snmpx.StringValue("dev-1 \"rack\"\n"), `"dev-1 \"rack\"\n"`},
		{snmpx.StringValue("caf\u00e9"), `"café"`},
		{snmpx.StringValue("Linux dev-1 5.10 x86_64 ~{}"), `"Linux dev-1 5.10 x86_64 ~{}"`},
		{snmpx.StringValue(`a\b`), `"a\\b"`},
		{snmpx.StringValue("tab\there"), `"tab\there"`},
		{snmpx.StringValue("del\x7f"), `"del\x7f"`},
		{snmpx.StringValue(""), `""`},
		{snmpx.OctetStringValue([]byte{0, 1, 0xfe}), "0x0001fe"},
		{snmpx.OctetStringValue([]byte{0xff, 'a'}), "0xff61"},
		{snmpx.OpaqueValue([]byte{9}), "0x09"},
		{snmpx.IPAddressValue(netip.MustParseAddr("192.0.2.7")), "192.0.2.7"},
		{snmpx.OIDValue(snmpx.MustParseOID("1.3.6.1.4.1.99999.2")), "1.3.6.1.4.1.99999.2"},
		{snmpx.Value{}, "NULL"},
	}
	for _, c := range cases {
		if got := c.v.String(); got != c.want {
			t.Errorf("String() = %q, want %q", got, c.want)
		}
		b, err := c.v.AppendText([]byte("x="))
		if err != nil || string(b) != "x="+c.want {
			t.Errorf("AppendText = %q, %v; want %q", b, err, "x="+c.want)
		}
	}
	// Every arc width (the one- and two-digit fast paths and the general one).
	if got := (snmpx.OID{0, 9, 10, 99, 100, 999, 1000, 65535, 4294967295}).String(); got != "0.9.10.99.100.999.1000.65535.4294967295" {
		t.Errorf("OID String = %q", got)
	}
	o := snmpx.MustParseOID("1.3.6.1.2.1.31.1.1.1.18.4294967295")
	b, err := o.AppendText([]byte("oid "))
	if err != nil || string(b) != "oid 1.3.6.1.2.1.31.1.1.1.18.4294967295" || o.String() != string(b[4:]) {
		t.Errorf("OID AppendText = %q, %v; String = %q", b, err, o.String())
	}
}
