//! SNMPv3 message processing for a manager (command generator): the RFC 3412 §6 message
//! format with the User-based Security Model's parameters (RFC 3414 §2.4), outgoing
//! authentication and encryption, and incoming verification, decryption and decoding.
//!
//! Pure functions over bytes: nothing here opens a socket or reads a clock. The caller (the
//! engine) owns the per-target state: the authoritative engine's ID, boots and time
//! ([`EngineClock`]), the localized keys ([`SecurityKeys`], from the runtime's
//! [`KeyCache`](crate::usm::KeyCache)) and msgID allocation.
//!
//! Outgoing: [`encode_v3`] (every security level; a fresh salt from a
//! [`SaltSource`](crate::usm::SaltSource) for each call, so no two transmissions are
//! byte-identical) and [`encode_discovery`] (RFC 3414 §4).
//! Incoming: [`decode_v3`] parses the framing and locates the MAC without trusting anything;
//! [`process_incoming`] verifies the MAC first, then decrypts and decodes the scoped PDU.
//! Reports map to [`ReportKind`]; a discovery answer to [`Discovery`].

#![forbid(unsafe_code)]

mod decode;
mod encode;
mod keys;
mod report;
mod time;

#[cfg(test)]
mod tests;

pub use decode::{decode_v3, process_incoming, IncomingV3, MsgData};
pub use encode::{encode_discovery, encode_v3, encode_v3_raw};
pub use keys::SecurityKeys;
pub use report::{parse_discovery, report_kind, Discovery, ReportKind};
pub use time::{EngineClock, Timeliness, TIME_WINDOW};

use crate::ber::BerError;
use crate::pdu::{Pdu, PduType};
use crate::usm::UsmError;

/// msgMaxSize we always send: the largest UDP payload over IPv4. Never 484: Net-SNMP's agent
/// then truncates its own responses (and some agents misbehave on it).
pub const MAX_MESSAGE_SIZE: i32 = 65507;

/// The smallest msgMaxSize RFC 3412 §6 allows; a message claiming less is invalid.
pub const MIN_MESSAGE_SIZE: i32 = 484;

/// msgSecurityModel of the User-based Security Model (RFC 3411 §5, SnmpSecurityModel).
pub const USM_SECURITY_MODEL: i32 = 3;

/// Longest snmpEngineID (RFC 3411 §5 SnmpEngineID, SIZE(5..32); empty in discovery).
pub const MAX_ENGINE_ID_LEN: usize = 32;

/// Longest msgUserName (RFC 3414 §2.4, SIZE(0..32)).
pub const MAX_USER_NAME_LEN: usize = 32;

/// Largest snmpEngineBoots / snmpEngineTime (RFC 3414 §2.2: 0..2147483647).
pub const MAX_ENGINE_COUNTER: u32 = i32::MAX as u32;

/// msgFlags bits (RFC 3412 §6.4).
pub mod flags {
    /// authFlag.
    pub const AUTH: u8 = 0x01;
    /// privFlag.
    pub const PRIV: u8 = 0x02;
    /// reportableFlag.
    pub const REPORTABLE: u8 = 0x04;
}

/// An SNMPv3 security level (RFC 3411 §5, SnmpSecurityLevel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SecurityLevel {
    /// Neither authentication nor privacy.
    NoAuthNoPriv,
    /// Authentication, no privacy.
    AuthNoPriv,
    /// Authentication and privacy.
    AuthPriv,
}

impl SecurityLevel {
    /// The auth/priv bits of msgFlags for this level.
    pub fn flag_bits(self) -> u8 {
        match self {
            SecurityLevel::NoAuthNoPriv => 0,
            SecurityLevel::AuthNoPriv => flags::AUTH,
            SecurityLevel::AuthPriv => flags::AUTH | flags::PRIV,
        }
    }

    /// The level that msgFlags' auth/priv bits say; `None` for privacy without authentication
    /// (RFC 3412 §7.2 step 5: an invalid combination).
    pub fn from_flags(f: u8) -> Option<SecurityLevel> {
        match f & (flags::AUTH | flags::PRIV) {
            0 => Some(SecurityLevel::NoAuthNoPriv),
            flags::AUTH => Some(SecurityLevel::AuthNoPriv),
            0x03 => Some(SecurityLevel::AuthPriv),
            _ => None,
        }
    }

    /// True unless noAuthNoPriv.
    pub fn has_auth(self) -> bool {
        self != SecurityLevel::NoAuthNoPriv
    }

    /// True for authPriv.
    pub fn has_priv(self) -> bool {
        self == SecurityLevel::AuthPriv
    }
}

