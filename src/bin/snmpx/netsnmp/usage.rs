//! The applications and their usage text.

use super::usage_text as t;

/// The Net-SNMP version whose behaviour these tools reproduce.
pub const NETSNMP_VERSION: &str = "5.9.3";

/// One Net-SNMP-compatible application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum App {
    /// `snmpget`.
    Get,
    /// `snmpgetnext`.
    GetNext,
    /// `snmpbulkget`.
    BulkGet,
    /// `snmpwalk`.
    Walk,
    /// `snmpbulkwalk`.
    BulkWalk,
    /// `snmpset`.
    Set,
    /// `snmptable`.
    Table,
    /// `snmptranslate`.
    Translate,
}

/// Every application, in the order `install-links` creates them.
pub const ALL: [App; 8] = [
    App::Get,
    App::GetNext,
    App::BulkGet,
    App::Walk,
    App::BulkWalk,
    App::Set,
    App::Table,
    App::Translate,
];

impl App {
    /// The command name.
    pub fn name(self) -> &'static str {
        match self {
            App::Get => "snmpget",
            App::GetNext => "snmpgetnext",
            App::BulkGet => "snmpbulkget",
            App::Walk => "snmpwalk",
            App::BulkWalk => "snmpbulkwalk",
            App::Set => "snmpset",
            App::Table => "snmptable",
            App::Translate => "snmptranslate",
        }
    }

    /// The application named `name` (a command name or the file name of argv[0]).
    pub fn from_name(name: &str) -> Option<App> {
        let base = name.rsplit('/').next().unwrap_or(name);
        ALL.iter().copied().find(|a| a.name() == base)
    }

    fn operands(self) -> &'static str {
        match self {
            App::Get | App::GetNext | App::BulkGet => "AGENT OID [OID]...",
            App::Walk | App::BulkWalk => "AGENT [OID]",
            App::Set => "AGENT OID TYPE VALUE [OID TYPE VALUE]...",
            App::Table => "AGENT TABLE-OID",
            App::Translate => "OID [OID]...",
        }
    }

    fn c_section(self) -> &'static str {
        match self {
            App::Get | App::GetNext => t::C_SNMPGET,
            App::BulkGet => t::C_SNMPBULKGET,
            App::Walk => t::C_SNMPWALK,
            App::BulkWalk => t::C_SNMPBULKWALK,
            App::Set => t::C_SNMPSET,
            App::Table => t::C_SNMPTABLE,
            App::Translate => "",
        }
    }
}

/// The usage text. `mib_path` is the search path line Net-SNMP shows once the library is
/// initialised; before that (`-h`) it shows its compiled-in default with `$HOME` unexpanded.
pub fn text(app: App, mib_path: Option<&str>) -> String {
    let mut s = format!("USAGE: {} [OPTIONS] {}\n", app.name(), app.operands());
    if app == App::Translate {
        s.push_str(t::TRANSLATE);
        return s;
    }
    s.push_str(t::COMMON_HEAD);
    let default =
        "$HOME/.snmp/mibs:/usr/share/snmp/mibs:/usr/share/snmp/mibs/iana:/usr/share/snmp/mibs/ietf";
    s.push_str(&format!("    (default: {})\n", mib_path.unwrap_or(default)));
    s.push_str(t::COMMON_TAIL);
    s.push_str(app.c_section());
    s
}
