//! The SNMPv3 part of `snmpx_config`: user, security level, authentication and privacy
//! secrets, context and engine identity, and their setters.
//!
//! Secrets are copied once from the caller's memory into types that wipe themselves on drop
//! (`Password`, `SecretBytes`) and print as `<redacted>`; no error message carries them.

use super::config::{snmpx_config, with_config};
use super::guard::{slice, text};
use super::result::{snmpx_result, Fail};
use crate::message::v3::{SecurityLevel, MAX_ENGINE_COUNTER, MAX_ENGINE_ID_LEN, MAX_USER_NAME_LEN};
use crate::session::SessionBuilder;
use crate::usm::{AuthProtocol, Password, PrivProtocol, SecretBytes, MIN_PASSWORD_LEN};
use std::ffi::c_char;

/// SNMPv3 security levels (RFC 3411 §5 SnmpSecurityLevel values).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum snmpx_security_level {
    /// noAuthNoPriv.
    SNMPX_SEC_NO_AUTH_NO_PRIV = 1,
    /// authNoPriv.
    SNMPX_SEC_AUTH_NO_PRIV = 2,
    /// authPriv.
    SNMPX_SEC_AUTH_PRIV = 3,
}

/// SNMPv3 authentication protocols (RFC 3414, RFC 7860).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum snmpx_auth_protocol {
    /// HMAC-MD5-96.
    SNMPX_AUTH_MD5 = 1,
    /// HMAC-SHA-96.
    SNMPX_AUTH_SHA1 = 2,
    /// HMAC-SHA-224 (usmHMAC128SHA224AuthProtocol).
    SNMPX_AUTH_SHA224 = 3,
    /// HMAC-SHA-256 (usmHMAC192SHA256AuthProtocol).
    SNMPX_AUTH_SHA256 = 4,
    /// HMAC-SHA-384 (usmHMAC256SHA384AuthProtocol).
    SNMPX_AUTH_SHA384 = 5,
    /// HMAC-SHA-512 (usmHMAC384SHA512AuthProtocol).
    SNMPX_AUTH_SHA512 = 6,
}

/// SNMPv3 privacy protocols (RFC 3414 DES, RFC 3826 AES; "_C" are the Reeder/Cisco
/// key-extension variants of AES-192/256, the others Blumenthal).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum snmpx_priv_protocol {
    /// CBC-DES.
    SNMPX_PRIV_DES = 1,
    /// CFB128-AES-128.
    SNMPX_PRIV_AES128 = 2,
    /// AES-192, Blumenthal key extension.
    SNMPX_PRIV_AES192 = 3,
    /// AES-256, Blumenthal key extension.
    SNMPX_PRIV_AES256 = 4,
    /// AES-192, Reeder key extension (Net-SNMP "AES-192-C").
    SNMPX_PRIV_AES192_C = 5,
    /// AES-256, Reeder key extension (Net-SNMP "AES-256-C").
    SNMPX_PRIV_AES256_C = 6,
    /// 3DES-EDE in CBC mode (draft-reeder-snmpv3-usm-3desede; Net-SNMP "3DES").
    SNMPX_PRIV_3DES = 7,
}

/// A secret in the form the caller gave it. Every variant wipes itself on drop.
#[derive(Clone, Debug)]
pub(crate) enum SecretIn {
    /// A pass phrase (`-A`/`-X`), at least 8 octets.
    Password(Password),
    /// A master key Ku (`-3m`/`-3M`).
    Master(SecretBytes),
    /// A key localized to the agent's engine (`-3k`/`-3K`).
    Localized(SecretBytes),
}

/// SNMPv3 options of a config; `None` keeps the session builder's default.
#[derive(Clone, Debug, Default)]
pub(crate) struct V3Config {
    pub user: Option<Vec<u8>>,
    pub level: Option<SecurityLevel>,
    pub auth_protocol: Option<AuthProtocol>,
    pub auth: Option<SecretIn>,
    pub priv_protocol: Option<PrivProtocol>,
    pub privacy: Option<SecretIn>,
    pub context_name: Option<Vec<u8>>,
    pub context_engine_id: Option<Vec<u8>>,
    pub security_engine_id: Option<Vec<u8>>,
    pub boots_time: Option<(u32, u32)>,
}

