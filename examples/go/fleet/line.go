package main

import (
	"bytes"
	"encoding/binary"
	"math"
	"strconv"
	"unicode/utf8"
	"unsafe"

	snmpx "snmpx/bindings/go"
)

// lineBuilder renders one target's JSON line without reflection. Each answer's bindings
// are kept as compact records as they arrive (OID text, type, value text: about 35 bytes
// a binding, half their JSON), and finish writes the line. A device waiting for its next
// answer thus holds a few hundred bytes, not VarBinds or JSON. The output is byte for byte
// what encoding/json's Encoder (HTML escaping on) makes of
//
//	{"target":T,"ok":B,"ms":F,"error":E (omitted if empty),"values":[{"oid":O,"type":Y,"value":V},...] (omitted if none)}
//
// followed by a newline (TestLineMatchesEncodingJSON checks it).
type lineBuilder struct {
	// recs holds per binding: the OID (its text and a NUL, or refAsked and the uvarint
	// index of the asked object it equals), uvarint type, value text length (4 bytes,
	// little-endian), value text.
	recs  []byte
	n     int // bindings in recs
	err   string
	bad   bool    // an exception value was seen
	asked []asked // the objects asked for, with their text (shared by every target)
}

// asked is one object of the -oids list: its OID (nil for a name) and the OID's text,
// rendered once for the whole fleet. A binding whose OID is the asked one (every answer of
// an agent that has the object) is recorded as a reference to it, not as text.
type asked struct {
	oid  snmpx.OID
	text string
}

// refAsked starts a binding's record whose OID is a reference to an asked object (an OID's
// text never contains this byte).
const refAsked = 1

func askedOf(objs []snmpx.Object) []asked {
	a := make([]asked, len(objs))
	for i, o := range objs {
		if oid, ok := o.(snmpx.OID); ok {
			a[i] = asked{oid: oid, text: oid.String()}
		}
	}
	return a
}

// add records the bindings of one answer to a Get of the asked objects from index at on
// (the k-th binding answers the object at+k). It runs on the device's goroutine, between
// two requests, so it is kept shallow (no scratch array in its frame: each value's text is
// appended in place, after a fixed-width length patched afterwards): a goroutine's stack
// grows past its initial 2 KiB once any call path is deeper than about 1.1 KiB, and then
// stays grown while the device waits.
func (l *lineBuilder) add(vbs []snmpx.VarBind, at int) {
	for k := range vbs {
		vb := &vbs[k]
		if vb.Value.IsException() {
			l.bad = true
		}
		if i := at + k; i < len(l.asked) && l.asked[i].oid != nil && vb.OID.Equal(l.asked[i].oid) {
			l.recs = binary.AppendUvarint(append(l.recs, refAsked), uint64(i))
		} else {
			l.recs, _ = vb.OID.AppendText(l.recs)
			l.recs = append(l.recs, 0)
		}
		l.recs = binary.AppendUvarint(l.recs, uint64(vb.Value.Type()))
		at0 := len(l.recs)
		l.recs, _ = vb.Value.AppendText(append(l.recs, 0, 0, 0, 0))
		binary.LittleEndian.PutUint32(l.recs[at0:], uint32(len(l.recs)-at0-4))
		l.n++
	}
}

// fail records a request's error. It is a call of its own so that the error's
// formatting, which is deep, is not in the frame of the device's goroutine.
//
//go:noinline
func (l *lineBuilder) fail(err error) { l.err = err.Error() }

// ok reports whether the target succeeded (no error, no exception value).
func (l *lineBuilder) ok() bool { return l.err == "" && !l.bad }

// finish appends the whole line to b. The fleet calls it on its writer goroutine: string
// and float formatting are the deepest code of a sweep, and on a device's goroutine they
// would grow its stack.
func (l *lineBuilder) finish(b []byte, target string, ms float64) []byte {
	b = append(b, `{"target":`...)
	b = appendJSONString(b, target)
	b = append(b, `,"ok":`...)
	b = strconv.AppendBool(b, l.ok())
	b = append(b, `,"ms":`...)
	b = appendJSONFloat(b, ms)
	if l.err != "" {
		b = append(b, `,"error":`...)
		b = appendJSONString(b, l.err)
	}
	if l.n > 0 {
		b = append(b, `,"values":[`...)
		r := l.recs
		for i := 0; i < l.n; i++ {
			var oid []byte
			if r[0] == refAsked {
				ref, k := binary.Uvarint(r[1:])
				oid = unsafeBytes(l.asked[ref].text)
				r = r[1+k:]
			} else {
				end := bytes.IndexByte(r, 0)
				oid = r[:end]
				r = r[end+1:]
			}
			typ, k := binary.Uvarint(r)
			r = r[k:]
			n := int(binary.LittleEndian.Uint32(r))
			text := r[4 : 4+n]
			r = r[4+n:]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"oid":"`...)
			b = append(b, oid...)
			b = append(b, `","type":`...)
			b = appendJSONString(b, snmpx.Type(typ).String())
			b = append(b, `,"value":`...)
			b = appendJSONString(b, unsafeString(text))
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, "}\n"...)
}

// appendJSONFloat formats f as encoding/json does for a float64.
func appendJSONFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' { // e-09 -> e-9, as encoding/json writes it
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string the way encoding/json does with HTML
// escaping: `"` and `\` escaped, \b \f \n \r \t short, other control characters and
// < > & as \u00XX, invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// unsafeBytes views s as bytes without copying; they must not be modified.
func unsafeBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// unsafeString views b as a string without copying; b must not change while the string
// is in use (lineBuilder uses it only to escape its scratch text into the line).
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
