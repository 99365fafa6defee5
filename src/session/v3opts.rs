//! The SNMPv3 part of [`SessionBuilder`](super::SessionBuilder): options as given, checked
//! and turned into [`V3Params`] at `open`.

use crate::engine::V3Params;
use crate::error::Error;
use crate::message::v3::{SecurityLevel, MAX_ENGINE_COUNTER, MAX_ENGINE_ID_LEN, MAX_USER_NAME_LEN};
use crate::usm::{
    AuthProtocol, Credentials, KeyCache, MasterKey, Password, PrivProtocol, Secret, SecretBytes,
};

/// A secret as the caller gave it; a pass phrase that is too short is kept as the error and
/// reported at `open` (builder methods cannot fail).
#[derive(Clone, Debug)]
pub(super) enum SecretInput {
    Password(Result<Password, String>),
    Master(SecretBytes),
    Localized(SecretBytes),
}

/// SNMPv3 options collected by the builder. Protocol and level names that do not parse are
/// kept as errors until `open`.
#[derive(Clone, Debug, Default)]
pub(super) struct V3Options {
    pub user: Option<Vec<u8>>,
    pub level: Option<Result<SecurityLevel, String>>,
    pub auth_protocol: Option<Result<AuthProtocol, String>>,
    pub auth_secret: Option<SecretInput>,
    pub priv_protocol: Option<Result<PrivProtocol, String>>,
    pub priv_secret: Option<SecretInput>,
    pub context_name: Vec<u8>,
    pub context_engine_id: Option<Vec<u8>>,
    pub security_engine_id: Option<Vec<u8>>,
    pub boots_time: Option<(u32, u32)>,
}

fn usage(m: impl Into<String>) -> Error {
    Error::Usage(m.into())
}

impl V3Options {
    pub fn password(p: &[u8]) -> SecretInput {
        SecretInput::Password(Password::new(p).map_err(|e| e.to_string()))
    }

    pub fn master(k: &[u8]) -> SecretInput {
        SecretInput::Master(SecretBytes::new(k.to_vec()))
    }

    pub fn localized(k: &[u8]) -> SecretInput {
        SecretInput::Localized(SecretBytes::new(k.to_vec()))
    }

    /// True if any v3 option was given.
    pub fn is_set(&self) -> bool {
        self.user.is_some()
            || self.level.is_some()
            || self.auth_protocol.is_some()
            || self.auth_secret.is_some()
            || self.priv_protocol.is_some()
            || self.priv_secret.is_some()
            || !self.context_name.is_empty()
            || self.context_engine_id.is_some()
            || self.security_engine_id.is_some()
            || self.boots_time.is_some()
    }

