//! The OBJECT IDENTIFIER type.
//!
//! An [`Oid`] is validated at construction (1..=128 arcs, first arc 0..=2, second arc < 40
//! under arcs 0 and 1, as X.690 §8.19.4 requires for the combined first sub-identifier),
//! stores typical lengths inline without allocating, orders lexicographically by arc (the
//! order SNMP walks follow, RFC 3416 §4.2.2) and parses/prints the numeric dotted form.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::str::FromStr;

/// Maximum number of arcs an OID may have (RFC 2578 §3.5: at most 128 sub-identifiers).
pub const MAX_ARCS: usize = 128;

/// Arcs stored inline before spilling to the heap; covers table cells of typical MIBs.
pub(crate) const INLINE_ARCS: usize = 15;

/// Why a sequence of arcs or a text form is not a valid OID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OidError {
    /// No arcs at all.
    #[error("empty OID")]
    Empty,
    /// More than [`MAX_ARCS`] arcs.
    #[error("OID has {0} arcs, more than the 128 allowed")]
    TooLong(usize),
    /// The first arc is not 0, 1 or 2, or the second is >= 40 under 0 or 1.
    #[error("OID first arcs {0}.{1} cannot be encoded (X.690 8.19.4)")]
    BadPrefix(u32, u32),
    /// Text that is not a dotted list of decimal arcs each fitting in 32 bits.
    #[error("invalid numeric OID text {0:?}")]
    BadText(String),
}

#[derive(Clone)]
enum Repr {
    Inline { len: u8, arcs: [u32; INLINE_ARCS] },
    Heap(Box<[u32]>),
}

/// A validated OBJECT IDENTIFIER. Cheap to clone for typical lengths (no allocation).
#[derive(Clone)]
pub struct Oid {
    repr: Repr,
}

impl Oid {
    /// Builds an OID from arcs, validating the length and the first two arcs.
    pub fn from_slice(arcs: &[u32]) -> Result<Oid, OidError> {
        validate(arcs)?;
        Ok(Self::from_valid(arcs))
    }

    /// Builds an OID from arcs already known to be valid (internal fast path).
    pub(crate) fn from_valid(arcs: &[u32]) -> Oid {
        debug_assert!(validate(arcs).is_ok());
        if arcs.len() <= INLINE_ARCS {
            let mut inline = [0u32; INLINE_ARCS];
            inline[..arcs.len()].copy_from_slice(arcs);
            Oid {
                repr: Repr::Inline {
                    len: arcs.len() as u8,
                    arcs: inline,
                },
            }
        } else {
            Oid {
                repr: Repr::Heap(arcs.into()),
            }
        }
    }

    /// An OID from the first `len` arcs of an inline array (internal decode fast path); the
    /// caller guarantees validity.
    pub(crate) fn from_inline(len: usize, arcs: [u32; INLINE_ARCS]) -> Oid {
        debug_assert!(len <= INLINE_ARCS && validate(&arcs[..len]).is_ok());
        Oid {
            repr: Repr::Inline {
                len: len as u8,
                arcs,
            },
        }
    }

    /// A zero-arc placeholder (NOT a valid OID) that a decoder overwrites in place: the
    /// VarBind list decoder pushes one and fills it where it lies, so the decoded arcs are not
    /// moved through temporaries. It must never escape the decoder.
    pub(crate) const PLACEHOLDER: Oid = Oid {
        repr: Repr::Inline {
            len: 0,
            arcs: [0; INLINE_ARCS],
        },
    };

    /// The inline length and arc storage of `self`, switching it to the inline form first if
    /// it is on the heap (internal decode path; always `Some`). The caller writes the arcs
    /// and the length and guarantees the result is valid before anyone else sees it.
    #[inline]
    pub(crate) fn inline_storage(&mut self) -> Option<(&mut u8, &mut [u32; INLINE_ARCS])> {
        if let Repr::Heap(_) = self.repr {
            *self = Oid::PLACEHOLDER;
        }
        match &mut self.repr {
            Repr::Inline { len, arcs } => Some((len, arcs)),
            Repr::Heap(_) => None,
        }
    }

    /// An OID owning a heap vector of arcs (internal decode path); the caller guarantees
    /// validity.
    pub(crate) fn from_vec(arcs: Vec<u32>) -> Oid {
        debug_assert!(validate(&arcs).is_ok());
        if arcs.len() <= INLINE_ARCS {
            return Oid::from_valid(&arcs);
        }
        Oid {
            repr: Repr::Heap(arcs.into_boxed_slice()),
        }
    }

    /// The arcs as a slice.
    pub fn as_slice(&self) -> &[u32] {
        match &self.repr {
            Repr::Inline { len, arcs } => &arcs[..*len as usize],
            Repr::Heap(b) => b,
        }
    }

    /// True if `self` starts with all arcs of `prefix` (equal OIDs included).
    pub fn starts_with(&self, prefix: &Oid) -> bool {
        self.as_slice().starts_with(prefix.as_slice())
    }

    /// A new OID with `suffix` appended (fails only if the result would exceed 128 arcs).
    pub fn join(&self, suffix: &[u32]) -> Result<Oid, OidError> {
        let mut v = Vec::with_capacity(self.len() + suffix.len());
        v.extend_from_slice(self.as_slice());
        v.extend_from_slice(suffix);
        Oid::from_slice(&v)
    }

