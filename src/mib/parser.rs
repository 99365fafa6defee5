//! Recursive-descent parser for the SMIv1/SMIv2 subset a manager needs.
//!
//! Kept: module header, IMPORTS (RFC 2578 §3.2), OBJECT IDENTIFIER value assignments,
//! MODULE-IDENTITY, OBJECT-IDENTITY, OBJECT-TYPE (SYNTAX with enums/BITS/ranges/sizes, UNITS,
//! MAX-ACCESS/ACCESS, STATUS, INDEX incl. IMPLIED, AUGMENTS; RFC 2578 §7), NOTIFICATION-TYPE,
//! TRAP-TYPE (RFC 1215), type assignments and TEXTUAL-CONVENTION with DISPLAY-HINT
//! (RFC 2579 §2-3). OBJECT-GROUP, NOTIFICATION-GROUP, MODULE-COMPLIANCE and AGENT-CAPABILITIES
//! (RFC 2580) are placed in the tree with their bodies skipped. MACRO definitions (in the SMI
//! base modules) and EXPORTS are skipped. Nesting is capped at [`MAX_DEPTH`].

use super::ast::{Def, Import, Macro, ModuleAst, ObjectInfo, OidComp, Syntax, SyntaxKind};
use super::error::ParseError;
use super::lexer::{tokenize, Tok, Token};

/// Deepest nesting of braces/parentheses accepted anywhere.
pub const MAX_DEPTH: usize = 64;

/// Parses every module in one file's text.
pub fn parse(src: &[u8]) -> Result<Vec<ModuleAst>, ParseError> {
    let toks = tokenize(src)?;
    let mut p = Parser { toks, pos: 0 };
    let mut modules = Vec::new();
    while !p.at_end() {
        modules.push(p.module()?);
    }
    if modules.is_empty() {
        return Err(ParseError::new(1, "no module definition found"));
    }
    Ok(modules)
}

/// Reads only the name of the first module in `src` (cheap directory scans), if it looks
/// like a MIB module header.
pub fn module_name(src: &[u8]) -> Option<String> {
    header_in(src)
}

/// Tokens enough for any module header: `NAME [{ oid }] DEFINITIONS`.
const HEADER_TOKENS: usize = 64;