impl V3Config {
    /// Adds these options to a session builder (which copies the secrets into its own
    /// wiped-on-drop storage and checks their combination at `open`).
    pub(crate) fn apply(&self, mut b: SessionBuilder) -> SessionBuilder {
        if let Some(u) = &self.user {
            b = b.user(u);
        }
        if let Some(l) = self.level {
            b = b.security_level(l);
        }
        if let Some(p) = self.auth_protocol {
            b = b.auth_protocol(p);
        }
        b = match &self.auth {
            Some(SecretIn::Password(p)) => b.auth_password(p.as_bytes()),
            Some(SecretIn::Master(k)) => b.auth_master_key(k.as_bytes()),
            Some(SecretIn::Localized(k)) => b.auth_localized_key(k.as_bytes()),
            None => b,
        };
        if let Some(p) = self.priv_protocol {
            b = b.priv_protocol(p);
        }
        b = match &self.privacy {
            Some(SecretIn::Password(p)) => b.priv_password(p.as_bytes()),
            Some(SecretIn::Master(k)) => b.priv_master_key(k.as_bytes()),
            Some(SecretIn::Localized(k)) => b.priv_localized_key(k.as_bytes()),
            None => b,
        };
        if let Some(n) = &self.context_name {
            b = b.context_name(n);
        }
        if let Some(id) = &self.context_engine_id {
            b = b.context_engine_id(id);
        }
        if let Some(id) = &self.security_engine_id {
            b = b.security_engine_id(id);
        }
        if let Some((boots, time)) = self.boots_time {
            b = b.engine_boots_time(boots, time);
        }
        b
    }
}

fn usage(msg: impl Into<String>) -> Fail {
    Fail::new(snmpx_result::SNMPX_E_USAGE, msg)
}

/// The security level for a `snmpx_security_level` code.
pub(crate) fn level_of(code: u32) -> Result<SecurityLevel, Fail> {
    match code {
        1 => Ok(SecurityLevel::NoAuthNoPriv),
        2 => Ok(SecurityLevel::AuthNoPriv),
        3 => Ok(SecurityLevel::AuthPriv),
        _ => Err(Fail::invalid(format!("unknown security level code {code}"))),
    }
}

/// The authentication protocol for a `snmpx_auth_protocol` code.
pub(crate) fn auth_protocol_of(code: u32) -> Result<AuthProtocol, Fail> {
    Ok(match code {
        1 => AuthProtocol::Md5,
        2 => AuthProtocol::Sha1,
        3 => AuthProtocol::Sha224,
        4 => AuthProtocol::Sha256,
        5 => AuthProtocol::Sha384,
        6 => AuthProtocol::Sha512,
        _ => return Err(Fail::invalid(format!("unknown auth protocol code {code}"))),
    })
}

/// The privacy protocol for a `snmpx_priv_protocol` code.
pub(crate) fn priv_protocol_of(code: u32) -> Result<PrivProtocol, Fail> {
    Ok(match code {
        1 => PrivProtocol::Des,
        2 => PrivProtocol::Aes128,
        3 => PrivProtocol::Aes192,
        4 => PrivProtocol::Aes256,
        5 => PrivProtocol::Aes192C,
        6 => PrivProtocol::Aes256C,
        7 => PrivProtocol::TripleDes,
        _ => {
            return Err(Fail::invalid(format!(
                "unknown privacy protocol code {code}"
            )))
        }
    })
}

/// A pass phrase: at least 8 octets (RFC 3414 §11.2; Net-SNMP's `USM_LENGTH_P_MIN`, whose
/// tools refuse shorter ones). The copy is wiped on drop, and also when rejected.
pub(crate) fn password(bytes: &[u8], what: &str) -> Result<SecretIn, Fail> {
    Password::new(bytes.to_vec())
        .map(SecretIn::Password)
        .map_err(|_| {
            usage(format!(
                "{what} pass phrase is shorter than {MIN_PASSWORD_LEN} octets (RFC 3414 §11.2)"
            ))
        })
}

/// A key given as bytes (master or localized); its length is checked against the
/// protocols when the session opens.
pub(crate) fn key(bytes: &[u8], what: &str) -> Result<SecretBytes, Fail> {
    if bytes.is_empty() {
        return Err(usage(format!("{what} key is empty")));
    }
    Ok(SecretBytes::new(bytes.to_vec()))
}

/// A user name: 1..=32 octets (RFC 3414 §2.4: SnmpAdminString (SIZE(1..32))).
pub(crate) fn user_name(name: &[u8]) -> Result<Vec<u8>, Fail> {
    if name.is_empty() || name.len() > MAX_USER_NAME_LEN {
        return Err(usage(
            "SNMPv3 user name must be 1..=32 octets (RFC 3414 §2.4)",
        ));
    }
    Ok(name.to_vec())
}

