package snmpx

import (
	"encoding/hex"
	"math"
	"net/netip"
	"strconv"
	"time"
	"unicode/utf8"
)

// Value is one SNMP value: its Type and the typed data, read with the accessor of its
// kind (Int64, Uint64, Bytes, OID, IP, Duration). An accessor used on a value of another
// kind returns an *Error with CodeWrongType. The zero Value is NULL.
type Value struct {
	typ   Type
	num   uint64 // INTEGER (two's complement) and the unsigned types
	bytes []byte // OCTET STRING, Opaque, IpAddress and uninterpreted types
	oid   OID    // OBJECT IDENTIFIER
}

// VarBind is one variable binding: an OID and its value. Text is the library's
// `snmpget -On` rendering of the binding when the session's Config.Format is set.
type VarBind struct {
	OID   OID
	Value Value
	Text  string
}

// Type is the value's type (its BER tag).
func (v Value) Type() Type {
	if v.typ == 0 {
		return TypeNull
	}
	return v.typ
}

// IsException reports a noSuchObject, noSuchInstance or endOfMibView value (RFC 3416
// §4.2.1): data, not a failed request.
func (v Value) IsException() bool {
	switch v.typ {
	case TypeNoSuchObject, TypeNoSuchInstance, TypeEndOfMIBView:
		return true
	}
	return false
}

func (v Value) wrongType(want string) error {
	return newError(CodeWrongType, "a "+v.Type().String()+" value is not "+want)
}

func isUnsigned(t Type) bool {
	switch t {
	case TypeCounter32, TypeGauge32, TypeTimeticks, TypeCounter64:
		return true
	}
	return false
}

// Int64 reads INTEGER values, and unsigned values that fit.
func (v Value) Int64() (int64, error) {
	switch {
	case v.typ == TypeInteger:
		return int64(v.num), nil
	case isUnsigned(v.typ) && v.num <= math.MaxInt64:
		return int64(v.num), nil
	}
	return 0, v.wrongType("a signed integer")
}

// Uint64 reads Counter32, Gauge32, TimeTicks, Counter64 and non-negative INTEGER values.
func (v Value) Uint64() (uint64, error) {
	switch {
	case isUnsigned(v.typ):
		return v.num, nil
	case v.typ == TypeInteger && int64(v.num) >= 0:
		return v.num, nil
	}
	return 0, v.wrongType("an unsigned integer")
}

// Bytes reads OCTET STRING, Opaque, IpAddress and uninterpreted values (shared, do not
// modify).
func (v Value) Bytes() ([]byte, error) {
	switch v.typ {
	case TypeOctetString, TypeOpaque, TypeIPAddress:
		return v.bytes, nil
	}
	if v.bytes != nil {
		return v.bytes, nil
	}
	return nil, v.wrongType("octets")
}

// Text reads an OCTET STRING as a Go string.
func (v Value) Text() (string, error) {
	if v.typ != TypeOctetString {
		return "", v.wrongType("an OCTET STRING")
	}
	return string(v.bytes), nil
}

// OID reads an OBJECT IDENTIFIER value.
func (v Value) OID() (OID, error) {
	if v.typ != TypeObjectID {
		return nil, v.wrongType("an OBJECT IDENTIFIER")
	}
	return v.oid, nil
}

// IP reads an IpAddress value.
func (v Value) IP() (netip.Addr, error) {
	if v.typ != TypeIPAddress || len(v.bytes) != 4 {
		return netip.Addr{}, v.wrongType("an IpAddress")
	}
	return netip.AddrFrom4([4]byte(v.bytes)), nil
}

// Duration reads a TimeTicks value (hundredths of a second, RFC 2578 §7.1.8).
func (v Value) Duration() (time.Duration, error) {
	if v.typ != TypeTimeticks {
		return 0, v.wrongType("TimeTicks")
	}
	return time.Duration(v.num) * 10 * time.Millisecond, nil
}

// String is a plain rendering of the value: numbers in decimal, printable octet strings
// quoted and others in hex, OIDs and addresses dotted, exceptions by their RFC name.
func (v Value) String() string {
	var a [64]byte
	return string(v.appendText(a[:0]))
}

