//! OID text parsing: no panic; what parses prints back to text that parses to the same OID.
#![no_main]

use libfuzzer_sys::fuzz_target;
use snmpx::Oid;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(oid) = text.parse::<Oid>() {
        let again: Oid = oid.to_string().parse().expect("printed OID parses");
        assert_eq!(again, oid);
    }
    // The built-in MIB's name resolution must not panic on any text either.
    static MIB: std::sync::OnceLock<snmpx::mib::Mib> = std::sync::OnceLock::new();
    let mib = MIB.get_or_init(|| snmpx::mib::builtin_mib().0);
    let _ = mib.resolve(text);
});