/// An engine ID: 5..=32 octets (RFC 3411 §5 SnmpEngineID (SIZE(5..32))).
pub(crate) fn engine_id(id: &[u8], what: &str) -> Result<Vec<u8>, Fail> {
    if !(5..=MAX_ENGINE_ID_LEN).contains(&id.len()) {
        return Err(usage(format!(
            "{what} must be 5..=32 octets (RFC 3411 §5 SnmpEngineID), got {}",
            id.len()
        )));
    }
    Ok(id.to_vec())
}

/// A context name: at most 32 octets (RFC 3411 §5: SnmpAdminString (SIZE(0..32))).
pub(crate) fn context_name(name: &[u8]) -> Result<Vec<u8>, Fail> {
    if name.len() > 32 {
        return Err(usage(
            "SNMPv3 context name longer than 32 octets (RFC 3411 §5)",
        ));
    }
    Ok(name.to_vec())
}

/// snmpEngineBoots and snmpEngineTime: each at most 2147483647 (RFC 3414 §2.2).
pub(crate) fn boots_time(boots: u32, time: u32) -> Result<(u32, u32), Fail> {
    if boots > MAX_ENGINE_COUNTER || time > MAX_ENGINE_COUNTER {
        return Err(usage(
            "SNMPv3 engine boots/time above 2147483647 (RFC 3414 §2.2)",
        ));
    }
    Ok((boots, time))
}

/// SNMPv3 user name (securityName, Net-SNMP `-u`): UTF-8, 1 to 32 octets.
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_security_name(
    config: *mut snmpx_config,
    name: *const c_char,
) -> snmpx_result {
    with_config(config, |o| {
        // SAFETY: C contract: NULL or a NUL-terminated string.
        let name = unsafe { text(name, "name") }?;
        o.v3.user = Some(user_name(name.as_bytes())?);
        Ok(())
    })
}

/// SNMPv3 security level (`snmpx_security_level`, Net-SNMP `-l`). By default a session
/// uses the highest level its secrets allow; a level above them fails at open with
/// `SNMPX_E_USAGE`.
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_security_level(
    config: *mut snmpx_config,
    level: u32,
) -> snmpx_result {
    with_config(config, |o| {
        o.v3.level = Some(level_of(level)?);
        Ok(())
    })
}

/// Stores an authentication secret made by `make` from `len` bytes at `bytes`.
///
/// # Safety
/// `bytes` must be NULL with `len` 0, or readable for `len` bytes; `config` NULL or live.
unsafe fn set_auth(
    config: *mut snmpx_config,
    protocol: u32,
    bytes: *const u8,
    len: usize,
    what: &str,
    make: impl FnOnce(&[u8]) -> Result<SecretIn, Fail>,
) -> snmpx_result {
    with_config(config, |o| {
        let p = auth_protocol_of(protocol)?;
        // SAFETY: per this function's contract.
        let b = unsafe { slice(bytes, len, what) }?;
        o.v3.auth = Some(make(b)?);
        o.v3.auth_protocol = Some(p);
        Ok(())
    })
}

/// Stores a privacy secret made by `make` from `len` bytes at `bytes`.
///
/// # Safety
/// As [`set_auth`].
unsafe fn set_priv(
    config: *mut snmpx_config,
    protocol: u32,
    bytes: *const u8,
    len: usize,
    what: &str,
    make: impl FnOnce(&[u8]) -> Result<SecretIn, Fail>,
) -> snmpx_result {
    with_config(config, |o| {
        let p = priv_protocol_of(protocol)?;
        // SAFETY: per this function's contract.
        let b = unsafe { slice(bytes, len, what) }?;
        o.v3.privacy = Some(make(b)?);
        o.v3.priv_protocol = Some(p);
        Ok(())
    })
}

/// SNMPv3 authentication protocol (`snmpx_auth_protocol`, Net-SNMP `-a`) and pass phrase
/// (`-A`, any bytes, at least 8 octets: shorter gives `SNMPX_E_USAGE`). The library keeps
/// a copy that is wiped when the config is freed; the caller may wipe its own at once.
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_auth(
    config: *mut snmpx_config,
    protocol: u32,
    passphrase: *const u8,
    passphrase_len: usize,
) -> snmpx_result {
    // SAFETY: C contract: `passphrase_len` readable bytes.
    unsafe {
        set_auth(
            config,
            protocol,
            passphrase,
            passphrase_len,
            "passphrase",
            |b| password(b, "authentication"),
        )
    }
}

/// SNMPv3 authentication protocol and key already localized to the agent's engine
/// (Net-SNMP `-3k`; exactly the protocol's digest length, checked at open).
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_auth_key(
    config: *mut snmpx_config,
    protocol: u32,
    key: *const u8,
    key_len: usize,
) -> snmpx_result {
    // SAFETY: C contract: `key_len` readable bytes.
    unsafe {
        set_auth(config, protocol, key, key_len, "key", |b| {
            Ok(SecretIn::Localized(self::key(b, "authentication")?))
        })
    }
}

