//! A borrowing, bounds-checked BER reader for the definite-length subset SNMP uses
//! (X.690 §8.1; RFC 3417 §8 restricts SNMP to definite lengths).
//!
//! Nothing here allocates from a claimed length: every length is checked against the bytes
//! actually present before any slice is taken.

use super::BerError;
use crate::oid::{Oid, INLINE_ARCS, MAX_ARCS};

/// Maximum constructed nesting the reader follows (SNMPv3 needs 6; hostile input wants more).
pub const MAX_DEPTH: u8 = 24;

/// A cursor over BER-encoded bytes. Cheap to copy; sub-readers borrow the same buffer.
#[derive(Clone, Copy, Debug)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    depth: u8,
}

/// One tag-length-value element, borrowing its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// The identifier octet (low-tag-number form only).
    pub tag: u8,
    /// The content octets.
    pub value: &'a [u8],
    /// Offset of the content within the reader's buffer.
    pub offset: usize,
}

impl<'a> Reader<'a> {
    /// A reader over `buf` at nesting depth 0.
    pub fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader {
            buf,
            pos: 0,
            depth: 0,
        }
    }

    /// True when every byte has been consumed.
    pub fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// Bytes consumed so far.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Fails with `TrailingData` unless every byte has been consumed.
    pub fn finish(&self) -> Result<(), BerError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(BerError::TrailingData(self.buf.len() - self.pos))
        }
    }

    /// The identifier octet of the next element, without consuming it.
    pub fn peek_tag(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    /// Reads the next element whatever its tag.
    pub fn read_tlv(&mut self) -> Result<Tlv<'a>, BerError> {
        let buf = self.buf;
        let mut p = self.pos;
        let tag = *buf.get(p).ok_or(BerError::Truncated)?;
        // X.690 §8.1.2.4: the high-tag-number form; no SNMP type uses it.
        if tag & 0x1f == 0x1f {
            return Err(BerError::HighTagNumber);
        }
        p += 1;
        let first = *buf.get(p).ok_or(BerError::Truncated)?;
        p += 1;
        let len = if first < 0x80 {
            first as usize
        } else if first == 0x80 {
            // X.690 §8.1.3.6: indefinite form, forbidden in SNMP (RFC 3417 §8).
            return Err(BerError::IndefiniteLength);
        } else {
            // X.690 §8.1.3.5 long form; non-minimal encodings are accepted (agents send 0x82 0x00 0x05).
            let n = (first & 0x7f) as usize;
            if n > 4 {
                return Err(BerError::LengthTooLong);
            }
            let bytes = buf.get(p..p + n).ok_or(BerError::Truncated)?;
            p += n;
            bytes.iter().fold(0usize, |acc, &b| (acc << 8) | b as usize)
        };
        let end = p.checked_add(len).ok_or(BerError::Truncated)?;
        if end > buf.len() {
            return Err(BerError::Truncated);
        }
        self.pos = end;
        Ok(Tlv {
            tag,
            value: &buf[p..end],
            offset: p,
        })
    }

    /// Reads a constructed element with `outer` holding exactly two primitive elements, the
    /// first tagged `first` (a VarBind: SEQUENCE { name, value }, RFC 3416 §3), and returns
    /// the first one's content and the second element. The shape nearly every agent sends
    /// (short-form lengths, X.690 §8.1.3.4) is read in one step; anything else takes the
    /// general path, with the same checks and errors.
    #[inline]
    pub fn read_pair(&mut self, outer: u8, first: u8) -> Result<(&'a [u8], Tlv<'a>), BerError> {
        match self.read_pair_short(outer, first) {
            Some(pair) => Ok(pair),
            None => self.read_pair_general(outer, first),
        }
    }

    /// [`Reader::read_pair`]'s one-step path: `None` (nothing consumed) unless the pair and
    /// both its elements have short-form lengths, the tags match and the lengths add up.
    #[inline(always)]
    pub(crate) fn read_pair_short(&mut self, outer: u8, first: u8) -> Option<(&'a [u8], Tlv<'a>)> {
        let base = self.pos;
        let rest = self.buf.get(base..)?;
        let [o, ol, f, fl, ..] = *rest else {
            return None;
        };
        let end = 2 + ol as usize;
        let first_end = 4 + fl as usize;
        if o != outer
            || ol >= 0x80
            || f != first
            || fl >= 0x80
            || first_end + 2 > end
            || end > rest.len()
        {
            return None;
        }
        let (vt, vl) = (rest[first_end], rest[first_end + 1]);
        if vl >= 0x80 || vt & 0x1f == 0x1f || first_end + 2 + vl as usize != end {
            return None;
        }
        self.pos = base + end;
        Some((
            &rest[4..first_end],
            Tlv {
                tag: vt,
                value: &rest[first_end + 2..end],
                offset: base + first_end + 2,
            },
        ))
    }

    /// [`Reader::read_pair`] for long-form lengths and errors. The pair's content is read
    /// flat: both elements are primitive.
    #[cold]
    #[inline(never)]
    pub(crate) fn read_pair_general(
        &mut self,
        outer: u8,
        first: u8,
    ) -> Result<(&'a [u8], Tlv<'a>), BerError> {
        let outer_tlv = self.expect(outer)?;
        let mut inner = Reader::new(outer_tlv.value);
        let name = inner.expect(first)?;
        let mut value = inner.read_tlv()?;
        inner.finish()?;
        value.offset += outer_tlv.offset;
        Ok((name.value, value))
    }

    /// Counts the elements left in this reader, up to `max`, without decoding them (a cheap
    /// first pass: short-form lengths are skipped in one step). Stops early at anything
    /// malformed; the real read reports it.
    #[inline]
    pub fn count_elements(&self, max: usize) -> usize {
        let mut rest = self.buf.get(self.pos..).unwrap_or_default();
        let mut n = 0;
        while n < max {
            match *rest {
                [_, len, ref content @ ..] if len < 0x80 && (len as usize) <= content.len() => {
                    rest = &content[len as usize..];
                }
                [] => return n,
                _ => {
                    // Long-form (or malformed) lengths: the general reader counts the rest.
                    let mut probe = Reader::new(rest);
                    while n < max && probe.read_tlv().is_ok() {
                        n += 1;
                    }
                    return n;
                }
            }
            n += 1;
        }
        n
    }

    /// Reads the next element and checks its tag.
    pub fn expect(&mut self, tag: u8) -> Result<Tlv<'a>, BerError> {
        let t = self.read_tlv()?;
        if t.tag != tag {
            return Err(BerError::UnexpectedTag {
                expected: tag,
                found: t.tag,
            });
        }
        Ok(t)
    }

    /// Enters a constructed element with `tag`, returning a reader over its content.
    pub fn sequence(&mut self, tag: u8) -> Result<Reader<'a>, BerError> {
        let t = self.expect(tag)?;
        self.enter(t)
    }

    /// A reader over the content of a constructed element already read.
    pub fn enter(&self, t: Tlv<'a>) -> Result<Reader<'a>, BerError> {
        if self.depth >= MAX_DEPTH {
            return Err(BerError::TooDeep);
        }
        Ok(Reader {
            buf: t.value,
            pos: 0,
            depth: self.depth + 1,
        })
    }

    /// Reads an INTEGER that must fit Integer32. The usual shape (the tag, a short-form
    /// length of 1 to 4, that many content octets) is read in one step; anything else
    /// (redundant sign octets, long-form lengths, errors) takes the general path.
    #[inline]
    pub fn read_i32(&mut self, tag: u8) -> Result<i32, BerError> {
        if let Some(&[t, len, ref content @ ..]) = self.buf.get(self.pos..) {
            let n = len as usize;
            if t == tag && (1..=4).contains(&n) && n <= content.len() {
                let c = &content[..n];
                // Two's complement, sign-extended from the first octet (X.690 §8.3.3).
                let mut v: i32 = (c[0] as i8).into();
                for &b in &c[1..] {
                    v = (v << 8) | b as i32;
                }
                self.pos += 2 + n;
                return Ok(v);
            }
        }
        self.read_i32_general(tag)
    }

    /// [`Reader::read_i32`] for everything but the one-step shape.
    #[inline(never)]
    fn read_i32_general(&mut self, tag: u8) -> Result<i32, BerError> {
        decode_i32(self.expect(tag)?.value)
    }

    /// Reads an OCTET STRING (or any primitive with `tag`) as borrowed bytes.
    pub fn read_bytes(&mut self, tag: u8) -> Result<&'a [u8], BerError> {
        Ok(self.expect(tag)?.value)
    }

    /// Reads a NULL (content must be empty).
    pub fn read_null(&mut self, tag: u8) -> Result<(), BerError> {
        decode_null(self.expect(tag)?.value)
    }

    /// Reads an OBJECT IDENTIFIER.
    pub fn read_oid(&mut self, tag: u8) -> Result<Oid, BerError> {
        decode_oid(self.expect(tag)?.value)
    }
}