impl std::str::FromStr for SecurityLevel {
    type Err = String;

    /// Net-SNMP's `-l` spellings, case-insensitively: `noAuthNoPriv` (`1`, `nanp`),
    /// `authNoPriv` (`2`, `anp`), `authPriv` (`3`, `ap`).
    fn from_str(s: &str) -> Result<SecurityLevel, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "noauthnopriv" | "1" | "nanp" => Ok(SecurityLevel::NoAuthNoPriv),
            "authnopriv" | "2" | "anp" => Ok(SecurityLevel::AuthNoPriv),
            "authpriv" | "3" | "ap" => Ok(SecurityLevel::AuthPriv),
            _ => Err(format!(
                "invalid security level {s:?} (expected noAuthNoPriv, authNoPriv or authPriv)"
            )),
        }
    }
}

impl std::fmt::Display for SecurityLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SecurityLevel::NoAuthNoPriv => "noAuthNoPriv",
            SecurityLevel::AuthNoPriv => "authNoPriv",
            SecurityLevel::AuthPriv => "authPriv",
        })
    }
}

/// msgGlobalData (RFC 3412 §6: HeaderData).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MsgGlobal {
    /// msgID (0..2147483647): matches a response or report to its request.
    pub msg_id: i32,
    /// msgMaxSize: the largest message the sender can receive.
    pub max_size: i32,
    /// msgFlags: [`flags::AUTH`], [`flags::PRIV`], [`flags::REPORTABLE`].
    pub flags: u8,
    /// msgSecurityModel; always [`USM_SECURITY_MODEL`] here.
    pub security_model: i32,
}

impl MsgGlobal {
    /// The header of a request (a Confirmed-Class PDU, so reportable) at `level`, with
    /// msgMaxSize [`MAX_MESSAGE_SIZE`] and the USM security model.
    pub fn request(msg_id: i32, level: SecurityLevel) -> MsgGlobal {
        MsgGlobal {
            msg_id,
            max_size: MAX_MESSAGE_SIZE,
            flags: level.flag_bits() | flags::REPORTABLE,
            security_model: USM_SECURITY_MODEL,
        }
    }

    /// The security level msgFlags states; `None` for the invalid priv-without-auth.
    pub fn level(&self) -> Option<SecurityLevel> {
        SecurityLevel::from_flags(self.flags)
    }

    /// True when the reportableFlag is set.
    pub fn reportable(&self) -> bool {
        self.flags & flags::REPORTABLE != 0
    }
}

/// UsmSecurityParameters (RFC 3414 §2.4), borrowing its octet strings.
///
/// When encoding, [`encode_v3`] ignores `auth_params` and `priv_params` and writes what the
/// security level requires (the MAC, the salt, or empty strings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UsmParams<'a> {
    /// msgAuthoritativeEngineID (the agent's snmpEngineID for requests to it).
    pub engine_id: &'a [u8],
    /// msgAuthoritativeEngineBoots (0..2147483647).
    pub engine_boots: u32,
    /// msgAuthoritativeEngineTime (0..2147483647).
    pub engine_time: u32,
    /// msgUserName.
    pub user_name: &'a [u8],
    /// msgAuthenticationParameters: the MAC, or empty.
    pub auth_params: &'a [u8],
    /// msgPrivacyParameters: the salt, or empty.
    pub priv_params: &'a [u8],
}

/// A ScopedPDU (RFC 3412 §6): the PDU and the context it addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopedPdu {
    /// contextEngineID: for a request to an agent, its snmpEngineID (as Net-SNMP sends).
    pub context_engine_id: Vec<u8>,
    /// contextName: empty for the default context.
    pub context_name: Vec<u8>,
    /// The PDU (never a v1 Trap).
    pub pdu: Pdu,
}

impl ScopedPdu {
    /// A scoped PDU in the default (empty) context of `context_engine_id`.
    pub fn new(context_engine_id: &[u8], pdu: Pdu) -> ScopedPdu {
        ScopedPdu {
            context_engine_id: context_engine_id.to_vec(),
            context_name: Vec::new(),
            pdu,
        }
    }

    /// The report's kind if this is a Report-PDU.
    pub fn report_kind(&self) -> Option<ReportKind> {
        report_kind(&self.pdu)
    }

    /// The PDU, or [`V3Error::Report`] if it is a Report-PDU (what a caller waiting for a
    /// Response should see).
    pub fn into_response(self) -> Result<Pdu, V3Error> {
        match report_kind(&self.pdu) {
            Some(k) => Err(V3Error::Report(k)),
            None => Ok(self.pdu),
        }
    }
}

