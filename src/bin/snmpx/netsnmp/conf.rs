//! The client configuration Net-SNMP's tools read: `snmp.conf` and `snmp.local.conf` in each
//! directory of `SNMPCONFPATH` (default `/etc/snmp:/usr/share/snmp:/usr/lib/snmp:$HOME/.snmp`),
//! and the same directives given as `--name=value` or `-Y "name value"`.
//!
//! The directives that change what the tools send or print are honoured (`defVersion`,
//! `defCommunity`, `defSecurityName`, `defSecurityLevel`, `defAuthType`, `defPrivType`,
//! `defAuthPassphrase`, `defPrivPassphrase`, `defContext`, `mibs`, `mibdirs`,
//! `hexOutputLength`, `timeout`, `retries`); other directives Net-SNMP knows are accepted and
//! ignored; unknown ones draw Net-SNMP's warning.

use std::path::{Path, PathBuf};

/// Directives read so far.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// `defVersion`.
    pub version: Option<String>,
    /// `defCommunity`.
    pub community: Option<String>,
    /// `defSecurityName`.
    pub user: Option<String>,
    /// `defSecurityLevel`.
    pub level: Option<String>,
    /// `defAuthType`.
    pub auth_proto: Option<String>,
    /// `defPrivType`.
    pub priv_proto: Option<String>,
    /// `defAuthPassphrase` / `defPassphrase`.
    pub auth_pass: Option<String>,
    /// `defPrivPassphrase` / `defPassphrase`.
    pub priv_pass: Option<String>,
    /// `defContext`.
    pub context: Option<String>,
    /// `mibs`.
    pub mibs: Option<String>,
    /// `mibdirs`.
    pub mibdirs: Option<String>,
    /// `hexOutputLength`.
    pub hex_output_length: Option<usize>,
    /// `timeout` (seconds).
    pub timeout: Option<f64>,
    /// `retries`.
    pub retries: Option<u32>,
    /// Warnings to log (unknown directives), in order.
    pub warnings: Vec<String>,
}

/// Directives Net-SNMP's client library understands that change nothing here.
const IGNORED: &[&str] = &[
    "defsecuritymodel",
    "defport",
    "deftarget",
    "defdomain",
    "printnumericenums",
    "printnumericoids",
    "printvalueonly",
    "dontbreakdownoids",
    "escapequotes",
    "quickprinting",
    "numerictimeticks",
    "suffixprinting",
    "oidoutputformat",
    "extendedindex",
    "noranges",
    "nodisplayhint",
    "persistentdir",
    "nopersistentload",
    "nopersistentsave",
    "notokenwarnings",
    "noTokenWarnings",
    "dumppacket",
    "doDebugging",
    "debugTokens",
    "showmiberrors",
    "strictcommentterm",
    "mibreplacewithlatest",
    "mibwarninglevel",
    "mibfile",
    "logtimestamp",
    "16bitids",
    "clientaddr",
    "clientrecvbuf",
    "clientsendbuf",
    "servertimeout",
    "serverretries",
    "sock_rcvbuf",
    "sock_sndbuf",
    "reverseencodeber",
    "defaultport",
    "includeFile",
    "includeDir",
    "includeAllDisks",
    "outputPrecision",
    "stringOutputFormat",
    "disablePersistentLoad",
    "disablePersistentSave",
    "defSecurityModel",
    "defBootsTime",
];

impl Settings {
    /// Applies one directive line (`name value...`); `source` is `(file, line)` for warnings.
    pub fn apply_line(&mut self, line: &str, source: Option<(&Path, usize)>) {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return;
        }
        let (tok, val) = match line.split_once(|c: char| c.is_ascii_whitespace()) {
            Some((t, v)) => (t, v.trim()),
            None => (line, ""),
        };
        let s = Some(val.to_string());
        match tok.to_ascii_lowercase().as_str() {
            "defversion" => self.version = s,
            "defcommunity" => self.community = s,
            "defsecurityname" => self.user = s,
            "defsecuritylevel" => self.level = s,
            "defauthtype" => self.auth_proto = s,
            "defprivtype" => self.priv_proto = s,
            "defauthpassphrase" => self.auth_pass = s,
            "defprivpassphrase" => self.priv_pass = s,
            "defpassphrase" => {
                self.auth_pass = s.clone();
                self.priv_pass = s;
            }
            "defcontext" => self.context = s,
            "mibs" => self.mibs = s,
            "mibdirs" => self.mibdirs = s,
            "hexoutputlength" => self.hex_output_length = val.parse().ok().or(Some(0)),
            "timeout" => self.timeout = val.parse().ok(),
            "retries" => self.retries = val.parse().ok(),
            t if IGNORED.iter().any(|i| i.eq_ignore_ascii_case(t)) => {}
            _ => {
                let (file, n) = match source {
                    Some((p, n)) => (p.display().to_string(), n),
                    None => ("(null)".to_string(), 0),
                };
                self.warnings.push(format!(
                    "{file}: line {n}: Warning: Unknown token: {tok}.\n"
                ));
            }
        }
    }
}

/// The configuration directories, as Net-SNMP searches them.
fn conf_dirs() -> Vec<PathBuf> {
    if let Ok(p) = std::env::var("SNMPCONFPATH") {
        return p
            .split(':')
            .filter(|s| !s.is_empty())
            .map(PathBuf::from)
            .collect();
    }
    let mut v: Vec<PathBuf> = [
        "/etc/snmp",
        "/usr/share/snmp",
        "/usr/lib/x86_64-linux-gnu/snmp",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    if let Some(h) = std::env::var_os("HOME") {
        v.push(Path::new(&h).join(".snmp"));
    }
    v
}

/// Reads `snmp.conf` and `snmp.local.conf` from every configuration directory, in order.
pub fn load_files() -> Settings {
    let mut s = Settings::default();
    for d in conf_dirs() {
        for name in ["snmp.conf", "snmp.local.conf"] {
            let p = d.join(name);
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            for (n, line) in text.lines().enumerate() {
                s.apply_line(line, Some((&p, n + 1)));
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives() {
        let mut s = Settings::default();
        s.apply_line("defVersion 2c", None);
        s.apply_line("mibs :", None);
        s.apply_line("hexOutputLength 0", None);
        s.apply_line("# comment", None);
        s.apply_line("printNumericOids yes", None);
        s.apply_line("bogus 1", Some((Path::new("/x/snmp.conf"), 3)));
        assert_eq!(s.version.as_deref(), Some("2c"));
        assert_eq!(s.mibs.as_deref(), Some(":"));
        assert_eq!(s.hex_output_length, Some(0));
        assert_eq!(
            s.warnings,
            ["/x/snmp.conf: line 3: Warning: Unknown token: bogus.\n"]
        );
    }
}
