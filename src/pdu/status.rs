//! The error-status field as an open enum (RFC 3416 §3, the 19 defined codes; any other
//! value an agent sends is kept as `Other`).

use std::fmt;

/// An SNMP error-status. Unknown codes are preserved in `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorStatus {
    /// noError(0).
    NoError,
    /// tooBig(1).
    TooBig,
    /// noSuchName(2) (v1).
    NoSuchName,
    /// badValue(3) (v1).
    BadValue,
    /// readOnly(4) (v1).
    ReadOnly,
    /// genErr(5).
    GenErr,
    /// noAccess(6).
    NoAccess,
    /// wrongType(7).
    WrongType,
    /// wrongLength(8).
    WrongLength,
    /// wrongEncoding(9).
    WrongEncoding,
    /// wrongValue(10).
    WrongValue,
    /// noCreation(11).
    NoCreation,
    /// inconsistentValue(12).
    InconsistentValue,
    /// resourceUnavailable(13).
    ResourceUnavailable,
    /// commitFailed(14).
    CommitFailed,
    /// undoFailed(15).
    UndoFailed,
    /// authorizationError(16).
    AuthorizationError,
    /// notWritable(17).
    NotWritable,
    /// inconsistentName(18).
    InconsistentName,
    /// Any other code.
    Other(i32),
}

const NAMES: [(ErrorStatus, &str); 19] = [
    (ErrorStatus::NoError, "noError"),
    (ErrorStatus::TooBig, "tooBig"),
    (ErrorStatus::NoSuchName, "noSuchName"),
    (ErrorStatus::BadValue, "badValue"),
    (ErrorStatus::ReadOnly, "readOnly"),
    (ErrorStatus::GenErr, "genErr"),
    (ErrorStatus::NoAccess, "noAccess"),
    (ErrorStatus::WrongType, "wrongType"),
    (ErrorStatus::WrongLength, "wrongLength"),
    (ErrorStatus::WrongEncoding, "wrongEncoding"),
    (ErrorStatus::WrongValue, "wrongValue"),
    (ErrorStatus::NoCreation, "noCreation"),
    (ErrorStatus::InconsistentValue, "inconsistentValue"),
    (ErrorStatus::ResourceUnavailable, "resourceUnavailable"),
    (ErrorStatus::CommitFailed, "commitFailed"),
    (ErrorStatus::UndoFailed, "undoFailed"),
    (ErrorStatus::AuthorizationError, "authorizationError"),
    (ErrorStatus::NotWritable, "notWritable"),
    (ErrorStatus::InconsistentName, "inconsistentName"),
];

impl ErrorStatus {
    /// The status for a wire code.
    pub fn from_i32(code: i32) -> ErrorStatus {
        usize::try_from(code)
            .ok()
            .and_then(|i| NAMES.get(i))
            .map(|(s, _)| *s)
            .unwrap_or(ErrorStatus::Other(code))
    }

    /// The wire code.
    pub fn code(self) -> i32 {
        match self {
            ErrorStatus::Other(c) => c,
            s => NAMES.iter().position(|(n, _)| *n == s).unwrap_or(0) as i32,
        }
    }

    /// The RFC name (`notWritable`), or `error(N)` for unknown codes.
    pub fn name(self) -> std::borrow::Cow<'static, str> {
        match self {
            ErrorStatus::Other(c) => format!("error({c})").into(),
            s => NAMES[s.code() as usize].1.into(),
        }
    }
}

impl fmt::Display for ErrorStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_codes_round_trip() {
        for c in -2..25 {
            assert_eq!(ErrorStatus::from_i32(c).code(), c);
        }
        assert_eq!(ErrorStatus::from_i32(17), ErrorStatus::NotWritable);
        assert_eq!(ErrorStatus::NotWritable.to_string(), "notWritable");
        assert_eq!(ErrorStatus::from_i32(99).to_string(), "error(99)");
        assert_eq!(ErrorStatus::InconsistentName.code(), 18);
    }
}
