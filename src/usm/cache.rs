//! A thread-safe cache of derived keys, so the 1 MiB password expansion
//! (RFC 3414 A.2) runs once per credential set and localization once per
//! credential set and engine.
#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use hmac::{Hmac, Mac};
use parking_lot::Mutex;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::auth::AuthKey;
use super::credentials::{Credentials, Secret};
use super::digest::KeyBuf;
use super::error::UsmError;
use super::keys::{localize, password_to_key, LocalizedKey, MasterKey, MIN_PASSWORD_LEN};
use super::privacy::PrivKey;
use super::protocol::{AuthProtocol, PrivProtocol};

/// A keyed fingerprint of a pass phrase: HMAC-SHA-256 under a random
/// per-cache secret. The cache indexes by this instead of storing pass
/// phrases; without the cache's secret it cannot be tested against a
/// guessed pass phrase.
#[derive(Clone, PartialEq, Eq, Hash, Zeroize, ZeroizeOnDrop)]
struct Fingerprint([u8; 32]);

type MasterId = (AuthProtocol, Fingerprint);
type LocalId = (AuthProtocol, Fingerprint, Vec<u8>);
type PrivId = (PrivProtocol, AuthProtocol, Fingerprint, Vec<u8>);

/// One cache entry, filled at most once. Its own lock lets one thread
/// compute while others wait for that entry only, not for the whole cache.
type Slot<T> = Arc<Mutex<Option<Arc<T>>>>;

#[derive(Default)]
struct Maps {
    master: HashMap<MasterId, Slot<MasterKey>>,
    localized: HashMap<LocalId, Slot<LocalizedKey>>,
    auth: HashMap<LocalId, Slot<AuthKey>>,
    privacy: HashMap<PrivId, Slot<PrivKey>>,
}

/// The keys for one user at one engine, ready for [`super::sign`],
/// [`super::verify`], [`super::encrypt`] and [`super::decrypt`].
#[derive(Clone, Debug, Default)]
pub struct UsmKeys {
    /// The authentication key, absent for noAuthNoPriv.
    pub auth: Option<Arc<AuthKey>>,
    /// The privacy key, absent unless authPriv.
    pub privacy: Option<Arc<PrivKey>>,
}

/// Master keys per (authentication protocol, pass phrase) and localized,
/// authentication and privacy keys per (protocols, pass phrase, engine
/// ID).
///
/// Pass phrases are never stored: entries are indexed by a keyed
/// fingerprint (see `Fingerprint`). Derived keys are held in `Arc`s and
/// wiped when the last holder drops them.
///
/// Thread-safety: shareable (`Send + Sync`). The map lock is held only to
/// find or create an entry; the expensive derivation runs under that
/// entry's own lock, so concurrent requests for the same credential set
/// wait for one derivation and requests for others proceed.
pub struct KeyCache {
    secret: KeyBuf,
    maps: Mutex<Maps>,
    expansions: AtomicU64,
    localizations: AtomicU64,
}

impl KeyCache {
    /// An empty cache with a fresh random fingerprint secret.
    pub fn new() -> Result<Self, UsmError> {
        let mut seed = [0u8; 32];
        getrandom::getrandom(&mut seed).map_err(|_| UsmError::RandomUnavailable)?;
        let secret = KeyBuf::from_slice(&seed)?;
        seed.zeroize();
        Ok(KeyCache {
            secret,
            maps: Mutex::new(Maps::default()),
            expansions: AtomicU64::new(0),
            localizations: AtomicU64::new(0),
        })
    }

    /// How many 1 MiB pass-phrase expansions (RFC 3414 A.2 step 1) this
    /// cache has run. (The Reeder key extension's inner expansion is part
    /// of a privacy-key derivation, cached per engine, and not counted.)
    pub fn expansions(&self) -> u64 {
        self.expansions.load(Ordering::Relaxed)
    }

    /// How many key localizations (RFC 3414 A.2 step 2) this cache has run.
    pub fn localizations(&self) -> u64 {
        self.localizations.load(Ordering::Relaxed)
    }