    /// The arcs after `prefix`, if `self` starts with it.
    pub fn suffix_after(&self, prefix: &Oid) -> Option<&[u32]> {
        self.as_slice().strip_prefix(prefix.as_slice())
    }
}

/// Checks the rules every OID must meet to be encodable.
fn validate(arcs: &[u32]) -> Result<(), OidError> {
    match arcs.len() {
        0 => return Err(OidError::Empty),
        n if n > MAX_ARCS => return Err(OidError::TooLong(n)),
        _ => {}
    }
    let first = arcs[0];
    let second = arcs.get(1).copied().unwrap_or(0);
    if first > 2 || (first < 2 && second >= 40) {
        return Err(OidError::BadPrefix(first, second));
    }
    Ok(())
}

impl Deref for Oid {
    type Target = [u32];
    fn deref(&self) -> &[u32] {
        self.as_slice()
    }
}

impl PartialEq for Oid {
    fn eq(&self, other: &Oid) -> bool {
        self.as_slice() == other.as_slice()
    }
}
impl Eq for Oid {}

impl PartialOrd for Oid {
    fn partial_cmp(&self, other: &Oid) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Oid {
    /// Lexicographic by arc, shorter prefix first: the SNMP "lexicographic order" (RFC 3416 §4.2.2).
    fn cmp(&self, other: &Oid) -> Ordering {
        self.as_slice().cmp(other.as_slice())
    }
}

impl Hash for Oid {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state)
    }
}

impl fmt::Display for Oid {
    /// Numeric dotted form without a leading dot, e.g. `1.3.6.1.2.1.1.1.0`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.as_slice().iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{a}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Oid({self})")
    }
}

impl FromStr for Oid {
    type Err = OidError;
    /// Parses `1.3.6.1`, `.1.3.6.1` (Net-SNMP's absolute form) and surrounding whitespace.
    fn from_str(s: &str) -> Result<Oid, OidError> {
        let t = s.trim();
        let t = t.strip_prefix('.').unwrap_or(t);
        let bad = || OidError::BadText(s.to_string());
        if t.is_empty() {
            return Err(bad());
        }
        let mut arcs = Vec::with_capacity(16);
        for part in t.split('.') {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            arcs.push(part.parse::<u32>().map_err(|_| bad())?);
            if arcs.len() > MAX_ARCS {
                return Err(OidError::TooLong(arcs.len()));
            }
        }
        Oid::from_slice(&arcs)
    }
}

impl TryFrom<&[u32]> for Oid {
    type Error = OidError;
    fn try_from(arcs: &[u32]) -> Result<Oid, OidError> {
        Oid::from_slice(arcs)
    }
}

impl<const N: usize> TryFrom<[u32; N]> for Oid {
    type Error = OidError;
    fn try_from(arcs: [u32; N]) -> Result<Oid, OidError> {
        Oid::from_slice(&arcs)
    }
}

impl TryFrom<&str> for Oid {
    type Error = OidError;
    fn try_from(s: &str) -> Result<Oid, OidError> {
        s.parse()
    }
}

/// Builds an [`Oid`] from literal arcs, panicking on an invalid literal (for constants in code and tests).
#[macro_export]
macro_rules! oid {
    ($($arc:expr),+ $(,)?) => {
        $crate::Oid::from_slice(&[$($arc as u32),+]).expect("invalid OID literal")
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_print() {
        let o: Oid = ".1.3.6.1.2.1.1.1.0".parse().unwrap();
        assert_eq!(o.as_slice(), &[1, 3, 6, 1, 2, 1, 1, 1, 0]);
        assert_eq!(o.to_string(), "1.3.6.1.2.1.1.1.0");
        assert_eq!("1.3.6".parse::<Oid>().unwrap(), oid!(1, 3, 6));
        assert_eq!("2.999.4294967295".parse::<Oid>().unwrap().len(), 3);
    }

    #[test]
    fn rejects_bad_text() {
        for s in [
            "",
            ".",
            "1..3",
            "1.3.",
            "a.b",
            "1.3.-1",
            "1.3.4294967296",
            "3.1",
            "1.40",
            " 1. 3",
        ] {
            assert!(s.parse::<Oid>().is_err(), "{s:?} should be rejected");
        }
        let long = vec!["1"; 129].join(".");
        assert_eq!(long.parse::<Oid>(), Err(OidError::TooLong(129)));
        let ok = vec!["1"; 128].join(".");
        assert_eq!(ok.parse::<Oid>().unwrap().len(), 128);
    }

    #[test]
    fn order_and_prefix() {
        let a = oid!(1, 3, 6, 1, 2);
        let b = oid!(1, 3, 6, 1, 2, 0);
        let c = oid!(1, 3, 6, 1, 10);
        assert!(a < b && b < c);
        assert!(b.starts_with(&a) && !c.starts_with(&a));
        assert_eq!(b.suffix_after(&a), Some(&[0u32][..]));
    }

    #[test]
    fn inline_and_heap_agree() {
        let arcs: Vec<u32> = (0..60).map(|i| if i == 0 { 1 } else { i }).collect();
        let big = Oid::from_slice(&arcs).unwrap();
        assert!(matches!(big.repr, Repr::Heap(_)));
        let small = Oid::from_slice(&arcs[..10]).unwrap();
        assert!(matches!(small.repr, Repr::Inline { .. }));
        assert!(big.starts_with(&small));
        assert_eq!(big.clone(), big);
    }
}
