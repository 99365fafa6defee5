//! `snmpwalk` and `snmpbulkwalk`, step by step as Net-SNMP 5.9 does them, printing each
//! response as it arrives.
//!
//! - The root is the OID operand (default mib-2, `.1.3.6.1.2.1`); further operands are
//!   ignored. snmpwalk stops at `-CE` OID or, by default, at the root's next sibling;
//!   snmpbulkwalk stops at the first binding outside the root's subtree.
//! - An exception value (endOfMibView, noSuch*) is printed and ends the walk; a v1
//!   noSuchName prints `End of MIB`; any other error-status prints the "Error in packet."
//!   block (exit 2).
//! - Without `-Cc`, an OID not after the previous one prints `Error: OID not increasing`
//!   (exit 1).
//! - When nothing was printed, the root itself is fetched with a Get (unless `-CI`); `-Ci`
//!   fetches it first. `-Cp` prints the count; `-Ct` the elapsed time on stderr.

use super::ctx::Ctx;
use super::usage::App;
use snmpx::session::Operation;
use snmpx::{ErrorStatus, Oid, Session, Value};
use std::cmp::Ordering;
use std::time::Instant;

const MIB2: [u32; 6] = [1, 3, 6, 1, 2, 1];

struct Walk {
    printed: u64,
    exit: u8,
}

/// Runs the application; returns the exit code.
pub fn run(c: &mut Ctx) -> u8 {
    if let Err(code) = c.check_common() {
        return code;
    }
    let bulk = c.app == App::BulkWalk;
    let root: Oid = match c.o.operands.get(1).cloned() {
        Some(n) => match c.resolve(&n) {
            Ok(o) => o,
            Err(msg) => {
                c.log(&format!("{msg}\n"));
                return 1;
            }
        },
        None => Oid::from_slice(&MIB2).expect("mib-2 is a valid OID"),
    };
    let has = |c: &Ctx, l: char| c.o.app.iter().any(|(x, _)| *x == l);
    let mut end: Option<Oid> = None;
    if !bulk {
        if let Some((_, e)) = c.o.app.iter().rev().find(|(l, _)| *l == 'E').cloned() {
            match c.resolve(&e) {
                Ok(o) => end = Some(o),
                Err(msg) => {
                    c.log(&format!("{msg}\n"));
                    return 1;
                }
            }
        }
    }
    let end = end.unwrap_or_else(|| {
        let mut arcs = root.as_slice().to_vec();
        if let Some(last) = arcs.last_mut() {
            *last = last.saturating_add(1);
        }
        Oid::from_slice(&arcs).unwrap_or_else(|_| root.clone())
    });
    let check = !has(c, 'c');
    let include = has(c, 'i');
    let dont_get = has(c, 'I') && !bulk;
    let (mut non_reps, mut reps) = (0u32, 10u32);
    if bulk {
        for (l, v) in &c.o.app {
            let n = v.parse::<i64>().unwrap_or(0).clamp(0, u32::MAX as i64) as u32;
            match l {
                'n' => non_reps = n,
                'r' => reps = n,
                _ => {}
            }
        }
    }
    let session = match c.open() {
        Ok(s) => s,
        Err(code) => return code,
    };
    let started = Instant::now();
    let mut w = Walk {
        printed: 0,
        exit: 0,
    };
    if include {
        get_and_print(c, &session, &root, &mut w);
    }
    let mut name = root.clone();
    let mut last_ok = true;
    let mut running = true;
    while running {
        let op = if bulk {
            Operation::GetBulk {
                non_repeaters: non_reps,
                max_repetitions: reps,
                oids: vec![name.clone()],
            }
        } else {
            Operation::GetNext(vec![name.clone()])
        };
        let resp = match session.request(op) {
            Ok(r) => r,
            Err(e) => {
                last_ok = false;
                w.exit = c.request_failed(&e, false);
                break;
            }
        };
        if resp.status != ErrorStatus::NoError {
            if resp.status == ErrorStatus::NoSuchName {
                let _ = std::io::Write::write_all(c.out(), b"End of MIB\n");
            } else {
                w.exit = c.packet_error(true, resp.status, resp.index, &resp.varbinds);
            }
            break;
        }
        let n = resp.varbinds.len();
        for (k, vb) in resp.varbinds.iter().enumerate() {
            let outside = if bulk {
                !vb.oid.starts_with(&root)
            } else {
                end.as_slice().cmp(vb.oid.as_slice()) != Ordering::Greater
            };
            if outside {
                running = false;
                continue;
            }
            w.printed += 1;
            c.print_varbind(vb);
            let exception = matches!(
                vb.value,
                Value::EndOfMibView | Value::NoSuchObject | Value::NoSuchInstance
            );
            if exception {
                running = false;
                continue;
            }
            if check && name.as_slice().cmp(vb.oid.as_slice()) != Ordering::Less {
                let msg = format!(
                    "Error: OID not increasing: {}\n >= {}\n",
                    c.oid_text(&name),
                    c.oid_text(&vb.oid)
                );
                c.err(&msg);
                running = false;
                w.exit = 1;
            }
            if k + 1 == n {
                name = vb.oid.clone();
            }
        }
        if n == 0 {
            running = false;
        }
    }
    if w.printed == 0 && last_ok && !dont_get {
        get_and_print(c, &session, &root, &mut w);
    }
    if has(c, 't') {
        let msg = format!(
            "Total traversal time = {:.6} seconds\n",
            started.elapsed().as_secs_f64()
        );
        c.err(&msg);
    }
    if has(c, 'p') {
        let line = format!("Variables found: {}\n", w.printed);
        let _ = std::io::Write::write_all(c.out(), line.as_bytes());
    }
    w.exit
}

/// `snmp_get_and_print`: a Get of `oid`; bindings are printed only on a clean answer.
fn get_and_print(c: &mut Ctx, s: &Session, oid: &Oid, w: &mut Walk) {
    if let Ok(resp) = s.request(Operation::Get(vec![oid.clone()])) {
        if resp.status == ErrorStatus::NoError {
            for vb in &resp.varbinds {
                w.printed += 1;
                c.print_varbind(vb);
            }
        }
    }
}
