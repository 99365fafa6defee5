//! OIDs given by C callers: numeric text now; MIB names once the resolver lands (this is the
//! one place that will call it).

use super::result::{snmpx_result, Fail};
use crate::oid::Oid;

/// Parses an OID given as text: `1.3.6.1.2.1.1.1.0` or `.1.3.6.1.2.1.1.1.0`. Names
/// (`sysDescr.0`, `SNMPv2-MIB::sysDescr.0`) need the MIB resolver and fail with
/// `SNMPX_E_NOT_SUPPORTED` until it is part of the build.
pub(crate) fn parse_oid(text: &str) -> Result<Oid, Fail> {
    text.parse::<Oid>().map_err(|e| {
        let t = text.trim();
        let looks_like_name = t.bytes().any(|b| b.is_ascii_alphabetic());
        if looks_like_name {
            Fail::new(
                snmpx_result::SNMPX_E_NOT_SUPPORTED,
                format!("{t:?}: OID names need the MIB resolver, not in this build yet; use numeric OIDs"),
            )
        } else {
            Fail::new(snmpx_result::SNMPX_E_PARSE, format!("{e}"))
        }
    })
}

/// An OID from numeric arcs.
pub(crate) fn oid_from_arcs(arcs: &[u32]) -> Result<Oid, Fail> {
    Oid::from_slice(arcs).map_err(|e| Fail::new(snmpx_result::SNMPX_E_INVALID, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_forms_and_names() {
        assert_eq!(
            parse_oid(".1.3.6.1").unwrap(),
            parse_oid("1.3.6.1").unwrap()
        );
        assert_eq!(
            parse_oid("sysDescr.0").err().unwrap().code,
            snmpx_result::SNMPX_E_NOT_SUPPORTED
        );
        assert_eq!(
            parse_oid("1..3").err().unwrap().code,
            snmpx_result::SNMPX_E_PARSE
        );
        assert_eq!(
            oid_from_arcs(&[]).err().unwrap().code,
            snmpx_result::SNMPX_E_INVALID
        );
        assert_eq!(
            oid_from_arcs(&[5, 1]).err().unwrap().code,
            snmpx_result::SNMPX_E_INVALID
        );
    }
}
