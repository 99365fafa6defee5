//! Text -> OID: `sysDescr.0`, `SNMPv2-MIB::sysDescr.0`, `.1.3.6.1.2.1.1.1.0`,
//! `.iso.org.dod.internet.mgmt.mib-2.system.sysDescr.0`, `IF-MIB::ifDescr.3`,
//! `vacmGroupName.1."comm1"`; with instance parts checked against the table's INDEX clause
//! the way Net-SNMP's `_add_strings_to_oid` does (enum labels, ranges, quoted strings with a
//! length prefix unless IMPLIED or fixed-size; RFC 2578 §7.7).

use super::error::ResolveError;
use super::tree::{BaseType, Mib, NodeId, TOP};
use crate::oid::{Oid, MAX_ARCS};

/// One `.`-separated piece of the instance text.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    Word(String),
    Quoted(char, Vec<u8>),
}

fn syntax(text: &str, reason: &str) -> ResolveError {
    ResolveError::Syntax {
        text: text.to_string(),
        reason: reason.to_string(),
    }
}

/// Splits `a.b."c.d".'e'` into parts, honouring quotes and backslash escapes.
fn split(text: &str, s: &str) -> Result<Vec<Part>, ResolveError> {
    let b = s.as_bytes();
    let mut parts = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'"' || b[i] == b'\'' {
            let q = b[i];
            i += 1;
            let mut v = Vec::new();
            loop {
                match b.get(i) {
                    None => return Err(syntax(text, "unterminated quoted index")),
                    Some(b'\\') if i + 1 < b.len() => {
                        v.push(b[i + 1]);
                        i += 2;
                    }
                    Some(&c) if c == q => {
                        i += 1;
                        break;
                    }
                    Some(&c) => {
                        v.push(c);
                        i += 1;
                    }
                }
            }
            parts.push(Part::Quoted(q as char, v));
            match b.get(i) {
                None => {}
                Some(b'.') => i += 1,
                Some(_) => return Err(syntax(text, "text after a quoted index")),
            }
        } else {
            let start = i;
            while i < b.len() && b[i] != b'.' {
                i += 1;
            }
            if start == i {
                return Err(syntax(text, "empty component"));
            }
            parts.push(Part::Word(s[start..i].to_string()));
            if i < b.len() {
                i += 1;
                if i == b.len() {
                    return Err(syntax(text, "trailing dot"));
                }
            }
        }
        if parts.len() > MAX_ARCS {
            return Err(syntax(text, "more than 128 components"));
        }
    }
    Ok(parts)
}

fn number(text: &str, w: &str) -> Result<u32, ResolveError> {
    if !w.bytes().all(|c| c.is_ascii_digit()) {
        return Err(syntax(text, "expected a number"));
    }
    w.parse::<u32>()
        .map_err(|_| syntax(text, "sub-identifier out of range"))
}

