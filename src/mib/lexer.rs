//! Tokenizer for SMI module text (the ASN.1 subset of RFC 1155, RFC 1212, RFC 1215 and
//! RFC 2578-2580).
//!
//! Comments run from `--` to the next `--` or the end of the line (X.680 §12.6.4 lexical
//! rules). Every token carries its line number for error messages. Hostile input is bounded:
//! the caller caps the file size, strings are capped at [`MAX_STRING`] bytes, numbers wider
//! than 128 bits become [`Tok::BigNumber`] (the parser reports them), and bytes that cannot
//! start a token are an error, not a panic.

use super::error::ParseError;

/// Longest quoted string accepted (DESCRIPTION clauses in real MIBs stay far below this).
pub const MAX_STRING: usize = 1 << 20;

/// One lexical token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok<'a> {
    /// An identifier or keyword (`sysDescr`, `OBJECT-TYPE`, `mib-2`), borrowed from the text.
    Word(&'a str),
    /// A decimal number, possibly negative.
    Number(i128),
    /// A number too wide for 128 bits (its digits, for the error message).
    BigNumber(&'a str),
    /// The raw bytes between the quotes of a quoted string, `"..."`.
    Str(&'a [u8]),
    /// A hexadecimal (`'0A'H`) or binary (`'0101'B`) string, converted to its value when it fits.
    Binary(Option<i128>),
    /// `::=`
    Assign,
    /// `..`
    Range,
    /// Any other single punctuation character (`{ } ( ) [ ] , ; | . < > -`).
    Punct(char),
}

/// A token with its 1-based line number.
#[derive(Debug, Clone, Copy)]
pub struct Token<'a> {
    /// The token.
    pub tok: Tok<'a>,
    /// Line it starts on.
    pub line: u32,
}

/// Splits `src` into tokens.
pub fn tokenize(src: &[u8]) -> Result<Vec<Token<'_>>, ParseError> {
    tokenize_prefix(src, usize::MAX)
}

/// The first `max` tokens of `src` (all of them if there are fewer): what a module-header
/// scan needs without lexing the whole file.
pub fn tokenize_prefix(src: &[u8], max: usize) -> Result<Vec<Token<'_>>, ParseError> {
    let mut out = Vec::with_capacity((src.len() / 6).min(max));
    let mut i = 0usize;
    let mut line = 1u32;
    let n = src.len();
    while i < n && out.len() < max {
        let c = src[i];
        match c {
            b'\n' => {
                line += 1;
                i += 1;
            }
            b' ' | b'\t' | b'\r' | 0x0b | 0x0c => i += 1,
            b'-' if i + 1 < n && src[i + 1] == b'-' => {
                // Comment: ends at "--" or end of line.
                i += 2;
                while i < n && src[i] != b'\n' {
                    if src[i] == b'-' && i + 1 < n && src[i + 1] == b'-' {
                        i += 2;
                        break;
                    }
                    i += 1;
                }
            }
            b'"' => {
                let start_line = line;
                i += 1;
                let start = i;
                while i < n && src[i] != b'"' {
                    if src[i] == b'\n' {
                        line += 1;
                    }
                    i += 1;
                }
                if i >= n {
                    return Err(ParseError::new(start_line, "unterminated quoted string"));
                }
                if i - start > MAX_STRING {
                    return Err(ParseError::new(start_line, "quoted string too long"));
                }
                let text = &src[start..i];
                i += 1;
                out.push(Token {
                    tok: Tok::Str(text),
                    line: start_line,
                });
            }
            b'\'' => {
                let start = i + 1;
                let mut j = start;
                while j < n && src[j] != b'\'' && src[j] != b'\n' {
                    j += 1;
                }
                if j + 1 >= n || src[j] != b'\'' {
                    return Err(ParseError::new(line, "unterminated 'string'H/B"));
                }
                let body = &src[start..j];
                let radix = match src[j + 1] {
                    b'H' | b'h' => 16,
                    b'B' | b'b' => 2,
                    _ => return Err(ParseError::new(line, "quoted string must end in 'H or 'B")),
                };
                let text = String::from_utf8_lossy(body);
                let value = if text.is_empty() {
                    Some(0)
                } else {
                    i128::from_str_radix(&text, radix).ok()
                };
                out.push(Token {
                    tok: Tok::Binary(value),
                    line,
                });
                i = j + 2;
            }
            b'0'..=b'9' => {
                let (tok, next) = number(src, i, false);
                out.push(Token { tok, line });
                i = next;
            }
            b'-' if i + 1 < n && src[i + 1].is_ascii_digit() => {
                let (tok, next) = number(src, i + 1, true);
                out.push(Token { tok, line });
                i = next;
            }
            b':' if src[i..].starts_with(b"::=") => {
                out.push(Token {
                    tok: Tok::Assign,
                    line,
                });
                i += 3;
            }
            b'.' if i + 1 < n && src[i + 1] == b'.' => {
                out.push(Token {
                    tok: Tok::Range,
                    line,
                });
                i += 2;
            }
            b'{' | b'}' | b'(' | b')' | b'[' | b']' | b',' | b';' | b'|' | b'.' | b'<' | b'>'
            | b'-' | b'@' | b'!' | b'*' | b'&' | b'^' | b':' | b'=' => {
                out.push(Token {
                    tok: Tok::Punct(c as char),
                    line,
                });
                i += 1;
            }
            c if c.is_ascii_alphabetic() => {
                let start = i;
                while i < n {
                    let b = src[i];
                    let dash = b == b'-' && !(i + 1 < n && src[i + 1] == b'-');
                    if b.is_ascii_alphanumeric() || b == b'_' || dash {
                        i += 1;
                    } else {
                        break;
                    }
                }
                if i - start > 1024 {
                    return Err(ParseError::new(line, "identifier too long"));
                }
                // Only ASCII bytes were accepted, so this cannot fail.
                let word = std::str::from_utf8(&src[start..i]).unwrap_or("");
                out.push(Token {
                    tok: Tok::Word(word),
                    line,
                });
            }
            other => {
                return Err(ParseError::new(
                    line,
                    format!("unexpected byte 0x{other:02x} outside a string or comment"),
                ));
            }
        }
    }
    Ok(out)
}