    /// Drops every cached key (each is wiped once no one else holds it).
    pub fn clear(&self) {
        *self.maps.lock() = Maps::default();
    }

    fn fingerprint(&self, password: &[u8]) -> Fingerprint {
        let mut fp = [0u8; 32];
        // HMAC accepts keys of any length, so this cannot fail; an empty
        // fingerprint on the impossible error would only cost a cache miss.
        if let Ok(mut m) = <Hmac<sha2::Sha256> as Mac>::new_from_slice(self.secret.as_slice()) {
            m.update(password);
            fp.copy_from_slice(&m.finalize().into_bytes());
        }
        Fingerprint(fp)
    }

    fn slot<K: Eq + Hash, T>(
        &self,
        pick: impl FnOnce(&mut Maps) -> &mut HashMap<K, Slot<T>>,
        key: K,
    ) -> Slot<T> {
        let mut maps = self.maps.lock();
        Arc::clone(pick(&mut maps).entry(key).or_default())
    }

    fn fill<T>(
        slot: &Slot<T>,
        make: impl FnOnce() -> Result<T, UsmError>,
    ) -> Result<Arc<T>, UsmError> {
        let mut guard = slot.lock();
        if let Some(v) = guard.as_ref() {
            return Ok(Arc::clone(v));
        }
        let v = Arc::new(make()?);
        *guard = Some(Arc::clone(&v));
        Ok(v)
    }

    fn check(password: &[u8], engine_id: Option<&[u8]>) -> Result<(), UsmError> {
        if password.len() < MIN_PASSWORD_LEN {
            return Err(UsmError::PasswordTooShort);
        }
        if engine_id.is_some_and(<[u8]>::is_empty) {
            return Err(UsmError::EmptyEngineId);
        }
        Ok(())
    }

    /// The master key for `password` under `auth`'s hash, expanding it on
    /// first use only.
    pub fn master_key(
        &self,
        auth: AuthProtocol,
        password: &[u8],
    ) -> Result<Arc<MasterKey>, UsmError> {
        KeyCache::check(password, None)?;
        let slot = self.slot(|m| &mut m.master, (auth, self.fingerprint(password)));
        KeyCache::fill(&slot, || {
            self.expansions.fetch_add(1, Ordering::Relaxed);
            password_to_key(auth, password)
        })
    }

    /// The key for `password` localized to `engine_id` (the user's
    /// authentication key there, and the base of its privacy key when the
    /// privacy pass phrase is this one).
    pub fn localized_key(
        &self,
        auth: AuthProtocol,
        password: &[u8],
        engine_id: &[u8],
    ) -> Result<Arc<LocalizedKey>, UsmError> {
        KeyCache::check(password, Some(engine_id))?;
        let id = (auth, self.fingerprint(password), engine_id.to_vec());
        let slot = self.slot(|m| &mut m.localized, id);
        KeyCache::fill(&slot, || {
            let ku = self.master_key(auth, password)?;
            self.localizations.fetch_add(1, Ordering::Relaxed);
            localize(auth, &ku, engine_id)
        })
    }

    /// The ready-to-use authentication key for `password` at `engine_id`.
    pub fn auth_key(
        &self,
        auth: AuthProtocol,
        password: &[u8],
        engine_id: &[u8],
    ) -> Result<Arc<AuthKey>, UsmError> {
        KeyCache::check(password, Some(engine_id))?;
        let id = (auth, self.fingerprint(password), engine_id.to_vec());
        let slot = self.slot(|m| &mut m.auth, id);
        KeyCache::fill(&slot, || {
            let kul = self.localized_key(auth, password, engine_id)?;
            AuthKey::new((*kul).clone())
        })
    }

    /// The ready-to-use privacy key for privacy pass phrase `password` at
    /// `engine_id`, derived with `auth`'s hash and extended for `privp`.
    pub fn priv_key(
        &self,
        privp: PrivProtocol,
        auth: AuthProtocol,
        password: &[u8],
        engine_id: &[u8],
    ) -> Result<Arc<PrivKey>, UsmError> {
        KeyCache::check(password, Some(engine_id))?;
        let id = (privp, auth, self.fingerprint(password), engine_id.to_vec());
        let slot = self.slot(|m| &mut m.privacy, id);
        KeyCache::fill(&slot, || {
            let kul = self.localized_key(auth, password, engine_id)?;
            PrivKey::from_localized(privp, &kul, engine_id)
        })
    }

