//! YAML targets:
//!
//! ```yaml
//! profiles:                       # optional: named credential sets
//!   lab: {version: 2c, community: public}
//!   secure: {version: 3, user: monitor, level: authPriv, auth: SHA,
//!            auth_password: "...", privacy: AES, privacy_password: "..."}
//! targets:
//!   - host: 127.1.0.1:1161
//!     profile: lab
//!   - host: 127.1.0.2
//!     version: 1
//!     community: public
//!     oids: [1.3.6.1.2.1.1.5.0, 1.3.6.1.2.1.1.3.0]
//! ```
//!
//! A profiles file (`--profiles`) is the `profiles` mapping on its own.

use super::{parse_oid_list, parse_version, Creds, Profiles, Target, V3Creds};
use crate::CliResult;
use serde::Deserialize;
use snmpx::Version;
use std::collections::BTreeMap;

/// Credentials as written: a version plus a community or the v3 fields.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct CredsDef {
    #[serde(default)]
    version: Option<serde_yaml::Value>,
    #[serde(default)]
    community: Option<String>,
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    level: Option<String>,
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    auth_password: Option<String>,
    #[serde(default)]
    privacy: Option<String>,
    #[serde(default)]
    privacy_password: Option<String>,
    #[serde(default)]
    context: Option<String>,
}

/// A target; fields other than these are its inline credentials (checked by [`CredsDef`]).
#[derive(Deserialize)]
struct TargetDef {
    host: String,
    #[serde(default)]
    profile: Option<String>,
    #[serde(default)]
    oids: Option<OidsDef>,
    #[serde(flatten)]
    creds: BTreeMap<String, serde_yaml::Value>,
}