impl Mib {
    /// Resolves an object name or numeric OID to an [`Oid`]. Unknown names are a typed error.
    pub fn resolve(&self, text: &str) -> Result<Oid, ResolveError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(syntax(text, "empty"));
        }
        if t.bytes().all(|c| c.is_ascii_digit() || c == b'.') {
            return t.parse::<Oid>().map_err(|e| syntax(text, &e.to_string()));
        }
        let mut arcs: Vec<u32> = Vec::with_capacity(16);
        let (start, rest) = if let Some(pos) = t.find("::") {
            let (module, rest) = (&t[..pos], &t[pos + 2..]);
            let m = *self
                .module_ids
                .get(module)
                .ok_or_else(|| ResolveError::UnknownModule(module.to_string()))?;
            let (label, rest) = rest.split_once('.').unwrap_or((rest, ""));
            let node = self
                .find_in_module(label, m)
                .ok_or_else(|| ResolveError::NotInModule {
                    module: module.to_string(),
                    name: label.to_string(),
                })?;
            (node, rest)
        } else if let Some(path) = t.strip_prefix('.') {
            (TOP, path)
        } else if t.as_bytes()[0].is_ascii_digit() {
            (TOP, t)
        } else {
            let (label, rest) = t.split_once('.').unwrap_or((t, ""));
            match self.find_name(label) {
                Some(n) => (n, rest),
                None => return Err(ResolveError::UnknownName(label.to_string())),
            }
        };
        if start != TOP {
            arcs.extend(self.arcs_of(start));
        }
        let parts = if rest.is_empty() {
            Vec::new()
        } else {
            split(text, rest)?
        };
        self.add_parts(text, start, &parts, &mut arcs)?;
        Oid::from_slice(&arcs).map_err(|e| syntax(text, &e.to_string()))
    }

    /// Appends the arcs for `parts` below `node`: tree descent, then INDEX-typed instance parts,
    /// then plain numbers and quoted strings.
    fn add_parts(
        &self,
        text: &str,
        mut node: NodeId,
        parts: &[Part],
        arcs: &mut Vec<u32>,
    ) -> Result<(), ResolveError> {
        let mut i = 0;
        // Descend while the current node has children.
        while i < parts.len() && !self.node(node).children.is_empty() {
            let Part::Word(w) = &parts[i] else { break };
            let next = if w.as_bytes()[0].is_ascii_digit() {
                let k = number(text, w)?;
                arcs.push(k);
                i += 1;
                match self.child(node, k) {
                    Some(c) => c,
                    None => {
                        node = TOP; // off the tree: the rest is plain
                        break;
                    }
                }
            } else {
                let found = self.node(node).children.iter().find(|(_, c)| {
                    let n = self.node(*c);
                    n.label.as_deref() == Some(w.as_str()) || n.aliases.iter().any(|a| &**a == w)
                });
                match found {
                    Some(&(k, c)) => {
                        arcs.push(k);
                        i += 1;
                        c
                    }
                    None => return Err(ResolveError::UnknownName(w.clone())),
                }
            };
            node = next;
        }
        // A leaf (column): parse instance parts with the row's INDEX clause.
        if node != TOP && self.node(node).children.is_empty() {
            if let Some(index) = self.index_of(self.node(node).parent) {
                let index = index.to_vec();
                for item in &index {
                    if i >= parts.len() {
                        break;
                    }
                    let Some(inode) = item.node else { break };
                    let Some(d) = self.data(inode) else { break };
                    let bad = |text: &str, reason: &str| ResolveError::BadIndex {
                        text: text.to_string(),
                        index: item.label.to_string(),
                        reason: reason.to_string(),
                    };
                    match d.base {
                        BaseType::Integer
                        | BaseType::Integer32
                        | BaseType::UInteger32
                        | BaseType::Unsigned32
                        | BaseType::TimeTicks => {
                            let Part::Word(w) = &parts[i] else {
                                return Err(bad(text, "expected a number"));
                            };
                            let v: i128 = if w.as_bytes()[0].is_ascii_digit() {
                                number(text, w)? as i128
                            } else {
                                d.enums
                                    .iter()
                                    .find(|(_, l)| **l == **w)
                                    .map(|(v, _)| *v as i128)
                                    .ok_or_else(|| bad(w, "not a label of the enumeration"))?
                            };
                            // Net-SNMP compares signed types as int, unsigned as unsigned.
                            let check = match d.base {
                                BaseType::Integer | BaseType::Integer32 => v as u32 as i32 as i128,
                                _ => v,
                            };
                            if !d.ranges.is_empty()
                                && !d.ranges.iter().any(|(lo, hi)| *lo <= check && check <= *hi)
                            {
                                return Err(bad(text, "value out of range"));
                            }
                            arcs.push(v as u32);
                            i += 1;
                        }
                        BaseType::IpAddress => {
                            for _ in 0..4 {
                                let Some(Part::Word(w)) = parts.get(i) else {
                                    break;
                                };
                                let k = number(text, w)?;
                                if k > 255 {
                                    return Err(bad(w, "IpAddress octet over 255"));
                                }
                                arcs.push(k);
                                i += 1;
                            }
                        }
                        BaseType::OctetString => {
                            let fixed = d.fixed_size();
                            match &parts[i] {
                                Part::Quoted(q, bytes) => {
                                    let needs_len = !item.implied && fixed.is_none();
                                    if needs_len && *q == '\'' {
                                        return Err(bad(
                                            text,
                                            "'-quote is for fixed length strings",
                                        ));
                                    }
                                    if !needs_len && *q == '"' {
                                        return Err(bad(
                                            text,
                                            "\"-quote is for variable length strings",
                                        ));
                                    }
                                    let n = bytes.len() as i128;
                                    match fixed {
                                        Some(f) if f as i128 != n => {
                                            return Err(bad(text, "wrong string length"))
                                        }
                                        None if !d.ranges.is_empty()
                                            && !d
                                                .ranges
                                                .iter()
                                                .any(|(lo, hi)| *lo <= n && n <= *hi) =>
                                        {
                                            return Err(bad(text, "string length out of range"))
                                        }
                                        _ => {}
                                    }
                                    if needs_len {
                                        arcs.push(bytes.len() as u32);
                                    }
                                    arcs.extend(bytes.iter().map(|&c| c as u32));
                                    i += 1;
                                }
                                Part::Word(_) => {
                                    let mut len: Option<usize> = fixed;
                                    if !item.implied && fixed.is_none() {
                                        let Part::Word(w) = &parts[i] else {
                                            unreachable!()
                                        };
                                        let n = number(text, w)?;
                                        arcs.push(n);
                                        len = Some(n as usize);
                                        i += 1;
                                    }
                                    let mut taken = 0usize;
                                    while len.map_or(true, |l| taken < l) && i < parts.len() {
                                        let Part::Word(w) = &parts[i] else { break };
                                        let k = number(text, w)?;
                                        if k > 255 {
                                            return Err(bad(w, "string octet over 255"));
                                        }
                                        arcs.push(k);
                                        taken += 1;
                                        i += 1;
                                    }
                                }
                            }
                        }
                        // OBJECT IDENTIFIER and other index types: the rest is plain.
                        _ => break,
                    }
                    if arcs.len() > MAX_ARCS {
                        return Err(syntax(text, "more than 128 arcs"));
                    }
                }
            }
        }
        // Whatever is left: numbers and quoted strings ("x" with a length prefix).
        for p in &parts[i..] {
            match p {
                Part::Word(w) => arcs.push(number(text, w)?),
                Part::Quoted(q, bytes) => {
                    if *q == '"' {
                        arcs.push(bytes.len() as u32);
                    }
                    arcs.extend(bytes.iter().map(|&c| c as u32));
                }
            }
            if arcs.len() > MAX_ARCS {
                return Err(syntax(text, "more than 128 arcs"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_parts() {
        let p = split("x", r#"1."a.b".'c\'d'.7"#).unwrap();
        assert_eq!(
            p,
            vec![
                Part::Word("1".into()),
                Part::Quoted('"', b"a.b".to_vec()),
                Part::Quoted('\'', b"c'd".to_vec()),
                Part::Word("7".into())
            ]
        );
        assert!(split("x", "1..2").is_err());
        assert!(split("x", "1.\"open").is_err());
        assert!(split("x", "1.").is_err());
    }
}
