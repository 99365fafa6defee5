//! `snmptranslate OID...`: each operand is read as Net-SNMP's `read_objid` reads it (a path
//! from the root, numeric or labelled; `MODULE::name`; with `-IR` any descriptor) and printed
//! with the `-O` options (default `MODULE::name`). The first operand that does not resolve
//! ends the run with exit code 2.
//!
//! `-T` reports (Net-SNMP 5.9.3's letters `B d p a l o s z t`): without an operand, `-Tl`,
//! `-To`, `-Ts` and `-Tz` list every node of the loaded tree (see [`report`]); with an
//! operand they do nothing, as in Net-SNMP. `-Tp`, `-Td`, `-Ta`, `-Tt` and `-TB` need MIB
//! text the resolver does not keep (descriptions, Net-SNMP's internal type and TC numbers,
//! its hash-ordered child lists) and are refused (stated on stderr, exit 1).

use super::ctx::Ctx;
use std::io::Write;

/// The report letters Net-SNMP 5.9.3 accepts after `-T`.
const T_LETTERS: &str = "Bdpaloszt";
/// The ones provided.
const T_PROVIDED: &str = "losz";

/// Runs snmptranslate; returns the exit code.
pub fn run(c: &mut Ctx) -> u8 {
    let letters: String =
        c.o.app
            .iter()
            .filter(|(k, _)| *k == 'T')
            .map(|(_, v)| v.as_str())
            .collect();
    if let Some(bad) = letters.chars().find(|ch| !T_LETTERS.contains(*ch)) {
        return c.usage_error(&format!("Invalid -T<lostpad> character: {bad}\n"));
    }
    if let Some(t) = letters.chars().find(|ch| !T_PROVIDED.contains(*ch)) {
        let msg = format!("snmptranslate: -T{t} reports are not provided by snmpx\n");
        c.err(&msg);
        return 1;
    }
    if c.o.operands.is_empty() {
        if letters.is_empty() {
            return c.usage_error("");
        }
        report(c, &letters);
        return 0;
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

/// `-Tl -To -Ts -Tz` without an operand: every node below the three roots, depth first with
/// children in sub-identifier order (`iso` first, then `ccitt`, then `joint-iso-ccitt`, as
/// Net-SNMP lists its roots), one line per selected report and node, in the order labelled
/// (`.iso(1).org(3)`), numeric (`.1.3`), symbolic (`.iso.org`), then `"org"\t\t\t"1.3"`.
fn report(c: &mut Ctx, letters: &str) {
    let want = |ch| letters.contains(ch);
    let flags = [want('l'), want('o'), want('s'), want('z')];
    let mib = c.mib.clone();
    let mut text = String::new();
    let roots = mib.children(&[]);
    for sub in [1, 0, 2] {
        let Some((_, label)) = roots.iter().find(|(s, _)| *s == sub) else {
            continue;
        };
        let mut path = vec![(sub, label_text(sub, label))];
        walk(&mib, &mut path, flags, &mut text);
    }
    let _ = c.out().write_all(text.as_bytes());
}

fn label_text(sub: u32, label: &Option<std::sync::Arc<str>>) -> String {
    label
        .as_deref()
        .map_or_else(|| sub.to_string(), str::to_string)
}

fn walk(mib: &snmpx::mib::Mib, path: &mut Vec<(u32, String)>, f: [bool; 4], out: &mut String) {
    use std::fmt::Write;
    let arcs: Vec<u32> = path.iter().map(|(s, _)| *s).collect();
    for (sub, label) in mib.children(&arcs) {
        path.push((sub, label_text(sub, &label)));
        let numeric: Vec<String> = path.iter().map(|(s, _)| s.to_string()).collect();
        if f[0] {
            for (s, l) in path.iter() {
                let _ = write!(out, ".{l}({s})");
            }
            out.push('\n');
        }
        if f[1] {
            let _ = writeln!(out, ".{}", numeric.join("."));
        }
        if f[2] {
            for (_, l) in path.iter() {
                let _ = write!(out, ".{l}");
            }
            out.push('\n');
        }
        if f[3] {
            let last = &path.last().expect("pushed above").1;
            let _ = writeln!(out, "\"{last}\"\t\t\t\"{}\"", numeric.join("."));
        }
        walk(mib, path, f, out);
        path.pop();
    }
}
