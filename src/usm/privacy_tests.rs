//! Tests of privacy.rs (kept apart to keep both files short).
#![forbid(unsafe_code)]

use std::collections::HashSet;
use std::sync::Arc;

use super::super::keys::password_to_key;
use super::super::testutil::{assert_no_secret, hex, unhex};
use super::*;

const ENGINE: [u8; 12] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
const BOOTS: u32 = 5;
const TIME: u32 = 0xABCD;
const SALT: u64 = 0x0102_0304_0506_0708;

/// `(i*3+5) mod 256` for 37 octets: not a multiple of any block size.
fn plaintext() -> Vec<u8> {
    (0..37u32).map(|i| (i * 3 + 5) as u8).collect()
}

/// Known answers from `openssl enc` (OpenSSL 3.0.19), key material from
/// the "maplesyrup" vectors (keys.rs), boots 5, time 0xABCD, salt
/// 0x0102030405060708, plaintext [`plaintext`]. Produced by a one-off
/// Python script that built each IV as this module documents and ran:
///
/// ```text
/// openssl enc -aes-128-cfb -K 6695febc9288e36282235fc7151f1284 \
///     -iv 000000050000abcd0102030405060708 -nopad
/// openssl enc -aes-192-cfb -K <24-octet material> -iv <same IV> -nopad
/// openssl enc -aes-256-cfb -K <32-octet material> -iv <same IV> -nopad
/// # DES: IV = pre-IV 8964c2930787d82b XOR salt 0000000505060708,
/// # input zero-padded to 40 octets
/// openssl enc -des-cbc -K 526f5eed9fcce26f -iv 8964c2960281df23 -nopad \
///     -provider legacy -provider default
/// openssl enc -des-ede3-cbc \
///     -K 6695febc9288e36282235fc7151f128497b38f3f9b8b6d78 \
///     -iv 936ba6e2d49bfa94 -nopad
/// ```
const OPENSSL_KAT: [(PrivProtocol, AuthProtocol, &str, &str); 7] = [
    (
        PrivProtocol::Des,
        AuthProtocol::Md5,
        "526f5eed9fcce26f8964c2930787d82b",
        "1130851d75f3f7c77cd88570c023a1e6694f0042e691ccb9850c90ddc7cf2fdc60f80c45b5b056ed",
    ),
    (
        PrivProtocol::Aes128,
        AuthProtocol::Sha1,
        "6695febc9288e36282235fc7151f1284",
        "b0e52a6291690aacdbd2a899ace4fb8e435b8d2e10cb547dc9e015d987fe32125d93ab3c12",
    ),
    (
        PrivProtocol::Aes192,
        AuthProtocol::Sha1,
        "6695febc9288e36282235fc7151f128497b38f3f505e07eb",
        "a29519043e99c762e544d40d4c9f30181f967bcef5172ba2faf06a22622c0f75224601d6f6",
    ),
    (
        PrivProtocol::Aes256,
        AuthProtocol::Sha1,
        "6695febc9288e36282235fc7151f128497b38f3f505e07eb9af25568fa1f5dbe",
        "3ed9551f190751199aa5857466512013b3849730f99560c6f03fdeaa4bbcdd2aba94e4767e",
    ),
    (
        PrivProtocol::Aes192C,
        AuthProtocol::Sha1,
        "6695febc9288e36282235fc7151f128497b38f3f9b8b6d78",
        "268a2eecbfa2ce17811a741db35f682e5b52678c64d8b53a1a0faf5db601513b55f09420f4",
    ),
    (
        PrivProtocol::Aes256C,
        AuthProtocol::Sha1,
        "6695febc9288e36282235fc7151f128497b38f3f9b8b6d78936ba6e7d19dfd9c",
        "3706241ab4bae89f46bf4b9f389c90a5431d99fc90a4ccb4c341df055065d76d6fc2f8984c",
    ),
    (
        PrivProtocol::TripleDes,
        AuthProtocol::Sha1,
        "6695febc9288e36282235fc7151f128497b38f3f9b8b6d78936ba6e7d19dfd9c",
        "47cd1c4b8d96e7d3dbacf26ed4f4c53ba4b88bfc61a5366b332fdf18ed4d4309df5d159881905b9b",
    ),
];

