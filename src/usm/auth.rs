//! Message authentication: HMAC-MD5-96 and HMAC-SHA-96 (RFC 3414 §6, §7)
//! and HMAC-SHA-2 (RFC 7860 §4).
#![forbid(unsafe_code)]

use std::fmt;

use hmac::{Hmac, Mac};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::error::UsmError;
use super::keys::LocalizedKey;
use super::protocol::AuthProtocol;

/// Zero octets standing in for the MAC field while verifying (the longest
/// MAC is SHA-512's 48 octets).
const ZEROS: [u8; 48] = [0; 48];

/// The keyed HMAC state: the inner and outer hash states after absorbing
/// `K ^ ipad` and `K ^ opad` (RFC 2104 §2). Cloning it per message saves
/// re-keying (two compression-function calls) on every packet.
#[derive(Clone)]
enum HmacState {
    Md5(Hmac<md5::Md5>),
    Sha1(Hmac<sha1::Sha1>),
    Sha224(Hmac<sha2::Sha224>),
    Sha256(Hmac<sha2::Sha256>),
    Sha384(Hmac<sha2::Sha384>),
    Sha512(Hmac<sha2::Sha512>),
}

impl HmacState {
    fn new(auth: AuthProtocol, key: &[u8]) -> Result<Self, UsmError> {
        let bad = |_| UsmError::BadKeyLength {
            expected: auth.key_len(),
            actual: key.len(),
        };
        Ok(match auth {
            AuthProtocol::Md5 => HmacState::Md5(Mac::new_from_slice(key).map_err(bad)?),
            AuthProtocol::Sha1 => HmacState::Sha1(Mac::new_from_slice(key).map_err(bad)?),
            AuthProtocol::Sha224 => HmacState::Sha224(Mac::new_from_slice(key).map_err(bad)?),
            AuthProtocol::Sha256 => HmacState::Sha256(Mac::new_from_slice(key).map_err(bad)?),
            AuthProtocol::Sha384 => HmacState::Sha384(Mac::new_from_slice(key).map_err(bad)?),
            AuthProtocol::Sha512 => HmacState::Sha512(Mac::new_from_slice(key).map_err(bad)?),
        })
    }

    /// A state keyed with all-zero octets, used to overwrite a real one.
    fn blank(auth: AuthProtocol) -> Self {
        match auth {
            AuthProtocol::Md5 => HmacState::Md5(zero_keyed()),
            AuthProtocol::Sha1 => HmacState::Sha1(zero_keyed()),
            AuthProtocol::Sha224 => HmacState::Sha224(zero_keyed()),
            AuthProtocol::Sha256 => HmacState::Sha256(zero_keyed()),
            AuthProtocol::Sha384 => HmacState::Sha384(zero_keyed()),
            AuthProtocol::Sha512 => HmacState::Sha512(zero_keyed()),
        }
    }
}

/// A user's authentication key at one engine, ready to sign and verify:
/// the localized key plus its precomputed HMAC state.
///
/// Thread-safety: shareable (`Send + Sync`); `sign`/`verify` take `&self`
/// and clone the keyed state per message, so one `AuthKey` (typically in
/// an `Arc`) serves any number of threads at once.
///
/// Wiping: the localized key is zeroized on drop. RustCrypto's 0.10 hash
/// cores do not implement `Zeroize`, so the keyed HMAC state (which is as
/// good as the key for forging MACs) is overwritten with a zero-keyed
/// state on drop and on [`Zeroize::zeroize`] instead: best effort, not a
/// volatile wipe; per-message clones on the stack are not wiped.
pub struct AuthKey {
    key: LocalizedKey,
    state: HmacState,
}

impl AuthKey {
    /// Prepares `key` for signing and verifying.
    pub fn new(key: LocalizedKey) -> Result<Self, UsmError> {
        let state = HmacState::new(key.protocol(), key.as_bytes())?;
        Ok(AuthKey { key, state })
    }

    /// From localized key octets (Net-SNMP `-3k`); exactly
    /// `auth.key_len()` octets.
    pub fn from_bytes(auth: AuthProtocol, bytes: &[u8]) -> Result<Self, UsmError> {
        AuthKey::new(LocalizedKey::from_bytes(auth, bytes)?)
    }

