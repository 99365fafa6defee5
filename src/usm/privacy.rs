//! Privacy: CBC-DES (RFC 3414 §8), AES-CFB128 (RFC 3826 §3, and the
//! AES-192/256 drafts) and 3DES-EDE-CBC (draft-reeder-snmpv3-usm-3desede-00
//! §5), plus the salt counter every encryption needs.
#![forbid(unsafe_code)]

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use cbc::cipher::consts::{U16, U8};
use cbc::cipher::generic_array::GenericArray;
use cbc::cipher::{
    AsyncStreamCipher, BlockCipher, BlockDecryptMut, BlockEncryptMut, BlockSizeUser, InnerIvInit,
    KeyInit,
};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::digest::KeyBuf;
use super::error::UsmError;
use super::keys::{localize, priv_key_material, LocalizedKey, MasterKey};
use super::protocol::{AuthProtocol, PrivProtocol};

/// A keyed block cipher, scheduled once per key and cloned per message.
#[derive(Clone)]
enum CipherState {
    Des(des::Des),
    Aes128(aes::Aes128),
    Aes192(aes::Aes192),
    Aes256(aes::Aes256),
    TripleDes(des::TdesEde3),
}

impl CipherState {
    fn new(privp: PrivProtocol, key: &[u8]) -> Result<Self, UsmError> {
        let bad = |_| UsmError::BadKeyLength {
            expected: privp.cipher_key_len(),
            actual: key.len(),
        };
        Ok(match privp {
            PrivProtocol::Des => CipherState::Des(des::Des::new_from_slice(key).map_err(bad)?),
            PrivProtocol::Aes128 => {
                CipherState::Aes128(aes::Aes128::new_from_slice(key).map_err(bad)?)
            }
            PrivProtocol::Aes192 | PrivProtocol::Aes192C => {
                CipherState::Aes192(aes::Aes192::new_from_slice(key).map_err(bad)?)
            }
            PrivProtocol::Aes256 | PrivProtocol::Aes256C => {
                CipherState::Aes256(aes::Aes256::new_from_slice(key).map_err(bad)?)
            }
            PrivProtocol::TripleDes => {
                CipherState::TripleDes(des::TdesEde3::new_from_slice(key).map_err(bad)?)
            }
        })
    }
}

/// A user's privacy key at one engine: exactly
/// [`PrivProtocol::key_material_len`] octets of (extended) localized key
/// material and the cipher keyed from it.
///
/// Layout (RFC 3414 §8.1.1.1; RFC 3826 §3.1.2.1; Reeder draft §5.1.1.1):
/// DES uses octets 0..8 as the key and 8..16 as the pre-IV; 3DES uses
/// 0..24 as K1|K2|K3 and 24..32 as the pre-IV; AES uses all of them as
/// the key.
///
/// Thread-safety: shareable (`Send + Sync`); encryption clones the keyed
/// cipher per message. Wiped on drop: the material by `zeroize`, the key
/// schedules by the `aes`/`des` crates' `zeroize` feature.
#[derive(Clone)]
pub struct PrivKey {
    protocol: PrivProtocol,
    material: KeyBuf,
    cipher: CipherState,
}

impl PrivKey {
    /// From final key material (already extended): exactly
    /// `privp.key_material_len()` octets.
    pub fn from_bytes(privp: PrivProtocol, material: &[u8]) -> Result<Self, UsmError> {
        let need = privp.key_material_len();
        if material.len() != need {
            return Err(UsmError::BadKeyLength {
                expected: need,
                actual: material.len(),
            });
        }
        PrivKey::from_keybuf(privp, KeyBuf::from_slice(material)?)
    }

    fn from_keybuf(privp: PrivProtocol, material: KeyBuf) -> Result<Self, UsmError> {
        let cipher = CipherState::new(privp, &material.as_slice()[..privp.cipher_key_len()])?;
        Ok(PrivKey {
            protocol: privp,
            material,
            cipher,
        })
    }

