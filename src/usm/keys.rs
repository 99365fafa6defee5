//! Password-to-key, key localization and privacy-key extension
//! (RFC 3414 §2.6 and appendix A.2; RFC 7860 §4.1;
//! draft-blumenthal-aes-usm-04 §3.1.2.1; draft-reeder-snmpv3-usm-3desede-00
//! §2.1).
#![forbid(unsafe_code)]

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use super::digest::{hash, Hasher, KeyBuf};
use super::error::UsmError;
use super::protocol::{AuthProtocol, KeyExtension, PrivProtocol};

/// Shortest pass phrase accepted: RFC 3414 §11.2 recommends at least 8
/// characters and Net-SNMP refuses shorter ones (`USM_LENGTH_P_MIN`).
pub const MIN_PASSWORD_LEN: usize = 8;

/// Octets of repeated pass phrase hashed into a master key
/// (RFC 3414 A.2.1 step 1: 1,048,576 = 2^20).
const EXPANDED_LEN: usize = 1 << 20;

/// A user's master key Ku: the pass phrase digested by the authentication
/// protocol's hash (RFC 3414 §2.6, A.2). Equivalent to the pass phrase for
/// every engine, so it is wiped on drop and never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct MasterKey {
    #[zeroize(skip)]
    auth: AuthProtocol,
    key: KeyBuf,
}

impl MasterKey {
    /// A master key given as bytes (Net-SNMP `-3m`/`-3M`); it must be
    /// exactly `auth.key_len()` octets.
    pub fn from_bytes(auth: AuthProtocol, bytes: &[u8]) -> Result<Self, UsmError> {
        check_len(auth.key_len(), bytes.len())?;
        Ok(MasterKey {
            auth,
            key: KeyBuf::from_slice(bytes)?,
        })
    }

    /// The authentication protocol (hash) this key was made with.
    pub fn protocol(&self) -> AuthProtocol {
        self.auth
    }

    /// The raw key octets. Handle with care: this is a secret.
    pub fn as_bytes(&self) -> &[u8] {
        self.key.as_slice()
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MasterKey")
            .field("protocol", &self.auth)
            .field("key", &format_args!("<redacted>"))
            .finish()
    }
}

/// A key localized to one authoritative engine, Kul = H(Ku || engineID ||
/// Ku) (RFC 3414 §2.6, A.2.1 step 2). The authentication key of a user at
/// an engine, and the starting point of its privacy key.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct LocalizedKey {
    #[zeroize(skip)]
    auth: AuthProtocol,
    key: KeyBuf,
}

impl LocalizedKey {
    /// A localized authentication key given as bytes (Net-SNMP `-3k`); it
    /// must be exactly `auth.key_len()` octets (RFC 3414 §6.1, §7.1;
    /// RFC 7860 §4.1).
    pub fn from_bytes(auth: AuthProtocol, bytes: &[u8]) -> Result<Self, UsmError> {
        check_len(auth.key_len(), bytes.len())?;
        Ok(LocalizedKey {
            auth,
            key: KeyBuf::from_slice(bytes)?,
        })
    }

    /// The authentication protocol (hash) this key was made with.
    pub fn protocol(&self) -> AuthProtocol {
        self.auth
    }

    /// The raw key octets. Handle with care: this is a secret.
    pub fn as_bytes(&self) -> &[u8] {
        self.key.as_slice()
    }
}

impl fmt::Debug for LocalizedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalizedKey")
            .field("protocol", &self.auth)
            .field("key", &format_args!("<redacted>"))
            .finish()
    }
}

fn check_len(expected: usize, actual: usize) -> Result<(), UsmError> {
    if expected == actual {
        Ok(())
    } else {
        Err(UsmError::BadKeyLength { expected, actual })
    }
}

/// Password-to-key (RFC 3414 A.2.1 for MD5, A.2.2 for SHA-1; RFC 7860
/// §4.1 for SHA-2 with the full digest as key): hash 1,048,576 octets of
/// the pass phrase repeated, giving the master key Ku.
///
/// This is the expensive step (about a millisecond); use
/// [`super::KeyCache`] so it runs once per credential set.
/// Fails with [`UsmError::PasswordTooShort`] below [`MIN_PASSWORD_LEN`]
/// octets (which includes the empty pass phrase).
pub fn password_to_key(auth: AuthProtocol, password: &[u8]) -> Result<MasterKey, UsmError> {
    if password.len() < MIN_PASSWORD_LEN {
        return Err(UsmError::PasswordTooShort);
    }
    Ok(expand(auth, password))
}