    /// The authentication protocol.
    pub fn protocol(&self) -> AuthProtocol {
        self.key.protocol()
    }

    /// Octets of MAC this key writes and expects (see
    /// [`AuthProtocol::mac_len`]).
    pub fn mac_len(&self) -> usize {
        self.key.protocol().mac_len()
    }

    /// The localized key this was made from.
    pub fn localized_key(&self) -> &LocalizedKey {
        &self.key
    }

    /// Signs an outgoing message in place (RFC 3414 §6.3.1, §7.3.1; RFC
    /// 7860 §4.2.1): `whole_message` is the complete serialized
    /// SNMPv3 message whose msgAuthenticationParameters value occupies
    /// `mac_len()` octets at `mac_offset`. Those octets are set to zero
    /// (step 1), the HMAC is computed over the whole message (step 2) and
    /// its first `mac_len()` octets are written there (step 3).
    pub fn sign(&self, whole_message: &mut [u8], mac_offset: usize) -> Result<(), UsmError> {
        let len = self.mac_len();
        let end = field_end(whole_message.len(), mac_offset, len)?;
        let field = mac_offset..end;
        whole_message[field.clone()].fill(0);
        match &self.state {
            HmacState::Md5(s) => sign_with(s, whole_message, field),
            HmacState::Sha1(s) => sign_with(s, whole_message, field),
            HmacState::Sha224(s) => sign_with(s, whole_message, field),
            HmacState::Sha256(s) => sign_with(s, whole_message, field),
            HmacState::Sha384(s) => sign_with(s, whole_message, field),
            HmacState::Sha512(s) => sign_with(s, whole_message, field),
        }
        Ok(())
    }

    /// Verifies an incoming message (RFC 3414 §6.3.2, §7.3.2; RFC 7860
    /// §4.2.2). `mac_len_in_msg` is the length of the received
    /// msgAuthenticationParameters at `mac_offset`.
    ///
    /// * Step 1: a MAC of any other length than `mac_len()` fails with
    ///   [`UsmError::WrongMacLength`] (this includes an empty one).
    /// * Steps 2-4: the MAC is recomputed over the message with the MAC
    ///   field taken as zeros, and compared with the received one in
    ///   constant time (`hmac`'s `verify_truncated_left`, built on
    ///   `subtle`); a mismatch is [`UsmError::AuthenticationFailed`].
    ///
    /// The RFC's "copy the message and zero the field" is done without a
    /// copy: the hash absorbs the bytes before the field, zeros, then the
    /// bytes after it, which is the same input.
    pub fn verify(
        &self,
        whole_message: &[u8],
        mac_offset: usize,
        mac_len_in_msg: usize,
    ) -> Result<(), UsmError> {
        let len = self.mac_len();
        if mac_len_in_msg != len {
            return Err(UsmError::WrongMacLength {
                expected: len,
                actual: mac_len_in_msg,
            });
        }
        let end = field_end(whole_message.len(), mac_offset, len)?;
        let field = mac_offset..end;
        let ok = match &self.state {
            HmacState::Md5(s) => verify_with(s, whole_message, field),
            HmacState::Sha1(s) => verify_with(s, whole_message, field),
            HmacState::Sha224(s) => verify_with(s, whole_message, field),
            HmacState::Sha256(s) => verify_with(s, whole_message, field),
            HmacState::Sha384(s) => verify_with(s, whole_message, field),
            HmacState::Sha512(s) => verify_with(s, whole_message, field),
        };
        if ok {
            Ok(())
        } else {
            Err(UsmError::AuthenticationFailed)
        }
    }
}

/// An HMAC keyed with a block of zero octets.
fn zero_keyed<M: hmac::digest::KeyInit>() -> M {
    M::new(&Default::default())
}

fn field_end(msg_len: usize, offset: usize, len: usize) -> Result<usize, UsmError> {
    match offset.checked_add(len) {
        Some(end) if end <= msg_len => Ok(end),
        _ => Err(UsmError::MacOutOfBounds),
    }
}

fn sign_with<M: Mac + Clone>(state: &M, msg: &mut [u8], field: std::ops::Range<usize>) {
    let mut m = state.clone();
    m.update(msg);
    let tag = m.finalize().into_bytes();
    let n = field.len();
    msg[field].copy_from_slice(&tag[..n]);
}

