//! A user's USM secrets as a caller supplies them: pass phrases, master
//! keys or localized keys (Net-SNMP `-A`/`-X`, `-3m`/`-3M`, `-3k`/`-3K`).
#![forbid(unsafe_code)]

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use super::error::UsmError;
use super::keys::{MasterKey, MIN_PASSWORD_LEN};
use super::protocol::{AuthProtocol, PrivProtocol};

/// A pass phrase: at least [`MIN_PASSWORD_LEN`] octets, wiped on drop,
/// never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Password(Vec<u8>);

impl Password {
    /// Takes ownership of `bytes`; fails with
    /// [`UsmError::PasswordTooShort`] below 8 octets (RFC 3414 §11.2,
    /// Net-SNMP `USM_LENGTH_P_MIN`). The rejected bytes are wiped.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Result<Self, UsmError> {
        let mut v = bytes.into();
        if v.len() < MIN_PASSWORD_LEN {
            v.zeroize();
            return Err(UsmError::PasswordTooShort);
        }
        Ok(Password(v))
    }

    /// The pass phrase octets. Handle with care: this is a secret.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// Secret octets of any length (a localized key given by the user), wiped
/// on drop, never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretBytes(Vec<u8>);

impl SecretBytes {
    /// Takes ownership of `bytes`.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        SecretBytes(bytes.into())
    }

    /// The octets. Handle with care: this is a secret.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretBytes(<redacted>)")
    }
}

/// One secret (authentication or privacy) in the form the user gave it.
#[derive(Clone, Debug)]
pub enum Secret {
    /// A pass phrase, expanded and localized per engine (RFC 3414 A.2).
    Password(Password),
    /// A master key Ku made with the authentication protocol's hash
    /// (Net-SNMP `-3m`/`-3M`), localized per engine.
    Master(MasterKey),
    /// A key already localized to the one engine the caller talks to
    /// (Net-SNMP `-3k`/`-3K`): used as is for every engine ID.
    Localized(SecretBytes),
}

/// A USM user's keys as supplied: the security level follows from which
/// halves are present (noAuthNoPriv, authNoPriv, authPriv; RFC 3414
/// §3.1.1 forbids privacy without authentication).
#[derive(Clone, Debug)]
pub struct Credentials {
    auth: Option<(AuthProtocol, Secret)>,
    privacy: Option<(PrivProtocol, Secret)>,
}

impl Credentials {
    /// noAuthNoPriv: no keys.
    pub fn none() -> Self {
        Credentials {
            auth: None,
            privacy: None,
        }
    }

    /// authNoPriv. Checks `secret` against `auth` (a master key must be
    /// of the same hash; a localized key exactly `auth.key_len()` octets).
    pub fn auth(auth: AuthProtocol, secret: Secret) -> Result<Self, UsmError> {
        check_auth_secret(auth, &secret)?;
        Ok(Credentials {
            auth: Some((auth, secret)),
            privacy: None,
        })
    }

    /// authPriv. The privacy secret is derived with `auth`'s hash, so a
    /// privacy master key must also be of that hash.
    pub fn auth_priv(
        auth: AuthProtocol,
        auth_secret: Secret,
        privp: PrivProtocol,
        priv_secret: Secret,
    ) -> Result<Self, UsmError> {
        check_auth_secret(auth, &auth_secret)?;
        match &priv_secret {
            Secret::Master(m) if m.protocol() != auth => return Err(UsmError::ProtocolMismatch),
            Secret::Localized(b) if b.as_bytes().len() < AuthProtocol::Md5.key_len() => {
                return Err(UsmError::BadKeyLength {
                    expected: privp.key_material_len(),
                    actual: b.as_bytes().len(),
                });
            }
            _ => {}
        }
        Ok(Credentials {
            auth: Some((auth, auth_secret)),
            privacy: Some((privp, priv_secret)),
        })
    }

    /// Convenience: pass phrases for both halves, as `snmpget -A .. -X ..`
    /// takes them; `privacy` of `None` gives authNoPriv.
    pub fn from_passwords(
        auth: AuthProtocol,
        auth_password: &[u8],
        privacy: Option<(PrivProtocol, &[u8])>,
    ) -> Result<Self, UsmError> {
        let a = Secret::Password(Password::new(auth_password)?);
        match privacy {
            None => Credentials::auth(auth, a),
            Some((p, pw)) => {
                Credentials::auth_priv(auth, a, p, Secret::Password(Password::new(pw)?))
            }
        }
    }

