//! Net-SNMP's error texts: error-status reasons (`snmp_errstring`), library errors
//! (`snmp_api_errstring`) and the unknown-object messages of `snmp_parse_oid`.

use snmpx::mib::ResolveError;
use snmpx::{Error, ErrorStatus};

/// The "Reason:" text of an error-status (RFC 3416 §3 codes), as Net-SNMP 5.9 prints it.
pub fn status_text(s: ErrorStatus) -> String {
    let code = s.code();
    let t = match code {
        0 => "(noError) No Error",
        1 => "(tooBig) Response message would have been too large.",
        2 => "(noSuchName) There is no such variable name in this MIB.",
        3 => "(badValue) The value given has the wrong type or length.",
        4 => "(readOnly) The two parties used do not have access to use the specified SNMP PDU.",
        5 => "(genError) A general failure occured",
        6 => "noAccess",
        7 => "wrongType (The set datatype does not match the data type the agent expects)",
        8 => "wrongLength (The set value has an illegal length from what the agent expects)",
        9 => "wrongEncoding",
        10 => "wrongValue (The set value is illegal or unsupported in some way)",
        11 => "noCreation (That table does not support row creation or that object can not ever be created)",
        12 => "inconsistentValue (The set value is illegal or unsupported in some way)",
        13 => "resourceUnavailable (This is likely a out-of-memory failure within the agent)",
        14 => "commitFailed",
        15 => "undoFailed",
        16 => "authorizationError (access denied to that object)",
        17 => "notWritable (That object does not support modification)",
        18 => "inconsistentName (That object can not currently be created)",
        _ => "Unknown Error",
    };
    t.to_string()
}

/// The text `snmp_sess_perror` prints after `APP: ` for a failed request that is not a
/// timeout, or `None` for a timeout (each application words those itself).
pub fn session_error_text(e: &Error) -> Option<String> {
    Some(match e {
        Error::Timeout { .. } => return None,
        Error::Resolve { .. } => "Unknown host".to_string(),
        Error::UnknownUser { .. } => "Unknown user name".to_string(),
        Error::AuthenticationFailed { .. } => {
            "Authentication failure (incorrect password, community or key)".to_string()
        }
        Error::DecryptionError { .. } => "Decryption error".to_string(),
        Error::UnsupportedSecurityLevel { .. } => "Unsupported security level".to_string(),
        Error::UnknownEngineId { .. } => "Unknown engine ID".to_string(),
        Error::NotInTimeWindow { .. } => "Not in time window".to_string(),
        Error::Report { .. } => "Unknown Report message".to_string(),
        // The SNMPv3 discovery probe failed other than by timing out.
        Error::Connection { reason, .. } if reason.starts_with(snmpx::DISCOVERY_FAILED) => {
            "Unknown engine ID".to_string()
        }
        // The agent closed the TCP connection (Net-SNMP: SNMPERR_ABORT).
        Error::Connection { reason, .. } if reason == snmpx::CLOSED_BY_PEER => {
            "Session abort failure".to_string()
        }
        Error::Connection { reason, .. } => format!("Failure in sendto ({reason})"),
        Error::Decode { .. } => "Bad parse of ASN.1 type".to_string(),
        Error::Usage(m) if m.contains("GetBulk") || m.contains("v1") => {
            "Cannot send V2 PDU on V1 session".to_string()
        }
        other => format!("Generic error ({other})"),
    })
}

/// `NAME: Unknown Object Identifier (detail)` for a name that did not resolve, without the
/// trailing newline; `input` is the text as given.
pub fn unknown_oid(input: &str, e: &ResolveError) -> String {
    let detail = match e {
        ResolveError::UnknownName(label) => {
            format!(" (Sub-id not found: (top) -> {label})")
        }
        ResolveError::UnknownModule(_) | ResolveError::NotInModule { .. } => String::new(),
        ResolveError::BadIndex { text, index, .. } => {
            format!(" (Index out of range: {text} ({index}))")
        }
        ResolveError::Syntax { .. } => {
            let first = input
                .trim_start_matches('.')
                .split('.')
                .next()
                .unwrap_or("");
            if first.is_empty() || !first.bytes().all(|c| c.is_ascii_digit()) {
                format!(" (Sub-id not found: (top) -> {first})")
            } else {
                String::new()
            }
        }
    };
    format!("{input}: Unknown Object Identifier{detail}")
}
