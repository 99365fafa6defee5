//! The targets file of `snmpx poll`: CSV (`host[:port],version,community[,oids]`, or named
//! columns from a header line) or YAML (a list of targets plus named credential profiles).
//! Blank lines and `#` comments are ignored in both.

mod csv;
mod yaml;

use crate::CliResult;
use snmpx::{Oid, Version};
use std::collections::HashMap;

/// SNMPv3 USM credentials of a target (names as Net-SNMP spells them: `-l -u -a -A -x -X -n`).
/// `Debug` shows whether pass phrases are set, never what they are.
#[derive(Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct V3Creds {
    /// msgUserName (`-u`).
    pub user: String,
    /// `noAuthNoPriv`, `authNoPriv` or `authPriv` (`-l`); derived from the secrets if absent.
    #[serde(default)]
    pub level: Option<String>,
    /// Authentication protocol (`-a`): MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512.
    #[serde(default)]
    pub auth: Option<String>,
    /// Authentication passphrase (`-A`).
    #[serde(default)]
    pub auth_password: Option<String>,
    /// Privacy protocol (`-x`): DES, AES, AES-192, AES-256, AES-192-C, AES-256-C, 3DES.
    #[serde(default)]
    pub privacy: Option<String>,
    /// Privacy passphrase (`-X`).
    #[serde(default)]
    pub privacy_password: Option<String>,
    /// Context name (`-n`).
    #[serde(default)]
    pub context: Option<String>,
}

impl std::fmt::Debug for V3Creds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let set = |p: &Option<String>| p.as_ref().map(|_| "<redacted>");
        f.debug_struct("V3Creds")
            .field("user", &self.user)
            .field("level", &self.level)
            .field("auth", &self.auth)
            .field("auth_password", &set(&self.auth_password))
            .field("privacy", &self.privacy)
            .field("privacy_password", &set(&self.privacy_password))
            .field("context", &self.context)
            .finish()
    }
}

/// How to talk to a target: a version and its credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Creds {
    /// Protocol version.
    pub version: Version,
    /// Community (v1/v2c).
    pub community: String,
    /// USM credentials (v3).
    pub v3: Option<V3Creds>,
}

impl Creds {
    /// v1/v2c credentials.
    pub fn community(version: Version, community: &str) -> Creds {
        Creds {
            version,
            community: community.to_string(),
            v3: None,
        }
    }
}

/// One agent to poll.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The host as written (`host`, `host:port`, `[v6]:port`), used in output records.
    pub host: String,
    /// Version and credentials.
    pub creds: Creds,
    /// Objects for this target (None: the command line's `--oids`).
    pub oids: Option<Vec<Oid>>,
}

/// Named credential sets a target can refer to instead of repeating them.
pub type Profiles = HashMap<String, Creds>;

/// Parses a list of OIDs separated by commas, semicolons or whitespace.
pub fn parse_oid_list(s: &str) -> CliResult<Vec<Oid>> {
    s.split([',', ';', ' ', '\t'])
        .filter(|w| !w.is_empty())
        .map(|w| w.parse::<Oid>().map_err(|e| format!("OID {w:?}: {e}")))
        .collect()
}

/// Parses a version as written in targets files: `1`, `v1`, `2c`, `v2c`, `3`, `v3`.
pub fn parse_version(s: &str) -> CliResult<Version> {
    s.trim().parse::<Version>().map_err(|e| e.to_string())
}

/// Parses a targets file; `yaml` selects the format (by file extension at the caller).
/// `profiles` are credential sets from `--profiles` (a YAML file), usable from CSV too; a
/// YAML targets file may define more.
pub fn parse(text: &str, yaml: bool, profiles: &Profiles) -> CliResult<Vec<Target>> {
    if yaml {
        yaml::parse(text, profiles)
    } else {
        csv::parse(text, profiles)
    }
}

/// Parses a profiles file: a YAML mapping of name -> credentials (the `profiles:` section
/// of a YAML targets file, on its own).
pub fn parse_profiles(text: &str) -> CliResult<Profiles> {
    yaml::parse_profiles(text)
}

/// True when a path names a YAML file.
pub fn is_yaml_path(p: &std::path::Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "YAML" | "YML")
    )
}