    /// From a localized key (the privacy pass phrase localized with the
    /// *authentication* protocol's hash, RFC 3414 §2.6), extended for
    /// `privp` if it is too short (see [`PrivProtocol::key_extension`]);
    /// the Reeder extension needs the same `engine_id`.
    pub fn from_localized(
        privp: PrivProtocol,
        kul: &LocalizedKey,
        engine_id: &[u8],
    ) -> Result<Self, UsmError> {
        let m = priv_key_material(privp, kul.protocol(), engine_id, kul.as_bytes())?;
        PrivKey::from_keybuf(privp, m)
    }

    /// From localized key octets as Net-SNMP takes them (`-3K`,
    /// `usmUser ... localizedPrivKey`): any length of at least 16 octets,
    /// extended with `auth`'s hash like Net-SNMP's `netsnmp_extend_kul`,
    /// then truncated to `privp.key_material_len()`.
    pub fn from_localized_bytes(
        privp: PrivProtocol,
        auth: AuthProtocol,
        engine_id: &[u8],
        kul: &[u8],
    ) -> Result<Self, UsmError> {
        let m = priv_key_material(privp, auth, engine_id, kul)?;
        PrivKey::from_keybuf(privp, m)
    }

    /// From a master key made from the privacy pass phrase with the
    /// authentication protocol's hash: localize, then extend.
    pub fn derive(
        privp: PrivProtocol,
        master: &MasterKey,
        engine_id: &[u8],
    ) -> Result<Self, UsmError> {
        let kul = localize(master.protocol(), master, engine_id)?;
        PrivKey::from_localized(privp, &kul, engine_id)
    }

    /// The privacy protocol.
    pub fn protocol(&self) -> PrivProtocol {
        self.protocol
    }

    /// The key material octets. Handle with care: this is a secret.
    pub fn as_bytes(&self) -> &[u8] {
        self.material.as_slice()
    }

    fn pre_iv(&self) -> [u8; 8] {
        let k = self.protocol.cipher_key_len();
        let mut iv = [0u8; 8];
        if let Some(src) = self.material.as_slice().get(k..k + 8) {
            iv.copy_from_slice(src);
        }
        iv
    }
}

impl Zeroize for PrivKey {
    fn zeroize(&mut self) {
        self.material.zeroize();
        // Replacing the cipher drops (and so wipes) the old key schedule.
        let zeros = [0u8; 32];
        if let Ok(blank) = CipherState::new(self.protocol, &zeros[..self.protocol.cipher_key_len()])
        {
            self.cipher = blank;
        }
    }
}

/// Every field wipes itself on drop (`KeyBuf` and the cipher types).
impl ZeroizeOnDrop for PrivKey {}

impl fmt::Debug for PrivKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivKey")
            .field("protocol", &self.protocol)
            .field("key", &format_args!("<redacted>"))
            .finish()
    }
}

/// The salt for CBC protocols: snmpEngineBoots (4 octets, big-endian)
/// then the low 32 bits of the local counter (RFC 3414 §8.1.1.1; Reeder
/// draft §5.1.1.1).
fn cbc_salt(engine_boots: u32, salt: u64) -> [u8; 8] {
    let mut s = [0u8; 8];
    s[..4].copy_from_slice(&engine_boots.to_be_bytes());
    s[4..].copy_from_slice(&(salt as u32).to_be_bytes());
    s
}

/// The AES IV: snmpEngineBoots || snmpEngineTime || salt, each big-endian
/// (RFC 3826 §3.1.2.1).
fn aes_iv(engine_boots: u32, engine_time: u32, salt: &[u8; 8]) -> [u8; 16] {
    let mut iv = [0u8; 16];
    iv[..4].copy_from_slice(&engine_boots.to_be_bytes());
    iv[4..8].copy_from_slice(&engine_time.to_be_bytes());
    iv[8..].copy_from_slice(salt);
    iv
}

fn xor8(a: [u8; 8], b: &[u8; 8]) -> [u8; 8] {
    let mut out = a;
    for (o, x) in out.iter_mut().zip(b) {
        *o ^= x;
    }
    out
}

