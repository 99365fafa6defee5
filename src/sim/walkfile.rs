//! Recorded walks: parses `snmpwalk -On` output (Net-SNMP 5.x) into a [`Mib`] that replays it.
//!
//! Understood value forms: `STRING: "text"` (with `\"` and `\\` escapes, possibly spanning
//! lines) and unquoted `STRING: text`, `Hex-STRING: 0A 1B ..` (possibly wrapped over lines),
//! `""` (empty string), `INTEGER: 5`, `INTEGER: up(1)`, `INTEGER: 42 seconds`, `Counter32`,
//! `Gauge32`, `Unsigned32`, `Counter64`, `Timeticks: (123) 0:00:01.23` or `Timeticks: 123`,
//! `OID: .1.3.6...`, `IpAddress: 1.2.3.4`, `Network Address: AC:10:00:01`, `BITS: 80 00 ..`,
//! `Opaque: Float: 1.5`, `Opaque: Double: 1.5`, `Opaque: <hex>`, `NULL`, and Net-SNMP's
//! `Wrong Type (should be X): T: v` prefix. Lines Net-SNMP prints for exceptions
//! ("No more variables left…", "No Such Object…", "No Such Instance…") are ignored. Records
//! that cannot be understood are skipped and reported in [`WalkData::skipped`].

use super::mib::{Access, Constraint, Entry, Mib, Source};
use crate::oid::Oid;
use crate::value::Value;
use std::path::Path;

/// The result of parsing a walk file.
#[derive(Clone, Debug, Default)]
pub struct WalkData {
    /// The parsed bindings, in file order.
    pub varbinds: Vec<crate::value::VarBind>,
    /// Records that were not understood: (1-based line number, reason).
    pub skipped: Vec<(usize, String)>,
}

impl WalkData {
    /// A MIB replaying these bindings. sysContact.0, sysName.0 and sysLocation.0 are writable
    /// (as in real agents); everything else is read-only.
    pub fn to_mib(&self) -> Mib {
        let writable: [[u32; 9]; 3] = [
            [1, 3, 6, 1, 2, 1, 1, 4, 0],
            [1, 3, 6, 1, 2, 1, 1, 5, 0],
            [1, 3, 6, 1, 2, 1, 1, 6, 0],
        ];
        let entries = self
            .varbinds
            .iter()
            .map(|vb| {
                let w = matches!(vb.value, Value::OctetString(_))
                    && writable.iter().any(|o| vb.oid.as_slice() == o);
                Entry {
                    oid: vb.oid.clone(),
                    source: Source::Static(vb.value.clone()),
                    access: if w {
                        Access::ReadWrite
                    } else {
                        Access::ReadOnly
                    },
                    constraint: if w {
                        Constraint::MaxLen(255)
                    } else {
                        Constraint::None
                    },
                }
            })
            .collect();
        Mib::from_entries(entries, None)
    }
}

/// Reads and parses a walk file.
pub fn load(path: &Path) -> std::io::Result<WalkData> {
    let bytes = std::fs::read(path)?;
    Ok(parse(&String::from_utf8_lossy(&bytes)))
}

/// True if `line` starts a record: a numeric OID, then ` = `.
fn record_start(line: &str) -> Option<(&str, &str)> {
    let (oid, rest) = line.split_once(" = ").or_else(|| {
        // `.1.3 =` with nothing after (should not happen, but do not treat it as text).
        line.strip_suffix(" =").map(|o| (o, ""))
    })?;
    let o = oid.trim_start_matches('.');
    if o.is_empty() || !o.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    Some((oid, rest))
}