/// `oids:` as a YAML list or one string of OIDs separated by commas or spaces.
#[derive(Deserialize)]
#[serde(untagged)]
enum OidsDef {
    List(Vec<String>),
    Text(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDef {
    #[serde(default)]
    profiles: BTreeMap<String, CredsDef>,
    targets: Vec<TargetDef>,
}

/// A YAML scalar as text (`version: 1` is a number, `version: 2c` a string).
fn scalar_text(v: &serde_yaml::Value) -> CliResult<String> {
    match v {
        serde_yaml::Value::String(s) => Ok(s.clone()),
        serde_yaml::Value::Number(n) => Ok(n.to_string()),
        other => Err(format!("expected a version, found {other:?}")),
    }
}

fn creds(def: CredsDef) -> CliResult<Creds> {
    let version = parse_version(&scalar_text(
        def.version.as_ref().ok_or("missing version")?,
    )?)?;
    if version == Version::V3 {
        return Ok(Creds {
            version,
            community: String::new(),
            v3: Some(V3Creds {
                user: def.user.ok_or("v3 credentials without a user")?,
                level: def.level,
                auth: def.auth,
                auth_password: def.auth_password,
                privacy: def.privacy,
                privacy_password: def.privacy_password,
                context: def.context,
            }),
        });
    }
    let community = def
        .community
        .ok_or("v1/v2c credentials without a community")?;
    Ok(Creds::community(version, &community))
}

fn profiles_of(defs: BTreeMap<String, CredsDef>, into: &mut Profiles) -> CliResult<()> {
    for (name, def) in defs {
        let c = creds(def).map_err(|e| format!("profile {name:?}: {e}"))?;
        into.insert(name, c);
    }
    Ok(())
}

/// Parses a profiles file.
pub fn parse_profiles(text: &str) -> CliResult<Profiles> {
    let defs: BTreeMap<String, CredsDef> =
        serde_yaml::from_str(text).map_err(|e| format!("profiles: {e}"))?;
    let mut out = Profiles::new();
    profiles_of(defs, &mut out)?;
    Ok(out)
}

/// Parses a YAML targets file; its own profiles override same-named ones from `outer`.
pub fn parse(text: &str, outer: &Profiles) -> CliResult<Vec<Target>> {
    let file: FileDef = serde_yaml::from_str(text).map_err(|e| format!("targets: {e}"))?;
    let mut profiles = outer.clone();
    profiles_of(file.profiles, &mut profiles)?;
    file.targets
        .into_iter()
        .enumerate()
        .map(|(i, t)| target(t, &profiles).map_err(|e| format!("targets[{i}]: {e}")))
        .collect()
}

fn target(t: TargetDef, profiles: &Profiles) -> CliResult<Target> {
    if t.host.trim().is_empty() {
        return Err("empty host".into());
    }
    let creds = match t.profile {
        Some(name) if t.creds.is_empty() => profiles
            .get(&name)
            .cloned()
            .ok_or_else(|| format!("unknown profile {name:?}"))?,
        Some(_) => return Err("give a profile or inline credentials, not both".into()),
        None => {
            let map = serde_yaml::Value::Mapping(
                t.creds
                    .into_iter()
                    .map(|(k, v)| (serde_yaml::Value::String(k), v))
                    .collect(),
            );
            creds(CredsDef::deserialize(map).map_err(|e| e.to_string())?)?
        }
    };
    let oids = match t.oids {
        None => None,
        Some(OidsDef::Text(s)) => Some(parse_oid_list(&s)?),
        Some(OidsDef::List(v)) => Some(parse_oid_list(&v.join(" "))?),
    };
    Ok(Target {
        host: t.host,
        creds,
        oids,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"
profiles:
  lab: {version: 2c, community: labcomm}
  secure:
    version: 3
    user: monitor
    level: authPriv
    auth: SHA
    auth_password: "auth-secret"
    privacy: AES
    privacy_password: "priv-secret"
targets:
  - host: 127.1.0.1:1161
    profile: lab
  - host: 127.1.0.2
    version: 1
    community: public
    oids: [1.3.6.1.2.1.1.5.0, 1.3.6.1.2.1.1.3.0]
  - {host: "[::1]:1161", profile: secure, oids: "1.3.6.1.2.1.1.1.0"}
"#;

    #[test]
    fn parses_targets_and_profiles() {
        let t = parse(FILE, &Profiles::new()).unwrap();
        assert_eq!(t.len(), 3);
        assert_eq!(t[0].creds, Creds::community(Version::V2c, "labcomm"));
        assert_eq!(t[1].creds, Creds::community(Version::V1, "public"));
        assert_eq!(t[1].oids.as_ref().unwrap().len(), 2);
        let v3 = t[2].creds.v3.as_ref().unwrap();
        assert_eq!(t[2].host, "[::1]:1161");
        assert_eq!(v3.privacy.as_deref(), Some("AES"));
        assert_eq!(v3.privacy_password.as_deref(), Some("priv-secret"));
        assert_eq!(t[2].oids.as_ref().unwrap().len(), 1);
        let shown = format!("{:?}", t[2]);
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("monitor"), "{shown}");
    }

    #[test]
    fn reports_errors_with_their_place() {
        let e = parse(
            "targets:\n  - host: a\n    profile: nope\n",
            &Profiles::new(),
        )
        .unwrap_err();
        assert!(
            e.contains("targets[0]") && e.contains("unknown profile"),
            "{e}"
        );
        let e = parse("targets:\n  - host: a\n    version: 2c\n", &Profiles::new()).unwrap_err();
        assert!(e.contains("without a community"), "{e}");
        let e = parse("targets:\n  - host: a\n    colour: red\n", &Profiles::new()).unwrap_err();
        assert!(e.contains("colour"), "{e}");
        let e = parse("targets: [", &Profiles::new()).unwrap_err();
        assert!(e.starts_with("targets:"), "{e}");
        let p = parse_profiles("lab: {version: 1, community: x}\n").unwrap();
        assert_eq!(p["lab"], Creds::community(Version::V1, "x"));
    }
}