/// SNMPv3 authentication protocol and master key Ku (Net-SNMP `-3m`: the pass phrase
/// already digested, exactly the protocol's digest length, checked at open); localized per
/// engine like a pass phrase.
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_auth_master_key(
    config: *mut snmpx_config,
    protocol: u32,
    key: *const u8,
    key_len: usize,
) -> snmpx_result {
    // SAFETY: C contract: `key_len` readable bytes.
    unsafe {
        set_auth(config, protocol, key, key_len, "key", |b| {
            Ok(SecretIn::Master(self::key(b, "authentication master")?))
        })
    }
}

/// SNMPv3 privacy protocol (`snmpx_priv_protocol`, Net-SNMP `-x`) and pass phrase (`-X`,
/// at least 8 octets: shorter gives `SNMPX_E_USAGE`). Privacy needs authentication too
/// (RFC 3414 §3.1.1); the privacy key is derived with the authentication protocol's hash.
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_priv(
    config: *mut snmpx_config,
    protocol: u32,
    passphrase: *const u8,
    passphrase_len: usize,
) -> snmpx_result {
    // SAFETY: C contract: `passphrase_len` readable bytes.
    unsafe {
        set_priv(
            config,
            protocol,
            passphrase,
            passphrase_len,
            "passphrase",
            |b| password(b, "privacy"),
        )
    }
}

/// SNMPv3 privacy protocol and key already localized to the agent's engine
/// (Net-SNMP `-3K`).
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_priv_key(
    config: *mut snmpx_config,
    protocol: u32,
    key: *const u8,
    key_len: usize,
) -> snmpx_result {
    // SAFETY: C contract: `key_len` readable bytes.
    unsafe {
        set_priv(config, protocol, key, key_len, "key", |b| {
            Ok(SecretIn::Localized(self::key(b, "privacy")?))
        })
    }
}

/// SNMPv3 privacy protocol and master key (Net-SNMP `-3M`; made with the authentication
/// protocol's hash, so as long as its digest, checked at open).
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_priv_master_key(
    config: *mut snmpx_config,
    protocol: u32,
    key: *const u8,
    key_len: usize,
) -> snmpx_result {
    // SAFETY: C contract: `key_len` readable bytes.
    unsafe {
        set_priv(config, protocol, key, key_len, "key", |b| {
            Ok(SecretIn::Master(self::key(b, "privacy master")?))
        })
    }
}

/// SNMPv3 contextName (Net-SNMP `-n`; bytes, at most 32; default empty).
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_context_name(
    config: *mut snmpx_config,
    name: *const u8,
    name_len: usize,
) -> snmpx_result {
    with_config(config, |o| {
        // SAFETY: C contract: `name_len` readable bytes.
        let n = unsafe { slice(name, name_len, "name") }?;
        o.v3.context_name = Some(context_name(n)?);
        Ok(())
    })
}

/// SNMPv3 contextEngineID (Net-SNMP `-E`; 5 to 32 bytes; default the agent's engine ID).
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_context_engine_id(
    config: *mut snmpx_config,
    engine_id: *const u8,
    engine_id_len: usize,
) -> snmpx_result {
    with_config(config, |o| {
        // SAFETY: C contract: `engine_id_len` readable bytes.
        let id = unsafe { slice(engine_id, engine_id_len, "engine_id") }?;
        o.v3.context_engine_id = Some(self::engine_id(id, "context engine ID")?);
        Ok(())
    })
}

/// The agent's authoritative (security) engine ID (Net-SNMP `-e`; 5 to 32 bytes): skips
/// discovery. A wrong one fails requests with `SNMPX_E_V3_UNKNOWN_ENGINE_ID`.
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_security_engine_id(
    config: *mut snmpx_config,
    engine_id: *const u8,
    engine_id_len: usize,
) -> snmpx_result {
    with_config(config, |o| {
        // SAFETY: C contract: `engine_id_len` readable bytes.
        let id = unsafe { slice(engine_id, engine_id_len, "engine_id") }?;
        o.v3.security_engine_id = Some(self::engine_id(id, "security engine ID")?);
        Ok(())
    })
}

/// The agent's snmpEngineBoots and snmpEngineTime to start from (Net-SNMP `-Z boots,time`;
/// each at most 2147483647); otherwise learnt from discovery.
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_engine_boots_time(
    config: *mut snmpx_config,
    boots: u32,
    time: u32,
) -> snmpx_result {
    with_config(config, |o| {
        o.v3.boots_time = Some(boots_time(boots, time)?);
        Ok(())
    })
}