    /// All keys `creds` need at `engine_id`. Pass phrases go through the
    /// cache; master and localized keys given directly are cheap to use
    /// and are derived on each call (cache the returned [`UsmKeys`]).
    pub fn keys_for(&self, creds: &Credentials, engine_id: &[u8]) -> Result<UsmKeys, UsmError> {
        let Some((auth, auth_secret)) = creds.auth_part() else {
            return Ok(UsmKeys::default());
        };
        let auth_key = match auth_secret {
            Secret::Password(p) => self.auth_key(auth, p.as_bytes(), engine_id)?,
            Secret::Master(m) => Arc::new(AuthKey::new(localize(auth, m, engine_id)?)?),
            Secret::Localized(b) => Arc::new(AuthKey::from_bytes(auth, b.as_bytes())?),
        };
        let privacy =
            match creds.priv_part() {
                None => None,
                Some((privp, Secret::Password(p))) => {
                    Some(self.priv_key(privp, auth, p.as_bytes(), engine_id)?)
                }
                Some((privp, Secret::Master(m))) => {
                    if m.protocol() != auth {
                        return Err(UsmError::ProtocolMismatch);
                    }
                    Some(Arc::new(PrivKey::derive(privp, m, engine_id)?))
                }
                Some((privp, Secret::Localized(b))) => Some(Arc::new(
                    PrivKey::from_localized_bytes(privp, auth, engine_id, b.as_bytes())?,
                )),
            };
        Ok(UsmKeys {
            auth: Some(auth_key),
            privacy,
        })
    }
}

