//! BER bytes <-> TLVs for the definite-length subset SNMP uses (X.690, RFC 3417 §8).
//! Knows nothing of SNMP beyond the primitive types' content rules.

mod reader;
mod writer;

#[cfg(test)]
mod tests;

pub(crate) use reader::decode_oid_into;
pub use reader::{
    decode_i32, decode_null, decode_oid, decode_u32, decode_u64, Reader, Tlv, MAX_DEPTH,
};
pub use writer::{Mark, Writer};

/// Why bytes are not acceptable BER.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BerError {
    /// The data ends before an element does (or a length exceeds what is present).
    #[error("truncated: element extends past the end of the data")]
    Truncated,
    /// The indefinite length form `0x80` (forbidden in SNMP).
    #[error("indefinite length is not allowed")]
    IndefiniteLength,
    /// A long-form length of more than 4 octets.
    #[error("length field too long")]
    LengthTooLong,
    /// A high-tag-number identifier (`0x1f` low bits).
    #[error("high tag numbers are not used by SNMP")]
    HighTagNumber,
    /// A tag other than the one the grammar requires here.
    #[error("expected tag {expected:#04x}, found {found:#04x}")]
    UnexpectedTag {
        /// The tag required.
        expected: u8,
        /// The tag present.
        found: u8,
    },
    /// An INTEGER with no content octets.
    #[error("integer with no content")]
    EmptyInteger,
    /// An integer outside the range of its type.
    #[error("integer out of range for its type")]
    IntegerOverflow,
    /// A malformed OBJECT IDENTIFIER.
    #[error("bad OID encoding: {0}")]
    BadOid(&'static str),
    /// A primitive whose content length is wrong for its type.
    #[error("bad length: {0}")]
    BadLength(&'static str),
    /// Bytes left over after a complete element where none may be.
    #[error("{0} trailing bytes after the element")]
    TrailingData(usize),
    /// Constructed elements nested deeper than [`MAX_DEPTH`].
    #[error("elements nested too deeply")]
    TooDeep,
    /// A value of a type not allowed where it appeared.
    #[error("invalid value: {0}")]
    Invalid(&'static str),
}
