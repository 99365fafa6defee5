package snmpx

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"
)

// outcomeWriter builds an outcome in the layout snmpxgo.c writes (see the top of that
// file), for testing the decoder without the library.
type outcomeWriter struct{ b []byte }

func (w *outcomeWriter) u32(v uint32) { w.b = binary.NativeEndian.AppendUint32(w.b, v) }
func (w *outcomeWriter) u64(v uint64) { w.b = binary.NativeEndian.AppendUint64(w.b, v) }
func (w *outcomeWriter) arcs(o OID) {
	w.u32(uint32(len(o)))
	for _, a := range o {
		w.u32(a)
	}
}

// varbind writes one binding; payload is nil, a uint64, a []byte or an OID.
func (w *outcomeWriter) varbind(o OID, typ Type, payload any, text string) {
	w.arcs(o)
	w.u32(uint32(typ))
	switch p := payload.(type) {
	case uint64:
		w.u32(2)
		w.u64(p)
	case []byte:
		w.u32(3)
		w.u32(uint32(len(p)))
		w.b = append(w.b, p...)
	case OID:
		w.u32(4)
		w.arcs(p)
	default:
		w.u32(0)
	}
	w.u32(uint32(len(text)))
	w.b = append(append(w.b, text...), 0)
}

func sampleOutcome() []byte {
	var w outcomeWriter
	w.u32(uint32(CodeOK))
	w.u32(0) // status
	w.u32(0) // index
	w.arcs(nil)
	w.u32(4)
	w.varbind(OID{1, 3, 6, 1, 2, 1, 1, 1, 0}, TypeOctetString, []byte("snmpx device"), "")
	w.varbind(OID{1, 3, 6, 1, 2, 1, 1, 2, 0}, TypeObjectID, OID{1, 3, 6, 1, 4, 1, 99999, 2}, "")
	w.varbind(OID{1, 3, 6, 1, 2, 1, 1, 3, 0}, TypeTimeticks, uint64(12345), "1.3.6.1.2.1.1.3.0 = Timeticks: (12345)")
	w.varbind(OID{1, 3, 6, 1, 2, 1, 1, 4, 0}, TypeOctetString, []byte{}, "")
	return w.b
}

// TestDecodeOutcome: a well-formed outcome decodes into its bindings, each OID, OID value
// and byte value with its own capacity (appending to one cannot overwrite another).
func TestDecodeOutcome(t *testing.T) {
	d := decoder{b: sampleOutcome()}
	r, err := d.outcome()
	if d.bad || err != nil || len(r.vbs) != 4 {
		t.Fatalf("bad %v, err %v, %d bindings", d.bad, err, len(r.vbs))
	}
	if got := r.vbs[0].OID.String(); got != "1.3.6.1.2.1.1.1.0" {
		t.Errorf("OID %s", got)
	}
	if b, _ := r.vbs[0].Value.Bytes(); string(b) != "snmpx device" || cap(b) != len(b) {
		t.Errorf("bytes %q (cap %d)", b, cap(b))
	}
	if o, _ := r.vbs[1].Value.OID(); o.String() != "1.3.6.1.4.1.99999.2" || cap(o) != len(o) {
		t.Errorf("OID value %v (cap %d)", o, cap(o))
	}
	if u, _ := r.vbs[2].Value.Uint64(); u != 12345 || r.vbs[2].Text != "1.3.6.1.2.1.1.3.0 = Timeticks: (12345)" {
		t.Errorf("ticks %d, text %q", u, r.vbs[2].Text)
	}
	if b, err := r.vbs[3].Value.Bytes(); b == nil || len(b) != 0 || err != nil {
		t.Errorf("empty string %v, %v", b, err)
	}
	if o := r.vbs[0].OID; cap(o) != len(o) {
		t.Errorf("OID capacity %d for %d arcs", cap(o), len(o))
	}
}

// TestDecodeMalformed: every truncation of an outcome, and random corruptions, are
// reported (d.bad) or decoded, never a panic or an out-of-range allocation.
func TestDecodeMalformed(t *testing.T) {
	good := sampleOutcome()
	for n := 0; n < len(good); n++ {
		d := decoder{b: good[:n]}
		d.outcome()
		if !d.bad {
			t.Errorf("truncated to %d of %d bytes: not reported", n, len(good))
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		b := append([]byte(nil), good...)
		for k := 0; k < 1+rng.IntN(4); k++ {
			b[rng.IntN(len(b))] = byte(rng.Uint32())
		}
		d := decoder{b: b}
		r, _ := d.outcome()
		if len(r.vbs) > len(b) {
			t.Fatalf("corruption %d: %d bindings from %d bytes", i, len(r.vbs), len(b))
		}
	}
}
