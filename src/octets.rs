//! [`OctetString`]: the bytes of an OCTET STRING value, kept inline up to
//! [`OctetString::INLINE_CAPACITY`] octets so that decoding the strings most agents send
//! (names, descriptions, MAC addresses, short labels) allocates nothing.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

const INLINE: usize = 46;

#[derive(Clone)]
enum Repr {
    Inline { len: u8, buf: [u8; INLINE] },
    Heap(Vec<u8>),
}

/// The bytes of an OCTET STRING (arbitrary octets; not necessarily text).
///
/// Behaves like a byte slice (`Deref<Target = [u8]>`), compares and hashes as one, and
/// converts from and to `Vec<u8>`, `&[u8]`, `&str` and `String`. Strings of up to
/// [`OctetString::INLINE_CAPACITY`] octets live inside the value; longer ones on the heap.
#[derive(Clone)]
pub struct OctetString(Repr);

impl OctetString {
    /// The longest string stored without a heap allocation.
    pub const INLINE_CAPACITY: usize = INLINE;

    /// An empty string.
    pub const fn new() -> OctetString {
        OctetString(Repr::Inline {
            len: 0,
            buf: [0; INLINE],
        })
    }

    /// A copy of `bytes` (inline when short enough).
    pub fn from_slice(bytes: &[u8]) -> OctetString {
        if bytes.len() <= INLINE {
            let mut buf = [0u8; INLINE];
            buf[..bytes.len()].copy_from_slice(bytes);
            OctetString(Repr::Inline {
                len: bytes.len() as u8,
                buf,
            })
        } else {
            OctetString(Repr::Heap(bytes.to_vec()))
        }
    }

    /// Replaces the contents with `bytes`, which must fit inline (internal decode path: the
    /// VarBind list decoder fills the value it pushed where it lies). Longer input is cut to
    /// the inline capacity; callers check the length first.
    #[inline]
    pub(crate) fn fill_inline(&mut self, bytes: &[u8]) {
        debug_assert!(bytes.len() <= INLINE);
        let n = bytes.len().min(INLINE);
        if let Repr::Heap(_) = self.0 {
            *self = OctetString::new();
        }
        if let Repr::Inline { len, buf } = &mut self.0 {
            buf[..n].copy_from_slice(&bytes[..n]);
            *len = n as u8;
        }
    }

    /// The bytes.
    pub fn as_slice(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline { len, buf } => &buf[..*len as usize],
            Repr::Heap(v) => v,
        }
    }

    /// The bytes as an owned vector (no copy when they are on the heap already).
    pub fn into_vec(self) -> Vec<u8> {
        match self.0 {
            Repr::Inline { len, buf } => buf[..len as usize].to_vec(),
            Repr::Heap(v) => v,
        }
    }

    /// True when the bytes are stored inline (no heap allocation).
    pub fn is_inline(&self) -> bool {
        matches!(self.0, Repr::Inline { .. })
    }
}

impl Default for OctetString {
    fn default() -> OctetString {
        OctetString::new()
    }
}

