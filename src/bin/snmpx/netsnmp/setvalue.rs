//! snmpset's value parsing (`snmp_add_var` in Net-SNMP 5.9): the type letter and value text
//! become a typed value, checked against the MIB object's type, enumerations, ranges and
//! DISPLAY-HINT unless `-Ir`. Failures carry Net-SNMP's message (`Bad value notation (x)`,
//! `Value out of range (x :: {(0..255)})`, `Bad variable type (Type of attribute is ...)`).

use snmpx::mib::{BaseType, Mib, ObjectData};
use snmpx::{Oid, Value};

/// Why a value was refused: Net-SNMP's `snmp_api_errstring` text plus detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetError(pub String);

fn notation(v: &str) -> SetError {
    SetError(format!("Bad value notation ({v})"))
}

fn range_err(detail: &str) -> SetError {
    SetError(format!("Value out of range ({detail})"))
}

/// The type name Net-SNMP's type check reports for a MIB base type.
fn type_name(b: BaseType) -> &'static str {
    match b {
        BaseType::Integer => "INTEGER",
        BaseType::Integer32 => "Integer32",
        BaseType::OctetString => "OCTET STRING",
        BaseType::ObjectId => "OBJECT IDENTIFIER",
        BaseType::Bits => "BITS",
        BaseType::IpAddress => "IpAddress",
        BaseType::NetworkAddress => "NetworkAddress",
        BaseType::Counter32 => "Counter32",
        BaseType::Gauge32 => "Gauge32",
        BaseType::Unsigned32 => "Unsigned32",
        BaseType::UInteger32 => "UInteger",
        BaseType::TimeTicks => "Timeticks",
        BaseType::Opaque => "Opaque",
        BaseType::Counter64 => "Counter64",
        BaseType::Null => "Null",
        BaseType::Other => "TYPE_0",
    }
}

fn type_error(b: BaseType, wanted: &str) -> SetError {
    SetError(format!(
        "Bad variable type (Type of attribute is {}, not {wanted})",
        type_name(b)
    ))
}

/// `_check_range`: `value` must fall in one of the object's ranges (if it has any).
fn check_range(d: Option<&ObjectData>, value: i128, what: &str) -> Result<(), SetError> {
    let Some(d) = d else { return Ok(()) };
    if d.ranges.is_empty() || d.ranges.iter().any(|(lo, hi)| *lo <= value && value <= *hi) {
        return Ok(());
    }
    let list: Vec<String> = d
        .ranges
        .iter()
        .map(|(lo, hi)| {
            if lo == hi {
                format!("({lo})")
            } else {
                format!("({lo}..{hi})")
            }
        })
        .collect();
    Err(range_err(&format!("{what} :: {{{}}}", list.join(", "))))
}

/// C `strtol`/`strtoul` prefix parse: returns the value and whether the whole text was used.
fn strtol(s: &str, base0: bool) -> (i128, bool) {
    let t = s.trim_start();
    let (neg, rest) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, digits) = if base0 && (rest.starts_with("0x") || rest.starts_with("0X")) {
        (16, &rest[2..])
    } else if base0 && rest.starts_with('0') && rest.len() > 1 {
        (8, &rest[1..])
    } else {
        (10, rest)
    };
    let end = digits
        .char_indices()
        .find(|(_, c)| !c.is_digit(radix))
        .map_or(digits.len(), |(i, _)| i);
    if end == 0 && radix == 10 {
        return (0, false);
    }
    let mut v: i128 = 0;
    for c in digits[..end].chars() {
        v = (v * radix as i128 + c.to_digit(radix).unwrap_or(0) as i128).min(1 << 80);
    }
    (if neg { -v } else { v }, end == digits.len())
}

/// `strtoul` as a 32-bit C `unsigned long` truncated to the wire width.
fn ulong32(v: &str) -> Option<u32> {
    if v.is_empty() {
        return None;
    }
    let (n, all) = strtol(v, false);
    all.then_some(n as i64 as u64 as u32)
}

