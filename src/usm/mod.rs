//! SNMPv3 User-based Security Model (USM) cryptography: keys,
//! authentication and privacy (RFC 3414, RFC 3826, RFC 7860 and the
//! AES-192/256 and 3DES drafts Net-SNMP and Cisco implement).
//!
//! Pure functions and small types: nothing here opens a socket or reads a
//! clock. The message layer hands this module serialized bytes, offsets
//! and the engine's boots/time; this module hands back MACs, verdicts,
//! ciphertexts and plaintexts.
//!
//! Flow for one user at one authoritative engine:
//!
//! 1. [`password_to_key`] (RFC 3414 A.2, the 1 MiB hash) gives a
//!    [`MasterKey`]; [`localize`] gives a [`LocalizedKey`] for one engine
//!    ID. [`KeyCache`] does both once per credential set and engine.
//! 2. [`AuthKey`] signs and verifies whole messages in place
//!    ([`sign`], [`verify`]; RFC 3414 §6.3, §7.3; RFC 7860 §4.2).
//! 3. [`PrivKey`] (derived with the authentication protocol's hash, then
//!    extended per [`PrivProtocol::key_extension`]) encrypts and decrypts
//!    scoped PDUs ([`encrypt`], [`decrypt`]; RFC 3414 §8.1, RFC 3826 §3.1)
//!    with salts from a [`SaltSource`].
//!
//! Secrets: every key type wipes itself on drop (`zeroize`), prints as
//! `<redacted>` in `Debug`, and has no `Display`; errors ([`UsmError`])
//! carry no key material; MACs are compared in constant time.
#![forbid(unsafe_code)]

mod auth;
mod cache;
mod credentials;
mod digest;
mod error;
mod keys;
mod privacy;
mod protocol;

pub use auth::{sign, verify, AuthKey};
pub use cache::{KeyCache, UsmKeys};
pub use credentials::{Credentials, Password, Secret, SecretBytes};
pub use error::UsmError;
pub use keys::{localize, password_to_key, LocalizedKey, MasterKey, MIN_PASSWORD_LEN};
pub use privacy::{decrypt, decrypt_in_place, encrypt, encrypt_in_place, PrivKey, SaltSource};
pub use protocol::{AuthProtocol, KeyExtension, PrivProtocol};

/// Helpers shared by the unit tests.
#[cfg(test)]
mod testutil {
    /// Lower-case hex.
    pub(super) fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    /// Hex (whitespace ignored) to bytes.
    pub(super) fn unhex(s: &str) -> Vec<u8> {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// Fails if `text` shows `secret` (or any 4-octet run of it) as hex in
    /// either case, as a Rust byte-list (`[1, 2, ..]`), or as text.
    pub(super) fn assert_no_secret(text: &str, secret: &[u8]) {
        assert!(!secret.is_empty());
        let lower = text.to_ascii_lowercase();
        for w in secret.windows(4.min(secret.len())) {
            assert!(!lower.contains(&hex(w)), "hex of secret in {text}");
        }
        let list = format!("{secret:?}");
        assert!(
            !text.contains(&list[1..list.len() - 1]),
            "byte list in {text}"
        );
        if let Ok(s) = std::str::from_utf8(secret) {
            assert!(!text.contains(s), "secret text in {text}");
        }
    }

    #[test]
    fn assert_no_secret_catches_leaks() {
        let key = [0xde, 0xad, 0xbe, 0xef, 0x01];
        for leak in [
            "k=DEADBEEF01".to_string(),
            format!("{key:?}"),
            "xxdeadbeefxx".to_string(),
        ] {
            let r = std::panic::catch_unwind(|| assert_no_secret(&leak, &key));
            assert!(r.is_err(), "{leak}");
        }
        assert_no_secret("MasterKey { key: <redacted> }", &key);
    }
}
