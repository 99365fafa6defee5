package snmpx

import "encoding/binary"

// decoder reads the flat buffer snmpxgo.c writes (layout at the top of that file).
type decoder struct {
	b   []byte
	pos int
	bad bool
}

func (d *decoder) take(n int) []byte {
	if d.bad || n < 0 || d.pos+n > len(d.b) {
		d.bad = true
		return nil
	}
	s := d.b[d.pos : d.pos+n]
	d.pos += n
	return s
}

func (d *decoder) u32() uint32 {
	s := d.take(4)
	if s == nil {
		return 0
	}
	return binary.NativeEndian.Uint32(s)
}

func (d *decoder) u64() uint64 {
	s := d.take(8)
	if s == nil {
		return 0
	}
	return binary.NativeEndian.Uint64(s)
}

// arcs reads a length-prefixed OID into the shared backing slice.
func (d *decoder) arcs(into *[]uint32) OID {
	n := int(d.u32())
	s := d.take(4 * n)
	if s == nil || n == 0 {
		return nil
	}
	start := len(*into)
	for i := 0; i < n; i++ {
		*into = append(*into, binary.NativeEndian.Uint32(s[4*i:]))
	}
	return OID((*into)[start : start+n : start+n])
}

// errorBlock reads the error part of an outcome with code c.
func (d *decoder) errorBlock(c Code) *Error {
	msg := string(d.take(int(d.u32())))
	has := d.u32()
	status := int32(d.u32())
	index := d.u32()
	var backing []uint32
	failed := d.arcs(&backing)
	e := &Error{Code: c, Msg: msg, FailedOID: failed}
	if has != 0 {
		e.Status, e.Index = ErrorStatus(status), index
	}
	return e
}

// result is a decoded completion.
type result struct {
	status ErrorStatus
	index  uint32
	failed OID
	vbs    []VarBind
}

// outcome reads a whole completion: the response, or the failure as an *Error.
func (d *decoder) outcome() (result, *Error) {
	c := Code(d.u32())
	if c != CodeOK {
		return result{}, d.errorBlock(c)
	}
	var r result
	r.status = ErrorStatus(int32(d.u32()))
	r.index = d.u32()
	var failed []uint32
	r.failed = d.arcs(&failed)
	n := int(d.u32())
	if n > len(d.b) { // each varbind takes more than one byte: a corrupt count
		d.bad = true
		return r, nil
	}
	r.vbs = make([]VarBind, n)
	// The bindings' arcs and bytes each go to one memory of the exact size (a response's
	// Go memory is most of what a fleet allocates, and so of its GC work).
	na, nb := d.sizes(n)
	arcs := make([]uint32, 0, na)
	var blob []byte
	if nb > 0 {
		blob = make([]byte, 0, nb)
	}
	for i := 0; i < n && !d.bad; i++ {
		vb := &r.vbs[i]
		vb.OID = d.arcs(&arcs)
		vb.Value.typ = Type(d.u32())
		switch d.u32() {
		case 1, 2:
			vb.Value.num = d.u64()
		case 3:
			b := d.take(int(d.u32()))
			if blob == nil {
				blob = make([]byte, 0, len(b))
			}
			start := len(blob)
			blob = append(blob, b...)
			vb.Value.bytes = blob[start:len(blob):len(blob)]
		case 4:
			vb.Value.oid = d.arcs(&arcs)
		}
		text := d.take(int(d.u32()))
		if len(text) > 0 {
			vb.Text = string(text)
		}
		d.take(1) // NUL
	}
	return r, nil
}

// sizes returns the total arcs (OIDs and OID values) and value bytes of the n bindings
// that follow, without decoding them (0, 0 for a malformed buffer: decoding finds it).
func (d decoder) sizes(n int) (arcs, bytes int) {
	for i := 0; i < n && !d.bad; i++ {
		k := int(d.u32())
		arcs += k
		d.take(4 * k)
		d.u32() // type
		switch d.u32() {
		case 1, 2:
			d.take(8)
		case 3:
			k = int(d.u32())
			bytes += k
			d.take(k)
		case 4:
			k = int(d.u32())
			arcs += k
			d.take(4 * k)
		}
		d.take(int(d.u32()) + 1) // text and NUL
	}
	if d.bad || arcs > len(d.b) || bytes > len(d.b) {
		return 0, 0
	}
	return arcs, bytes
}