fn cbc_encrypt<C>(cipher: &C, iv: [u8; 8], buf: &mut [u8])
where
    C: BlockEncryptMut + BlockCipher + BlockSizeUser<BlockSize = U8> + Clone,
{
    let mut enc = cbc::Encryptor::<C>::inner_iv_init(cipher.clone(), &GenericArray::from(iv));
    for block in buf.chunks_exact_mut(8) {
        enc.encrypt_block_mut(GenericArray::from_mut_slice(block));
    }
}

fn cbc_decrypt<C>(cipher: &C, iv: [u8; 8], buf: &mut [u8])
where
    C: BlockDecryptMut + BlockCipher + BlockSizeUser<BlockSize = U8> + Clone,
{
    let mut dec = cbc::Decryptor::<C>::inner_iv_init(cipher.clone(), &GenericArray::from(iv));
    for block in buf.chunks_exact_mut(8) {
        dec.decrypt_block_mut(GenericArray::from_mut_slice(block));
    }
}

fn cfb_encrypt<C>(cipher: &C, iv: [u8; 16], buf: &mut [u8])
where
    C: BlockEncryptMut + BlockCipher + BlockSizeUser<BlockSize = U16> + Clone,
{
    cfb_mode::Encryptor::<C>::inner_iv_init(cipher.clone(), &GenericArray::from(iv)).encrypt(buf);
}

fn cfb_decrypt<C>(cipher: &C, iv: [u8; 16], buf: &mut [u8])
where
    C: BlockEncryptMut + BlockCipher + BlockSizeUser<BlockSize = U16> + Clone,
{
    cfb_mode::Decryptor::<C>::inner_iv_init(cipher.clone(), &GenericArray::from(iv)).decrypt(buf);
}

/// Encrypts a serialized scoped PDU; returns the ciphertext (the value of
/// encryptedPDU) and msgPrivacyParameters (8 octets).
///
/// `engine_boots`/`engine_time` are the values this message carries in
/// msgAuthoritativeEngineBoots/Time; `salt` comes from a [`SaltSource`]
/// and must not repeat under one key.
///
/// * DES (RFC 3414 §8.1.1.1-§8.1.1.2) and 3DES (Reeder draft §5.1.1):
///   salt = boots || low 32 bits of `salt`; IV = pre-IV XOR salt; the
///   plaintext is padded with zero octets to a multiple of 8 (the pad
///   value is irrelevant, §8.1.1.2); CBC.
/// * AES (RFC 3826 §3.1.2.1, §3.1.3): salt = the 64-bit `salt`; IV =
///   boots || time || salt; CFB128, no padding.
pub fn encrypt(
    key: &PrivKey,
    engine_boots: u32,
    engine_time: u32,
    salt: u64,
    plaintext: &[u8],
) -> (Vec<u8>, [u8; 8]) {
    let mut buf = Vec::with_capacity(plaintext.len() + 8);
    buf.extend_from_slice(plaintext);
    let params = encrypt_in_place(key, engine_boots, engine_time, salt, &mut buf);
    (buf, params)
}

/// [`encrypt`] in a caller's buffer: `buf` holds the plaintext on entry
/// (it is padded in place for the CBC protocols) and the ciphertext on
/// return. Returns msgPrivacyParameters.
pub fn encrypt_in_place(
    key: &PrivKey,
    engine_boots: u32,
    engine_time: u32,
    salt: u64,
    buf: &mut Vec<u8>,
) -> [u8; 8] {
    if key.protocol.is_cbc() {
        let params = cbc_salt(engine_boots, salt);
        let iv = xor8(key.pre_iv(), &params);
        // RFC 3414 §8.1.1.2: pad to a multiple of the block size.
        let padded = buf.len().div_ceil(8) * 8;
        buf.resize(padded, 0);
        match &key.cipher {
            CipherState::Des(c) => cbc_encrypt(c, iv, buf),
            CipherState::TripleDes(c) => cbc_encrypt(c, iv, buf),
            _ => {}
        }
        params
    } else {
        let params = salt.to_be_bytes();
        let iv = aes_iv(engine_boots, engine_time, &params);
        match &key.cipher {
            CipherState::Aes128(c) => cfb_encrypt(c, iv, buf),
            CipherState::Aes192(c) => cfb_encrypt(c, iv, buf),
            CipherState::Aes256(c) => cfb_encrypt(c, iv, buf),
            _ => {}
        }
        params
    }
}