impl Deref for OctetString {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl AsRef<[u8]> for OctetString {
    fn as_ref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl Borrow<[u8]> for OctetString {
    fn borrow(&self) -> &[u8] {
        self.as_slice()
    }
}

impl From<&[u8]> for OctetString {
    fn from(v: &[u8]) -> OctetString {
        OctetString::from_slice(v)
    }
}

impl<const N: usize> From<[u8; N]> for OctetString {
    fn from(v: [u8; N]) -> OctetString {
        OctetString::from_slice(&v)
    }
}

impl<const N: usize> From<&[u8; N]> for OctetString {
    fn from(v: &[u8; N]) -> OctetString {
        OctetString::from_slice(v)
    }
}

impl From<Vec<u8>> for OctetString {
    /// Takes the vector as it is (no copy), however short.
    fn from(v: Vec<u8>) -> OctetString {
        OctetString(Repr::Heap(v))
    }
}

impl From<&str> for OctetString {
    fn from(v: &str) -> OctetString {
        OctetString::from_slice(v.as_bytes())
    }
}

impl From<String> for OctetString {
    fn from(v: String) -> OctetString {
        OctetString::from(v.into_bytes())
    }
}

impl From<OctetString> for Vec<u8> {
    fn from(v: OctetString) -> Vec<u8> {
        v.into_vec()
    }
}

impl FromIterator<u8> for OctetString {
    fn from_iter<I: IntoIterator<Item = u8>>(iter: I) -> OctetString {
        OctetString::from(iter.into_iter().collect::<Vec<u8>>())
    }
}

impl PartialEq for OctetString {
    fn eq(&self, other: &OctetString) -> bool {
        self.as_slice() == other.as_slice()
    }
}
impl Eq for OctetString {}

impl PartialEq<[u8]> for OctetString {
    fn eq(&self, other: &[u8]) -> bool {
        self.as_slice() == other
    }
}
impl PartialEq<&[u8]> for OctetString {
    fn eq(&self, other: &&[u8]) -> bool {
        self.as_slice() == *other
    }
}
impl<const N: usize> PartialEq<[u8; N]> for OctetString {
    fn eq(&self, other: &[u8; N]) -> bool {
        self.as_slice() == other
    }
}
impl<const N: usize> PartialEq<&[u8; N]> for OctetString {
    fn eq(&self, other: &&[u8; N]) -> bool {
        self.as_slice() == *other
    }
}
impl PartialEq<Vec<u8>> for OctetString {
    fn eq(&self, other: &Vec<u8>) -> bool {
        self.as_slice() == other.as_slice()
    }
}
impl PartialEq<str> for OctetString {
    fn eq(&self, other: &str) -> bool {
        self.as_slice() == other.as_bytes()
    }
}
impl PartialEq<&str> for OctetString {
    fn eq(&self, other: &&str) -> bool {
        self.as_slice() == other.as_bytes()
    }
}

impl PartialOrd for OctetString {
    fn partial_cmp(&self, other: &OctetString) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for OctetString {
    fn cmp(&self, other: &OctetString) -> Ordering {
        self.as_slice().cmp(other.as_slice())
    }
}

impl Hash for OctetString {
    /// Hashes as the byte slice does, so `HashMap<OctetString, _>` can be queried by `&[u8]`.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state)
    }
}

impl fmt::Debug for OctetString {
    /// Text in quotes when the bytes are UTF-8, else the bytes in hex.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match std::str::from_utf8(self) {
            Ok(s) => write!(f, "{s:?}"),
            Err(_) => write!(f, "{:02x?}", self.as_slice()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn inline_up_to_capacity_then_heap() {
        let short = OctetString::from_slice(&[7u8; INLINE]);
        assert!(short.is_inline());
        assert_eq!(short.len(), INLINE);
        let long = OctetString::from_slice(&[7u8; INLINE + 1]);
        assert!(!long.is_inline());
        assert_eq!(long.len(), INLINE + 1);
        assert_eq!(OctetString::new().len(), 0);
        assert!(OctetString::new().is_inline());
    }

    #[test]
    fn compares_and_hashes_as_bytes_whatever_the_storage() {
        let a = OctetString::from_slice(b"eth0");
        let b = OctetString::from(b"eth0".to_vec()); // heap, same bytes
        assert!(!b.is_inline());
        assert_eq!(a, b);
        assert_eq!(a, b"eth0");
        assert_eq!(a, *b"eth0".as_slice());
        assert_eq!(a, "eth0");
        assert_eq!(a, b"eth0".to_vec());
        let (x, y, xy) = (
            OctetString::from("a"),
            OctetString::from("b"),
            OctetString::from("ab"),
        );
        assert!(x < y && xy > x && xy < y);
        let mut m = HashMap::new();
        m.insert(a.clone(), 1);
        assert_eq!(m.get(b"eth0".as_slice()), Some(&1));
        assert_eq!(m.get(&b), Some(&1));
    }

    #[test]
    fn conversions_round_trip() {
        let long: Vec<u8> = (0..=255u8).collect();
        for bytes in [Vec::new(), b"x".to_vec(), long] {
            let s = OctetString::from_slice(&bytes);
            assert_eq!(s.as_slice(), &bytes[..]);
            assert_eq!(s.clone().into_vec(), bytes);
            assert_eq!(Vec::from(s), bytes);
            let collected: OctetString = bytes.iter().copied().collect();
            assert_eq!(collected, bytes);
        }
        assert_eq!(
            OctetString::from(String::from("hé")).as_slice(),
            "hé".as_bytes()
        );
        assert_eq!(OctetString::from([1u8, 2]).as_slice(), &[1, 2]);
    }

    #[test]
    fn debug_shows_text_or_hex() {
        assert_eq!(format!("{:?}", OctetString::from("a\"b")), "\"a\\\"b\"");
        assert_eq!(format!("{:?}", OctetString::from([0xffu8, 0])), "[ff, 00]");
    }

    #[test]
    fn values_stay_small() {
        // A Value is no larger than its largest variant (the inline OID), string included.
        assert!(std::mem::size_of::<OctetString>() <= 48);
        assert_eq!(
            std::mem::size_of::<crate::Value>(),
            std::mem::size_of::<crate::Oid>()
        );
    }
}
