//! DISPLAY-HINT rendering (RFC 2579 §3.1): octet-format hints (`255a`, `1x:`,
//! `2d-1d-1d,1d:1d:1d.1d,1a1d:1d`) and integer-format hints (`d-2`, `x`, `o`, `b`), with
//! Net-SNMP 5.9's treatment of the corner cases.

use super::OutputOptions;

/// Renders `bytes` with an octet-format DISPLAY-HINT; `None` if the hint is malformed.
pub fn format_octets_with_hint(bytes: &[u8], hint: &str, opts: &OutputOptions) -> Option<Vec<u8>> {
    let h = hint.as_bytes();
    let mut hi = 0usize;
    let mut out = Vec::with_capacity(bytes.len() * 3);
    let mut cp = 0usize;
    let (mut width, mut code, mut separ, mut term) = (1usize, b'd', 0u8, 0u8);
    let fmt_digit = |ch: u8| ch.is_ascii_digit();
    while cp < bytes.len() {
        let mut repeat = 1usize;
        if hi < h.len() {
            if h[hi] == b'*' {
                repeat = bytes[cp] as usize;
                cp += 1;
                hi += 1;
            }
            width = 0;
            while hi < h.len() && fmt_digit(h[hi]) {
                width = width
                    .saturating_mul(10)
                    .saturating_add((h[hi] - b'0') as usize);
                hi += 1;
            }
            code = *h.get(hi)?;
            hi += 1;
            let spec = |c: Option<&u8>, width: usize| match c {
                Some(&ch) => {
                    ch != b'*'
                        && !fmt_digit(ch)
                        && (width != 0 || (ch != b'x' && ch != b'd' && ch != b'o'))
                }
                None => false,
            };
            separ = if spec(h.get(hi), width) {
                hi += 1;
                h[hi - 1]
            } else {
                0
            };
            term = if spec(h.get(hi), width) {
                hi += 1;
                h[hi - 1]
            } else {
                0
            };
            if width == 0 {
                width = 1;
            }
        }
        while repeat > 0 && cp < bytes.len() {
            match code {
                b'x' | b'd' | b'o' => {
                    let mut value: u64 = 0;
                    for _ in 0..width {
                        if cp >= bytes.len() {
                            break;
                        }
                        value = value.wrapping_mul(256).wrapping_add(bytes[cp] as u64);
                        cp += 1;
                    }
                    let s = match code {
                        b'x' if opts.two_digit_hex => format!("{value:02x}"),
                        b'x' => format!("{value:x}"),
                        b'd' => format!("{}", value as i64),
                        _ => format!("{value:o}"),
                    };
                    out.extend_from_slice(s.as_bytes());
                }
                b'a' | b't' => {
                    // Net-SNMP 5.9: copied as-is (keeps UTF-8) unless the chunk holds a NUL;
                    // then as its quoted-text form: `\` and `"` escaped, other
                    // non-printable octets as `.`.
                    let end = (cp + width).min(bytes.len());
                    let chunk = &bytes[cp..end];
                    if chunk.contains(&0) {
                        for &c in chunk {
                            if (0x20..0x7f).contains(&c) || matches!(c, 9..=13) {
                                if c == b'\\' || c == b'"' {
                                    out.push(b'\\');
                                }
                                out.push(c);
                            } else {
                                out.push(b'.');
                            }
                        }
                    } else {
                        out.extend_from_slice(chunk);
                    }
                    cp = end;
                }
                _ => return None,
            }
            if cp < bytes.len() && separ != 0 {
                out.push(separ);
            }
            repeat -= 1;
        }
        if term != 0 && cp < bytes.len() {
            out.push(term);
        }
    }
    Some(out)
}

/// Renders an integer with an integer-format DISPLAY-HINT (`d`, `d-N`, `x`, `o`, `b`);
/// `unsigned` selects `%lu` for `d` (Gauge32/Unsigned32).
pub fn format_hinted_integer(val: i64, unsigned: bool, hint: &str) -> String {
    let h = hint.as_bytes();
    let shift: usize = if h.get(1) == Some(&b'-') {
        hint[2..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .fold(0usize, |a, d| {
                a.saturating_mul(10).saturating_add((d - b'0') as usize)
            })
            .min(64)
    } else {
        0
    };
    let mut tmp = match h.first() {
        Some(b'x') => format!("{:x}", val as u64),
        Some(b'o') => format!("{:o}", val as u64),
        Some(b'b') => format!("{:b}", val as u64),
        _ if unsigned => format!("{}", val as u64),
        _ => format!("{val}"),
    }
    .into_bytes();
    if shift != 0 {
        let len = tmp.len();
        if shift <= len {
            tmp.insert(len - shift, b'.');
        } else {
            let mut v = vec![b'.'];
            v.extend(std::iter::repeat(b'0').take(shift - len));
            v.extend_from_slice(&tmp);
            tmp = v;
        }
    }
    String::from_utf8(tmp).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octet_hints() {
        let o = OutputOptions::default();
        let mac = [0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e];
        assert_eq!(
            format_octets_with_hint(&mac, "1x:", &o).unwrap(),
            b"0:1a:2b:3c:4d:5e"
        );
        let o0 = OutputOptions::from_flags("0").unwrap();
        assert_eq!(
            format_octets_with_hint(&mac, "1x:", &o0).unwrap(),
            b"00:1a:2b:3c:4d:5e"
        );
        let dt = [0x07, 0xea, 11, 29, 5, 26, 14, 0, b'+', 0, 0];
        assert_eq!(
            format_octets_with_hint(&dt, "2d-1d-1d,1d:1d:1d.1d,1a1d:1d", &o).unwrap(),
            b"2026-11-29,5:26:14.0,+0:0"
        );
        assert_eq!(format_octets_with_hint(b"abc", "255a", &o).unwrap(), b"abc");
        assert_eq!(
            format_octets_with_hint(&[1, 2, 3, 4], "1d.1d.1d.1d", &o).unwrap(),
            b"1.2.3.4"
        );
        assert!(format_octets_with_hint(b"abc", "1q", &o).is_none());
        // '*' repeat count taken from the data.
        assert_eq!(
            format_octets_with_hint(&[2, 1, 2, 9], "*1d.1x", &o).unwrap(),
            b"1.2.9"
        );
    }

    #[test]
    fn integer_hints() {
        assert_eq!(format_hinted_integer(12345, false, "d-2"), "123.45");
        assert_eq!(format_hinted_integer(5, false, "d-3"), ".005");
        assert_eq!(format_hinted_integer(255, false, "x"), "ff");
        assert_eq!(format_hinted_integer(8, true, "o"), "10");
        assert_eq!(format_hinted_integer(42, false, "d"), "42");
    }
}
