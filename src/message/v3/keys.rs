//! A user's keys localized to one authoritative engine.

use std::sync::Arc;

use super::{SecurityLevel, V3Error, MAX_ENGINE_ID_LEN, MAX_USER_NAME_LEN};
use crate::usm::{AuthKey, Credentials, KeyCache, PrivKey};

/// What signing, verifying, encrypting and decrypting messages of one user at one
/// authoritative engine needs: the user name, the engine ID and the keys localized to it
/// (RFC 3414 §2.6). Present for authNoPriv and authPriv; noAuthNoPriv has no keys (`None`
/// where an `Option<&SecurityKeys>` is taken).
///
/// Thread-safety: shareable (`Send + Sync`); cheap to clone (the keys are in `Arc`s and are
/// wiped when the last holder drops them). `Debug` never shows key material.
#[derive(Clone, Debug)]
pub struct SecurityKeys {
    user_name: Vec<u8>,
    engine_id: Vec<u8>,
    auth: Arc<AuthKey>,
    privacy: Option<Arc<PrivKey>>,
}

impl SecurityKeys {
    /// Keys from parts. `privacy` present means authPriv. The engine ID must be 1..=32
    /// octets and the user name at most 32.
    pub fn new(
        user_name: &[u8],
        engine_id: &[u8],
        auth: Arc<AuthKey>,
        privacy: Option<Arc<PrivKey>>,
    ) -> Result<SecurityKeys, V3Error> {
        if user_name.len() > MAX_USER_NAME_LEN {
            return Err(V3Error::Encode("user name longer than 32 octets"));
        }
        if engine_id.is_empty() || engine_id.len() > MAX_ENGINE_ID_LEN {
            return Err(V3Error::Encode("engine ID must be 1..=32 octets"));
        }
        Ok(SecurityKeys {
            user_name: user_name.to_vec(),
            engine_id: engine_id.to_vec(),
            auth,
            privacy,
        })
    }

    /// Derives (or fetches from `cache`) the keys of `user_name` with `creds` at the engine
    /// `engine_id`. `Ok(None)` when the credentials are noAuthNoPriv. The cache belongs to the
    /// caller's runtime: pass phrases are expanded once per cache, localized once per engine.
    pub fn derive(
        cache: &KeyCache,
        user_name: &[u8],
        creds: &Credentials,
        engine_id: &[u8],
    ) -> Result<Option<SecurityKeys>, V3Error> {
        if creds.auth_part().is_none() {
            return Ok(None);
        }
        let k = cache.keys_for(creds, engine_id)?;
        match k.auth {
            Some(auth) => SecurityKeys::new(user_name, engine_id, auth, k.privacy).map(Some),
            None => Ok(None),
        }
    }

    /// The same keys at authNoPriv (a user with a privacy key may send at the lower level
    /// when the agent's access rules allow it).
    pub fn without_privacy(&self) -> SecurityKeys {
        SecurityKeys {
            privacy: None,
            ..self.clone()
        }
    }

    /// authNoPriv or authPriv.
    pub fn level(&self) -> SecurityLevel {
        if self.privacy.is_some() {
            SecurityLevel::AuthPriv
        } else {
            SecurityLevel::AuthNoPriv
        }
    }

    /// The user these keys belong to.
    pub fn user_name(&self) -> &[u8] {
        &self.user_name
    }

    /// The engine the keys are localized to.
    pub fn engine_id(&self) -> &[u8] {
        &self.engine_id
    }

    /// The authentication key.
    pub fn auth(&self) -> &AuthKey {
        &self.auth
    }

    /// The privacy key, for authPriv.
    pub fn privacy(&self) -> Option<&PrivKey> {
        self.privacy.as_deref()
    }
}
