//! CSV targets: `host[:port],version,community[,oids]` without a header, or named columns
//! after a header line starting with `host` (columns: host, version, community, profile,
//! oids, and the v3 ones: user, level, auth, auth_password, privacy, privacy_password,
//! context). Quote a field that contains commas (RFC 4180).

use super::{parse_oid_list, parse_version, Creds, Profiles, Target, V3Creds};
use crate::CliResult;
use snmpx::Version;

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

const COLUMNS: [&str; 12] = [
    "host",
    "version",
    "community",
    "profile",
    "oids",
    "user",
    "level",
    "auth",
    "auth_password",
    "privacy",
    "privacy_password",
    "context",
];

/// Parses the targets file text.
pub fn parse(text: &str, profiles: &Profiles) -> CliResult<Vec<Target>> {
    let mut out = Vec::new();
    let mut columns: Option<Vec<String>> = None;
    let mut first = true;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let f = split_csv(line);
        let at = |m: String| format!("targets line {}: {m}", i + 1);
        if std::mem::take(&mut first) && f[0].eq_ignore_ascii_case("host") {
            let names: Vec<String> = f.iter().map(|c| c.to_ascii_lowercase()).collect();
            if let Some(bad) = names.iter().find(|c| !COLUMNS.contains(&c.as_str())) {
                return Err(at(format!(
                    "unknown column {bad:?} (known: {})",
                    COLUMNS.join(", ")
                )));
            }
            columns = Some(names);
            continue;
        }
        let row = match &columns {
            Some(names) => named_row(names, &f, profiles),
            None => positional_row(&f),
        };
        out.push(row.map_err(at)?);
    }
    Ok(out)
}

/// `host,version,community[,oids]`.
fn positional_row(f: &[String]) -> CliResult<Target> {
    if f.len() < 3 || f.len() > 4 {
        return Err(format!(
            "expected host,version,community[,oids], found {} field(s)",
            f.len()
        ));
    }
    let names: Vec<String> = ["host", "version", "community", "oids"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    named_row(&names[..f.len()], f, &Profiles::new())
}

fn named_row(names: &[String], f: &[String], profiles: &Profiles) -> CliResult<Target> {
    if f.len() > names.len() {
        return Err(format!(
            "{} field(s) but the header names {} column(s)",
            f.len(),
            names.len()
        ));
    }
    let get = |col: &str| -> Option<&str> {
        names
            .iter()
            .position(|n| n == col)
            .and_then(|k| f.get(k))
            .map(|s| s.as_str())
            .filter(|s| !s.is_empty())
    };
    let host = get("host").ok_or("empty host")?.to_string();
    let owned = |col: &str| get(col).map(str::to_string);
    let creds = match get("profile") {
        Some(name) => profiles
            .get(name)
            .cloned()
            .ok_or_else(|| format!("unknown profile {name:?}"))?,
        None => {
            let version = parse_version(get("version").ok_or("no version and no profile")?)?;
            let community = get("community").unwrap_or_default();
            if version == Version::V3 {
                Creds {
                    version,
                    community: String::new(),
                    v3: Some(V3Creds {
                        user: owned("user").ok_or("v3 target without a user")?,
                        level: owned("level"),
                        auth: owned("auth"),
                        auth_password: owned("auth_password"),
                        privacy: owned("privacy"),
                        privacy_password: owned("privacy_password"),
                        context: owned("context"),
                    }),
                }
            } else {
                if community.is_empty() {
                    return Err("empty community".into());
                }
                Creds::community(version, community)
            }
        }
    };
    let oids = match get("oids") {
        Some(s) => Some(parse_oid_list(s)?),
        None => None,
    };
    Ok(Target { host, creds, oids })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_profiles() -> Profiles {
        Profiles::new()
    }

    #[test]
    fn parses_positional_csv() {
        let t = parse(
            "# comment\n\
             127.1.0.1:1161,2c,public\n\
             \n\
             127.1.0.2,1,\"com,ma\",1.3.6.1.2.1.1.5.0;1.3.6.1.2.1.1.1.0\n\
             [::1]:1161, v2c , public ,\"1.3.6.1.2.1.1.3.0, 1.3.6.1.2.1.1.4.0\"\n",
            &no_profiles(),
        )
        .unwrap();
        assert_eq!(t.len(), 3);
        assert_eq!(t[0].host, "127.1.0.1:1161");
        assert_eq!(t[0].oids, None);
        assert_eq!(t[1].creds.version, Version::V1);
        assert_eq!(t[1].creds.community, "com,ma");
        assert_eq!(t[1].oids.as_ref().unwrap().len(), 2);
        assert_eq!(
            t[2].oids.as_ref().unwrap()[1].to_string(),
            "1.3.6.1.2.1.1.4.0"
        );
        assert!(parse("h,x,c\n", &no_profiles()).is_err());
        assert!(parse("a,2c\n", &no_profiles()).is_err());
        assert_eq!(
            parse("10.0.0.1,2c,public\n", &no_profiles()).unwrap().len(),
            1
        );
    }

    #[test]
    fn parses_named_columns_profiles_and_v3() {
        let mut profiles = Profiles::new();
        profiles.insert("lab".into(), Creds::community(Version::V2c, "labcomm"));
        let t = parse(
            "host,profile,version,community,user,level,auth,auth_password,oids\n\
             127.1.0.1,lab,,,,,,,\n\
             127.1.0.2,,1,public,,,,,1.3.6.1.2.1.1.5.0\n\
             127.1.0.3,,3,,monitor,authNoPriv,SHA,secret123,\n",
            &profiles,
        )
        .unwrap();
        assert_eq!(t[0].creds, Creds::community(Version::V2c, "labcomm"));
        assert_eq!(t[1].creds, Creds::community(Version::V1, "public"));
        let v3 = t[2].creds.v3.as_ref().unwrap();
        assert_eq!(t[2].creds.version, Version::V3);
        assert_eq!(v3.user, "monitor");
        assert_eq!(v3.auth.as_deref(), Some("SHA"));
        assert_eq!(v3.privacy, None);
        let err = parse("host,profile\n127.1.0.1,nope\n", &profiles).unwrap_err();
        assert!(err.contains("unknown profile \"nope\""), "{err}");
        let err = parse("host,colour\n", &profiles).unwrap_err();
        assert!(err.contains("unknown column \"colour\""), "{err}");
        let err = parse("host,version\n127.1.0.1,3\n", &profiles).unwrap_err();
        assert!(err.contains("without a user"), "{err}");
    }
}
