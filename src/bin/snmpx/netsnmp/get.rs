//! `snmpget`, `snmpgetnext` and `snmpbulkget`.
//!
//! snmpget/snmpgetnext: every OID operand is parsed (all bad ones reported), one request is
//! sent; an error-status prints the "Error in packet" block and, unless `-Cf`, the request
//! is sent again without the failed binding (Net-SNMP's `snmp_fix_pdu`), exit code 2.
//! snmpbulkget: `-Cn` non-repeaters (default 0), `-Cr` max-repetitions (default 10); the
//! first bad OID ends the run.

use super::ctx::Ctx;
use super::usage::App;
use snmpx::session::Operation;
use snmpx::{ErrorStatus, Oid, Value, VarBind};

/// Runs the application; returns the exit code.
pub fn run(c: &mut Ctx) -> u8 {
    if let Err(code) = c.check_common() {
        return code;
    }
    if c.o.operands.len() < 2 {
        return c.usage_error("Missing object name\n");
    }
    let names: Vec<String> = c.o.operands[1..].to_vec();
    if c.app == App::BulkGet {
        return bulkget(c, &names);
    }
    let mut oids: Vec<Oid> = Vec::with_capacity(names.len());
    let mut failures = 0;
    for n in &names {
        match c.resolve(n) {
            Ok(o) => oids.push(o),
            Err(msg) => {
                c.log(&format!("{msg}\n"));
                failures += 1;
            }
        }
    }
    if failures > 0 {
        return 1;
    }
    let session = match c.open() {
        Ok(s) => s,
        Err(code) => return code,
    };
    let no_fix = c.o.app.iter().any(|(l, _)| *l == 'f');
    let next = c.app == App::GetNext;
    let mut exit = 0;
    loop {
        let op = if next {
            Operation::GetNext(oids.clone())
        } else {
            Operation::Get(oids.clone())
        };
        let resp = match session.request(op) {
            Ok(r) => r,
            Err(e) => return c.request_failed(&e, true),
        };
        if resp.status == ErrorStatus::NoError {
            for vb in &resp.varbinds {
                c.print_varbind(vb);
            }
            return exit;
        }
        let sent: Vec<VarBind> = if resp.varbinds.len() == oids.len() {
            resp.varbinds.clone()
        } else {
            oids.iter()
                .map(|o| VarBind::new(o.clone(), Value::Null))
                .collect()
        };
        exit = c.packet_error(false, resp.status, resp.index, &sent);
        // snmp_fix_pdu: retry without the failed binding when the index names one.
        let idx = resp.index as usize;
        if no_fix || idx == 0 || idx > oids.len() || oids.len() == 1 {
            return exit;
        }
        oids.remove(idx - 1);
    }
}

fn bulkget(c: &mut Ctx, names: &[String]) -> u8 {
    let mut oids = Vec::with_capacity(names.len());
    for n in names {
        match c.resolve(n) {
            Ok(o) => oids.push(o),
            Err(msg) => {
                c.log(&format!("{msg}\n"));
                return 1;
            }
        }
    }
    let mut non_repeaters = 0u32;
    let mut max_repetitions = 10u32;
    for (l, v) in &c.o.app {
        let n = v.parse::<i64>().unwrap_or(0).clamp(0, u32::MAX as i64) as u32;
        match l {
            'n' => non_repeaters = n,
            'r' => max_repetitions = n,
            _ => {}
        }
    }
    let session = match c.open() {
        Ok(s) => s,
        Err(code) => return code,
    };
    let op = Operation::GetBulk {
        non_repeaters,
        max_repetitions,
        oids,
    };
    match session.request(op) {
        Ok(resp) if resp.status == ErrorStatus::NoError => {
            for vb in &resp.varbinds {
                c.print_varbind(vb);
            }
            0
        }
        Ok(resp) => c.packet_error(true, resp.status, resp.index, &resp.varbinds),
        Err(e) => c.request_failed(&e, false),
    }
}