/// Net-SNMP's `inet_addr`: one to four parts, each in C notation (0x.., 0.., decimal).
fn inet_addr(v: &str) -> Option<[u8; 4]> {
    let parts: Vec<&str> = v.split('.').collect();
    if parts.is_empty() || parts.len() > 4 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let mut nums = Vec::with_capacity(4);
    for p in &parts {
        if !p.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let (n, all) = strtol(p, true);
        if !all || n < 0 {
            return None;
        }
        nums.push(n as u64);
    }
    let last = *nums.last()?;
    let mut x: u64 = 0;
    for (i, n) in nums.iter().enumerate().take(nums.len() - 1) {
        if *n > 255 {
            return None;
        }
        x |= n << (24 - 8 * i);
    }
    let room = 32 - 8 * (nums.len() as u32 - 1);
    if room < 64 && last >= 1u64 << room {
        return None;
    }
    x |= last;
    Some((x as u32).to_be_bytes())
}

/// `snmp_hex_to_binary`: optional `0x`, pairs of hex digits, spaces anywhere between pairs.
pub fn hex_to_binary(v: &str) -> Option<Vec<u8>> {
    let b = v.as_bytes();
    let mut i = if b.starts_with(b"0x") || b.starts_with(b"0X") {
        2
    } else {
        0
    };
    let mut out = Vec::new();
    while i < b.len() {
        if i + 1 < b.len() && b[i].is_ascii_hexdigit() && b[i + 1].is_ascii_hexdigit() {
            out.push(u8::from_str_radix(std::str::from_utf8(&b[i..i + 2]).ok()?, 16).ok()?);
            i += 2;
        } else if b[i] == b' ' {
            i += 1;
        } else {
            return None;
        }
    }
    Some(out)
}

/// `snmp_decimal_to_binary`: numbers 0..=255 (C notation) separated by dots or spaces.
fn decimal_to_binary(v: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for part in v.split(|c: char| c == '.' || c.is_ascii_whitespace()) {
        if part.is_empty() {
            continue;
        }
        if !part.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let (n, all) = strtol(part, true);
        if !all || n > 255 {
            return None;
        }
        out.push(n as u8);
    }
    Some(out)
}

fn opaque(tag: u8, content: &[u8]) -> Value {
    let mut v = vec![0x9f, tag, content.len() as u8];
    v.extend_from_slice(content);
    Value::Opaque(v)
}

fn minimal_unsigned(x: u64) -> Vec<u8> {
    let b = x.to_be_bytes();
    let skip = b.iter().take(7).take_while(|&&c| c == 0).count();
    let mut v = b[skip..].to_vec();
    if v[0] & 0x80 != 0 {
        v.insert(0, 0);
    }
    v
}

fn minimal_signed(x: i64) -> Vec<u8> {
    let b = x.to_be_bytes();
    let mut i = 0;
    while i < 7 && ((b[i] == 0 && b[i + 1] & 0x80 == 0) || (b[i] == 0xff && b[i + 1] & 0x80 != 0)) {
        i += 1;
    }
    b[i..].to_vec()
}

/// C `sscanf("%f")`: the longest leading float.
fn scan_float(v: &str) -> Option<f64> {
    let t = v.trim_start();
    (1..=t.len())
        .rev()
        .filter(|&n| t.is_char_boundary(n))
        .find_map(|n| t[..n].parse::<f64>().ok())
}

/// Options that relax the checks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Checks {
    /// `-Ir`: no range/type checks.
    pub no_range: bool,
    /// `-Ih`: no DISPLAY-HINT parsing.
    pub no_hint: bool,
}

