//! MIB module text: any bytes parse or give an error, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = snmpx::mib::check_syntax(data);
});