fn verify_with<M: Mac + Clone>(state: &M, msg: &[u8], field: std::ops::Range<usize>) -> bool {
    let mut m = state.clone();
    m.update(&msg[..field.start]);
    m.update(&ZEROS[..field.len()]);
    m.update(&msg[field.end..]);
    m.verify_truncated_left(&msg[field]).is_ok()
}

/// Signs `whole_message` in place with `key`; see [`AuthKey::sign`].
pub fn sign(key: &AuthKey, whole_message: &mut [u8], mac_offset: usize) -> Result<(), UsmError> {
    key.sign(whole_message, mac_offset)
}

/// Verifies `whole_message` with `key`; see [`AuthKey::verify`].
pub fn verify(
    key: &AuthKey,
    whole_message: &[u8],
    mac_offset: usize,
    mac_len_in_msg: usize,
) -> Result<(), UsmError> {
    key.verify(whole_message, mac_offset, mac_len_in_msg)
}

impl Clone for AuthKey {
    fn clone(&self) -> Self {
        AuthKey {
            key: self.key.clone(),
            state: self.state.clone(),
        }
    }
}

impl Zeroize for AuthKey {
    fn zeroize(&mut self) {
        let auth = self.key.protocol();
        self.key.zeroize();
        self.state = HmacState::blank(auth);
        // Keep the overwrite from being optimized away.
        std::hint::black_box(&mut self.state);
    }
}