/// Builds the value for `oid` from Net-SNMP's type letter and text.
pub fn parse_value(
    mib: &Mib,
    oid: &Oid,
    mut ty: char,
    v: &str,
    checks: Checks,
    resolve: &mut dyn FnMut(&str) -> Result<Oid, String>,
) -> Result<Value, SetError> {
    let data = mib.object(oid).filter(|d| d.base != BaseType::Other);
    let check = data.is_some() && !checks.no_range;
    let base = data.map_or(BaseType::Other, |d| d.base);
    let d = if check { data } else { None };
    if ty == '=' {
        ty = match base {
            BaseType::Integer | BaseType::Integer32 => 'i',
            BaseType::Gauge32 | BaseType::Unsigned32 => 'u',
            BaseType::UInteger32 => '3',
            BaseType::Counter32 => 'c',
            BaseType::Counter64 => 'C',
            BaseType::TimeTicks => 't',
            BaseType::OctetString => 's',
            BaseType::Bits => 'b',
            BaseType::IpAddress => 'a',
            BaseType::ObjectId => 'o',
            _ => '=',
        };
    }
    let want = |ok: bool, name: &str| -> Result<(), SetError> {
        if check && !ok {
            Err(type_error(base, name))
        } else {
            Ok(())
        }
    };
    match ty {
        'i' => {
            want(
                matches!(base, BaseType::Integer | BaseType::Integer32),
                "INTEGER",
            )?;
            if v.is_empty() {
                return Err(notation(v));
            }
            let (mut n, all) = strtol(v, false);
            if !all {
                match data.and_then(|d| d.enums.iter().find(|(_, l)| &**l == v)) {
                    Some((e, _)) => n = *e as i128,
                    None => return Err(range_err(v)),
                }
            }
            check_range(d, n, v)?;
            Ok(Value::Integer(n as i64 as i32))
        }
        'u' | '3' => {
            want(
                if ty == 'u' {
                    matches!(base, BaseType::Gauge32 | BaseType::Unsigned32)
                } else {
                    base == BaseType::UInteger32
                },
                if ty == 'u' {
                    "Unsigned32"
                } else {
                    "UInteger32"
                },
            )?;
            ulong32(v).map(Value::Gauge32).ok_or_else(|| notation(v))
        }
        'c' => {
            want(base == BaseType::Counter32, "Counter32")?;
            ulong32(v).map(Value::Counter32).ok_or_else(|| notation(v))
        }
        'C' => {
            want(base == BaseType::Counter64, "Counter64")?;
            v.trim()
                .parse::<u64>()
                .map(Value::Counter64)
                .map_err(|_| notation(v))
        }
        't' => {
            want(base == BaseType::TimeTicks, "Timeticks")?;
            ulong32(v).map(Value::TimeTicks).ok_or_else(|| notation(v))
        }
        'a' => {
            want(base == BaseType::IpAddress, "IpAddress")?;
            inet_addr(v)
                .map(Value::IpAddress)
                .ok_or_else(|| notation(v))
        }
        'o' => {
            want(base == BaseType::ObjectId, "OBJECT IDENTIFIER")?;
            resolve(v).map(Value::ObjectId).map_err(SetError)
        }
        's' | 'x' | 'd' => {
            want(
                matches!(base, BaseType::OctetString | BaseType::Bits),
                "OCTET STRING",
            )?;
            let hint = data.and_then(|d| d.hint.as_deref());
            if ty == 's' && !checks.no_hint {
                if let Some(h) = hint {
                    if h.ends_with('a') || h.ends_with('t') {
                        check_range(d, v.len() as i128, "Value does not match DISPLAY-HINT")?;
                        return Ok(Value::OctetString(v.as_bytes().to_vec().into()));
                    }
                }
            }
            let bytes = match ty {
                'x' => hex_to_binary(v).ok_or_else(|| notation(v))?,
                'd' => decimal_to_binary(v).ok_or_else(|| notation(v))?,
                _ => v.as_bytes().to_vec(),
            };
            check_range(d, bytes.len() as i128, "Bad string length")?;
            Ok(Value::OctetString(bytes.into()))
        }
        'n' => Ok(Value::Null),
        'b' => {
            if check && (base != BaseType::Bits || data.is_some_and(|d| d.enums.is_empty())) {
                return Err(type_error(base, "BITS"));
            }
            let enums = data.map(|d| d.enums.as_slice()).unwrap_or(&[]);
            let mut len = enums
                .iter()
                .map(|(e, _)| (*e / 8 + 1) as usize)
                .max()
                .unwrap_or(0);
            let mut buf = vec![0u8; 256];
            for tok in v.split([' ', ',', '\t']).filter(|t| !t.is_empty()) {
                let (mut n, all) = strtol(tok, true);
                if !all {
                    match enums.iter().find(|(_, l)| tok.starts_with(&**l)) {
                        Some((e, _)) => n = *e as i128,
                        None => return Err(range_err(tok)),
                    }
                }
                let n = n.clamp(0, 2047) as usize;
                let ix = n / 8;
                len = len.max(ix + 1);
                buf[ix] |= 0x80 >> (n % 8);
            }
            buf.truncate(len);
            Ok(Value::OctetString(buf.into()))
        }
        'U' => v
            .trim()
            .parse::<u64>()
            .map(|x| opaque(0x7b, &minimal_unsigned(x)))
            .map_err(|_| notation(v)),
        'I' => v
            .trim()
            .parse::<i64>()
            .map(|x| opaque(0x7a, &minimal_signed(x)))
            .map_err(|_| notation(v)),
        'F' => scan_float(v)
            .map(|f| opaque(0x78, &(f as f32).to_be_bytes()))
            .ok_or_else(|| notation(v)),
        'D' => scan_float(v)
            .map(|f| opaque(0x79, &f.to_be_bytes()))
            .ok_or_else(|| notation(v)),
        other => Err(SetError(format!("Bad variable type (\"{other}\")"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_number_and_address_forms() {
        assert_eq!(inet_addr("1.2.3.4"), Some([1, 2, 3, 4]));
        assert_eq!(inet_addr("1.2.3.400"), None);
        assert_eq!(inet_addr("10.1"), Some([10, 0, 0, 1]));
        assert_eq!(inet_addr("0x7f.1"), Some([127, 0, 0, 1]));
        assert_eq!(hex_to_binary("41 42 43"), Some(b"ABC".to_vec()));
        assert_eq!(hex_to_binary("0x4142"), Some(b"AB".to_vec()));
        assert_eq!(hex_to_binary("41 4"), None);
        assert_eq!(decimal_to_binary("65.66"), Some(b"AB".to_vec()));
        assert_eq!(decimal_to_binary("1.2.300"), None);
        assert_eq!(ulong32("-1"), Some(u32::MAX));
        assert_eq!(ulong32("12x"), None);
        assert_eq!(minimal_signed(-1), vec![0xff]);
        assert_eq!(minimal_signed(128), vec![0, 128]);
        assert_eq!(minimal_unsigned(255), vec![0, 255]);
    }

    #[test]
    fn checks_against_the_mib() {
        let (mib, _) = snmpx::mib::builtin_mib();
        let contact = mib.resolve("sysContact.0").unwrap();
        let mut r = |s: &str| mib.resolve(s).map_err(|e| e.to_string());
        let e = parse_value(&mib, &contact, 'i', "5", Checks::default(), &mut r).unwrap_err();
        assert_eq!(
            e.0,
            "Bad variable type (Type of attribute is OCTET STRING, not INTEGER)"
        );
        let ok = parse_value(&mib, &contact, '=', "hi", Checks::default(), &mut r).unwrap();
        assert_eq!(ok, Value::OctetString(b"hi".to_vec().into()));
        let relaxed = Checks {
            no_range: true,
            no_hint: false,
        };
        assert_eq!(
            parse_value(&mib, &contact, 'i', "5", relaxed, &mut r).unwrap(),
            Value::Integer(5)
        );
    }
}