/// Parses `snmpwalk -On` output.
pub fn parse(text: &str) -> WalkData {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = WalkData::default();
    let mut i = 0;
    while i < lines.len() {
        let lineno = i + 1;
        let line = lines[i].trim_end_matches('\r');
        i += 1;
        let Some((oid_text, rest)) = record_start(line) else {
            if !line.trim().is_empty() && !is_exception_text(line) {
                out.skipped.push((lineno, "not a record line".into()));
            }
            continue;
        };
        let oid: Oid = match oid_text.parse() {
            Ok(o) => o,
            Err(e) => {
                out.skipped.push((lineno, e.to_string()));
                continue;
            }
        };
        if is_exception_text(rest) {
            continue;
        }
        // Gather the whole value text: a quoted string may run over several lines, and a
        // Hex-STRING is wrapped every 16 octets.
        let mut value = rest.to_string();
        if let Some(s) = quoted_start(&value) {
            let mut closed = quote_end(s).is_some();
            while !closed && i < lines.len() {
                value.push('\n');
                value.push_str(lines[i].trim_end_matches('\r'));
                i += 1;
                closed = quoted_start(&value).and_then(quote_end).is_some();
            }
        } else if is_hex_typed(&value) {
            while i < lines.len() && record_start(lines[i]).is_none() && is_hex_line(lines[i]) {
                value.push(' ');
                value.push_str(lines[i]);
                i += 1;
            }
        }
        match parse_value(&value) {
            Ok(v) => out.varbinds.push(crate::value::VarBind::new(oid, v)),
            Err(e) => out.skipped.push((lineno, e)),
        }
    }
    out
}

fn is_exception_text(s: &str) -> bool {
    let s = s.trim_start();
    s.starts_with("No more variables left")
        || s.starts_with("No Such Object")
        || s.starts_with("No Such Instance")
        || s.starts_with("End of MIB")
}

fn is_hex_typed(v: &str) -> bool {
    let v = strip_wrong_type(v);
    ["Hex-STRING:", "BITS:", "Opaque:", "Network Address:"]
        .iter()
        .any(|p| v.starts_with(p))
}