impl fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyCache")
            .field("expansions", &self.expansions())
            .field("localizations", &self.localizations())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{assert_no_secret, hex};
    use super::*;

    fn engine(i: u32) -> Vec<u8> {
        let mut e = vec![0x80, 0x00, 0x1f, 0x88, 0x04];
        e.extend_from_slice(&i.to_be_bytes());
        e
    }

    #[test]
    fn thousand_engines_one_expansion() {
        let cache = KeyCache::new().unwrap();
        let creds = Credentials::from_passwords(AuthProtocol::Sha1, b"maplesyrup", None).unwrap();
        let mut seen = std::collections::HashSet::new();
        for i in 0..1000 {
            let keys = cache.keys_for(&creds, &engine(i)).unwrap();
            let k = keys.auth.unwrap();
            assert!(seen.insert(hex(k.localized_key().as_bytes())));
            assert!(keys.privacy.is_none());
        }
        assert_eq!(cache.expansions(), 1);
        assert_eq!(cache.localizations(), 1000);
        // Asking again derives nothing new.
        for i in 0..1000 {
            cache.keys_for(&creds, &engine(i)).unwrap();
        }
        assert_eq!(cache.expansions(), 1);
        assert_eq!(cache.localizations(), 1000);
    }

    #[test]
    fn auth_priv_counts_and_sharing() {
        let cache = KeyCache::new().unwrap();
        let two = Credentials::from_passwords(
            AuthProtocol::Sha256,
            b"auth-pass-phrase",
            Some((PrivProtocol::Aes128, b"priv-pass-phrase")),
        )
        .unwrap();
        for i in 0..50 {
            let k = cache.keys_for(&two, &engine(i)).unwrap();
            assert!(k.auth.is_some() && k.privacy.is_some());
        }
        assert_eq!(cache.expansions(), 2);
        assert_eq!(cache.localizations(), 100);
        // The same pass phrase for both halves shares Ku and Kul.
        let same = Credentials::from_passwords(
            AuthProtocol::Md5,
            b"maplesyrup",
            Some((PrivProtocol::Des, b"maplesyrup")),
        )
        .unwrap();
        let k = cache.keys_for(&same, &engine(1)).unwrap();
        assert_eq!(cache.expansions(), 3);
        assert_eq!(cache.localizations(), 101);
        assert_eq!(
            k.auth.unwrap().localized_key().as_bytes(),
            k.privacy.unwrap().as_bytes()
        );
    }

    #[test]
    fn cached_keys_equal_direct_derivation() {
        let cache = KeyCache::new().unwrap();
        let e = [0u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
        let kul = cache
            .localized_key(AuthProtocol::Md5, b"maplesyrup", &e)
            .unwrap();
        assert_eq!(hex(kul.as_bytes()), "526f5eed9fcce26f8964c2930787d82b");
        let p = cache
            .priv_key(PrivProtocol::Aes256C, AuthProtocol::Sha1, b"maplesyrup", &e)
            .unwrap();
        assert_eq!(
            hex(p.as_bytes()),
            "6695febc9288e36282235fc7151f128497b38f3f9b8b6d78936ba6e7d19dfd9c"
        );
        // Different protocols with the same pass phrase are different keys.
        let a = cache.master_key(AuthProtocol::Sha1, b"maplesyrup").unwrap();
        let b = cache
            .master_key(AuthProtocol::Sha224, b"maplesyrup")
            .unwrap();
        assert_ne!(a.as_bytes(), &b.as_bytes()[..20]);
    }

    #[test]
    fn concurrent_first_use_expands_once() {
        let cache = Arc::new(KeyCache::new().unwrap());
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let c = Arc::clone(&cache);
                std::thread::spawn(move || {
                    for i in 0..50 {
                        c.auth_key(AuthProtocol::Sha512, b"shared secret", &engine(i * 8 + t))
                            .unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(cache.expansions(), 1);
        assert_eq!(cache.localizations(), 400);
    }

    #[test]
    fn errors_and_non_password_secrets() {
        let cache = KeyCache::new().unwrap();
        assert_eq!(
            cache.master_key(AuthProtocol::Md5, b"short").err(),
            Some(UsmError::PasswordTooShort)
        );
        assert_eq!(
            cache.auth_key(AuthProtocol::Md5, b"maplesyrup", &[]).err(),
            Some(UsmError::EmptyEngineId)
        );
        assert_eq!(cache.expansions(), 0);
        let ku = password_to_key(AuthProtocol::Sha1, b"maplesyrup").unwrap();
        let creds = Credentials::auth_priv(
            AuthProtocol::Sha1,
            Secret::Master(ku.clone()),
            PrivProtocol::TripleDes,
            Secret::Master(ku),
        )
        .unwrap();
        let e = [0u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
        let k = cache.keys_for(&creds, &e).unwrap();
        assert_eq!(
            hex(k.privacy.unwrap().as_bytes()),
            "6695febc9288e36282235fc7151f128497b38f3f9b8b6d78936ba6e7d19dfd9c"
        );
        assert_eq!(cache.expansions(), 0, "master keys need no expansion");
        assert!(cache
            .keys_for(&Credentials::none(), &e)
            .unwrap()
            .auth
            .is_none());
    }

    #[test]
    fn debug_shows_no_secrets() {
        let cache = KeyCache::new().unwrap();
        let creds = Credentials::from_passwords(
            AuthProtocol::Sha384,
            b"maplesyrup",
            Some((PrivProtocol::Aes256, b"hunter2hunter2")),
        )
        .unwrap();
        let keys = cache.keys_for(&creds, &engine(7)).unwrap();
        let dbg = format!("{cache:?} {keys:?} {keys:#?}");
        assert!(dbg.contains("expansions: 2"), "{dbg}");
        assert_no_secret(&dbg, keys.auth.as_ref().unwrap().localized_key().as_bytes());
        assert_no_secret(&dbg, keys.privacy.as_ref().unwrap().as_bytes());
        assert_no_secret(&dbg, b"maplesyrup");
        assert_no_secret(&dbg, b"hunter2hunter2");
        cache.clear();
        cache.keys_for(&creds, &engine(7)).unwrap();
        assert_eq!(cache.expansions(), 4, "cleared entries are derived again");
    }

    #[test]
    fn cache_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<KeyCache>();
        check::<UsmKeys>();
    }
}