fn header_in(src: &[u8]) -> Option<String> {
    let toks = super::lexer::tokenize_prefix(src, HEADER_TOKENS).ok()?;
    let mut it = toks.iter().map(|t| &t.tok);
    let name = match it.next()? {
        Tok::Word(w) => w.to_string(),
        _ => return None,
    };
    let mut next = it.next()?;
    if *next == Tok::Punct('{') {
        let mut depth = 1;
        for t in it.by_ref() {
            match t {
                Tok::Punct('{') => depth += 1,
                Tok::Punct('}') => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
        next = it.next()?;
    }
    (*next == Tok::Word("DEFINITIONS")).then_some(name)
}

struct Parser<'a> {
    toks: Vec<Token<'a>>,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }

    fn peek(&self) -> Option<&Tok<'a>> {
        self.toks.get(self.pos).map(|t| &t.tok)
    }

    fn line(&self) -> u32 {
        self.toks
            .get(self.pos)
            .or_else(|| self.toks.last())
            .map(|t| t.line)
            .unwrap_or(0)
    }

    fn err<T>(&self, msg: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError::new(self.line(), msg))
    }

    fn next(&mut self) -> Result<Tok<'a>, ParseError> {
        match self.toks.get(self.pos) {
            Some(t) => {
                self.pos += 1;
                Ok(t.tok)
            }
            None => self.err("unexpected end of file"),
        }
    }

    fn expect_word(&mut self) -> Result<String, ParseError> {
        match self.next()? {
            Tok::Word(w) => Ok(w.to_string()),
            other => {
                self.pos -= 1;
                self.err(format!("expected a name, found {other:?}"))
            }
        }
    }

    fn expect_kw(&mut self, kw: &str) -> Result<(), ParseError> {
        match self.next()? {
            Tok::Word(w) if w == kw => Ok(()),
            other => {
                self.pos -= 1;
                self.err(format!("expected {kw}, found {other:?}"))
            }
        }
    }

    fn expect(&mut self, t: Tok<'a>) -> Result<(), ParseError> {
        let got = self.next()?;
        if got == t {
            Ok(())
        } else {
            self.pos -= 1;
            self.err(format!("expected {t:?}, found {got:?}"))
        }
    }

    fn eat(&mut self, t: &Tok<'a>) -> bool {
        if self.peek() == Some(t) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn is_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(w)) if *w == kw)
    }

    fn string(&mut self) -> Result<String, ParseError> {
        match self.next()? {
            Tok::Str(s) => Ok(String::from_utf8_lossy(s).into_owned()),
            other => {
                self.pos -= 1;
                self.err(format!("expected a quoted string, found {other:?}"))
            }
        }
    }

    /// Consumes a quoted string without copying it (DESCRIPTION, REFERENCE...).
    fn skip_string(&mut self) -> Result<(), ParseError> {
        match self.next()? {
            Tok::Str(_) => Ok(()),
            other => {
                self.pos -= 1;
                self.err(format!("expected a quoted string, found {other:?}"))
            }
        }
    }

    /// Skips a balanced `{...}`, `(...)` or `[...]` group starting at the current token.
    fn skip_group(&mut self) -> Result<(), ParseError> {
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Tok::Punct('{' | '(' | '[') => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return self.err("nesting too deep");
                    }
                }
                Tok::Punct('}' | ')' | ']') => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Ok(());
                    }
                }
                _ if depth == 0 => return self.err("expected a bracketed group"),
                _ => {}
            }
        }
    }

    fn module(&mut self) -> Result<ModuleAst, ParseError> {
        let name = self.expect_word()?;
        if self.peek() == Some(&Tok::Punct('{')) {
            self.skip_group()?;
        }
        self.expect_kw("DEFINITIONS")?;
        while !matches!(self.peek(), Some(Tok::Assign) | None) {
            self.next()?; // e.g. "IMPLICIT TAGS"
        }
        self.expect(Tok::Assign)?;
        self.expect_kw("BEGIN")?;
        let mut m = ModuleAst {
            name,
            imports: Vec::new(),
            defs: Vec::new(),
        };
        loop {
            let line = self.line();
            let first = match self.next()? {
                Tok::Word(w) => w.to_string(),
                Tok::Punct(';') => continue,
                other => return Err(ParseError::new(line, format!("unexpected {other:?}"))),
            };
            match first.as_str() {
                "END" => return Ok(m),
                "IMPORTS" => self.imports(&mut m.imports)?,
                "EXPORTS" => while self.next()? != Tok::Punct(';') {},
                _ => self.definition(first, line, &mut m.defs)?,
            }
        }
    }

    fn imports(&mut self, out: &mut Vec<Import>) -> Result<(), ParseError> {
        let mut pending = Vec::new();
        loop {
            match self.next()? {
                Tok::Punct(';') => break,
                Tok::Punct(',') => {}
                Tok::Word("FROM") => {
                    let from = self.expect_word()?;
                    out.push(Import {
                        from,
                        symbols: std::mem::take(&mut pending),
                    });
                }
                Tok::Word(w) => pending.push(w.to_string()),
                other => return self.err(format!("unexpected {other:?} in IMPORTS")),
            }
        }
        if !pending.is_empty() {
            return self.err("IMPORTS symbols without FROM");
        }
        Ok(())
    }

    fn definition(
        &mut self,
        name: String,
        line: u32,
        defs: &mut Vec<Def>,
    ) -> Result<(), ParseError> {
        let next = self.peek().copied();
        match next {
            Some(Tok::Word("MACRO")) => {
                // `X MACRO ::= BEGIN ... END`: only in SMI base modules; skip.
                while !self.is_kw("END") {
                    self.next()?;
                }
                self.next()?;
                Ok(())
            }
            Some(Tok::Assign) => {
                self.next()?;
                self.type_assignment(name, line, defs)
            }
            Some(Tok::Word(kw)) => {
                self.next()?;
                self.value_assignment(name, kw, line, defs)
            }
            _ => self.err(format!("unexpected token after {name:?}")),
        }
    }

    fn type_assignment(
        &mut self,
        name: String,
        line: u32,
        defs: &mut Vec<Def>,
    ) -> Result<(), ParseError> {
        let mut hint = None;
        if self.is_kw("TEXTUAL-CONVENTION") {
            self.next()?;
            loop {
                let kw = self.expect_word()?;
                match kw.as_str() {
                    "DISPLAY-HINT" => hint = Some(self.string()?),
                    "STATUS" => {
                        self.expect_word()?;
                    }
                    "DESCRIPTION" | "REFERENCE" => self.skip_string()?,
                    "SYNTAX" => break,
                    other => return self.err(format!("unexpected {other} in TEXTUAL-CONVENTION")),
                }
            }
        }
        let syntax = self.syntax(0)?;
        defs.push(Def::Type {
            name,
            syntax,
            hint,
            line,
        });
        Ok(())
    }

    fn value_assignment(
        &mut self,
        name: String,
        kw: &str,
        line: u32,
        defs: &mut Vec<Def>,
    ) -> Result<(), ParseError> {
        let kind = match kw {
            "OBJECT" => {
                self.expect_kw("IDENTIFIER")?;
                Macro::ObjectIdentifier
            }
            "MODULE-IDENTITY" => Macro::ModuleIdentity,
            "OBJECT-IDENTITY" => Macro::ObjectIdentity,
            "OBJECT-TYPE" => Macro::ObjectType,
            "NOTIFICATION-TYPE" => Macro::NotificationType,
            "TRAP-TYPE" => Macro::TrapType,
            "OBJECT-GROUP" => Macro::ObjectGroup,
            "NOTIFICATION-GROUP" => Macro::NotificationGroup,
            "MODULE-COMPLIANCE" => Macro::ModuleCompliance,
            "AGENT-CAPABILITIES" => Macro::AgentCapabilities,
            other => return self.err(format!("unknown construct {other} after {name:?}")),
        };
        let mut object = None;
        let mut enterprise = None;
        match kind {
            Macro::ObjectType => object = Some(Box::new(self.object_type_clauses()?)),
            Macro::TrapType => {
                while !matches!(self.peek(), Some(Tok::Assign) | None) {
                    if self.is_kw("ENTERPRISE") {
                        self.next()?;
                        enterprise = Some(self.expect_word()?);
                    } else {
                        self.next()?;
                    }
                }
            }
            _ => {
                while !matches!(self.peek(), Some(Tok::Assign) | None) {
                    self.next()?;
                }
            }
        }
        self.expect(Tok::Assign)?;
        let oid = if kind == Macro::TrapType {
            let Some(ent) = enterprise else {
                return self.err("TRAP-TYPE without ENTERPRISE");
            };
            let n = self.number_u32()?;
            // RFC 1215 traps sit at enterprise.0.specific in the OID tree (RFC 3584 §3.1).
            vec![OidComp::Name(ent), OidComp::Number(0), OidComp::Number(n)]
        } else {
            self.oid_value()?
        };
        defs.push(Def::Value {
            name,
            kind,
            oid,
            object,
            line,
        });
        Ok(())
    }

    fn number_u32(&mut self) -> Result<u32, ParseError> {
        match self.next()? {
            Tok::Number(n) => {
                u32::try_from(n).or_else(|_| self.err(format!("sub-identifier {n} out of range")))
            }
            Tok::BigNumber(s) => self.err(format!("number {s} too large")),
            other => {
                self.pos -= 1;
                self.err(format!("expected a number, found {other:?}"))
            }
        }
    }

    fn oid_value(&mut self) -> Result<Vec<OidComp>, ParseError> {
        self.expect(Tok::Punct('{'))?;
        let mut comps = Vec::new();
        loop {
            match self.next()? {
                Tok::Punct('}') => break,
                Tok::Word(w) => {
                    if self.eat(&Tok::Punct('(')) {
                        let n = self.number_u32()?;
                        self.expect(Tok::Punct(')'))?;
                        comps.push(OidComp::Named(w.to_string(), n));
                    } else {
                        comps.push(OidComp::Name(w.to_string()));
                    }
                }
                Tok::Number(_) | Tok::BigNumber(_) => {
                    self.pos -= 1;
                    comps.push(OidComp::Number(self.number_u32()?));
                }
                other => return self.err(format!("unexpected {other:?} in OID value")),
            }
            if comps.len() > crate::oid::MAX_ARCS {
                return self.err("OID value has more than 128 components");
            }
        }
        if comps.is_empty() {
            return self.err("empty OID value");
        }
        Ok(comps)
    }

    fn object_type_clauses(&mut self) -> Result<ObjectInfo, ParseError> {
        let mut info = ObjectInfo::default();
        let mut have_syntax = false;
        while !matches!(self.peek(), Some(Tok::Assign) | None) {
            let kw = self.expect_word()?;
            match kw.as_str() {
                "SYNTAX" => {
                    info.syntax = self.syntax(0)?;
                    have_syntax = true;
                }
                "UNITS" => info.units = Some(self.string()?),
                "MAX-ACCESS" | "ACCESS" | "MIN-ACCESS" => info.access = Some(self.expect_word()?),
                "STATUS" => info.status = Some(self.expect_word()?),
                "DESCRIPTION" | "REFERENCE" => self.skip_string()?,
                "INDEX" => {
                    self.expect(Tok::Punct('{'))?;
                    let mut implied = false;
                    let mut words: Vec<String> = Vec::new();
                    loop {
                        match self.next()? {
                            Tok::Word("IMPLIED") => implied = true,
                            Tok::Word(w) => words.push(w.to_string()),
                            t @ (Tok::Punct(',') | Tok::Punct('}')) => {
                                if words.is_empty() {
                                    return self.err("empty INDEX item");
                                }
                                info.index.push((words.join(" "), implied));
                                words.clear();
                                implied = false;
                                if t == Tok::Punct('}') {
                                    break;
                                }
                            }
                            other => return self.err(format!("unexpected {other:?} in INDEX")),
                        }
                    }
                }
                "AUGMENTS" => {
                    self.expect(Tok::Punct('{'))?;
                    info.augments = Some(self.expect_word()?);
                    self.expect(Tok::Punct('}'))?;
                }
                "DEFVAL" => self.skip_group()?,
                other => return self.err(format!("unexpected {other} in OBJECT-TYPE")),
            }
        }
        if !have_syntax {
            return self.err("OBJECT-TYPE without SYNTAX");
        }
        Ok(info)
    }

    /// A type: `INTEGER {..}`, `OCTET STRING (SIZE(..))`, `Name (..)`, `SEQUENCE OF X`, ...
    fn syntax(&mut self, depth: usize) -> Result<Syntax, ParseError> {
        if depth > MAX_DEPTH {
            return self.err("type nesting too deep");
        }
        let mut s = Syntax::default();
        if self.peek() == Some(&Tok::Punct('[')) {
            // [APPLICATION n] IMPLICIT T: only in the SMI base modules.
            self.skip_group()?;
            if self.is_kw("IMPLICIT") || self.is_kw("EXPLICIT") {
                self.next()?;
            }
            return self.syntax(depth + 1);
        }
        let w = self.expect_word()?;
        s.kind = match w.as_str() {
            "INTEGER" => SyntaxKind::Integer,
            "OCTET" => {
                self.expect_kw("STRING")?;
                SyntaxKind::OctetString
            }
            "OBJECT" => {
                self.expect_kw("IDENTIFIER")?;
                SyntaxKind::ObjectIdentifier
            }
            "BITS" => SyntaxKind::Bits,
            "NULL" => SyntaxKind::Null,
            "SEQUENCE" => {
                if self.is_kw("OF") {
                    self.next()?;
                    let entry = self.syntax(depth + 1)?;
                    match entry.kind {
                        SyntaxKind::Named(n) => SyntaxKind::SequenceOf(n),
                        _ => SyntaxKind::SequenceOf(String::new()),
                    }
                } else {
                    self.skip_group()?;
                    SyntaxKind::Sequence
                }
            }
            "CHOICE" => {
                self.skip_group()?;
                SyntaxKind::Choice
            }
            _ => SyntaxKind::Named(w),
        };
        match self.peek() {
            Some(Tok::Punct('{')) => s.enums = self.named_numbers()?,
            Some(Tok::Punct('(')) => s.ranges = self.constraint()?,
            _ => {}
        }
        Ok(s)
    }

    fn named_numbers(&mut self) -> Result<Vec<(String, i64)>, ParseError> {
        self.expect(Tok::Punct('{'))?;
        let mut out = Vec::new();
        loop {
            match self.next()? {
                Tok::Punct('}') => break,
                Tok::Punct(',') => {}
                Tok::Word(label) => {
                    let label = label.to_string();
                    self.expect(Tok::Punct('('))?;
                    let v = match self.next()? {
                        Tok::Number(n) => i64::try_from(n)
                            .or_else(|_| self.err("enumeration value out of range"))?,
                        other => return self.err(format!("expected a number, found {other:?}")),
                    };
                    self.expect(Tok::Punct(')'))?;
                    out.push((label, v));
                }
                other => return self.err(format!("unexpected {other:?} in enumeration")),
            }
            if out.len() > 65_536 {
                return self.err("too many named numbers");
            }
        }
        Ok(out)
    }

    /// `(a..b | c)` or `(SIZE (a..b | c))`.
    fn constraint(&mut self) -> Result<Vec<(i128, i128)>, ParseError> {
        self.expect(Tok::Punct('('))?;
        let ranges = if self.is_kw("SIZE") {
            self.next()?;
            self.expect(Tok::Punct('('))?;
            let r = self.range_list()?;
            self.expect(Tok::Punct(')'))?;
            r
        } else {
            self.range_list()?
        };
        self.expect(Tok::Punct(')'))?;
        Ok(ranges)
    }

    fn range_list(&mut self) -> Result<Vec<(i128, i128)>, ParseError> {
        let mut out = Vec::new();
        loop {
            let lo = self.range_value()?;
            let hi = if self.eat(&Tok::Range) {
                self.range_value()?
            } else {
                lo
            };
            out.push((lo, hi));
            if !self.eat(&Tok::Punct('|')) {
                return Ok(out);
            }
            if out.len() > 4096 {
                return self.err("too many ranges");
            }
        }
    }

    fn range_value(&mut self) -> Result<i128, ParseError> {
        match self.next()? {
            Tok::Number(n) => Ok(n),
            Tok::Binary(Some(n)) => Ok(n),
            Tok::Binary(None) => self.err("hex/binary range value too large"),
            Tok::BigNumber(s) => self.err(format!("number {s} too large")),
            Tok::Word("MIN") => Ok(i128::MIN),
            Tok::Word("MAX") => Ok(i128::MAX),
            other => self.err(format!("unexpected {other:?} in range")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
TEST-MIB DEFINITIONS ::= BEGIN
IMPORTS MODULE-IDENTITY, OBJECT-TYPE, Integer32, mib-2 FROM SNMPv2-SMI
        DisplayString FROM SNMPv2-TC;
testMIB MODULE-IDENTITY LAST-UPDATED "200001010000Z" ORGANIZATION "x"
    CONTACT-INFO "y" DESCRIPTION "z" ::= { mib-2 9999 }
Small ::= TEXTUAL-CONVENTION DISPLAY-HINT "d-2" STATUS current DESCRIPTION "d"
    SYNTAX Integer32 (0..100 | 200)
testTable OBJECT-TYPE SYNTAX SEQUENCE OF TestEntry MAX-ACCESS not-accessible
    STATUS current DESCRIPTION "t" ::= { testMIB 1 }
testEntry OBJECT-TYPE SYNTAX TestEntry MAX-ACCESS not-accessible STATUS current
    DESCRIPTION "e" INDEX { testIdx, IMPLIED testName } ::= { testTable 1 }
TestEntry ::= SEQUENCE { testIdx Integer32, testName DisplayString }
testIdx OBJECT-TYPE SYNTAX INTEGER { up(1), down(2) } MAX-ACCESS read-only
    STATUS current DESCRIPTION "i" DEFVAL { up } ::= { testEntry 1 }
testName OBJECT-TYPE SYNTAX DisplayString (SIZE (0..32)) UNITS "s"
    MAX-ACCESS read-only STATUS current DESCRIPTION "n" ::= { testEntry 2 }
END
"#;

    #[test]
    fn parses_sample() {
        let m = &parse(SAMPLE.as_bytes()).unwrap()[0];
        assert_eq!(m.name, "TEST-MIB");
        assert_eq!(m.imports.len(), 2);
        assert_eq!(m.defs.len(), 7);
        let Def::Value {
            object: Some(o), ..
        } = &m.defs[3]
        else {
            panic!()
        };
        assert_eq!(
            o.index,
            vec![("testIdx".into(), false), ("testName".into(), true)]
        );
        let Def::Value {
            object: Some(o), ..
        } = &m.defs[5]
        else {
            panic!()
        };
        assert_eq!(o.syntax.enums, vec![("up".into(), 1), ("down".into(), 2)]);
        let Def::Type { hint, syntax, .. } = &m.defs[1] else {
            panic!()
        };
        assert_eq!(hint.as_deref(), Some("d-2"));
        assert_eq!(syntax.ranges, vec![(0, 100), (200, 200)]);
        assert_eq!(module_name(SAMPLE.as_bytes()).as_deref(), Some("TEST-MIB"));
    }

    #[test]
    fn truncations_are_errors() {
        for cut in (0..SAMPLE.len()).step_by(7) {
            let text = &SAMPLE.as_bytes()[..cut];
            if let Ok(m) = parse(text) {
                panic!("truncated at {cut} parsed: {m:?}");
            }
        }
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let mut s = String::from("X DEFINITIONS ::= BEGIN a OBJECT-TYPE SYNTAX INTEGER DEFVAL ");
        s.push_str(&"{".repeat(10_000));
        assert!(parse(s.as_bytes()).is_err());
        let mut t = String::from("X DEFINITIONS ::= BEGIN T ::= ");
        t.push_str(&"[APPLICATION 1] ".repeat(10_000));
        assert!(parse(t.as_bytes()).is_err());
    }
}