fn is_hex_line(l: &str) -> bool {
    let t = l.trim();
    !t.is_empty()
        && t.split_ascii_whitespace()
            .all(|w| w.len() <= 2 && w.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `Wrong Type (should be X): T: v` -> `T: v`.
fn strip_wrong_type(v: &str) -> &str {
    if let Some(r) = v.strip_prefix("Wrong Type (should be ") {
        if let Some((_, after)) = r.split_once("): ") {
            return after;
        }
    }
    v
}

/// If the value is a quoted string (`STRING: "…` or `"…`), the text from the opening quote.
fn quoted_start(v: &str) -> Option<&str> {
    let v = strip_wrong_type(v);
    let s = v.strip_prefix("STRING: ").unwrap_or(v);
    s.starts_with('"').then_some(s)
}

/// The byte offset of the closing quote of `s` (which starts with a quote).
fn quote_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

fn unescape(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            out.push(b[i + 1]);
            i += 2;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

fn hex_bytes(s: &str) -> Result<Vec<u8>, String> {
    s.split(|c: char| c.is_ascii_whitespace() || c == ':')
        .filter(|w| !w.is_empty())
        .map(|w| u8::from_str_radix(w, 16).map_err(|_| format!("bad hex octet {w:?}")))
        .collect()
}

/// The leading (optionally signed) decimal number of `s`, as in `up(1)` → 1 or `42 sec` → 42.
fn leading_int(s: &str) -> Result<i128, String> {
    let s = s.trim();
    let num = match (s.find('('), s.ends_with(')')) {
        (Some(p), true) => &s[p + 1..s.len() - 1],
        _ => s.split_ascii_whitespace().next().unwrap_or(""),
    };
    num.parse::<i128>().map_err(|_| format!("bad number {s:?}"))
}

fn parse_value(v: &str) -> Result<Value, String> {
    let v = strip_wrong_type(v.trim_end_matches([' ', '\r']));
    if v == "\"\"" {
        return Ok(Value::OctetString(Vec::new().into()));
    }
    if v == "NULL" {
        return Ok(Value::Null);
    }
    let (ty, body) = v
        .split_once(": ")
        .or_else(|| v.strip_suffix(':').map(|t| (t, "")))
        .ok_or_else(|| format!("no type in {v:?}"))?;
    let int = |lo: i128, hi: i128| -> Result<i128, String> {
        let n = leading_int(body)?;
        if n < lo || n > hi {
            return Err(format!("{ty} value {n} out of range"));
        }
        Ok(n)
    };
    let u32max = u32::MAX as i128;
    Ok(match ty {
        "STRING" => match quoted_start(body) {
            Some(q) => {
                let end = quote_end(q).ok_or("unterminated string")?;
                Value::OctetString(unescape(&q[1..end]).into())
            }
            None => Value::OctetString(body.as_bytes().to_vec().into()),
        },
        "Hex-STRING" => Value::OctetString(hex_bytes(body)?.into()),
        "BITS" => {
            // `BITS: 80 00 name(0) …`: the octets come first, then labels.
            let hex: Vec<&str> = body
                .split_ascii_whitespace()
                .take_while(|w| w.len() <= 2 && w.bytes().all(|b| b.is_ascii_hexdigit()))
                .collect();
            Value::OctetString(hex_bytes(&hex.join(" "))?.into())
        }
        "INTEGER" | "Integer32" => Value::Integer(int(i32::MIN as i128, i32::MAX as i128)? as i32),
        "Counter32" => Value::Counter32(int(0, u32max)? as u32),
        "Gauge32" | "Unsigned32" | "UInteger32" => Value::Gauge32(int(0, u32max)? as u32),
        "Counter64" => Value::Counter64(int(0, u64::MAX as i128)? as u64),
        "Timeticks" => {
            let b = body.trim();
            let n = match b.strip_prefix('(') {
                Some(r) => r.split(')').next().unwrap_or(""),
                None => b.split_ascii_whitespace().next().unwrap_or(""),
            };
            Value::TimeTicks(n.parse().map_err(|_| format!("bad Timeticks {b:?}"))?)
        }
        "OID" => Value::ObjectId(parse_oid_value(body.trim())?),
        "IpAddress" => {
            let ip: std::net::Ipv4Addr = body
                .trim()
                .parse()
                .map_err(|_| format!("bad IpAddress {body:?}"))?;
            Value::IpAddress(ip.octets())
        }
        "Network Address" => {
            let b = hex_bytes(body)?;
            Value::IpAddress(
                b.try_into()
                    .map_err(|_| "Network Address is not 4 octets")?,
            )
        }
        "Opaque" => parse_opaque(body.trim())?,
        other => return Err(format!("unsupported type {other:?}")),
    })
}

/// OID values: numeric (with or without the leading dot) or the few symbolic forms Net-SNMP
/// prints even with `-On` when no MIB is loaded for them.
fn parse_oid_value(s: &str) -> Result<Oid, String> {
    match s {
        "ccitt.0" | "SNMPv2-SMI::zeroDotZero" | ".0.0" | "0.0" => {
            Ok(Oid::from_slice(&[0, 0]).expect("valid"))
        }
        _ => s.parse().map_err(|e: crate::oid::OidError| e.to_string()),
    }
}

/// `Float: 1.5` / `Double: 1.5` (Net-SNMP's opaque-wrapped float types) or raw hex.
fn parse_opaque(s: &str) -> Result<Value, String> {
    if let Some(f) = s.strip_prefix("Float: ") {
        let x: f32 = f.trim().parse().map_err(|_| format!("bad Float {f:?}"))?;
        let mut b = vec![0x9f, 0x78, 4];
        b.extend_from_slice(&x.to_be_bytes());
        return Ok(Value::Opaque(b));
    }
    if let Some(f) = s.strip_prefix("Double: ") {
        let x: f64 = f.trim().parse().map_err(|_| format!("bad Double {f:?}"))?;
        let mut b = vec![0x9f, 0x79, 8];
        b.extend_from_slice(&x.to_be_bytes());
        return Ok(Value::Opaque(b));
    }
    let s = s.strip_prefix("Hex-STRING: ").unwrap_or(s);
    Ok(Value::Opaque(hex_bytes(s)?))
}

/// Formats one binding as an `snmpwalk -On` line (without the newline), the way Net-SNMP
/// prints it when no MIB describes the object: the inverse of [`parse`].
pub fn format_line(vb: &crate::value::VarBind) -> String {
    format!(".{} = {}", vb.oid, format_value(&vb.value))
}

/// Formats a value as Net-SNMP prints it after ` = ` (`STRING: "x"`, `INTEGER: 5`, ...).
pub fn format_value(v: &Value) -> String {
    match v {
        Value::OctetString(b) if b.is_empty() => "\"\"".into(),
        Value::OctetString(b) if b.iter().all(|&c| is_print(c) || is_space(c)) => {
            let mut s = String::with_capacity(b.len() + 10);
            s.push_str("STRING: \"");
            for &c in b.iter() {
                if c == b'"' || c == b'\\' {
                    s.push('\\');
                }
                s.push(c as char);
            }
            s.push('"');
            s
        }
        Value::OctetString(b) => format!("Hex-STRING: {}", hex_dump(b)),
        Value::Integer(i) => format!("INTEGER: {i}"),
        Value::Null => "NULL".into(),
        Value::ObjectId(o) => format!("OID: .{o}"),
        Value::IpAddress(a) => format!("IpAddress: {}.{}.{}.{}", a[0], a[1], a[2], a[3]),
        Value::Counter32(n) => format!("Counter32: {n}"),
        Value::Gauge32(n) => format!("Gauge32: {n}"),
        Value::TimeTicks(t) => format!("Timeticks: ({t}) {}", uptime_text(*t)),
        Value::Counter64(n) => format!("Counter64: {n}"),
        Value::Opaque(b) => match b.as_slice() {
            [0x9f, 0x78, 4, f @ ..] if f.len() == 4 => {
                let x = f32::from_be_bytes(f.try_into().expect("4 bytes"));
                format!("Opaque: Float: {x:.6}")
            }
            [0x9f, 0x79, 8, f @ ..] if f.len() == 8 => {
                let x = f64::from_be_bytes(f.try_into().expect("8 bytes"));
                format!("Opaque: Double: {x:.6}")
            }
            _ => format!("Opaque: {}", hex_dump(b)),
        },
        Value::NoSuchObject => "No Such Object available on this agent at this OID".into(),
        Value::NoSuchInstance => "No Such Instance currently exists at this OID".into(),
        Value::EndOfMibView => {
            "No more variables left in this MIB View (It is past the end of the MIB tree)".into()
        }
        Value::Unknown { tag, data } => format!("Unknown (tag {tag:#04x}): {}", hex_dump(data)),
    }
}

/// C `isprint` in the C locale.
fn is_print(c: u8) -> bool {
    (0x20..0x7f).contains(&c)
}

/// C `isspace` in the C locale.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// `0A 1B ` octets, a line break after every 16, as Net-SNMP prints Hex-STRING.
fn hex_dump(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 3 + b.len() / 16);
    for (i, c) in b.iter().enumerate() {
        if i > 0 && i % 16 == 0 {
            s.push('\n');
        }
        s.push_str(&format!("{c:02X} "));
    }
    s
}

/// TimeTicks as Net-SNMP's `uptimeString`: `[N day[s], ]H:MM:SS.cc`.
fn uptime_text(t: u32) -> String {
    let cs = t % 100;
    let secs = t / 100;
    let (d, h, m, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    match d {
        0 => format!("{h}:{m:02}:{s:02}.{cs:02}"),
        1 => format!("1 day, {h}:{m:02}:{s:02}.{cs:02}"),
        _ => format!("{d} days, {h}:{m:02}:{s:02}.{cs:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#".1.3.6.1.2.1.1.1.0 = STRING: "Linux box 6.1 #1 SMP"
.1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.4.1.8072.3.2.10
.1.3.6.1.2.1.1.3.0 = Timeticks: (150) 0:00:01.50
.1.3.6.1.2.1.1.4.0 = STRING: "line one
line two"
.1.3.6.1.2.1.1.5.0 = STRING: "say \"hi\" \\ bye"
.1.3.6.1.2.1.1.6.0 = ""
.1.3.6.1.2.1.1.7.0 = INTEGER: 72
.1.3.6.1.2.1.2.2.1.7.1 = INTEGER: up(1)
.1.3.6.1.2.1.2.2.1.4.1 = INTEGER: -5 octets
.1.3.6.1.2.1.2.2.1.5.1 = Gauge32: 4294967295
.1.3.6.1.2.1.2.2.1.6.1 = Hex-STRING: 00 1A 2B 3C 4D 5E 
.1.3.6.1.2.1.2.2.1.10.1 = Counter32: 123
.1.3.6.1.2.1.31.1.1.1.6.1 = Counter64: 18446744073709551615
.1.3.6.1.2.1.4.20.1.1.127.0.0.1 = IpAddress: 127.0.0.1
.1.3.6.1.6.3.10.2.1.1.0 = Hex-STRING: 80 00 1F 88 80 E1 24 F6 74 FE 9C 02 6B 00 00 00 
00 
.1.3.6.1.4.1.2021.10.1.6.1 = Opaque: Float: 0.241699
.1.3.6.1.2.1.1.9.1.2.1 = OID: ccitt.0
.1.3.6.1.2.1.1.9.1.3.1 = STRING: unquoted text
.1.3.6.1.2.1.99.1.0 = Wrong Type (should be INTEGER): Gauge32: 7
.1.3.6.1.2.1.99.2.0 = BITS: 80 40 first(0) second(9)
.1.3.6.1.2.1.99.3.0 = No Such Instance currently exists at this OID
.1.3.6.1.2.1.99.4.0 = Unknown: 1
.1.3.6.1.2.1.99.5.0 = STRING: "tricky
.1.3.6.1.2.1.99.6.0 = STRING: \"not a record\""
.1.3.6.1.2.1.99.7.0 = NULL
.1.3.6.1.2.1.99.9.9 = No more variables left in this MIB View (It is past the end of the MIB tree)
"#;

    #[test]
    fn parses_every_form() {
        let w = parse(SAMPLE);
        let get = |o: &str| {
            let o: Oid = o.parse().unwrap();
            w.varbinds
                .iter()
                .find(|v| v.oid == o)
                .map(|v| v.value.clone())
                .unwrap_or_else(|| panic!("{o} missing"))
        };
        assert_eq!(
            get("1.3.6.1.2.1.1.1.0"),
            Value::from("Linux box 6.1 #1 SMP")
        );
        assert_eq!(get("1.3.6.1.2.1.1.3.0"), Value::TimeTicks(150));
        assert_eq!(get("1.3.6.1.2.1.1.4.0"), Value::from("line one\nline two"));
        assert_eq!(get("1.3.6.1.2.1.1.5.0"), Value::from("say \"hi\" \\ bye"));
        assert_eq!(get("1.3.6.1.2.1.1.6.0"), Value::from(""));
        assert_eq!(get("1.3.6.1.2.1.2.2.1.7.1"), Value::Integer(1));
        assert_eq!(get("1.3.6.1.2.1.2.2.1.4.1"), Value::Integer(-5));
        assert_eq!(get("1.3.6.1.2.1.2.2.1.5.1"), Value::Gauge32(u32::MAX));
        assert_eq!(
            get("1.3.6.1.2.1.2.2.1.6.1"),
            Value::OctetString(vec![0, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e].into())
        );
        assert_eq!(get("1.3.6.1.2.1.31.1.1.1.6.1"), Value::Counter64(u64::MAX));
        assert_eq!(
            get("1.3.6.1.2.1.4.20.1.1.127.0.0.1"),
            Value::IpAddress([127, 0, 0, 1])
        );
        assert_eq!(get("1.3.6.1.6.3.10.2.1.1.0").as_bytes().unwrap().len(), 17);
        assert_eq!(
            get("1.3.6.1.4.1.2021.10.1.6.1").as_bytes().unwrap()[..3],
            [0x9f, 0x78, 4]
        );
        assert_eq!(
            get("1.3.6.1.2.1.1.9.1.2.1"),
            Value::ObjectId("0.0".parse().unwrap())
        );
        assert_eq!(get("1.3.6.1.2.1.1.9.1.3.1"), Value::from("unquoted text"));
        assert_eq!(get("1.3.6.1.2.1.99.1.0"), Value::Gauge32(7));
        assert_eq!(
            get("1.3.6.1.2.1.99.2.0"),
            Value::OctetString(vec![0x80, 0x40].into())
        );
        assert_eq!(
            get("1.3.6.1.2.1.99.5.0"),
            Value::from("tricky\n.1.3.6.1.2.1.99.6.0 = STRING: \"not a record\"")
        );
        assert_eq!(get("1.3.6.1.2.1.99.7.0"), Value::Null);
        assert_eq!(w.varbinds.len(), 22);
        assert_eq!(w.skipped.len(), 1, "{:?}", w.skipped);
        assert_eq!(w.skipped[0].0, 24);
        let mib = w.to_mib();
        assert_eq!(mib.len(), 22);
    }

    #[test]
    fn format_round_trips() {
        let w = parse(SAMPLE);
        let text: String = w.varbinds.iter().map(|v| format_line(v) + "\n").collect();
        let again = parse(&text);
        assert!(again.skipped.is_empty(), "{:?}", again.skipped);
        assert_eq!(again.varbinds, w.varbinds);
        assert_eq!(
            format_value(&Value::TimeTicks(150)),
            "Timeticks: (150) 0:00:01.50"
        );
        assert_eq!(
            format_value(&Value::TimeTicks(8_640_000 * 3 + 4_012)),
            "Timeticks: (25924012) 3 days, 0:00:40.12"
        );
        assert_eq!(
            format_value(&Value::OctetString((0u8..17).collect())),
            "Hex-STRING: 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F \n10 "
        );
    }
}
