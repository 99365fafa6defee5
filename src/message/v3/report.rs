//! Report-PDUs (RFC 3412 §7.1 step 3, RFC 3414 §3.2) and engine discovery (RFC 3414 §4).

use super::{process_incoming, IncomingV3, V3Error};
use crate::oid::Oid;
use crate::pdu::{Pdu, PduType};

/// What a Report-PDU reports, from the OID of its first variable binding.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ReportKind {
    /// usmStatsUnsupportedSecLevels (1.3.6.1.6.3.15.1.1.1.0): the user cannot use the
    /// security level requested.
    UnsupportedSecLevels,
    /// usmStatsNotInTimeWindows (…15.1.1.2.0): our boots/time for the engine are stale; the
    /// report's USM parameters carry the engine's current ones (RFC 3414 §4, time sync).
    NotInTimeWindows,
    /// usmStatsUnknownUserNames (…15.1.1.3.0).
    UnknownUserNames,
    /// usmStatsUnknownEngineIDs (…15.1.1.4.0): the answer to discovery, or the agent's engine
    /// ID changed.
    UnknownEngineIds,
    /// usmStatsWrongDigests (…15.1.1.5.0): authentication failed at the agent (wrong auth
    /// password or protocol).
    WrongDigests,
    /// usmStatsDecryptionErrors (…15.1.1.6.0): the agent could not decrypt (wrong privacy
    /// password or protocol).
    DecryptionErrors,
    /// snmpUnknownSecurityModels (1.3.6.1.6.3.11.2.1.1.0).
    UnknownSecurityModels,
    /// snmpInvalidMsgs (1.3.6.1.6.3.11.2.1.2.0).
    InvalidMsgs,
    /// snmpUnknownPDUHandlers (1.3.6.1.6.3.11.2.1.3.0).
    UnknownPduHandlers,
    /// snmpUnavailableContexts (1.3.6.1.6.3.12.1.4.0).
    UnavailableContexts,
    /// snmpUnknownContexts (1.3.6.1.6.3.12.1.5.0).
    UnknownContexts,
    /// A report with another OID (kept), or with no variable binding (`None`).
    Other(Option<Oid>),
}

const USM_STATS: [u32; 9] = [1, 3, 6, 1, 6, 3, 15, 1, 1];
const MPD_STATS: [u32; 9] = [1, 3, 6, 1, 6, 3, 11, 2, 1];
const TARGET_STATS: [u32; 8] = [1, 3, 6, 1, 6, 3, 12, 1];

impl ReportKind {
    /// The kind for a report varbind's OID. The instance `.0` is expected; the bare object
    /// OID is accepted too (some agents omit it).
    pub fn from_oid(oid: &Oid) -> ReportKind {
        let arcs = oid.as_slice();
        let leaf = |prefix: &[u32]| -> Option<u32> {
            let rest = arcs.strip_prefix(prefix)?;
            match rest {
                [n] | [n, 0] => Some(*n),
                _ => None,
            }
        };
        match (leaf(&USM_STATS), leaf(&MPD_STATS), leaf(&TARGET_STATS)) {
            (Some(1), _, _) => ReportKind::UnsupportedSecLevels,
            (Some(2), _, _) => ReportKind::NotInTimeWindows,
            (Some(3), _, _) => ReportKind::UnknownUserNames,
            (Some(4), _, _) => ReportKind::UnknownEngineIds,
            (Some(5), _, _) => ReportKind::WrongDigests,
            (Some(6), _, _) => ReportKind::DecryptionErrors,
            (_, Some(1), _) => ReportKind::UnknownSecurityModels,
            (_, Some(2), _) => ReportKind::InvalidMsgs,
            (_, Some(3), _) => ReportKind::UnknownPduHandlers,
            (_, _, Some(4)) => ReportKind::UnavailableContexts,
            (_, _, Some(5)) => ReportKind::UnknownContexts,
            _ => ReportKind::Other(Some(oid.clone())),
        }
    }