// AppendText appends the rendering String gives to b: an allocation-free form for
// programs that render many values (encoding.TextAppender; the error is always nil).
func (v Value) AppendText(b []byte) ([]byte, error) { return v.appendText(b), nil }

func (v Value) appendText(b []byte) []byte {
	switch t := v.Type(); {
	case t == TypeInteger:
		return strconv.AppendInt(b, int64(v.num), 10)
	case isUnsigned(t):
		return strconv.AppendUint(b, v.num, 10)
	case t == TypeObjectID:
		return v.oid.appendText(b)
	case t == TypeIPAddress && len(v.bytes) == 4:
		return netip.AddrFrom4([4]byte(v.bytes)).AppendTo(b)
	case t == TypeOctetString && plainASCII(v.bytes):
		// What strconv.AppendQuote makes of it, without its per-rune checks.
		return append(append(append(b, '"'), v.bytes...), '"')
	case t == TypeOctetString && printable(v.bytes):
		return strconv.AppendQuote(b, string(v.bytes))
	case t == TypeNull:
		return append(b, "NULL"...)
	case t == TypeNoSuchObject:
		return append(b, "noSuchObject"...)
	case t == TypeNoSuchInstance:
		return append(b, "noSuchInstance"...)
	case t == TypeEndOfMIBView:
		return append(b, "endOfMibView"...)
	}
	return hex.AppendEncode(append(b, "0x"...), v.bytes)
}

// plainASCII reports whether b is printable ASCII without '"' or '\\': quoted as it is.
func plainASCII(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

func printable(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, r := range string(b) {
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' {
			return false
		}
	}
	return true
}

// String of a type is its Go constant's name without "Type", e.g. "Counter32".
func (t Type) String() string {
	if n, ok := typeNames[t]; ok {
		return n
	}
	return "Type(" + strconv.FormatUint(uint64(t), 10) + ")"
}

// String of a version: "V1", "V2c", "V3".
func (v Version) String() string {
	if n, ok := versionNames[v]; ok {
		return n
	}
	return "Version(" + strconv.FormatUint(uint64(v), 10) + ")"
}

// Values for Set.

// IntegerValue is an INTEGER / Integer32.
func IntegerValue(i int32) Value { return Value{typ: TypeInteger, num: uint64(int64(i))} }

// OctetStringValue is an OCTET STRING of any bytes.
func OctetStringValue(b []byte) Value {
	return Value{typ: TypeOctetString, bytes: append([]byte{}, b...)}
}

// StringValue is an OCTET STRING holding s.
func StringValue(s string) Value { return Value{typ: TypeOctetString, bytes: []byte(s)} }

// Counter32Value is a Counter32.
func Counter32Value(u uint32) Value { return Value{typ: TypeCounter32, num: uint64(u)} }

// Gauge32Value is a Gauge32 / Unsigned32.
func Gauge32Value(u uint32) Value { return Value{typ: TypeGauge32, num: uint64(u)} }

// TimeTicksValue is a TimeTicks (hundredths of a second).
func TimeTicksValue(u uint32) Value { return Value{typ: TypeTimeticks, num: uint64(u)} }

// Counter64Value is a Counter64.
func Counter64Value(u uint64) Value { return Value{typ: TypeCounter64, num: u} }

// IPAddressValue is an IpAddress (IPv4 only, RFC 2578 §7.1.5).
// An IPv6 address is refused when the request is sent (CodeInvalid).
func IPAddressValue(a netip.Addr) Value {
	a = a.Unmap()
	if !a.Is4() {
		return Value{typ: TypeIPAddress, bytes: a.AsSlice()}
	}
	b := a.As4()
	return Value{typ: TypeIPAddress, bytes: b[:]}
}

// OpaqueValue is an Opaque holding b.
func OpaqueValue(b []byte) Value { return Value{typ: TypeOpaque, bytes: append([]byte{}, b...)} }

// OIDValue is an OBJECT IDENTIFIER value.
func OIDValue(o OID) Value { return Value{typ: TypeObjectID, oid: append(OID{}, o...)} }