/// Decrypts encryptedPDU; the reverse of [`encrypt`]. `engine_boots` and
/// `engine_time` are the message's msgAuthoritativeEngineBoots/Time (only
/// AES uses them), `priv_params` its msgPrivacyParameters.
///
/// Fails with [`UsmError::DecryptionFailed`] when `priv_params` is not 8
/// octets (RFC 3414 §8.3.2 step 1, RFC 3826 §3.3.2 step 1), when the
/// ciphertext is empty, or, for DES/3DES, not a multiple of 8 octets
/// (RFC 3414 §8.3.2 step 2). For the CBC protocols the result keeps the
/// sender's padding: the BER decoder reads the scoped PDU's own length.
pub fn decrypt(
    key: &PrivKey,
    engine_boots: u32,
    engine_time: u32,
    priv_params: &[u8],
    ciphertext: &[u8],
) -> Result<Vec<u8>, UsmError> {
    let mut buf = ciphertext.to_vec();
    decrypt_in_place(key, engine_boots, engine_time, priv_params, &mut buf)?;
    Ok(buf)
}

/// [`decrypt`] in a caller's buffer (ciphertext in, plaintext out).
pub fn decrypt_in_place(
    key: &PrivKey,
    engine_boots: u32,
    engine_time: u32,
    priv_params: &[u8],
    buf: &mut [u8],
) -> Result<(), UsmError> {
    let params: [u8; 8] = priv_params
        .try_into()
        .map_err(|_| UsmError::DecryptionFailed("msgPrivacyParameters is not 8 octets"))?;
    if buf.is_empty() {
        return Err(UsmError::DecryptionFailed("empty encryptedPDU"));
    }
    if key.protocol.is_cbc() {
        if buf.len() % 8 != 0 {
            return Err(UsmError::DecryptionFailed(
                "encryptedPDU length is not a multiple of 8",
            ));
        }
        // RFC 3414 §8.1.1.3: IV = pre-IV XOR salt (the received params).
        let iv = xor8(key.pre_iv(), &params);
        match &key.cipher {
            CipherState::Des(c) => cbc_decrypt(c, iv, buf),
            CipherState::TripleDes(c) => cbc_decrypt(c, iv, buf),
            _ => {}
        }
    } else {
        let iv = aes_iv(engine_boots, engine_time, &params);
        match &key.cipher {
            CipherState::Aes128(c) => cfb_decrypt(c, iv, buf),
            CipherState::Aes192(c) => cfb_decrypt(c, iv, buf),
            CipherState::Aes256(c) => cfb_decrypt(c, iv, buf),
            _ => {}
        }
    }
    Ok(())
}

/// A source of salts (the "local integer" of RFC 3414 §8.1.1.1 and
/// RFC 3826 §3.1.2.1): seeded from the operating system's random source,
/// then incremented atomically so no two messages share one. DES and
/// 3DES use the low 32 bits, AES all 64.
///
/// Thread-safety: shareable; one per runtime (or per key) is enough.
#[derive(Debug)]
pub struct SaltSource {
    next: AtomicU64,
}

impl SaltSource {
    /// A salt source starting at a random value (RFC 3826 §3.1.2.1
    /// recommends a pseudo-random initial value).
    pub fn new() -> Result<Self, UsmError> {
        let mut seed = [0u8; 8];
        getrandom::getrandom(&mut seed).map_err(|_| UsmError::RandomUnavailable)?;
        Ok(SaltSource::from_seed(u64::from_ne_bytes(seed)))
    }

    /// A salt source starting at `seed` (for tests and reproducible runs).
    pub fn from_seed(seed: u64) -> Self {
        SaltSource {
            next: AtomicU64::new(seed),
        }
    }

    /// The next salt; wraps around after 2^64 calls.
    pub fn next_salt(&self) -> u64 {
        self.next.fetch_add(1, Ordering::Relaxed)
    }
}

#[cfg(test)]
#[path = "privacy_tests.rs"]
mod tests;