/// Reads a run of digits starting at `i`.
fn number(src: &[u8], mut i: usize, negative: bool) -> (Tok<'_>, usize) {
    let start = i;
    while i < src.len() && src[i].is_ascii_digit() {
        i += 1;
    }
    // Only ASCII digits were accepted, so this cannot fail.
    let digits = std::str::from_utf8(&src[start..i]).unwrap_or("");
    let tok = match digits.parse::<i128>() {
        Ok(v) if digits.len() <= 38 => Tok::Number(if negative { -v } else { v }),
        _ => Tok::BigNumber(digits),
    };
    (tok, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok<'_>> {
        tokenize(s.as_bytes())
            .unwrap()
            .into_iter()
            .map(|t| t.tok)
            .collect()
    }

    #[test]
    fn words_numbers_symbols() {
        assert_eq!(
            toks("mib-2 OBJECT IDENTIFIER ::= { mgmt 1 } -- c\n(-1..'FF'H)"),
            vec![
                Tok::Word("mib-2"),
                Tok::Word("OBJECT"),
                Tok::Word("IDENTIFIER"),
                Tok::Assign,
                Tok::Punct('{'),
                Tok::Word("mgmt"),
                Tok::Number(1),
                Tok::Punct('}'),
                Tok::Punct('('),
                Tok::Number(-1),
                Tok::Range,
                Tok::Binary(Some(255)),
                Tok::Punct(')'),
            ]
        );
    }

    #[test]
    fn comments_end_at_double_dash_or_eol() {
        assert_eq!(
            toks("a -- x -- b\nc"),
            vec![Tok::Word("a"), Tok::Word("b"), Tok::Word("c")]
        );
    }

    #[test]
    fn errors_not_panics() {
        assert!(tokenize(b"\"open").is_err());
        assert!(tokenize(b"a \xff b").is_err());
        assert!(tokenize(b"'12").is_err());
        let big = toks("123456789012345678901234567890123456789012345");
        assert!(matches!(big[0], Tok::BigNumber(_)));
    }

    #[test]
    fn lines_are_counted() {
        let t = tokenize(b"a\n\"x\ny\"\nb").unwrap();
        assert_eq!(t[0].line, 1);
        assert_eq!(t[1].line, 2);
        assert_eq!(t[2].line, 4);
    }
}