/// The RFC 3414 A.2 expansion without the length policy. `input` must not
/// be empty (callers check). Also used by the Reeder key extension, which
/// feeds a localized key through this as if it were a pass phrase.
fn expand(auth: AuthProtocol, input: &[u8]) -> MasterKey {
    let mut h = Hasher::new(auth);
    // Stream the repeated pass phrase through a stack buffer (wiped below)
    // instead of materializing a 1 MiB copy of it.
    let mut block = [0u8; 4096];
    let mut pos = 0usize;
    let mut left = EXPANDED_LEN;
    while left > 0 && !input.is_empty() {
        let n = left.min(block.len());
        for b in &mut block[..n] {
            *b = input[pos];
            pos += 1;
            if pos == input.len() {
                pos = 0;
            }
        }
        h.update(&block[..n]);
        left -= n;
    }
    block.zeroize();
    MasterKey {
        auth,
        key: h.finalize(),
    }
}

/// Key localization (RFC 3414 §2.6, A.2.1 step 2 / A.2.2 step 2; RFC 7860
/// §4.1): Kul = H(Ku || snmpEngineID || Ku), with the hash of `auth`.
///
/// Fails with [`UsmError::ProtocolMismatch`] if `master` was made with
/// another hash and [`UsmError::EmptyEngineId`] for an empty engine ID.
pub fn localize(
    auth: AuthProtocol,
    master: &MasterKey,
    engine_id: &[u8],
) -> Result<LocalizedKey, UsmError> {
    if master.auth != auth {
        return Err(UsmError::ProtocolMismatch);
    }
    if engine_id.is_empty() {
        return Err(UsmError::EmptyEngineId);
    }
    let ku = master.key.as_slice();
    Ok(LocalizedKey {
        auth,
        key: hash(auth, &[ku, engine_id, ku]),
    })
}

