//! The targets file of `snmpx poll`: CSV with a header line,
//! `host[:port],version,community[,oids]` (oids separated by `;` or spaces; quote a field that
//! contains commas). Blank lines and lines starting with `#` are ignored.

use crate::CliResult;
use snmpx::{Oid, Version};

/// One agent to poll.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The host as written (`host`, `host:port`, `[v6]:port`), used in output records.
    pub host: String,
    /// v1 or v2c.
    pub version: Version,
    /// Community string.
    pub community: String,
    /// Objects for this target (None: the command line's `--oids`).
    pub oids: Option<Vec<Oid>>,
}

/// Splits one CSV line into fields (RFC 4180 quoting: `"a,b"`, `""` for a quote).
fn split_csv(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if cur.trim().is_empty() => {
                cur.clear();
                quoted = true;
            }
            (',', false) => fields.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    fields.push(cur);
    fields.into_iter().map(|f| f.trim().to_string()).collect()
}

/// Parses a list of OIDs separated by commas, semicolons or whitespace.
pub fn parse_oid_list(s: &str) -> CliResult<Vec<Oid>> {
    s.split([',', ';', ' ', '\t'])
        .filter(|w| !w.is_empty())
        .map(|w| w.parse::<Oid>().map_err(|e| format!("OID {w:?}: {e}")))
        .collect()
}

/// Parses the targets file text.
pub fn parse(text: &str) -> CliResult<Vec<Target>> {
    let mut out = Vec::new();
    let mut header_seen = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let f = split_csv(line);
        if !header_seen {
            header_seen = true;
            if f[0].eq_ignore_ascii_case("host") {
                continue;
            }
        }
        let at = |m: String| format!("targets line {}: {m}", i + 1);
        if f.len() < 3 || f.len() > 4 {
            return Err(at(format!(
                "expected host,version,community[,oids], found {} field(s)",
                f.len()
            )));
        }
        if f[0].is_empty() {
            return Err(at("empty host".into()));
        }
        let version: Version = f[1].parse().map_err(at)?;
        if version == Version::V3 {
            return Err(at("SNMPv3 targets are not supported yet".into()));
        }
        let oids = match f.get(3) {
            Some(s) if !s.is_empty() => Some(parse_oid_list(s).map_err(at)?),
            _ => None,
        };
        out.push(Target {
            host: f[0].clone(),
            version,
            community: f[2].clone(),
            oids,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_csv() {
        let t = parse(
            "host,version,community,oids\n\
             # comment\n\
             127.1.0.1:1161,2c,public\n\
             \n\
             127.1.0.2,1,\"com,ma\",1.3.6.1.2.1.1.5.0;1.3.6.1.2.1.1.1.0\n\
             [::1]:1161, v2c , public ,\"1.3.6.1.2.1.1.3.0, 1.3.6.1.2.1.1.4.0\"\n",
        )
        .unwrap();
        assert_eq!(t.len(), 3);
        assert_eq!(t[0].host, "127.1.0.1:1161");
        assert_eq!(t[0].oids, None);
        assert_eq!(t[1].version, Version::V1);
        assert_eq!(t[1].community, "com,ma");
        assert_eq!(t[1].oids.as_ref().unwrap().len(), 2);
        assert_eq!(
            t[2].oids.as_ref().unwrap()[1].to_string(),
            "1.3.6.1.2.1.1.4.0"
        );
        assert!(parse("h,x,c\n").is_err());
        assert!(parse("a,2c\n").is_err());
        assert_eq!(parse("10.0.0.1,2c,public\n").unwrap().len(), 1);
    }
}