    /// Checks everything and expands pass phrases through `keys` (in the caller's thread, so
    /// shard threads only localize).
    pub fn build(&self, keys: &KeyCache) -> Result<V3Params, Error> {
        let user = self
            .user
            .clone()
            .ok_or_else(|| usage("SNMPv3 needs a user name (SessionBuilder::user)"))?;
        if user.len() > MAX_USER_NAME_LEN {
            return Err(usage(
                "SNMPv3 user name longer than 32 octets (RFC 3414 §2.4)",
            ));
        }
        let level = match &self.level {
            Some(l) => Some(l.clone().map_err(usage)?),
            None => None,
        };
        let auth = match (&self.auth_protocol, &self.auth_secret) {
            (None, None) => None,
            (Some(p), Some(s)) => {
                let p = p
                    .clone()
                    .map_err(|e| usage(format!("SNMPv3 auth protocol: {e}")))?;
                Some((p, secret(p, s, "authentication")?))
            }
            (None, Some(_)) => return Err(usage(
                "SNMPv3 authentication secret given without a protocol (e.g. .auth(\"SHA\", ..))",
            )),
            (Some(_), None) => {
                return Err(usage(
                    "SNMPv3 authentication protocol given without a pass phrase or key",
                ))
            }
        };
        let privacy =
            match (&self.priv_protocol, &self.priv_secret) {
                (None, None) => None,
                (Some(p), Some(s)) => {
                    let p = p
                        .clone()
                        .map_err(|e| usage(format!("SNMPv3 privacy protocol: {e}")))?;
                    // The privacy key is derived with the authentication protocol's hash.
                    let hash = auth.as_ref().map_or(AuthProtocol::Md5, |(a, _)| *a);
                    Some((p, secret(hash, s, "privacy")?))
                }
                (None, Some(_)) => return Err(usage(
                    "SNMPv3 privacy secret given without a protocol (e.g. .privacy(\"AES\", ..))",
                )),
                (Some(_), None) => {
                    return Err(usage(
                        "SNMPv3 privacy protocol given without a pass phrase or key",
                    ))
                }
            };
        if privacy.is_some() && auth.is_none() {
            return Err(usage(
                "SNMPv3 privacy needs authentication too: there is no noAuthPriv (RFC 3414 §3.1.1)",
            ));
        }
        let available = match (&auth, &privacy) {
            (None, _) => SecurityLevel::NoAuthNoPriv,
            (Some(_), None) => SecurityLevel::AuthNoPriv,
            (Some(_), Some(_)) => SecurityLevel::AuthPriv,
        };
        let level = level.unwrap_or(available);
        if level > available {
            return Err(usage(format!(
                "SNMPv3 security level {level} needs {} secrets",
                if level == SecurityLevel::AuthPriv {
                    "authentication and privacy"
                } else {
                    "authentication"
                }
            )));
        }
        let creds = match (auth, privacy) {
            (Some((a, asec)), Some((p, psec))) if level == SecurityLevel::AuthPriv => {
                Credentials::auth_priv(a, asec, p, psec)
            }
            (Some((a, asec)), _) if level >= SecurityLevel::AuthNoPriv => {
                Credentials::auth(a, asec)
            }
            _ => Ok(Credentials::none()),
        }
        .map_err(|e| usage(format!("SNMPv3 credentials: {e}")))?;
        // Expand pass phrases now (RFC 3414 A.2, the 1 MiB hash), once per runtime.
        if let Some((a, Secret::Password(pw))) = creds.auth_part() {
            keys.master_key(a, pw.as_bytes())
                .map_err(|e| usage(format!("SNMPv3 authentication pass phrase: {e}")))?;
            if let Some((_, Secret::Password(pp))) = creds.priv_part() {
                keys.master_key(a, pp.as_bytes())
                    .map_err(|e| usage(format!("SNMPv3 privacy pass phrase: {e}")))?;
            }
        }
        for (what, id) in [
            ("security engine ID", &self.security_engine_id),
            ("context engine ID", &self.context_engine_id),
        ] {
            if let Some(id) = id {
                if id.is_empty() || id.len() > MAX_ENGINE_ID_LEN {
                    return Err(usage(format!(
                        "SNMPv3 {what} must be 1..=32 octets (RFC 3411 §5 SnmpEngineID)"
                    )));
                }
            }
        }
        if self.context_name.len() > 32 {
            return Err(usage(
                "SNMPv3 context name longer than 32 octets (RFC 3411 SnmpAdminString)",
            ));
        }
        if let Some((b, t)) = self.boots_time {
            if b > MAX_ENGINE_COUNTER || t > MAX_ENGINE_COUNTER {
                return Err(usage(
                    "SNMPv3 engine boots/time above 2147483647 (RFC 3414 §2.2)",
                ));
            }
        }
        let mut v = V3Params::new(&user, level, creds);
        v.context_name = self.context_name.clone();
        v.context_engine_id = self.context_engine_id.clone();
        v.security_engine_id = self.security_engine_id.clone();
        v.boots_time = self.boots_time;
        Ok(v)
    }
}

fn secret(hash: AuthProtocol, s: &SecretInput, what: &str) -> Result<Secret, Error> {
    match s {
        SecretInput::Password(p) => p
            .clone()
            .map(Secret::Password)
            .map_err(|e| usage(format!("SNMPv3 {what} pass phrase: {e}"))),
        SecretInput::Master(b) => MasterKey::from_bytes(hash, b.as_bytes())
            .map(Secret::Master)
            .map_err(|e| usage(format!("SNMPv3 {what} master key: {e}"))),
        SecretInput::Localized(b) => Ok(Secret::Localized(b.clone())),
    }
}