/// Why an SNMPv3 message cannot be built, or why an incoming one must be dropped (or, for
/// [`V3Error::Report`], what the agent reported).
///
/// Every variant except `Report` means the incoming message is to be discarded and counted
/// (RFC 3412 §7.2: snmpInvalidMsgs, snmpUnknownSecurityModels; RFC 3414 §3.2:
/// usmStatsWrongDigests, usmStatsDecryptionErrors, ...); it is never handed to a caller as an
/// answer. No variant carries key material or MACs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum V3Error {
    /// Malformed BER.
    #[error("malformed SNMPv3 message: {0}")]
    Ber(#[from] BerError),
    /// The version field is not 3.
    #[error("not an SNMPv3 message (version {0})")]
    WrongVersion(i32),
    /// msgGlobalData out of its RFC 3412 §6 ranges (msgID, msgMaxSize, msgFlags size).
    #[error("invalid msgGlobalData: {0}")]
    InvalidHeader(&'static str),
    /// msgSecurityModel is not USM (RFC 3412 §7.2 step 4: snmpUnknownSecurityModels).
    #[error("security model {0} is not USM (3)")]
    WrongSecurityModel(i32),
    /// msgFlags says privacy without authentication (RFC 3412 §7.2 step 5).
    #[error("invalid msgFlags {0:#04x}: privacy without authentication")]
    InvalidFlags(u8),
    /// UsmSecurityParameters out of their RFC 3414 §2.4 ranges.
    #[error("invalid USM security parameters: {0}")]
    InvalidUsmParams(&'static str),
    /// The message's security level is not the one a response to our request must have (an
    /// unauthenticated response to an authenticated request, a plaintext one to an authPriv
    /// request, an encrypted one to an authNoPriv request ...).
    #[error("unexpected security level {found} (expected {expected})")]
    UnexpectedSecurityLevel {
        /// The level of the request (what the keys given allow).
        expected: SecurityLevel,
        /// The level the message claims.
        found: SecurityLevel,
    },
    /// An authenticated message arrived but no keys were given to verify it.
    #[error("authenticated message but no keys to verify it")]
    MissingKeys,
    /// msgAuthenticationParameters is not the MAC length of the user's protocol (including
    /// an empty or stripped MAC; RFC 3414 §6.3.2 step 1).
    #[error("msgAuthenticationParameters has {actual} octets, expected {expected}")]
    WrongMacLength {
        /// The protocol's MAC length.
        expected: usize,
        /// The length found.
        actual: usize,
    },
    /// The MAC does not verify (RFC 3414 §3.2 step 6: usmStatsWrongDigests).
    #[error("authentication failed: wrong digest")]
    AuthenticationFailed,
    /// The encrypted scoped PDU cannot be decrypted into a scoped PDU (RFC 3414 §3.2 step 8:
    /// usmStatsDecryptionErrors).
    #[error("decryption failed: {0}")]
    DecryptionFailed(&'static str),
    /// msgUserName is not the user the keys belong to (the user we sent as).
    #[error("message is for another user")]
    UnknownUser,
    /// msgAuthoritativeEngineID is not the engine the keys are localized to.
    #[error("message is from another engine than the keys are localized to")]
    WrongEngineId,
    /// A v1 Trap-PDU or other PDU that cannot appear in a scoped PDU.
    #[error("unexpected PDU type {0:?} in an SNMPv3 message")]
    UnexpectedPdu(PduType),
    /// The answer to a discovery request is not a usable Report (no engine ID, ...).
    #[error("not a discovery report: {0}")]
    NotDiscovery(&'static str),
    /// The agent answered with a Report-PDU instead of a Response.
    #[error("agent reported {0}")]
    Report(ReportKind),
    /// Arguments that cannot be encoded (oversized engine ID or user name, keys for another
    /// user or engine, flags that contradict the keys given ...).
    #[error("cannot encode SNMPv3 message: {0}")]
    Encode(&'static str),
    /// A USM key error (key derivation, wrong key length, random source ...).
    #[error("USM: {0}")]
    Usm(UsmError),
}

impl From<UsmError> for V3Error {
    fn from(e: UsmError) -> V3Error {
        match e {
            UsmError::WrongMacLength { expected, actual } => {
                V3Error::WrongMacLength { expected, actual }
            }
            UsmError::AuthenticationFailed | UsmError::MacOutOfBounds => {
                V3Error::AuthenticationFailed
            }
            UsmError::DecryptionFailed(why) => V3Error::DecryptionFailed(why),
            other => V3Error::Usm(other),
        }
    }
}
