package snmpx

import (
	"slices"
	"strconv"
	"strings"
)

// OID is an OBJECT IDENTIFIER as its numeric arcs.
type OID []uint32

// MaxOIDArcs is the most arcs an OID may have (RFC 2578 §3.5: at most 128
// sub-identifiers).
const MaxOIDArcs = 128

// Object names what a request is about: an OID, or a Name the library resolves. Only the
// two types of this package implement it.
type Object interface {
	object()
}

// Name is an object given as text, turned into an OID by the C library when the request
// is built: numeric (`1.3.6.1.2.1.1.5.0`, `.1.3.6...`) or a name its MIB resolver knows
// (`sysName.0`, `SNMPv2-MIB::sysName.0`, `IF-MIB::ifDescr.3`, `.iso.org.dod...`).
// Unknown names fail with ErrUnknownObject before anything is sent.
type Name string

func (OID) object()  {}
func (Name) object() {}

// ParseOID parses numeric OID text (`1.3.6.1.2.1.1.1.0`, a leading dot allowed) with the
// library's rules: 1 to 128 arcs of at most 2^32-1, the first 0-2 and the second below 40
// under 0 and 1 (X.690 §8.19.4). Names need Name (the C ABI has no name lookup function).
func ParseOID(s string) (OID, error) {
	t := strings.TrimPrefix(strings.TrimSpace(s), ".")
	if t == "" {
		return nil, newError(CodeParse, "empty OID")
	}
	parts := strings.Split(t, ".")
	o := make(OID, len(parts))
	for i, p := range parts {
		v, err := strconv.ParseUint(p, 10, 32)
		if err != nil {
			return nil, newError(CodeParse, "OID "+quote(s)+": arc "+quote(p)+" is not a number in 0..4294967295")
		}
		o[i] = uint32(v)
	}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	return o, nil
}

// MustParseOID is ParseOID that panics on bad text (for constants in programs).
func MustParseOID(s string) OID {
	o, err := ParseOID(s)
	if err != nil {
		panic(err)
	}
	return o
}

// Validate checks the rules every encodable OID meets (see ParseOID).
func (o OID) Validate() error {
	switch {
	case len(o) == 0:
		return newError(CodeInvalid, "empty OID")
	case len(o) > MaxOIDArcs:
		return newError(CodeInvalid, "OID of "+strconv.Itoa(len(o))+" arcs (at most 128)")
	}
	second := uint32(0)
	if len(o) > 1 {
		second = o[1]
	}
	if o[0] > 2 || (o[0] < 2 && second >= 40) {
		return newError(CodeInvalid, "OID "+o.String()+": first arcs must be 0-2 and, under 0 and 1, below 40")
	}
	return nil
}

// String is the numeric text form, `1.3.6.1.2.1.1.1.0`.
func (o OID) String() string {
	var a [64]byte
	return string(o.appendText(a[:0]))
}

// AppendText appends the numeric text form (as String) to b: an allocation-free form
// for programs that render many OIDs (encoding.TextAppender; the error is always nil).
func (o OID) AppendText(b []byte) ([]byte, error) { return o.appendText(b), nil }

func (o OID) appendText(b []byte) []byte {
	for i, a := range o {
		if i > 0 {
			b = append(b, '.')
		}
		// Most arcs have one or two digits: a fleet renders millions of them.
		switch {
		case a < 10:
			b = append(b, byte('0'+a))
		case a < 100:
			b = append(b, byte('0'+a/10), byte('0'+a%10))
		default:
			b = strconv.AppendUint(b, uint64(a), 10)
		}
	}
	return b
}

// Equal reports whether two OIDs have the same arcs.
func (o OID) Equal(p OID) bool { return slices.Equal(o, p) }

// Compare orders OIDs lexicographically by arc, as agents order them (-1, 0, +1).
func (o OID) Compare(p OID) int { return slices.Compare(o, p) }

// HasPrefix reports whether o is p or lies in p's subtree.
func (o OID) HasPrefix(p OID) bool {
	return len(o) >= len(p) && slices.Equal(o[:len(p)], p)
}

// Append returns a new OID of o's arcs followed by arcs (e.g. a column and an index).
func (o OID) Append(arcs ...uint32) OID {
	r := make(OID, 0, len(o)+len(arcs))
	return append(append(r, o...), arcs...)
}

func quote(s string) string { return strconv.Quote(s) }