/// Turns localized key octets (from [`localize`] with the user's privacy
/// pass phrase, or given directly as Net-SNMP's `-3K`) into exactly
/// `privp.key_material_len()` octets of privacy key material, extending
/// them when they are too short and truncating when too long.
///
/// * No extension (DES, AES-128): the first 16 octets (RFC 3414 §8.1.1.1,
///   RFC 3826 §3.1.2.1).
/// * Blumenthal (AES-192/256), draft-blumenthal-aes-usm-04 §3.1.2.1:
///   `Kul = Kul || H(Kul)` until long enough, each round hashing all the
///   octets so far.
/// * Reeder (AES-192-C/256-C, 3DES), draft-reeder-snmpv3-usm-3desede-00
///   §2.1: `Kul = Kul || localize(P2K(Kul), engineID)` until long enough,
///   where P2K is the 1 MiB expansion above applied to all the octets so
///   far. Cross-checked against Net-SNMP 5.9 `snmplib/keytools.c`
///   (`_kul_extend_reeder`, used for its `-C` AES variants), SNMP4J
///   (`Priv3DES.extendShortKey`) and pysnmp 7 (`AbstractAesReeder`); all
///   agree. With the shortest hash (MD5, 16 octets) one round always
///   suffices, so "all octets so far" equals "the original Kul" in
///   practice.
pub(super) fn priv_key_material(
    privp: PrivProtocol,
    auth: AuthProtocol,
    engine_id: &[u8],
    kul: &[u8],
) -> Result<KeyBuf, UsmError> {
    let need = privp.key_material_len();
    // Refuse degenerate input rather than stretching a handful of octets
    // into a key: nothing real is shorter than an MD5 digest.
    if kul.len() < AuthProtocol::Md5.key_len() {
        return Err(UsmError::BadKeyLength {
            expected: need,
            actual: kul.len(),
        });
    }
    let mut buf = KeyBuf::from_slice(kul)?;
    if buf.len() < need {
        match privp.key_extension() {
            None => {
                return Err(UsmError::BadKeyLength {
                    expected: need,
                    actual: kul.len(),
                });
            }
            Some(KeyExtension::Blumenthal) => {
                while buf.len() < need {
                    let h = hash(auth, &[buf.as_slice()]);
                    let take = h.len().min(need - buf.len());
                    buf.extend(&h.as_slice()[..take])?;
                }
            }
            Some(KeyExtension::Reeder) => {
                if engine_id.is_empty() {
                    return Err(UsmError::EmptyEngineId);
                }
                while buf.len() < need {
                    let ku = expand(auth, buf.as_slice());
                    let more = localize(auth, &ku, engine_id)?;
                    let take = more.key.len().min(need - buf.len());
                    buf.extend(&more.key.as_slice()[..take])?;
                }
            }
        }
    }
    buf.truncate(need);
    Ok(buf)
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::testutil::{hex, unhex};
    use super::*;

    /// RFC 3414 A.3.1 / A.3.2 engine ID.
    const ENGINE: [u8; 12] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];

    /// (protocol, Ku, Kul) for pass phrase "maplesyrup" at [`ENGINE`].
    /// MD5 and SHA-1: RFC 3414 A.3.1 and A.3.2 (published).
    /// SHA-2: RFC 7860 gives no vectors. These were computed with pysnmp
    /// 7.1.30 (`localkey.hash_passphrase` + `localkey.localize_key`, an
    /// independent implementation that also reproduces the RFC 3414
    /// vectors above) and cross-checked with a ten-line Python hashlib
    /// script written from RFC 3414 A.2; both gave identical hex.
    pub(in super::super) const MAPLESYRUP: [(AuthProtocol, &str, &str); 6] = [
        (
            AuthProtocol::Md5,
            "9faf3283884e92834ebc9847d8edd963",
            "526f5eed9fcce26f8964c2930787d82b",
        ),
        (
            AuthProtocol::Sha1,
            "9fb5cc0381497b3793528939ff788d5d79145211",
            "6695febc9288e36282235fc7151f128497b38f3f",
        ),
        (
            AuthProtocol::Sha224,
            "282a5867ee9aac639ad59df9572c7d3ac0fbc13a905b6df07dbbf00b",
            "0bd8827c6e29f8065e08e09237f177e410f69b90e1782be682075674",
        ),
        (
            AuthProtocol::Sha256,
            "ab51014d1e077f6017df2b12bee5f5aa72993177e9bb569c4dff5a4ca0b4afac",
            "8982e0e549e866db361a6b625d84cccc11162d453ee8ce3a6445c2d6776f0f8b",
        ),
        (
            AuthProtocol::Sha384,
            "e06eccdf2c68a06ed034723c9c26e0db3b669e1e2efed49150b55377a2e98f38\
             3c86fb836857444654b287c93f51ff64",
            "3b298f16164a11184279d5432bf169e2d2a48307de02b3d3f7e2b4f36eb6f045\
             5a53689a3937eea07319a633d2ccba78",
        ),
        (
            AuthProtocol::Sha512,
            "7e4396de5aadc77be853819b98c9406265b3a9c37cc3176569847a4e4f6fba63\
             dd3a73d04924d31a63f95a601f9385af6be4ed1b37f87d040f7c6ed6f8d38a91",
            "22a5a36cedfcc085807a128d7bc6c2382167ad6c0dbc5fdff856740f3d84c099\
             ad1ea87a8db096714d9788bd544047c9021e4229ce27e4c0a69250adfcffbb0b",
        ),
    ];

    #[test]
    fn maplesyrup_master_and_localized_keys() {
        for (auth, ku_hex, kul_hex) in MAPLESYRUP {
            let ku = password_to_key(auth, b"maplesyrup").unwrap();
            assert_eq!(hex(ku.as_bytes()), ku_hex, "Ku {auth}");
            assert_eq!(ku.protocol(), auth);
            let kul = localize(auth, &ku, &ENGINE).unwrap();
            assert_eq!(hex(kul.as_bytes()), kul_hex, "Kul {auth}");
            assert_eq!(kul.as_bytes().len(), auth.key_len());
        }
    }

    #[test]
    fn short_and_empty_pass_phrases_are_refused() {
        for pw in [&b""[..], b"a", b"1234567"] {
            assert_eq!(
                password_to_key(AuthProtocol::Sha1, pw).err(),
                Some(UsmError::PasswordTooShort)
            );
        }
        assert!(password_to_key(AuthProtocol::Sha1, b"12345678").is_ok());
    }

    #[test]
    fn long_pass_phrase_wraps_across_blocks() {
        // 5000 octets: longer than the 4096-octet streaming block, and
        // not a divisor of 2^20, so the cycle crosses block boundaries.
        let pw: Vec<u8> = (0..5000u32).map(|i| (i * 7 + 3) as u8).collect();
        let mut naive = Vec::with_capacity(EXPANDED_LEN);
        while naive.len() < EXPANDED_LEN {
            naive.extend_from_slice(&pw);
        }
        naive.truncate(EXPANDED_LEN);
        let want = hash(AuthProtocol::Sha256, &[&naive]);
        let got = password_to_key(AuthProtocol::Sha256, &pw).unwrap();
        assert_eq!(got.as_bytes(), want.as_slice());
    }

    #[test]
    fn localize_checks_protocol_and_engine_id() {
        let ku = MasterKey::from_bytes(AuthProtocol::Md5, &[1; 16]).unwrap();
        assert_eq!(
            localize(AuthProtocol::Sha1, &ku, &ENGINE).err(),
            Some(UsmError::ProtocolMismatch)
        );
        assert_eq!(
            localize(AuthProtocol::Md5, &ku, &[]).err(),
            Some(UsmError::EmptyEngineId)
        );
        // Different engines give different keys (the point of localizing).
        let a = localize(AuthProtocol::Md5, &ku, &ENGINE).unwrap();
        let b = localize(
            AuthProtocol::Md5,
            &ku,
            &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3],
        )
        .unwrap();
        assert_ne!(a.as_bytes(), b.as_bytes());
    }

    #[test]
    fn byte_constructors_check_length() {
        for auth in AuthProtocol::ALL {
            let n = auth.key_len();
            assert!(MasterKey::from_bytes(auth, &vec![9; n]).is_ok());
            assert!(LocalizedKey::from_bytes(auth, &vec![9; n]).is_ok());
            for bad in [0, n - 1, n + 1] {
                let want = Some(UsmError::BadKeyLength {
                    expected: n,
                    actual: bad,
                });
                assert_eq!(MasterKey::from_bytes(auth, &vec![9; bad]).err(), want);
                assert_eq!(LocalizedKey::from_bytes(auth, &vec![9; bad]).err(), want);
            }
        }
    }

    /// Privacy key material from the "maplesyrup" localized keys.
    /// Computed twice, independently, by pysnmp 7.1.30
    /// (`AesBlumenthal192/256` for Blumenthal; `Aes192`/`Aes256`/`Des3`,
    /// its Reeder classes) and by a Python hashlib script written from the
    /// two drafts; the outputs were identical.
    const EXTENDED: [(AuthProtocol, PrivProtocol, &str); 15] = [
        (
            AuthProtocol::Md5,
            PrivProtocol::Aes192,
            "526f5eed9fcce26f8964c2930787d82bfa24a92467426c2f",
        ),
        (
            AuthProtocol::Md5,
            PrivProtocol::Aes256,
            "526f5eed9fcce26f8964c2930787d82bfa24a92467426c2f4b09192be10dfaec",
        ),
        (
            AuthProtocol::Md5,
            PrivProtocol::Aes192C,
            "526f5eed9fcce26f8964c2930787d82b79eff44a90650ee0",
        ),
        (
            AuthProtocol::Md5,
            PrivProtocol::Aes256C,
            "526f5eed9fcce26f8964c2930787d82b79eff44a90650ee0a3a40abfac5acc12",
        ),
        (
            AuthProtocol::Md5,
            PrivProtocol::TripleDes,
            "526f5eed9fcce26f8964c2930787d82b79eff44a90650ee0a3a40abfac5acc12",
        ),
        (
            AuthProtocol::Sha1,
            PrivProtocol::Aes192,
            "6695febc9288e36282235fc7151f128497b38f3f505e07eb",
        ),
        (
            AuthProtocol::Sha1,
            PrivProtocol::Aes256,
            "6695febc9288e36282235fc7151f128497b38f3f505e07eb9af25568fa1f5dbe",
        ),
        (
            AuthProtocol::Sha1,
            PrivProtocol::Aes192C,
            "6695febc9288e36282235fc7151f128497b38f3f9b8b6d78",
        ),
        (
            AuthProtocol::Sha1,
            PrivProtocol::Aes256C,
            "6695febc9288e36282235fc7151f128497b38f3f9b8b6d78936ba6e7d19dfd9c",
        ),
        (
            AuthProtocol::Sha1,
            PrivProtocol::TripleDes,
            "6695febc9288e36282235fc7151f128497b38f3f9b8b6d78936ba6e7d19dfd9c",
        ),
        (
            AuthProtocol::Sha224,
            PrivProtocol::Aes256,
            "0bd8827c6e29f8065e08e09237f177e410f69b90e1782be682075674e82d9bf0",
        ),
        (
            AuthProtocol::Sha224,
            PrivProtocol::Aes256C,
            "0bd8827c6e29f8065e08e09237f177e410f69b90e1782be68207567422c34be4",
        ),
        // No extension needed: plain truncation.
        (
            AuthProtocol::Sha224,
            PrivProtocol::Aes192C,
            "0bd8827c6e29f8065e08e09237f177e410f69b90e1782be6",
        ),
        (
            AuthProtocol::Sha256,
            PrivProtocol::Aes256C,
            "8982e0e549e866db361a6b625d84cccc11162d453ee8ce3a6445c2d6776f0f8b",
        ),
        (
            AuthProtocol::Sha1,
            PrivProtocol::Des,
            "6695febc9288e36282235fc7151f1284",
        ),
    ];

    #[test]
    fn blumenthal_and_reeder_extension_vectors() {
        for (auth, privp, want) in EXTENDED {
            let kul_hex = MAPLESYRUP.iter().find(|v| v.0 == auth).unwrap().2;
            let kul = unhex(kul_hex);
            let got = priv_key_material(privp, auth, &ENGINE, &kul).unwrap();
            assert_eq!(hex(got.as_slice()), want, "{auth}/{privp}");
        }
    }

    #[test]
    fn blumenthal_and_reeder_differ_where_extension_is_needed() {
        for auth in [AuthProtocol::Md5, AuthProtocol::Sha1, AuthProtocol::Sha224] {
            let kul = [0x5au8; 64];
            let kul = &kul[..auth.key_len()];
            let b = priv_key_material(PrivProtocol::Aes256, auth, &ENGINE, kul).unwrap();
            let r = priv_key_material(PrivProtocol::Aes256C, auth, &ENGINE, kul).unwrap();
            assert_eq!(b.as_slice()[..kul.len()], r.as_slice()[..kul.len()]);
            assert_ne!(b.as_slice(), r.as_slice(), "{auth}");
        }
    }

    #[test]
    fn reeder_depends_on_engine_id_and_blumenthal_does_not() {
        let kul = [0x33u8; 20];
        let other = [9u8; 5];
        let r1 = priv_key_material(PrivProtocol::TripleDes, AuthProtocol::Sha1, &ENGINE, &kul);
        let r2 = priv_key_material(PrivProtocol::TripleDes, AuthProtocol::Sha1, &other, &kul);
        assert_ne!(r1.unwrap().as_slice(), r2.unwrap().as_slice());
        let b1 = priv_key_material(PrivProtocol::Aes256, AuthProtocol::Sha1, &ENGINE, &kul);
        let b2 = priv_key_material(PrivProtocol::Aes256, AuthProtocol::Sha1, &other, &kul);
        assert_eq!(b1.unwrap().as_slice(), b2.unwrap().as_slice());
        assert_eq!(
            priv_key_material(PrivProtocol::Aes256C, AuthProtocol::Sha1, &[], &kul).err(),
            Some(UsmError::EmptyEngineId)
        );
    }

    #[test]
    fn too_short_localized_priv_keys_are_refused() {
        let err = priv_key_material(PrivProtocol::Aes128, AuthProtocol::Md5, &ENGINE, &[1; 15]);
        assert!(matches!(err, Err(UsmError::BadKeyLength { .. })));
        let err = priv_key_material(PrivProtocol::Aes256, AuthProtocol::Md5, &ENGINE, &[]);
        assert!(matches!(err, Err(UsmError::BadKeyLength { .. })));
    }

    #[test]
    fn debug_output_is_redacted() {
        let ku = password_to_key(AuthProtocol::Sha256, b"maplesyrup").unwrap();
        let kul = localize(AuthProtocol::Sha256, &ku, &ENGINE).unwrap();
        for (dbg, key) in [
            (format!("{ku:?}"), ku.as_bytes().to_vec()),
            (format!("{kul:?}"), kul.as_bytes().to_vec()),
            (format!("{ku:#?}"), ku.as_bytes().to_vec()),
        ] {
            assert!(dbg.contains("<redacted>"), "{dbg}");
            super::super::testutil::assert_no_secret(&dbg, &key);
        }
    }

    #[test]
    fn zeroize_wipes_key_octets() {
        // The buffer-level wipe (every octet zero) is tested in digest.rs;
        // here: zeroizing a key leaves no key.
        let mut ku = MasterKey::from_bytes(AuthProtocol::Sha1, &[0xAB; 20]).unwrap();
        ku.zeroize();
        assert!(ku.as_bytes().is_empty());
        let mut kul = LocalizedKey::from_bytes(AuthProtocol::Md5, &[0xCD; 16]).unwrap();
        kul.zeroize();
        assert!(kul.as_bytes().is_empty());
    }
}
