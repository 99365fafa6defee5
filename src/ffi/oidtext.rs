//! OIDs given by C callers: numeric text, or names resolved by the process's MIB resolver
//! (the one place the C surface calls it).

use super::result::{code_of, snmpx_result, Fail};
use crate::oid::Oid;
use crate::session::ToOid;

/// Parses an OID given as text: `1.3.6.1.2.1.1.1.0`, `.1.3.6.1.2.1.1.1.0`, or a name the MIB
/// resolver knows (`sysDescr.0`, `SNMPv2-MIB::sysDescr.0`, `IF-MIB::ifDescr.3`,
/// `.iso.org.dod...`). Unknown names fail with `SNMPX_E_MIB_UNKNOWN_OBJECT`, bad numeric text
/// with `SNMPX_E_PARSE`.
pub(crate) fn parse_oid(text: &str) -> Result<Oid, Fail> {
    text.trim()
        .to_oid()
        .map_err(|e| Fail::new(code_of(&e), e.to_string()))
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
            parse_oid("SNMPv2-MIB::sysDescr.0").unwrap().to_string(),
            "1.3.6.1.2.1.1.1.0"
        );
        assert_eq!(
            parse_oid("noSuchThingAnywhere.0").err().unwrap().code,
            snmpx_result::SNMPX_E_MIB_UNKNOWN_OBJECT
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
