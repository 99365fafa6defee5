//! SNMP values and variable bindings: the closed set of SMI types (RFC 2578 §7.1, RFC 3416 §3),
//! the three v2 exceptions, and `Unknown { tag, data }` so unfamiliar tags pass through intact.

use crate::octets::OctetString;
use crate::oid::Oid;
use std::fmt;

/// BER tags of the SNMP value types (X.690 universal, RFC 2578 §7.1 application, RFC 3416 §3 context).
pub mod tag {
    /// INTEGER / Integer32.
    pub const INTEGER: u8 = 0x02;
    /// OCTET STRING.
    pub const OCTET_STRING: u8 = 0x04;
    /// NULL.
    pub const NULL: u8 = 0x05;
    /// OBJECT IDENTIFIER.
    pub const OBJECT_IDENTIFIER: u8 = 0x06;
    /// SEQUENCE (constructed).
    pub const SEQUENCE: u8 = 0x30;
    /// IpAddress, [APPLICATION 0].
    pub const IP_ADDRESS: u8 = 0x40;
    /// Counter32, [APPLICATION 1].
    pub const COUNTER32: u8 = 0x41;
    /// Gauge32 / Unsigned32, [APPLICATION 2].
    pub const GAUGE32: u8 = 0x42;
    /// TimeTicks, [APPLICATION 3].
    pub const TIMETICKS: u8 = 0x43;
    /// Opaque, [APPLICATION 4].
    pub const OPAQUE: u8 = 0x44;
    /// Counter64, [APPLICATION 6].
    pub const COUNTER64: u8 = 0x46;
    /// noSuchObject exception, [CONTEXT 0] primitive.
    pub const NO_SUCH_OBJECT: u8 = 0x80;
    /// noSuchInstance exception, [CONTEXT 1] primitive.
    pub const NO_SUCH_INSTANCE: u8 = 0x81;
    /// endOfMibView exception, [CONTEXT 2] primitive.
    pub const END_OF_MIB_VIEW: u8 = 0x82;
}

/// One SNMP value.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum Value {
    /// INTEGER / Integer32.
    Integer(i32),
    /// OCTET STRING (arbitrary bytes; not necessarily text). Short strings are stored
    /// inline (see [`OctetString`]).
    OctetString(OctetString),
    /// NULL (what requests carry).
    Null,
    /// OBJECT IDENTIFIER.
    ObjectId(Oid),
    /// IpAddress (always 4 octets).
    IpAddress([u8; 4]),
    /// Counter32.
    Counter32(u32),
    /// Gauge32 / Unsigned32.
    Gauge32(u32),
    /// TimeTicks, hundredths of a second.
    TimeTicks(u32),
    /// Opaque (the raw BER it wraps, undecoded).
    Opaque(Vec<u8>),
    /// Counter64.
    Counter64(u64),
    /// The v2 exception noSuchObject (RFC 3416 §4.2.1).
    NoSuchObject,
    /// The v2 exception noSuchInstance (RFC 3416 §4.2.1).
    NoSuchInstance,
    /// The v2 exception endOfMibView (RFC 3416 §4.2.2).
    EndOfMibView,
    /// A value with a tag this library does not interpret, kept as-is.
    Unknown {
        /// The BER identifier octet.
        tag: u8,
        /// The content octets.
        data: Vec<u8>,
    },
}

impl Value {
    /// The BER tag this value encodes with.
    pub fn tag(&self) -> u8 {
        match self {
            Value::Integer(_) => tag::INTEGER,
            Value::OctetString(_) => tag::OCTET_STRING,
            Value::Null => tag::NULL,
            Value::ObjectId(_) => tag::OBJECT_IDENTIFIER,
            Value::IpAddress(_) => tag::IP_ADDRESS,
            Value::Counter32(_) => tag::COUNTER32,
            Value::Gauge32(_) => tag::GAUGE32,
            Value::TimeTicks(_) => tag::TIMETICKS,
            Value::Opaque(_) => tag::OPAQUE,
            Value::Counter64(_) => tag::COUNTER64,
            Value::NoSuchObject => tag::NO_SUCH_OBJECT,
            Value::NoSuchInstance => tag::NO_SUCH_INSTANCE,
            Value::EndOfMibView => tag::END_OF_MIB_VIEW,
            Value::Unknown { tag, .. } => *tag,
        }
    }

    /// True for noSuchObject, noSuchInstance and endOfMibView.
    pub fn is_exception(&self) -> bool {
        matches!(
            self,
            Value::NoSuchObject | Value::NoSuchInstance | Value::EndOfMibView
        )
    }