/// Decodes INTEGER content as Integer32 (RFC 2578 §7.1.1). Redundant leading 0x00/0xff
/// octets are tolerated (some agents send them); the value must still fit 32 bits signed.
pub fn decode_i32(c: &[u8]) -> Result<i32, BerError> {
    if c.is_empty() {
        return Err(BerError::EmptyInteger);
    }
    let c = strip_redundant_sign(c);
    if c.len() > 4 {
        return Err(BerError::IntegerOverflow);
    }
    let mut v: i32 = if c[0] & 0x80 != 0 { -1 } else { 0 };
    for &b in c {
        v = (v << 8) | b as i32;
    }
    Ok(v)
}

/// Drops leading octets that only repeat the sign (X.690 §8.3.2 forbids them; agents send them).
fn strip_redundant_sign(mut c: &[u8]) -> &[u8] {
    while c.len() > 1 && ((c[0] == 0x00 && c[1] & 0x80 == 0) || (c[0] == 0xff && c[1] & 0x80 != 0))
    {
        c = &c[1..];
    }
    c
}

/// Decodes Counter32/Gauge32/TimeTicks content. Read as unsigned magnitude: agents send
/// 4294967295 as `ff ff ff ff` (4 octets, not the 5 that two's complement needs), and the
/// minimal `00 ff ff ff ff` form is accepted too; anything above 2^32-1 is rejected.
pub fn decode_u32(c: &[u8]) -> Result<u32, BerError> {
    let v = decode_unsigned(c, 4)?;
    Ok(v as u32)
}

