package main

import (
	"bytes"
	"encoding/json"
	"math"
	"net/netip"
	"strings"
	"testing"

	snmpx "snmpx/bindings/go"
)

// The line the fleet example printed with encoding/json before lineBuilder: the
// reference the hand-written encoder must match byte for byte.
type refValue struct {
	OID   string `json:"oid"`
	Type  string `json:"type"`
	Value string `json:"value"`
}

type refLine struct {
	Target string     `json:"target"`
	OK     bool       `json:"ok"`
	Ms     float64    `json:"ms"`
	Error  string     `json:"error,omitempty"`
	Values []refValue `json:"values,omitempty"`
}

func reference(t *testing.T, l refLine) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := json.NewEncoder(&b).Encode(l); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var awkward = []string{"", "plain", `q"uote\back`, "<a href='x'>&amp;</a>", "\x00\x01\x1f\x7f",
	"\b\f\n\r\t", "caf\u00e9 \u2028 \u2029 \U0001F600", "bad \xff\xfe utf8 \xc3", "\xe2\x80",
	strings.Repeat("long ", 100)}

func TestJSONStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range awkward {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	}
	for _, f := range []float64{0, 1, 21.4, 313.841, 3000.9, 1e-7, 1.5e-9, 1e21, 123456789012, math.MaxFloat64} {
		want, _ := json.Marshal(f)
		if got := appendJSONFloat(nil, f); !bytes.Equal(got, want) {
			t.Errorf("%v: got %s, want %s", f, got, want)
		}
	}
}

func TestLineMatchesEncodingJSON(t *testing.T) {
	vbs := []snmpx.VarBind{
		{OID: snmpx.MustParseOID("1.3.6.1.2.1.1.1.0"), Value: snmpx.StringValue("snmpx <simulated> device")},
		{OID: snmpx.MustParseOID("1.3.6.1.2.1.1.2.0"), Value: snmpx.OIDValue(snmpx.MustParseOID("1.3.6.1.4.1.99999.2"))},
		{OID: snmpx.MustParseOID("1.3.6.1.2.1.1.3.0"), Value: snmpx.TimeTicksValue(483681203)},
		{OID: snmpx.MustParseOID("1.3.6.1.2.1.2.2.1.10.1"), Value: snmpx.Counter32Value(40365324)},
		{OID: snmpx.MustParseOID("1.3.6.1.2.1.31.1.1.1.6.1"), Value: snmpx.Counter64Value(360818033188)},
		{OID: snmpx.MustParseOID("1.3.6.1.2.1.4.20.1.1.1"), Value: snmpx.IPAddressValue(netip.MustParseAddr("192.0.2.1"))},
		{OID: snmpx.MustParseOID("1.3.6.1.2.1.2.2.1.6.1"), Value: snmpx.OctetStringValue([]byte{0, 0x1b, 0x21, 0xff})},
		{OID: snmpx.MustParseOID("1.3.6.1.2.1.2.2.1.8.1"), Value: snmpx.IntegerValue(-1)},
		{OID: snmpx.MustParseOID("1.3.6.1.2.1.1.9.0"), Value: snmpx.Value{}},
	}
	for _, s := range awkward {
		vbs = append(vbs, snmpx.VarBind{OID: snmpx.MustParseOID("1.3.6.1.2.1.1.5.0"), Value: snmpx.StringValue(s)})
	}
	for _, c := range []struct {
		n   int
		err string
		ms  float64
	}{{0, "", 0}, {1, "", 21.4}, {len(vbs), "", 313.841}, {3, "snmpx: timeout <after 3 tries> & \"more\"", 3000.9},
		{0, "snmpx: no such host \xff", 0}} {
		ref := refLine{Target: "127.1.0.1:1161", OK: c.err == "", Ms: c.ms, Error: c.err}
		for _, vb := range vbs[:c.n] {
			ref.Values = append(ref.Values, refValue{OID: vb.OID.String(), Type: vb.Value.Type().String(), Value: vb.Value.String()})
		}
		want := reference(t, ref)
		// Bindings recorded as text (nothing asked), and against an asked list where most
		// OIDs are the asked ones (recorded as references), one is not, one is a name and
		// the last bindings have no asked object; one Get of all, or one Get per object.
		objs := make([]snmpx.Object, 0, len(vbs))
		for i, vb := range vbs[:len(vbs)-2] {
			switch i {
			case 1:
				objs = append(objs, snmpx.MustParseOID("1.3.6.1.2.1.1.2"))
			case 4:
				objs = append(objs, snmpx.Name("sysName.0"))
			default:
				objs = append(objs, vb.OID)
			}
		}
		for _, a := range [][]asked{nil, askedOf(objs)} {
			for _, perObject := range []bool{false, true} {
				l := lineBuilder{asked: a}
				if perObject {
					for i := range vbs[:c.n] {
						l.add(vbs[i:i+1], i)
					}
				} else {
					l.add(vbs[:c.n], 0)
				}
				l.err = c.err
				got, ok := l.finish(nil, "127.1.0.1:1161", c.ms), l.ok()
				if !bytes.Equal(got, want) {
					t.Errorf("case %d values, error %q, %d asked, per object %v:\n got %s\nwant %s",
						c.n, c.err, len(a), perObject, got, want)
				}
				if ok != ref.OK {
					t.Errorf("ok = %v, want %v", ok, ref.OK)
				}
			}
		}
	}
}