    /// The MIB object's name.
    pub fn name(&self) -> &'static str {
        match self {
            ReportKind::UnsupportedSecLevels => "usmStatsUnsupportedSecLevels",
            ReportKind::NotInTimeWindows => "usmStatsNotInTimeWindows",
            ReportKind::UnknownUserNames => "usmStatsUnknownUserNames",
            ReportKind::UnknownEngineIds => "usmStatsUnknownEngineIDs",
            ReportKind::WrongDigests => "usmStatsWrongDigests",
            ReportKind::DecryptionErrors => "usmStatsDecryptionErrors",
            ReportKind::UnknownSecurityModels => "snmpUnknownSecurityModels",
            ReportKind::InvalidMsgs => "snmpInvalidMsgs",
            ReportKind::UnknownPduHandlers => "snmpUnknownPDUHandlers",
            ReportKind::UnavailableContexts => "snmpUnavailableContexts",
            ReportKind::UnknownContexts => "snmpUnknownContexts",
            ReportKind::Other(_) => "unknown report",
        }
    }
}

impl std::fmt::Display for ReportKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self {
            ReportKind::UnsupportedSecLevels => "unsupported security level",
            ReportKind::NotInTimeWindows => "not in time window",
            ReportKind::UnknownUserNames => "unknown user name",
            ReportKind::UnknownEngineIds => "unknown engine ID",
            ReportKind::WrongDigests => {
                "authentication failure (incorrect password, protocol or key)"
            }
            ReportKind::DecryptionErrors => "decryption error (incorrect privacy password?)",
            ReportKind::UnknownSecurityModels => "unknown security model",
            ReportKind::InvalidMsgs => "invalid message",
            ReportKind::UnknownPduHandlers => "unknown PDU handler",
            ReportKind::UnavailableContexts => "unavailable context",
            ReportKind::UnknownContexts => "unknown context",
            ReportKind::Other(Some(oid)) => return write!(f, "report {oid}"),
            ReportKind::Other(None) => return f.write_str("report without variable bindings"),
        };
        write!(f, "{} ({what})", self.name())
    }
}

/// The kind of a Report-PDU; `None` for any other PDU.
pub fn report_kind(pdu: &Pdu) -> Option<ReportKind> {
    if pdu.kind != PduType::Report {
        return None;
    }
    Some(match pdu.varbinds.first() {
        Some(vb) => ReportKind::from_oid(&vb.oid),
        None => ReportKind::Other(None),
    })
}

/// What discovery (RFC 3414 §4) learnt about an authoritative engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovery {
    /// Its snmpEngineID (1..=32 octets).
    pub engine_id: Vec<u8>,
    /// snmpEngineBoots as reported (Net-SNMP reports the real value; some agents send 0 and
    /// only give it in the notInTimeWindows report to the first authenticated request).
    pub engine_boots: u32,
    /// snmpEngineTime as reported (same caveat).
    pub engine_time: u32,
    /// The report's kind (usmStatsUnknownEngineIDs from a conforming agent).
    pub report: ReportKind,
}

/// Takes the engine ID, boots and time from the answer to [`super::encode_discovery`]: an
/// unauthenticated Report whose USM parameters name the agent's engine. Matching the msgID
/// to the discovery request is the caller's.
pub fn parse_discovery(incoming: &IncomingV3<'_>) -> Result<Discovery, V3Error> {
    let scoped = process_incoming(incoming, None)?;
    let report = report_kind(&scoped.pdu).ok_or(V3Error::NotDiscovery("not a Report-PDU"))?;
    let u = &incoming.usm;
    if u.engine_id.is_empty() {
        return Err(V3Error::NotDiscovery("empty engine ID"));
    }
    Ok(Discovery {
        engine_id: u.engine_id.to_vec(),
        engine_boots: u.engine_boots,
        engine_time: u.engine_time,
        report,
    })
}
