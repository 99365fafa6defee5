//! `snmptranslate OID...`: each operand is read as Net-SNMP's `read_objid` reads it (a path
//! from the root, numeric or labelled; `MODULE::name`; with `-IR` any descriptor) and printed
//! with the `-O` options (default `MODULE::name`). The first operand that does not resolve
//! ends the run with exit code 2. Reports selected with `-T` other than the default are not
//! provided (stated on stderr, exit 1).

use super::ctx::Ctx;
use std::io::Write;

/// Runs snmptranslate; returns the exit code.
pub fn run(c: &mut Ctx) -> u8 {
    if c.o.operands.is_empty() {
        return c.usage_error("");
    }
    if let Some((_, t)) = c.o.app.iter().find(|(k, v)| *k == 'T' && !v.is_empty()) {
        let msg = format!("snmptranslate: -T{t} reports are not provided by snmpx\n");
        c.err(&msg);
        return 1;
    }
    let random = c.o.random_access;
    let mut first_output = true;
    for name in c.o.operands.clone() {
        let first = name.trim_start_matches('.').split('.').next().unwrap_or("");
        let from_root = name.starts_with('.')
            || name.contains("::")
            || first.bytes().all(|b| b.is_ascii_digit())
            || matches!(first, "iso" | "ccitt" | "joint-iso-ccitt");
        if !random && !from_root {
            c.log(&format!(
                "{name}: Unknown Object Identifier (Sub-id not found: (top) -> {first})\n"
            ));
            return 2;
        }
        match c.resolve(&name) {
            Ok(oid) => {
                // Several results are separated by an empty line.
                let sep = if first_output { "" } else { "\n" };
                first_output = false;
                let line = format!("{sep}{}\n", c.oid_text(&oid));
                let _ = c.out().write_all(line.as_bytes());
            }
            Err(_) if random => {
                c.err(&format!("Unknown object identifier: {name}\n"));
                return 2;
            }
            Err(msg) => {
                let root_path = name.trim_start_matches('.');
                let msg = match root_path.split_once('.') {
                    Some(("iso" | "ccitt" | "joint-iso-ccitt", rest)) => {
                        format!("{name}: Unknown Object Identifier ({rest})")
                    }
                    _ => msg,
                };
                c.log(&format!("{msg}\n"));
                return 2;
            }
        }
    }
    0
}
