//! `snmpset AGENT OID TYPE VALUE [OID TYPE VALUE]...`: operands are read as triples (the
//! type is the first letter of its word), every binding is built and checked, one
//! SetRequest is sent and the agent's answer printed (`-Cq`: nothing on success).

use super::ctx::Ctx;
use super::setvalue::{parse_value, Checks};
use snmpx::session::Operation;
use snmpx::{ErrorStatus, VarBind};

const TYPES: &str = "=iu3taosxdbnUIFD";

/// Runs snmpset; returns the exit code.
pub fn run(c: &mut Ctx) -> u8 {
    if let Err(code) = c.check_common() {
        return code;
    }
    let ops: Vec<String> = c.o.operands[1..].to_vec();
    if ops.is_empty() {
        return c.usage_error("Missing object name\n");
    }
    let mut triples: Vec<(String, char, String)> = Vec::new();
    let mut i = 0;
    while i < ops.len() {
        let name = ops[i].clone();
        let Some(t) = ops.get(i + 1) else {
            c.err(&format!("{name}: Needs type and value\n"));
            return 1;
        };
        let ty = t.chars().next().unwrap_or('\0');
        if !TYPES.contains(ty) || ty == '\0' {
            c.err(&format!("{name}: Bad object type: {ty}\n"));
            return 1;
        }
        let Some(v) = ops.get(i + 2) else {
            c.err(&format!("{name}: Needs value\n"));
            return 1;
        };
        triples.push((name, ty, v.clone()));
        i += 3;
    }
    let session = match c.open() {
        Ok(s) => s,
        Err(code) => return code,
    };
    let checks = Checks {
        no_range: c.o.input.no_range_check,
        no_hint: c.o.input.no_hints,
    };
    let mut vbs = Vec::with_capacity(triples.len());
    let mut failures = 0;
    for (name, ty, v) in &triples {
        let oid = match c.resolve(name) {
            Ok(o) => o,
            Err(msg) => {
                c.log(&format!("{msg}\n"));
                failures += 1;
                continue;
            }
        };
        let mib = c.mib.clone();
        let mut resolve = |t: &str| -> Result<snmpx::Oid, String> {
            c.resolve(t)
                .map_err(|m| m.split_once(": ").map(|(_, r)| r.to_string()).unwrap_or(m))
        };
        match parse_value(&mib, &oid, *ty, v, checks, &mut resolve) {
            Ok(value) => vbs.push(VarBind::new(oid, value)),
            Err(e) => {
                c.log(&format!("{name}: {}\n", e.0));
                failures += 1;
            }
        }
    }
    if failures > 0 {
        return 1;
    }
    let quiet = c.o.app.iter().any(|(l, _)| *l == 'q');
    match session.request(Operation::Set(vbs)) {
        Ok(resp) if resp.status == ErrorStatus::NoError => {
            if !quiet {
                for vb in &resp.varbinds {
                    c.print_varbind(vb);
                }
            }
            0
        }
        Ok(resp) => c.packet_error(true, resp.status, resp.index, &resp.varbinds),
        Err(e) => c.request_failed(&e, false),
    }
}