    /// Privacy without authentication is not a USM security level
    /// (RFC 3414 §3.1.1); this constructor exists to say so with an error
    /// rather than by omission.
    pub fn priv_only(_privp: PrivProtocol, _secret: Secret) -> Result<Self, UsmError> {
        Err(UsmError::PrivWithoutAuth)
    }

    /// The authentication protocol and secret, if any.
    pub fn auth_part(&self) -> Option<(AuthProtocol, &Secret)> {
        self.auth.as_ref().map(|(p, s)| (*p, s))
    }

    /// The privacy protocol and secret, if any.
    pub fn priv_part(&self) -> Option<(PrivProtocol, &Secret)> {
        self.privacy.as_ref().map(|(p, s)| (*p, s))
    }
}

fn check_auth_secret(auth: AuthProtocol, secret: &Secret) -> Result<(), UsmError> {
    match secret {
        Secret::Password(_) => Ok(()),
        Secret::Master(m) if m.protocol() == auth => Ok(()),
        Secret::Master(_) => Err(UsmError::ProtocolMismatch),
        Secret::Localized(b) if b.as_bytes().len() == auth.key_len() => Ok(()),
        Secret::Localized(b) => Err(UsmError::BadKeyLength {
            expected: auth.key_len(),
            actual: b.as_bytes().len(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::assert_no_secret;
    use super::*;

    #[test]
    fn password_policy() {
        assert_eq!(Password::new("").err(), Some(UsmError::PasswordTooShort));
        assert_eq!(
            Password::new("7 chars").err(),
            Some(UsmError::PasswordTooShort)
        );
        assert!(Password::new("8 chars!").is_ok());
    }

    #[test]
    fn debug_never_shows_secrets() {
        let c = Credentials::from_passwords(
            AuthProtocol::Sha256,
            b"maplesyrup",
            Some((PrivProtocol::Aes256C, b"Tr0ub4dor&3")),
        )
        .unwrap();
        let dbg = format!("{c:?} {c:#?}");
        assert!(dbg.contains("<redacted>"), "{dbg}");
        assert!(dbg.contains("Sha256") && dbg.contains("Aes256C"));
        assert_no_secret(&dbg, b"maplesyrup");
        assert_no_secret(&dbg, b"Tr0ub4dor&3");

        let key = [
            0x9Cu8, 0x01, 0xFE, 0x77, 0x10, 0x20, 0x30, 0x40, 1, 2, 3, 4, 5, 6, 7, 8,
        ];
        let c = Credentials::auth_priv(
            AuthProtocol::Md5,
            Secret::Master(MasterKey::from_bytes(AuthProtocol::Md5, &key).unwrap()),
            PrivProtocol::Des,
            Secret::Localized(SecretBytes::new(key.to_vec())),
        )
        .unwrap();
        let dbg = format!("{c:?} {c:#?}");
        assert_no_secret(&dbg, &key);
    }

    #[test]
    fn secrets_are_checked_against_the_protocol() {
        let md5_master = MasterKey::from_bytes(AuthProtocol::Md5, &[1; 16]).unwrap();
        assert_eq!(
            Credentials::auth(AuthProtocol::Sha1, Secret::Master(md5_master.clone())).err(),
            Some(UsmError::ProtocolMismatch)
        );
        assert!(Credentials::auth(AuthProtocol::Md5, Secret::Master(md5_master.clone())).is_ok());
        assert_eq!(
            Credentials::auth(
                AuthProtocol::Sha1,
                Secret::Localized(SecretBytes::new(vec![0; 16]))
            )
            .err(),
            Some(UsmError::BadKeyLength {
                expected: 20,
                actual: 16
            })
        );
        let pw = || Secret::Password(Password::new("maplesyrup").unwrap());
        assert_eq!(
            Credentials::auth_priv(
                AuthProtocol::Sha1,
                pw(),
                PrivProtocol::Des,
                Secret::Master(md5_master)
            )
            .err(),
            Some(UsmError::ProtocolMismatch)
        );
        assert_eq!(
            Credentials::priv_only(PrivProtocol::Des, pw()).err(),
            Some(UsmError::PrivWithoutAuth)
        );
        let c = Credentials::none();
        assert!(c.auth_part().is_none() && c.priv_part().is_none());
    }
}
