//! A BER writer into a caller-owned, reusable `Vec<u8>`. Encodings are minimal (X.690 §10.1
//! definite short/long lengths, §8.3.2 minimal integers), which is also what Net-SNMP sends.

use crate::oid::Oid;

/// Writes BER elements at the end of a borrowed buffer. Constructed elements are opened with
/// [`Writer::begin`] and closed with [`Writer::end`], which patches the length in place.
pub struct Writer<'b> {
    buf: &'b mut Vec<u8>,
}

/// The position of an open constructed element, returned by [`Writer::begin`].
#[must_use = "a constructed element must be closed with Writer::end"]
pub struct Mark(usize);

impl<'b> Writer<'b> {
    /// A writer appending to `buf` (existing content is kept).
    pub fn new(buf: &'b mut Vec<u8>) -> Writer<'b> {
        Writer { buf }
    }

    /// Bytes in the underlying buffer.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// True if the underlying buffer is empty.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Opens a constructed element (the length is patched by [`Writer::end`]).
    pub fn begin(&mut self, tag: u8) -> Mark {
        self.buf.push(tag);
        self.buf.push(0);
        Mark(self.buf.len() - 1)
    }

    /// Closes a constructed element, writing its definite length in minimal form.
    pub fn end(&mut self, mark: Mark) {
        let at = mark.0;
        let len = self.buf.len() - at - 1;
        if len < 0x80 {
            self.buf[at] = len as u8;
        } else {
            let mut tmp = [0u8; 5];
            let n = long_length(len, &mut tmp);
            self.buf[at] = tmp[0];
            self.buf.splice(at + 1..at + 1, tmp[1..n].iter().copied());
        }
    }

    /// Writes a tag and a definite length.
    pub fn header(&mut self, tag: u8, len: usize) {
        self.buf.push(tag);
        if len < 0x80 {
            self.buf.push(len as u8);
        } else {
            let mut tmp = [0u8; 5];
            let n = long_length(len, &mut tmp);
            self.buf.extend_from_slice(&tmp[..n]);
        }
    }

    /// Appends already-encoded elements verbatim (e.g. a PDU encoded elsewhere).
    pub fn raw(&mut self, encoded: &[u8]) {
        self.buf.extend_from_slice(encoded);
    }

    /// Writes a primitive element with raw content.
    pub fn bytes(&mut self, tag: u8, content: &[u8]) {
        self.header(tag, content.len());
        self.buf.extend_from_slice(content);
    }

    /// Writes an empty primitive (NULL and the v2 exceptions).
    pub fn null(&mut self, tag: u8) {
        self.buf.push(tag);
        self.buf.push(0);
    }

    /// Writes a signed integer in minimal two's complement (X.690 §8.3).
    pub fn i64(&mut self, tag: u8, v: i64) {
        // Leading bits equal to the sign bit are redundant except one; the content is the
        // remaining bits plus that sign bit, rounded up to whole octets (1..=8).
        let redundant = if v < 0 {
            (!v).leading_zeros()
        } else {
            v.leading_zeros()
        } as usize;
        let n = (64 - redundant) / 8 + 1;
        self.buf.reserve(2 + n);
        self.buf.push(tag);
        self.buf.push(n as u8);
        for i in (0..n).rev() {
            self.buf.push((v >> (8 * i)) as u8);
        }
    }

    /// Writes an unsigned integer (Counter32, Gauge32, TimeTicks, Counter64) in minimal form,
    /// with a leading 0x00 when the top bit is set so it stays non-negative.
    pub fn u64(&mut self, tag: u8, v: u64) {
        let be = v.to_be_bytes();
        let mut i = be.iter().position(|&b| b != 0).unwrap_or(7);
        if be[i] & 0x80 != 0 {
            self.header(tag, 9 - i);
            self.buf.push(0);
        } else {
            self.header(tag, 8 - i);
        }
        while i < 8 {
            self.buf.push(be[i]);
            i += 1;
        }
    }

    /// Writes an OBJECT IDENTIFIER (X.690 §8.19). An OID of a single arc is encoded as if its
    /// second arc were 0, as Net-SNMP does for walks rooted at `.1`.
    pub fn oid(&mut self, tag: u8, oid: &Oid) {
        let arcs = oid.as_slice();
        let first = arcs[0] as u64 * 40 + arcs.get(1).copied().unwrap_or(0) as u64;
        let rest = arcs.get(2..).unwrap_or(&[]);
        // Plain loops over the arcs: the length first (needed before the content), then
        // the sub-identifiers; most arcs are below 128 and take one octet.
        let mut len = base128_len(first);
        for &a in rest {
            len += base128_len(a as u64);
        }
        self.header(tag, len);
        self.buf.reserve(len);
        push_base128(self.buf, first);
        for &a in rest {
            if a < 0x80 {
                self.buf.push(a as u8);
            } else {
                push_base128(self.buf, a as u64);
            }
        }
    }
}

/// Encodes `len >= 128` as a long-form length into `out`, returning the octets used.
fn long_length(len: usize, out: &mut [u8; 5]) -> usize {
    let be = (len as u32).to_be_bytes();
    let skip = be.iter().position(|&b| b != 0).unwrap_or(3);
    let n = 4 - skip;
    out[0] = 0x80 | n as u8;
    out[1..=n].copy_from_slice(&be[skip..]);
    n + 1
}

/// Octets needed for `v` as a base-128 sub-identifier (X.690 §8.19.2).
fn base128_len(v: u64) -> usize {
    let bits = 64 - (v | 1).leading_zeros() as usize;
    bits.div_ceil(7)
}

/// Appends `v` as a minimal base-128 sub-identifier.
fn push_base128(buf: &mut Vec<u8>, v: u64) {
    let groups = base128_len(v);
    for i in (0..groups).rev() {
        let more = if i > 0 { 0x80 } else { 0 };
        buf.push(((v >> (7 * i)) & 0x7f) as u8 | more);
    }
}
