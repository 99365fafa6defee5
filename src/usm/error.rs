//! The error type of the USM layer.
//!
//! No variant carries key material, pass phrases or MACs: only protocol
//! names the caller typed, lengths and fixed reasons.
#![forbid(unsafe_code)]

/// Everything that can go wrong in the USM crypto layer.
///
/// Variants map onto the RFC 3414 error indications where one exists:
/// [`UsmError::WrongMacLength`] and [`UsmError::AuthenticationFailed`] are
/// `authenticationError` (RFC 3414 §3.2 step 6, counted in
/// `usmStatsWrongDigests`); [`UsmError::DecryptionFailed`] is
/// `decryptionError` (RFC 3414 §3.2 step 8, `usmStatsDecryptionErrors`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UsmError {
    /// A protocol name that is not one of the accepted spellings.
    #[error("unknown protocol name {0:?}")]
    UnknownProtocol(String),
    /// The pass phrase is shorter than 8 octets (RFC 3414 §11.2 recommends
    /// at least 8; Net-SNMP refuses shorter ones, `USM_LENGTH_P_MIN`).
    #[error("pass phrase is shorter than {min} octets", min = super::keys::MIN_PASSWORD_LEN)]
    PasswordTooShort,
    /// The authoritative engine ID is empty, so there is nothing to
    /// localize a key to (RFC 3414 §2.6; discovery has not run yet).
    #[error("empty snmpEngineID: cannot localize a key")]
    EmptyEngineId,
    /// A key given as bytes has the wrong length for its protocol.
    #[error("key has {actual} octets, expected {expected}")]
    BadKeyLength {
        /// The length the protocol requires.
        expected: usize,
        /// The length that was supplied.
        actual: usize,
    },
    /// A key made for one authentication protocol (hash) was used with
    /// another.
    #[error("key belongs to a different authentication protocol")]
    ProtocolMismatch,
    /// Privacy was requested without authentication: RFC 3414 §3.1.1 and
    /// §5 (usmUserPrivProtocol) do not allow noAuthPriv.
    #[error("privacy requires authentication (no noAuthPriv in USM)")]
    PrivWithoutAuth,
    /// msgAuthenticationParameters does not have the protocol's MAC length
    /// (RFC 3414 §6.3.2 step 1, §7.3.2 step 1; RFC 7860 §4.2.2 step 1).
    #[error("msgAuthenticationParameters has {actual} octets, expected {expected}")]
    WrongMacLength {
        /// The MAC length of the user's authentication protocol.
        expected: usize,
        /// The length found in the message.
        actual: usize,
    },
    /// The MAC field does not lie inside the message.
    #[error("MAC field lies outside the message")]
    MacOutOfBounds,
    /// The MAC does not match (RFC 3414 §6.3.2 step 4, §7.3.2 step 4).
    #[error("authentication failed: MAC mismatch")]
    AuthenticationFailed,
    /// The encrypted scoped PDU or the privacy parameters are malformed
    /// (RFC 3414 §8.3.2 step 1/2, RFC 3826 §3.3.2 step 1).
    #[error("decryption failed: {0}")]
    DecryptionFailed(&'static str),
    /// The operating system's random source failed.
    #[error("random source unavailable")]
    RandomUnavailable,
}
