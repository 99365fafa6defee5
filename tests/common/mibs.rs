//! Locating the MIB corpus (Net-SNMP's standard set) and running Net-SNMP's `snmptranslate`
//! against it with an isolated configuration.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

/// The corpus directory: `$SNMPX_TEST_MIBS`, else `CARGO_MANIFEST_DIR/../shared/mibs`.
pub fn corpus_dir() -> PathBuf {
    match std::env::var_os("SNMPX_TEST_MIBS") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/mibs"),
    }
}

/// An empty directory used as SNMPCONFPATH so /etc/snmp/snmp.conf (Debian's `mibs :`) and
/// ~/.snmp do not change what the tools load.
pub fn empty_conf_dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("snmpx-mibtest-conf-{}", std::process::id()));
    std::fs::create_dir_all(&d).expect("creating a temp conf dir");
    d
}

/// A Net-SNMP tool pointed at exactly the corpus with `-m ALL`.
pub fn netsnmp_tool(tool: &str) -> Command {
    let conf = empty_conf_dir();
    let mut c = Command::new(tool);
    c.env("SNMPCONFPATH", &conf)
        .env("SNMP_PERSISTENT_DIR", &conf)
        .env_remove("MIBS")
        .env_remove("MIBDIRS")
        .arg("-M")
        .arg(corpus_dir())
        .args(["-m", "ALL"]);
    c
}

/// Runs `snmptranslate <flags> args...` in batches and returns one output line per argument.
pub fn snmptranslate(flags: &[&str], args: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len());
    for chunk in args.chunks(400) {
        // -Ir: Net-SNMP range-checks index arcs even in numeric input and stops the whole
        // batch at the first out-of-range one; the synthetic instances need not be in range.
        let o = netsnmp_tool("snmptranslate")
            .arg("-Ir")
            .args(flags)
            .args(chunk)
            .output()
            .expect("running snmptranslate (install Debian's snmp package)");
        let text = String::from_utf8_lossy(&o.stdout);
        let lines: Vec<String> = text
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        assert_eq!(
            lines.len(),
            chunk.len(),
            "snmptranslate {flags:?} gave {} lines for {} arguments; stderr: {}",
            lines.len(),
            chunk.len(),
            String::from_utf8_lossy(&o.stderr)
        );
        out.extend(lines);
    }
    out
}