    /// The type name as Net-SNMP prints it before a value (`INTEGER`, `STRING`, `Counter32`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Integer(_) => "INTEGER",
            Value::OctetString(_) => "STRING",
            Value::Null => "NULL",
            Value::ObjectId(_) => "OID",
            Value::IpAddress(_) => "IpAddress",
            Value::Counter32(_) => "Counter32",
            Value::Gauge32(_) => "Gauge32",
            Value::TimeTicks(_) => "Timeticks",
            Value::Opaque(_) => "Opaque",
            Value::Counter64(_) => "Counter64",
            Value::NoSuchObject => "noSuchObject",
            Value::NoSuchInstance => "noSuchInstance",
            Value::EndOfMibView => "endOfMibView",
            Value::Unknown { .. } => "Unknown",
        }
    }

    /// The value as a signed integer, for Integer and the unsigned types that fit.
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Value::Integer(v) => Some(v as i64),
            Value::Counter32(v) | Value::Gauge32(v) | Value::TimeTicks(v) => Some(v as i64),
            Value::Counter64(v) => i64::try_from(v).ok(),
            _ => None,
        }
    }

    /// The value as an unsigned integer, for the unsigned types and non-negative Integers.
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            Value::Integer(v) => u64::try_from(v).ok(),
            Value::Counter32(v) | Value::Gauge32(v) | Value::TimeTicks(v) => Some(v as u64),
            Value::Counter64(v) => Some(v),
            _ => None,
        }
    }

    /// The bytes of an OCTET STRING or Opaque.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::OctetString(b) => Some(b),
            Value::Opaque(b) => Some(b),
            _ => None,
        }
    }

    /// The OCTET STRING as UTF-8 text, if it is valid UTF-8.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::OctetString(b) => std::str::from_utf8(b).ok(),
            _ => None,
        }
    }

    /// The OBJECT IDENTIFIER value.
    pub fn as_oid(&self) -> Option<&Oid> {
        match self {
            Value::ObjectId(o) => Some(o),
            _ => None,
        }
    }

    /// The IpAddress value.
    pub fn as_ip(&self) -> Option<std::net::Ipv4Addr> {
        match *self {
            Value::IpAddress(a) => Some(a.into()),
            _ => None,
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::OctetString(b) => write!(f, "OctetString({b:?})"),
            Value::Integer(v) => write!(f, "Integer({v})"),
            Value::Null => f.write_str("Null"),
            Value::ObjectId(o) => write!(f, "ObjectId({o})"),
            Value::IpAddress(a) => write!(f, "IpAddress({}.{}.{}.{})", a[0], a[1], a[2], a[3]),
            Value::Counter32(v) => write!(f, "Counter32({v})"),
            Value::Gauge32(v) => write!(f, "Gauge32({v})"),
            Value::TimeTicks(v) => write!(f, "TimeTicks({v})"),
            Value::Opaque(b) => write!(f, "Opaque({b:02x?})"),
            Value::Counter64(v) => write!(f, "Counter64({v})"),
            Value::NoSuchObject => f.write_str("NoSuchObject"),
            Value::NoSuchInstance => f.write_str("NoSuchInstance"),
            Value::EndOfMibView => f.write_str("EndOfMibView"),
            Value::Unknown { tag, data } => write!(f, "Unknown(tag={tag:#04x}, {data:02x?})"),
        }
    }
}

impl From<i32> for Value {
    fn from(v: i32) -> Value {
        Value::Integer(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::OctetString(v.into())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::OctetString(v.into())
    }
}
impl From<&[u8]> for Value {
    fn from(v: &[u8]) -> Value {
        Value::OctetString(v.into())
    }
}
impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Value {
        Value::OctetString(v.into())
    }
}
impl From<OctetString> for Value {
    fn from(v: OctetString) -> Value {
        Value::OctetString(v)
    }
}
impl From<Oid> for Value {
    fn from(v: Oid) -> Value {
        Value::ObjectId(v)
    }
}
impl From<std::net::Ipv4Addr> for Value {
    fn from(v: std::net::Ipv4Addr) -> Value {
        Value::IpAddress(v.octets())
    }
}

/// A variable binding: an OID and its value (RFC 3416 §3, `VarBind`).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct VarBind {
    /// The object instance.
    pub oid: Oid,
    /// Its value (`Null` in requests).
    pub value: Value,
}

impl VarBind {
    /// A binding with a `Null` value, as Get/GetNext/GetBulk requests carry.
    pub fn null(oid: Oid) -> VarBind {
        VarBind {
            oid,
            value: Value::Null,
        }
    }

    /// A binding with a value, for Set requests and notifications.
    pub fn new(oid: Oid, value: Value) -> VarBind {
        VarBind { oid, value }
    }

    /// A slot for the decoder to fill in place (its OID has no arcs: NOT a valid binding).
    #[inline]
    pub(crate) fn placeholder() -> VarBind {
        VarBind {
            oid: Oid::PLACEHOLDER,
            value: Value::Null,
        }
    }
}
