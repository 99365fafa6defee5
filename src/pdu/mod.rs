//! Protocol data units (RFC 3416 §3; RFC 1157 §4.1.6 for the v1 Trap) and their BER codec.

mod codec;
mod status;

pub use codec::{
    decode_pdu, decode_value, encode_pdu, encode_request_pdu, encode_trap_v1, encode_value,
    encode_varbinds, DecodedPdu,
};
pub use status::ErrorStatus;

use crate::oid::Oid;
use crate::value::VarBind;

/// The PDU kinds, by their context-specific constructed tag (RFC 3416 §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PduType {
    /// GetRequest-PDU `[0]`.
    GetRequest,
    /// GetNextRequest-PDU `[1]`.
    GetNextRequest,
    /// Response-PDU `[2]` (GetResponse in v1).
    Response,
    /// SetRequest-PDU `[3]`.
    SetRequest,
    /// v1 Trap-PDU `[4]` (RFC 1157 §4.1.6).
    TrapV1,
    /// GetBulkRequest-PDU `[5]`.
    GetBulkRequest,
    /// InformRequest-PDU `[6]`.
    InformRequest,
    /// SNMPv2-Trap-PDU `[7]`.
    TrapV2,
    /// Report-PDU `[8]`.
    Report,
}

impl PduType {
    /// The BER identifier octet.
    pub fn tag(self) -> u8 {
        match self {
            PduType::GetRequest => 0xa0,
            PduType::GetNextRequest => 0xa1,
            PduType::Response => 0xa2,
            PduType::SetRequest => 0xa3,
            PduType::TrapV1 => 0xa4,
            PduType::GetBulkRequest => 0xa5,
            PduType::InformRequest => 0xa6,
            PduType::TrapV2 => 0xa7,
            PduType::Report => 0xa8,
        }
    }

    /// The PDU type for an identifier octet.
    pub fn from_tag(tag: u8) -> Option<PduType> {
        Some(match tag {
            0xa0 => PduType::GetRequest,
            0xa1 => PduType::GetNextRequest,
            0xa2 => PduType::Response,
            0xa3 => PduType::SetRequest,
            0xa4 => PduType::TrapV1,
            0xa5 => PduType::GetBulkRequest,
            0xa6 => PduType::InformRequest,
            0xa7 => PduType::TrapV2,
            0xa8 => PduType::Report,
            _ => return None,
        })
    }
}

/// A request/response-shaped PDU (every kind but the v1 Trap).
///
/// For GetBulkRequest the two integer fields carry non-repeaters and max-repetitions
/// (RFC 3416 §3: the same positions as error-status and error-index).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pdu {
    /// The PDU kind.
    pub kind: PduType,
    /// request-id.
    pub request_id: i32,
    /// error-status (or non-repeaters for GetBulk).
    pub error_status: i32,
    /// error-index (or max-repetitions for GetBulk).
    pub error_index: i32,
    /// variable-bindings.
    pub varbinds: Vec<VarBind>,
}

impl Pdu {
    /// A request with `Null` values for the given OIDs.
    pub fn request(kind: PduType, request_id: i32, oids: &[Oid]) -> Pdu {
        Pdu {
            kind,
            request_id,
            error_status: 0,
            error_index: 0,
            varbinds: oids.iter().cloned().map(VarBind::null).collect(),
        }
    }

    /// A GetBulkRequest (RFC 3416 §4.2.3).
    pub fn get_bulk(
        request_id: i32,
        non_repeaters: i32,
        max_repetitions: i32,
        oids: &[Oid],
    ) -> Pdu {
        Pdu {
            kind: PduType::GetBulkRequest,
            request_id,
            error_status: non_repeaters,
            error_index: max_repetitions,
            varbinds: oids.iter().cloned().map(VarBind::null).collect(),
        }
    }

    /// The error-status as the open enum.
    pub fn status(&self) -> ErrorStatus {
        ErrorStatus::from_i32(self.error_status)
    }
}

/// A v1 Trap-PDU (RFC 1157 §4.1.6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrapV1 {
    /// enterprise: the sysObjectID of the sender.
    pub enterprise: Oid,
    /// agent-addr.
    pub agent_addr: [u8; 4],
    /// generic-trap (0 coldStart .. 6 enterpriseSpecific).
    pub generic_trap: i32,
    /// specific-trap.
    pub specific_trap: i32,
    /// time-stamp in TimeTicks.
    pub timestamp: u32,
    /// variable-bindings.
    pub varbinds: Vec<VarBind>,
}