/// Decodes Counter64 content (RFC 2578 §7.1.10), up to 2^64-1, with the same leniency as [`decode_u32`].
pub fn decode_u64(c: &[u8]) -> Result<u64, BerError> {
    decode_unsigned(c, 8)
}

fn decode_unsigned(c: &[u8], max_octets: usize) -> Result<u64, BerError> {
    if c.is_empty() {
        return Err(BerError::EmptyInteger);
    }
    let mut c = c;
    while c.len() > 1 && c[0] == 0 {
        c = &c[1..];
    }
    if c.len() > max_octets {
        return Err(BerError::IntegerOverflow);
    }
    Ok(c.iter().fold(0u64, |acc, &b| (acc << 8) | b as u64))
}

/// Checks NULL / exception content is empty (X.690 §8.8.2).
pub fn decode_null(c: &[u8]) -> Result<(), BerError> {
    if c.is_empty() {
        Ok(())
    } else {
        Err(BerError::BadLength("NULL must be empty"))
    }
}

/// Decodes OBJECT IDENTIFIER content (X.690 §8.19): minimal base-128 sub-identifiers, each at
/// most 2^32-1 (overflow checked per octet), at most 128 arcs. Typical OIDs (fewer than 15
/// octets, one octet per sub-identifier) take one pass straight into the inline storage.
#[inline]
pub fn decode_oid(c: &[u8]) -> Result<Oid, BerError> {
    let mut oid = Oid::PLACEHOLDER;
    decode_oid_into(c, &mut oid)?;
    Ok(oid)
}

/// [`decode_oid`] writing into `out` where it lies: the VarBind list decoder fills the slot it
/// pushed, so the arcs are written once, into their final place, and never moved through
/// temporaries. On error `out` holds no valid OID and must be discarded. Only the common case
/// (fewer than 15 octets, every sub-identifier one octet) is inlined.
#[inline(always)]
pub(crate) fn decode_oid_into(c: &[u8], out: &mut Oid) -> Result<(), BerError> {
    if !c.is_empty() && c.len() < INLINE_ARCS {
        if let Some((len, arcs)) = out.inline_storage() {
            // One pass copies the octets as arcs (shifted by one: the first octet holds two
            // arcs) and collects the continuation bits; c.len() < INLINE_ARCS, so they fit.
            let mut seen = 0u8;
            for (slot, &b) in arcs[1..].iter_mut().zip(c) {
                *slot = b as u32;
                seen |= b;
            }
            // No continuation bit anywhere: every sub-identifier is its one octet.
            if seen & 0x80 == 0 {
                let (x, y) = split_first_subid(c[0] as u64);
                arcs[0] = x;
                arcs[1] = y;
                *len = (c.len() + 1) as u8;
                return Ok(());
            }
        }
    }
    decode_oid_into_general(c, out)
}

/// [`decode_oid_into`] for everything but the common case (and every error).
#[inline(never)]
fn decode_oid_into_general(c: &[u8], out: &mut Oid) -> Result<(), BerError> {
    if c.is_empty() {
        return Err(BerError::BadOid("empty"));
    }
    if c.len() >= INLINE_ARCS {
        *out = decode_long_oid(c)?;
        return Ok(());
    }
    // Short: written where it lies, like the one-pass path.
    match out.inline_storage() {
        Some((len, arcs)) => short_multibyte_oid_into(c, len, arcs),
        None => {
            let (mut len, mut arcs) = (0u8, [0u32; INLINE_ARCS]);
            short_multibyte_oid_into(c, &mut len, &mut arcs)?;
            *out = Oid::from_inline(len as usize, arcs);
            Ok(())
        }
    }
}