#[test]
fn encryption_matches_openssl() {
    for (privp, _, material, want) in OPENSSL_KAT {
        let key = PrivKey::from_bytes(privp, &unhex(material)).unwrap();
        let (ct, params) = encrypt(&key, BOOTS, TIME, SALT, &plaintext());
        assert_eq!(hex(&ct), want, "{privp}");
        let want_params = if privp.is_cbc() {
            "0000000505060708"
        } else {
            "0102030405060708"
        };
        assert_eq!(hex(&params), want_params, "{privp}");
        let pt = decrypt(&key, BOOTS, TIME, &params, &ct).unwrap();
        assert_eq!(pt[..37], plaintext()[..], "{privp}");
        if privp.is_cbc() {
            assert_eq!(pt.len(), 40);
            assert!(pt[37..].iter().all(|&b| b == 0));
        } else {
            assert_eq!(pt.len(), 37);
        }
    }
}

#[test]
fn pass_phrase_to_cipher_end_to_end() {
    // The KAT key material is what the full derivation produces from the
    // pass phrase "maplesyrup" (priv key localized with the auth hash).
    for (privp, auth, material, _) in OPENSSL_KAT {
        let ku = password_to_key(auth, b"maplesyrup").unwrap();
        let key = PrivKey::derive(privp, &ku, &ENGINE).unwrap();
        assert_eq!(hex(key.as_bytes()), material, "{privp}/{auth}");
        assert_eq!(key.protocol(), privp);
    }
}

#[test]
fn round_trip_every_protocol_and_length() {
    let salts = SaltSource::from_seed(u64::MAX - 3);
    for privp in PrivProtocol::ALL {
        let material: Vec<u8> = (0..privp.key_material_len() as u8)
            .map(|b| b ^ 0x5C)
            .collect();
        let key = PrivKey::from_bytes(privp, &material).unwrap();
        for len in 1..70 {
            let pt: Vec<u8> = (0..len).map(|i| (i * 13) as u8).collect();
            let (ct, params) = encrypt(&key, 7, 99, salts.next_salt(), &pt);
            assert_ne!(ct[..len], pt[..], "{privp} {len}");
            if privp.is_cbc() {
                assert_eq!(ct.len() % 8, 0);
            } else {
                assert_eq!(ct.len(), len);
            }
            let back = decrypt(&key, 7, 99, &params, &ct).unwrap();
            assert_eq!(back[..len], pt[..], "{privp} {len}");
        }
    }
}

#[test]
fn in_place_variants_match() {
    let key = PrivKey::from_bytes(PrivProtocol::TripleDes, &[0x42; 32]).unwrap();
    let (ct, params) = encrypt(&key, 1, 2, 3, &plaintext());
    let mut buf = plaintext();
    assert_eq!(encrypt_in_place(&key, 1, 2, 3, &mut buf), params);
    assert_eq!(buf, ct);
    decrypt_in_place(&key, 1, 2, &params, &mut buf).unwrap();
    assert_eq!(buf[..37], plaintext()[..]);
}

#[test]
fn salt_and_engine_clock_change_the_ciphertext() {
    for privp in PrivProtocol::ALL {
        let key = PrivKey::from_bytes(privp, &vec![0x11; privp.key_material_len()]).unwrap();
        let (a, pa) = encrypt(&key, BOOTS, TIME, 1, &plaintext());
        let (b, pb) = encrypt(&key, BOOTS, TIME, 2, &plaintext());
        assert_ne!(a, b, "{privp}");
        assert_ne!(pa, pb);
        let (c, _) = encrypt(&key, BOOTS + 1, TIME, 1, &plaintext());
        assert_ne!(a, c, "{privp}: boots is in the salt/IV");
        if !privp.is_cbc() {
            // AES: the wrong engine time gives the wrong plaintext.
            let wrong = decrypt(&key, BOOTS, TIME + 1, &pa, &a).unwrap();
            assert_ne!(wrong, plaintext());
        }
    }
}

