//! Internal plumbing: a hash chosen at run time by [`AuthProtocol`], and a
//! fixed-capacity, self-wiping buffer for key material.
#![forbid(unsafe_code)]

use sha2::Digest;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::error::UsmError;
use super::protocol::AuthProtocol;

/// Largest key or digest this layer handles: a SHA-512 digest.
pub(super) const MAX_KEY_LEN: usize = 64;

/// Key material of at most [`MAX_KEY_LEN`] octets, inline (no heap copy to
/// forget), wiped on drop. Deliberately neither `Copy` nor `Debug`.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(super) struct KeyBuf {
    bytes: [u8; MAX_KEY_LEN],
    len: u8,
}

impl KeyBuf {
    /// An empty buffer.
    pub(super) const fn new() -> Self {
        KeyBuf {
            bytes: [0; MAX_KEY_LEN],
            len: 0,
        }
    }

    /// A copy of `bytes`, or `BadKeyLength` if it does not fit.
    pub(super) fn from_slice(bytes: &[u8]) -> Result<Self, UsmError> {
        let mut k = KeyBuf::new();
        k.extend(bytes)?;
        Ok(k)
    }

    /// Appends `more`, or fails with `BadKeyLength` if it would not fit.
    pub(super) fn extend(&mut self, more: &[u8]) -> Result<(), UsmError> {
        let len = usize::from(self.len);
        let end = len + more.len();
        if end > MAX_KEY_LEN {
            return Err(UsmError::BadKeyLength {
                expected: MAX_KEY_LEN,
                actual: end,
            });
        }
        self.bytes[len..end].copy_from_slice(more);
        // end <= 64, so it fits in a u8.
        self.len = end as u8;
        Ok(())
    }

    /// Shortens the buffer to `len` octets, wiping what is cut off.
    pub(super) fn truncate(&mut self, len: usize) {
        if len < usize::from(self.len) {
            self.bytes[len..].zeroize();
            self.len = len as u8;
        }
    }

    /// The key octets.
    pub(super) fn as_slice(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// Number of key octets.
    pub(super) fn len(&self) -> usize {
        usize::from(self.len)
    }
}

/// A running hash of the family an [`AuthProtocol`] names.
///
/// Note: RustCrypto's 0.10 hash cores do not implement `Zeroize`, so the
/// internal block buffer of a hasher that absorbed a pass phrase is not
/// wiped; callers keep such hashers on the stack and short-lived.
#[derive(Clone)]
pub(super) enum Hasher {
    Md5(md5::Md5),
    Sha1(sha1::Sha1),
    Sha224(sha2::Sha224),
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
}

impl Hasher {
    /// A fresh hasher for `auth`'s hash function.
    pub(super) fn new(auth: AuthProtocol) -> Self {
        match auth {
            AuthProtocol::Md5 => Hasher::Md5(md5::Md5::new()),
            AuthProtocol::Sha1 => Hasher::Sha1(sha1::Sha1::new()),
            AuthProtocol::Sha224 => Hasher::Sha224(sha2::Sha224::new()),
            AuthProtocol::Sha256 => Hasher::Sha256(sha2::Sha256::new()),
            AuthProtocol::Sha384 => Hasher::Sha384(sha2::Sha384::new()),
            AuthProtocol::Sha512 => Hasher::Sha512(sha2::Sha512::new()),
        }
    }

    /// Absorbs `data`.
    pub(super) fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Md5(h) => h.update(data),
            Hasher::Sha1(h) => h.update(data),
            Hasher::Sha224(h) => h.update(data),
            Hasher::Sha256(h) => h.update(data),
            Hasher::Sha384(h) => h.update(data),
            Hasher::Sha512(h) => h.update(data),
        }
    }

    /// The digest, in a self-wiping buffer.
    pub(super) fn finalize(self) -> KeyBuf {
        let mut out = KeyBuf::new();
        // A digest is at most 64 octets, so `extend` cannot fail; the
        // `let _` keeps this function infallible without a panic path.
        let _ = match self {
            Hasher::Md5(h) => out.extend(&h.finalize()),
            Hasher::Sha1(h) => out.extend(&h.finalize()),
            Hasher::Sha224(h) => out.extend(&h.finalize()),
            Hasher::Sha256(h) => out.extend(&h.finalize()),
            Hasher::Sha384(h) => out.extend(&h.finalize()),
            Hasher::Sha512(h) => out.extend(&h.finalize()),
        };
        out
    }
}

/// `H(part0 || part1 || ...)` with `auth`'s hash function.
pub(super) fn hash(auth: AuthProtocol, parts: &[&[u8]]) -> KeyBuf {
    let mut h = Hasher::new(auth);
    for p in parts {
        h.update(p);
    }
    h.finalize()
}

#[cfg(test)]
mod tests {
    use super::super::testutil::hex;
    use super::*;

    #[test]
    fn digest_lengths_match_key_len() {
        for a in AuthProtocol::ALL {
            assert_eq!(hash(a, &[b"abc"]).len(), a.key_len(), "{a}");
        }
    }

    #[test]
    fn keybuf_rejects_overflow_and_truncates() {
        let mut k = KeyBuf::from_slice(&[7; 60]).unwrap();
        assert!(k.extend(&[1; 5]).is_err());
        assert_eq!(k.len(), 60);
        k.extend(&[1; 4]).unwrap();
        assert_eq!(k.len(), 64);
        k.truncate(3);
        assert_eq!(k.as_slice(), &[7, 7, 7]);
        assert!(KeyBuf::from_slice(&[0; 65]).is_err());
    }

    #[test]
    fn keybuf_zeroize_wipes_every_octet() {
        let mut k = KeyBuf::from_slice(&[0xEE; 64]).unwrap();
        k.zeroize();
        assert_eq!(k.len, 0);
        assert!(k.bytes.iter().all(|&b| b == 0));
        let mut k = KeyBuf::from_slice(&[0xEE; 40]).unwrap();
        k.truncate(10);
        assert!(k.bytes[10..].iter().all(|&b| b == 0));
    }

    #[test]
    fn sha256_of_abc_is_the_fips_vector() {
        // FIPS 180-2 appendix B.1.
        let d = hash(AuthProtocol::Sha256, &[b"a", b"bc"]);
        assert_eq!(
            hex(d.as_slice()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