/// [`decode_oid`] for content of at least [`INLINE_ARCS`] octets (it may need the heap).
#[inline(never)]
fn decode_long_oid(c: &[u8]) -> Result<Oid, BerError> {
    let mut inline = [0u32; INLINE_ARCS];
    let mut heap: Vec<u32> = Vec::new();
    let mut n = 0usize;
    let mut push = |v: u32, n: &mut usize| -> Result<(), BerError> {
        if *n >= MAX_ARCS {
            return Err(BerError::BadOid("more than 128 arcs"));
        }
        if *n < INLINE_ARCS {
            inline[*n] = v;
        } else {
            if heap.is_empty() {
                heap.extend_from_slice(&inline);
            }
            heap.push(v);
        }
        *n += 1;
        Ok(())
    };
    let mut acc: u64 = 0;
    let mut start = true;
    for &b in c {
        // X.690 §8.19.2: the leading octet of a sub-identifier is never 0x80 (non-minimal).
        if start && b == 0x80 {
            return Err(BerError::BadOid("non-minimal sub-identifier"));
        }
        acc = (acc << 7) | (b & 0x7f) as u64;
        // The first sub-identifier combines two arcs (X.690 §8.19.4) and may exceed 2^32-1 by 80.
        let limit = if n == 0 {
            u32::MAX as u64 + 80
        } else {
            u32::MAX as u64
        };
        if acc > limit {
            return Err(BerError::BadOid("sub-identifier exceeds 2^32-1"));
        }
        start = b & 0x80 == 0;
        if !start {
            continue;
        }
        if n == 0 {
            let (x, y) = split_first_subid(acc);
            push(x, &mut n)?;
            push(y, &mut n)?;
        } else {
            push(acc as u32, &mut n)?;
        }
        acc = 0;
    }
    if !start {
        return Err(BerError::BadOid("truncated sub-identifier"));
    }
    Ok(if n <= INLINE_ARCS {
        Oid::from_inline(n, inline)
    } else {
        Oid::from_vec(heap)
    })
}

/// [`decode_oid`] for content shorter than the inline capacity when some sub-identifier takes
/// more than one octet, writing the arcs and their count into inline storage: n octets give
/// at most n+1 arcs, so they fit. On error the storage holds no valid OID.
fn short_multibyte_oid_into(
    c: &[u8],
    len: &mut u8,
    arcs: &mut [u32; INLINE_ARCS],
) -> Result<(), BerError> {
    let mut i = 0usize;
    // X.690 §8.19.4: the first sub-identifier holds the first two arcs, X*40+Y.
    let (x, y) = split_first_subid(read_subid(c, &mut i, u32::MAX as u64 + 80)?);
    arcs[0] = x;
    arcs[1] = y;
    let mut n = 2;
    while i < c.len() {
        let b = c[i];
        if b < 0x80 {
            arcs[n] = b as u32;
            i += 1;
        } else {
            arcs[n] = read_subid(c, &mut i, u32::MAX as u64)? as u32;
        }
        n += 1;
    }
    *len = n as u8;
    Ok(())
}

/// The first two arcs from the first sub-identifier, X*40+Y (X.690 §8.19.4); the caller has
/// bounded it by 2^32-1+80, so Y fits in 32 bits.
fn split_first_subid(first: u64) -> (u32, u32) {
    match first {
        0..=39 => (0, first as u32),
        40..=79 => (1, (first - 40) as u32),
        _ => (2, (first - 80) as u32),
    }
}

/// Reads one base-128 sub-identifier at `*i` (X.690 §8.19.2: minimal, so its first octet is
/// never 0x80), failing as soon as the value passes `limit`.
fn read_subid(c: &[u8], i: &mut usize, limit: u64) -> Result<u64, BerError> {
    if c.get(*i) == Some(&0x80) {
        return Err(BerError::BadOid("non-minimal sub-identifier"));
    }
    let mut acc: u64 = 0;
    while let Some(&b) = c.get(*i) {
        *i += 1;
        acc = (acc << 7) | (b & 0x7f) as u64;
        if acc > limit {
            return Err(BerError::BadOid("sub-identifier exceeds 2^32-1"));
        }
        if b & 0x80 == 0 {
            return Ok(acc);
        }
    }
    Err(BerError::BadOid("truncated sub-identifier"))
}