#[test]
fn malformed_input_is_a_decryption_error() {
    for privp in PrivProtocol::ALL {
        let key = PrivKey::from_bytes(privp, &vec![0x22; privp.key_material_len()]).unwrap();
        let (ct, params) = encrypt(&key, BOOTS, TIME, SALT, &plaintext());
        for bad_len in [0usize, 7, 9, 16] {
            let p = vec![0u8; bad_len];
            assert!(
                matches!(
                    decrypt(&key, BOOTS, TIME, &p, &ct),
                    Err(UsmError::DecryptionFailed(_))
                ),
                "{privp} params {bad_len}"
            );
        }
        assert!(matches!(
            decrypt(&key, BOOTS, TIME, &params, &[]),
            Err(UsmError::DecryptionFailed(_))
        ));
        let short = &ct[..ct.len() - 1];
        let r = decrypt(&key, BOOTS, TIME, &params, short);
        if privp.is_cbc() {
            assert_eq!(
                r,
                Err(UsmError::DecryptionFailed(
                    "encryptedPDU length is not a multiple of 8"
                ))
            );
        } else {
            assert!(r.is_ok(), "CFB takes any length");
        }
    }
}

#[test]
fn key_constructors_check_lengths() {
    for privp in PrivProtocol::ALL {
        let n = privp.key_material_len();
        for bad in [0, n - 1, n + 1] {
            assert_eq!(
                PrivKey::from_bytes(privp, &vec![1; bad]).err(),
                Some(UsmError::BadKeyLength {
                    expected: n,
                    actual: bad
                })
            );
        }
    }
    // Net-SNMP -3K style: a 20-octet SHA-1 localized key for AES-256 is
    // extended; for DES it is truncated.
    let k =
        PrivKey::from_localized_bytes(PrivProtocol::Aes256, AuthProtocol::Sha1, &ENGINE, &[3; 20]);
    assert_eq!(k.unwrap().as_bytes().len(), 32);
    let k = PrivKey::from_localized_bytes(PrivProtocol::Des, AuthProtocol::Sha1, &ENGINE, &[3; 20]);
    assert_eq!(k.unwrap().as_bytes(), &[3; 16]);
}

#[test]
fn salt_source_never_repeats_across_threads() {
    let src = Arc::new(SaltSource::new().unwrap());
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let s = Arc::clone(&src);
            std::thread::spawn(move || (0..10_000).map(|_| s.next_salt()).collect::<Vec<_>>())
        })
        .collect();
    let mut all = HashSet::new();
    for h in handles {
        for s in h.join().unwrap() {
            assert!(all.insert(s), "salt repeated");
        }
    }
    assert_eq!(all.len(), 40_000);
    // Wraps instead of panicking.
    let w = SaltSource::from_seed(u64::MAX);
    assert_eq!(w.next_salt(), u64::MAX);
    assert_eq!(w.next_salt(), 0);
}

#[test]
fn debug_is_redacted_and_zeroize_wipes() {
    for privp in PrivProtocol::ALL {
        let material: Vec<u8> = (0..privp.key_material_len() as u8)
            .map(|b| b.wrapping_mul(37) ^ 0xA7)
            .collect();
        let mut key = PrivKey::from_bytes(privp, &material).unwrap();
        let dbg = format!("{key:?} {key:#?}");
        assert!(dbg.contains("<redacted>"));
        assert_no_secret(&dbg, &material);
        let (ct, params) = encrypt(&key, 1, 1, 1, &plaintext());
        key.zeroize();
        assert!(key.as_bytes().is_empty());
        // The cipher was re-keyed, so the old ciphertext no longer opens.
        let pt = decrypt(&key, 1, 1, &params, &ct).unwrap();
        assert_ne!(pt[..37], plaintext()[..], "{privp}");
    }
}

#[test]
fn priv_key_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<PrivKey>();
    check::<SaltSource>();
}