impl Drop for AuthKey {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl ZeroizeOnDrop for AuthKey {}

impl fmt::Debug for AuthKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthKey")
            .field("protocol", &self.protocol())
            .field("key", &format_args!("<redacted>"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::super::keys::tests::MAPLESYRUP;
    use super::super::testutil::{assert_no_secret, hex, unhex};
    use super::*;

    const OFF: usize = 40;

    fn key(auth: AuthProtocol) -> AuthKey {
        let kul = MAPLESYRUP.iter().find(|v| v.0 == auth).unwrap().2;
        AuthKey::from_bytes(auth, &unhex(kul)).unwrap()
    }

    /// `(i*7+1) mod 256` for 100 octets, with `mac_len` zeros at `OFF`.
    fn message(auth: AuthProtocol) -> Vec<u8> {
        let mut m: Vec<u8> = (0..100u32).map(|i| (i * 7 + 1) as u8).collect();
        m[OFF..OFF + auth.mac_len()].fill(0);
        m
    }

    /// HMAC known answers over `message()` with the "maplesyrup" localized
    /// keys, computed with Python's `hmac` + `hashlib` modules
    /// (`hmac.new(kul, msg, hashlib.<alg>).digest()[:mac_len]`).
    const HMAC_KAT: [(AuthProtocol, &str); 6] = [
        (AuthProtocol::Md5, "a65b114a1e4c95d453ac53db"),
        (AuthProtocol::Sha1, "ffcd379e79677ca6913e9179"),
        (AuthProtocol::Sha224, "6fd6952d8f7e961663628303986a9bbc"),
        (
            AuthProtocol::Sha256,
            "662722f6bc50eb68f2e49fcdb3eff4a5364847e7df57ccdc",
        ),
        (
            AuthProtocol::Sha384,
            "8d82469d14e1a5f3a245112ecca53a5c8781ff05211e4bc2afb897e319b39048",
        ),
        (
            AuthProtocol::Sha512,
            "538168e21e35c1848aa714028cbcd0354380c76dc8154decf99d4a079d300b0a\
             799ab598e93ba39b73e746cbe7ae5a0b",
        ),
    ];

    #[test]
    fn sign_matches_python_hmac() {
        for (auth, want) in HMAC_KAT {
            let k = key(auth);
            let mut m = message(auth);
            k.sign(&mut m, OFF).unwrap();
            assert_eq!(hex(&m[OFF..OFF + auth.mac_len()]), want, "{auth}");
            // Only the MAC field changed.
            let orig = message(auth);
            assert_eq!(m[..OFF], orig[..OFF]);
            assert_eq!(m[OFF + auth.mac_len()..], orig[OFF + auth.mac_len()..]);
        }
    }

    #[test]
    fn sign_then_verify_round_trips_and_ignores_placeholder_contents() {
        for auth in AuthProtocol::ALL {
            let k = key(auth);
            let mut a = message(auth);
            k.sign(&mut a, OFF).unwrap();
            assert_eq!(verify(&k, &a, OFF, auth.mac_len()), Ok(()), "{auth}");
            // Garbage in the placeholder does not change the MAC.
            let mut b = message(auth);
            b[OFF..OFF + auth.mac_len()].fill(0xA5);
            sign(&k, &mut b, OFF).unwrap();
            assert_eq!(a, b);
        }
    }

    #[test]
    fn every_flipped_byte_fails_verification() {
        for auth in AuthProtocol::ALL {
            let k = key(auth);
            let mut m = message(auth);
            k.sign(&mut m, OFF).unwrap();
            for i in 0..m.len() {
                let mut bad = m.clone();
                bad[i] ^= 0xFF;
                assert_eq!(
                    k.verify(&bad, OFF, auth.mac_len()),
                    Err(UsmError::AuthenticationFailed),
                    "{auth} byte {i}"
                );
                let mut bad = m.clone();
                bad[i] ^= 0x01;
                assert!(
                    k.verify(&bad, OFF, auth.mac_len()).is_err(),
                    "{auth} bit {i}"
                );
            }
            // A truncated or extended message fails too.
            assert!(k.verify(&m[..m.len() - 1], OFF, auth.mac_len()).is_err());
            let mut longer = m.clone();
            longer.push(0);
            assert!(k.verify(&longer, OFF, auth.mac_len()).is_err());
        }
    }

    #[test]
    fn wrong_mac_lengths_are_rejected_before_hashing() {
        for auth in AuthProtocol::ALL {
            let k = key(auth);
            let mut m = message(auth);
            k.sign(&mut m, OFF).unwrap();
            let n = auth.mac_len();
            for bad in [0, 1, n - 1, n + 1, 12, 64] {
                if bad == n {
                    continue;
                }
                assert_eq!(
                    k.verify(&m, OFF, bad),
                    Err(UsmError::WrongMacLength {
                        expected: n,
                        actual: bad
                    }),
                    "{auth} {bad}"
                );
            }
        }
    }

    #[test]
    fn mac_field_must_lie_inside_the_message() {
        let k = key(AuthProtocol::Sha1);
        let mut m = vec![0u8; 20];
        assert_eq!(k.sign(&mut m, 9), Err(UsmError::MacOutOfBounds));
        assert_eq!(k.sign(&mut m, usize::MAX), Err(UsmError::MacOutOfBounds));
        assert_eq!(k.verify(&m, 9, 12), Err(UsmError::MacOutOfBounds));
        assert_eq!(k.verify(&m, usize::MAX, 12), Err(UsmError::MacOutOfBounds));
        assert!(k.sign(&mut m, 8).is_ok());
        assert!(k.verify(&m, 8, 12).is_ok());
    }

    #[test]
    fn another_key_or_protocol_fails() {
        let k = key(AuthProtocol::Sha256);
        let mut m = message(AuthProtocol::Sha256);
        k.sign(&mut m, OFF).unwrap();
        let mut other = unhex(MAPLESYRUP[3].2);
        other[0] ^= 1;
        let k2 = AuthKey::from_bytes(AuthProtocol::Sha256, &other).unwrap();
        assert_eq!(k2.verify(&m, OFF, 24), Err(UsmError::AuthenticationFailed));
        // A SHA-1 key checking a SHA-256 MAC: wrong length first.
        assert!(key(AuthProtocol::Sha1).verify(&m, OFF, 24).is_err());
    }

    #[test]
    fn zeroize_and_debug() {
        let k = key(AuthProtocol::Sha512);
        let secret = k.localized_key().as_bytes().to_vec();
        assert_no_secret(&format!("{k:?}"), &secret);
        assert!(format!("{k:?}").contains("<redacted>"));
        let mut k2 = k.clone();
        k2.zeroize();
        assert!(k2.localized_key().as_bytes().is_empty());
        // The overwritten state no longer produces the old MACs.
        let mut m = message(AuthProtocol::Sha512);
        k.sign(&mut m, OFF).unwrap();
        assert!(k2.verify(&m, OFF, 48).is_err());
    }

    #[test]
    fn auth_key_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<AuthKey>();
    }
}
