//! Net-SNMP 5.9's command-line parsing (`snmp_parse_args` over GNU `getopt`): options may
//! follow operands (argv is permuted), short options cluster (`-v2c`, `-OQUs`), an option's
//! argument is the rest of its cluster or the next word, `--` ends the options, and
//! `--name=value` is a configuration directive (`--hexOutputLength=0`).
//!
//! Every message and exit code is Net-SNMP's: a bad option prints its complaint, then the
//! usage text, and exits 1; `-V` prints the version and exits 0.

use super::conf::{self, Settings};
use super::usage::{self, App};
use snmpx::format::OutputOptions;

/// Input options (`-I`): how object names and set values are read.
#[derive(Debug, Clone, Default)]
pub struct InputOptions {
    /// `-Ir`: do not check set values against the MIB's ranges and types.
    pub no_range_check: bool,
    /// `-Ih`: do not parse set values through DISPLAY-HINTs.
    pub no_hints: bool,
    /// `-Is SUFFIX`: appended to every textual OID.
    pub suffix: Option<String>,
    /// `-IS PREFIX`: prepended to every textual OID.
    pub prefix: Option<String>,
}

/// Where library messages (`snmp_log`) go: `-Le`, `-Lo`, `-Ln`, `-Lf FILE`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum LogTarget {
    /// Standard error (the default).
    #[default]
    Stderr,
    /// Standard output.
    Stdout,
    /// Nowhere.
    Null,
    /// Appended to a file.
    File(String),
}

/// Everything the common options set, before the application looks at its operands.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `-v`; `None` means the configured default (`defVersion`, else 3).
    pub version: Option<snmpx::Version>,
    /// `-c`.
    pub community: Option<String>,
    /// `-u`.
    pub user: Option<String>,
    /// `-l`.
    pub level: Option<String>,
    /// `-a`.
    pub auth_proto: Option<String>,
    /// `-A`.
    pub auth_pass: Option<String>,
    /// `-x`.
    pub priv_proto: Option<String>,
    /// `-X`.
    pub priv_pass: Option<String>,
    /// `-n`.
    pub context: Option<String>,
    /// `-e`.
    pub sec_engine: Option<Vec<u8>>,
    /// `-E`.
    pub ctx_engine: Option<Vec<u8>>,
    /// `-Z boots,time`.
    pub boots_time: Option<(u32, u32)>,
    /// `-t`, seconds.
    pub timeout: Option<f64>,
    /// `-r`.
    pub retries: Option<u32>,
    /// `-m`.
    pub mibs: Option<String>,
    /// `-M`.
    pub mibdirs: Option<String>,
    /// `-O` letters applied in order.
    pub out: OutputOptions,
    /// `-I`.
    pub input: InputOptions,
    /// `-IR`: names may be any descriptor (snmptranslate; the other tools always allow it).
    pub random_access: bool,
    /// `-L`.
    pub log: LogTarget,
    /// `-d`: dump packets (accepted; see ARCHITECTURE.md).
    pub dump: bool,
    /// `-C` letters with their arguments, in order (application-specific).
    pub app: Vec<(char, String)>,
    /// Operands: agent, then OIDs (and set triples).
    pub operands: Vec<String>,
    /// Directives from snmp.conf files and `--name=value`.
    pub settings: Settings,
}

/// Why parsing stopped: what to print and the exit code.
#[derive(Debug)]
pub enum Stop {
    /// Print `message` (may be empty), then the usage text (showing the `-M` path if one
    /// was parsed before the error), exit 1.
    Usage(String, Option<String>),
    /// Print the text to stderr, exit with the code.
    Exit(String, u8),
}

/// What an option letter takes.
fn takes_arg(app: App, c: char) -> Option<bool> {
    if app == App::Translate {
        return match c {
            'V' | 'h' | 'H' | 'd' => Some(false),
            'm' | 'M' | 'w' | 'D' | 'P' | 'O' | 'I' | 'L' | 'T' | '-' => Some(true),
            _ => None,
        };
    }
    match c {
        'V' | 'h' | 'H' | 'd' => Some(false),
        'Y' | 'm' | 'M' | 'O' | 'I' | 'P' | 'D' | 'v' | 'r' | 't' | 'c' | 'Z' | 'e' | 'E' | 'n'
        | 'u' | 'l' | 'x' | 'X' | 'a' | 'A' | '-' | 'L' | 'C' => Some(true),
        _ => None,
    }
}

/// Parses `args` (without argv[0]) as `app` does. Configuration files are read first so that
/// options override them.
pub fn parse(app: App, args: &[String]) -> Result<Options, Stop> {
    let mut o = Options {
        settings: conf::load_files(),
        ..Options::default()
    };
    o.out.hex_output_length = o.settings.hex_output_length.unwrap_or(16);
    let mut i = 0;
    let mut only_operands = false;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if only_operands || a.len() < 2 || !a.starts_with('-') {
            o.operands.push(a.clone());
            // snmpset runs getopt with POSIXLY_CORRECT (so values like -5 are operands):
            // options end at the first operand.
            only_operands |= app == App::Set;
            continue;
        }
        if a == "--" {
            only_operands = true;
            continue;
        }
        let chars: Vec<char> = a.chars().collect();
        let mut k = 1;
        while k < chars.len() {
            let c = chars[k];
            k += 1;
            let Some(has_arg) = takes_arg(app, c) else {
                return Err(Stop::Usage(
                    format!("{}: invalid option -- '{c}'\n", app.name()),
                    o.mibdirs.clone(),
                ));
            };
            if !has_arg {
                match flag(app, &mut o, c) {
                    Err(Stop::Usage(m, None)) => return Err(Stop::Usage(m, o.mibdirs.clone())),
                    Err(e) => return Err(e),
                    Ok(()) => {}
                }
                continue;
            }
            let optarg: String = if k < chars.len() {
                let s: String = chars[k..].iter().collect();
                k = chars.len();
                s
            } else if i < args.len() {
                i += 1;
                args[i - 1].clone()
            } else {
                return Err(Stop::Usage(
                    format!("{}: option requires an argument -- '{c}'\n", app.name()),
                    o.mibdirs.clone(),
                ));
            };
            let r = if c == 'C' {
                app_flags(app, &mut o, &optarg, args, &mut i)
            } else {
                with_arg(app, &mut o, c, &optarg, args.get(i))
            };
            if let Err(Stop::Usage(m, None)) = r {
                return Err(Stop::Usage(m, o.mibdirs.clone()));
            }
            r?;
        }
    }
    Ok(o)
}

fn flag(app: App, o: &mut Options, c: char) -> Result<(), Stop> {
    match c {
        'V' => Err(Stop::Exit(version_text(), 0)),
        'h' => Err(Stop::Usage(String::new(), None)),
        'H' => Err(Stop::Exit(
            "Configuration directives understood:\n".to_string(),
            if app == App::Translate { 1 } else { 0 },
        )),
        'd' => {
            o.dump = true;
            Ok(())
        }
        _ => Ok(()),
    }
}

/// `NET-SNMP version: 5.9.3`.
pub fn version_text() -> String {
    format!("NET-SNMP version: {}\n", usage::NETSNMP_VERSION)
}

fn bad(msg: String) -> Stop {
    Stop::Usage(msg, None)
}

fn with_arg(
    app: App,
    o: &mut Options,
    c: char,
    v: &str,
    next: Option<&String>,
) -> Result<(), Stop> {
    match c {
        'm' => o.mibs = Some(v.to_string()),
        'M' => o.mibdirs = Some(v.to_string()),
        'O' => {
            let mut rest = v;
            // `p PRECISION` takes the rest of the letters (a printf precision for floats).
            if let Some(p) = rest.find('p') {
                rest = &v[..p];
            }
            o.out
                .apply_flags(rest)
                .map_err(|ch| bad(format!("Unknown output option passed to -O: {ch}.\n")))?;
        }
        'I' => input_flags(o, v)?,
        'P' => {
            if let Some(ch) = v.chars().find(|c| !"ucdewWR".contains(*c)) {
                return Err(bad(format!("Unknown parsing option passed to -P: {ch}.\n")));
            }
        }
        'L' => log_flags(o, v)?,
        'D' | 'Y' if app == App::Translate && c == 'Y' => {}
        'D' => {}
        'Y' => o.settings.apply_line(v, None),
        '-' => long_option(o, v)?,
        'w' | 'T' => o.app.push((c, v.to_string())),
        'v' => {
            o.version = Some(match v {
                "1" => snmpx::Version::V1,
                _ if v.eq_ignore_ascii_case("2c") => snmpx::Version::V2c,
                "3" => snmpx::Version::V3,
                _ => {
                    return Err(bad(format!(
                        "Invalid version specified after -v flag: {v}\n"
                    )))
                }
            })
        }
        't' => {
            let t = parse_c_double(v);
            match t {
                Some(t) if t >= 0.0 && v.starts_with(|c: char| c.is_ascii_digit() || c == '.') => {
                    o.timeout = Some(t)
                }
                _ => return Err(bad("Invalid timeout in seconds after -t flag.\n".into())),
            }
        }
        'r' => match v.parse::<u32>() {
            Ok(r) if v.starts_with(|c: char| c.is_ascii_digit()) => o.retries = Some(r),
            _ => return Err(bad("Invalid number of retries after -r flag.\n".into())),
        },
        'c' => o.community = Some(v.to_string()),
        'Z' => {
            // `boots,time`, or the old form `-Z boots time` when the next word is a number
            // (which then stays an operand too, as in Net-SNMP).
            let num = |s: &str| s.trim().parse::<u32>().ok();
            let (b, t) = match v.split_once(',') {
                Some((b, t)) => (num(b), num(t)),
                None => (
                    num(v),
                    next.filter(|n| n.starts_with(|c: char| c.is_ascii_digit()))
                        .and_then(|n| {
                            let d: String = n.chars().take_while(|c| c.is_ascii_digit()).collect();
                            num(&d)
                        }),
                ),
            };
            match (b, t) {
                (Some(b), Some(t)) => o.boots_time = Some((b, t)),
                _ => return Err(bad("Need engine time after \"-Z engineBoot\".\n".into())),
            }
        }
        'e' | 'E' => {
            let id = parse_hex(v)
                .ok_or_else(|| bad(format!("Bad engine ID value after -3{c} flag.\n")))?;
            if c == 'e' {
                o.sec_engine = Some(id);
            } else {
                o.ctx_engine = Some(id);
            }
        }
        'n' => o.context = Some(v.to_string()),
        'u' => o.user = Some(v.to_string()),
        'l' => {
            if v.parse::<snmpx::message::v3::SecurityLevel>().is_err() {
                return Err(bad(format!(
                    "Invalid security level specified after -3l flag: {v}\n"
                )));
            }
            o.level = Some(v.to_string());
        }
        'a' => {
            if v.parse::<snmpx::usm::AuthProtocol>().is_err() {
                return Err(bad(format!(
                    "Invalid authentication protocol specified after -3a flag: {v}\n"
                )));
            }
            o.auth_proto = Some(v.to_string());
        }
        'x' => {
            if v.parse::<snmpx::usm::PrivProtocol>().is_err() {
                return Err(bad(format!(
                    "Invalid privacy protocol specified after -3x flag: {v}\n"
                )));
            }
            o.priv_proto = Some(v.to_string());
        }
        'A' => o.auth_pass = Some(v.to_string()),
        'X' => o.priv_pass = Some(v.to_string()),
        _ => {}
    }
    Ok(())
}

/// `--help`, `--version`, or a configuration directive `name=value`.
fn long_option(o: &mut Options, v: &str) -> Result<(), Stop> {
    if v.eq_ignore_ascii_case("help") {
        return Err(Stop::Usage(String::new(), None));
    }
    if v.eq_ignore_ascii_case("version") {
        return Err(Stop::Exit(version_text(), 0));
    }
    let line = match v.split_once('=') {
        Some((k, val)) => format!("{k} {val}"),
        None => v.to_string(),
    };
    o.settings.apply_line(&line, None);
    if let Some(n) = o.settings.hex_output_length {
        o.out.hex_output_length = n;
    }
    Ok(())
}

fn input_flags(o: &mut Options, v: &str) -> Result<(), Stop> {
    for (i, c) in v.char_indices() {
        match c {
            'b' | 'u' => {}
            'R' => o.random_access ^= true,
            'r' => o.input.no_range_check ^= true,
            'h' => o.input.no_hints ^= true,
            's' | 'S' => {
                let rest = v[i + 1..].to_string();
                if c == 's' {
                    o.input.suffix = Some(rest);
                } else {
                    o.input.prefix = Some(rest);
                }
                return Ok(());
            }
            _ => return Err(bad(format!("Unknown input option passed to -I: {c}.\n"))),
        }
    }
    Ok(())
}

fn log_flags(o: &mut Options, v: &str) -> Result<(), Stop> {
    let mut chars = v.chars();
    let first = chars.next().unwrap_or(' ');
    let rest: String = chars.collect();
    o.log = match first {
        'e' | 'E' => LogTarget::Stderr,
        'o' | 'O' => LogTarget::Stdout,
        'n' | 'N' => LogTarget::Null,
        'f' | 'F' => LogTarget::File(rest.trim().to_string()),
        's' | 'S' => LogTarget::Null,
        c => return Err(bad(format!("Unknown logging option passed to -L: {c}.\n"))),
    };
    Ok(())
}

/// The `-C` letters of each application. Letters with a numeric argument (`-Cr10`,
/// `-Cn1r3`) read the digits that follow; `-Cf<STR>` (snmptable) takes the rest; `-CE`
/// (snmpwalk) takes the next word.
fn app_flags(
    app: App,
    o: &mut Options,
    v: &str,
    args: &[String],
    i: &mut usize,
) -> Result<(), Stop> {
    let unknown = |c: char| Stop::Exit(format!("Unknown flag passed to -C: {c}\n"), 1);
    let b: Vec<char> = v.chars().collect();
    let mut k = 0;
    while k < b.len() {
        let c = b[k];
        k += 1;
        let number = |k: &mut usize| -> String {
            let start = *k;
            while *k < b.len() && (b[*k].is_ascii_digit() || (*k == start && b[*k] == '-')) {
                *k += 1;
            }
            b[start..*k].iter().collect()
        };
        let allowed: &str = match app {
            App::Get | App::GetNext => "f",
            App::BulkGet => "nr",
            App::Walk => "piIctTE",
            App::BulkWalk => "cinpr",
            App::Set => "q",
            App::Table => "bBcfhHilrw",
            App::Translate => "",
        };
        if !allowed.contains(c) {
            if app == App::Table {
                // Reported after initialisation, with the usage text.
                o.app.push(('!', c.to_string()));
                return Ok(());
            }
            return Err(unknown(c));
        }
        let arg = match (app, c) {
            (App::BulkGet | App::BulkWalk, 'n' | 'r') => {
                let n = number(&mut k);
                if n.is_empty() {
                    return Err(Stop::Usage(String::new(), None));
                }
                n
            }
            // snmptable's f, w, c and r each take the next word.
            (App::Table, 'f' | 'c' | 'r' | 'w') | (App::Walk, 'E') => {
                if *i < args.len() {
                    *i += 1;
                    args[*i - 1].clone()
                } else {
                    String::new()
                }
            }
            _ => String::new(),
        };
        o.app.push((c, arg));
    }
    Ok(())
}

/// C `strtod` on the whole string (no trailing text allowed).
fn parse_c_double(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() || t.contains(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E') {
        return None;
    }
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Net-SNMP's hex input for engine IDs: optional `0x`, an even number of hex digits.
pub fn parse_hex(s: &str) -> Option<Vec<u8>> {
    let t = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s);
    if t.is_empty() || t.len() % 2 != 0 || !t.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    (0..t.len())
        .step_by(2)
        .map(|j| u8::from_str_radix(&t[j..j + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(app: App, a: &[&str]) -> Result<Options, Stop> {
        let v: Vec<String> = a.iter().map(|s| s.to_string()).collect();
        parse(app, &v)
    }

    #[test]
    fn clusters_permutation_and_double_dash() {
        let o = p(
            App::Get,
            &["host", "-v2c", "oid", "-cpub", "-OQUs", "--", "-x"],
        )
        .unwrap();
        assert_eq!(o.version, Some(snmpx::Version::V2c));
        assert_eq!(o.community.as_deref(), Some("pub"));
        assert_eq!(o.operands, ["host", "oid", "-x"]);
        assert!(o.out.quick && o.out.quick_equals && o.out.no_units);
    }

    #[test]
    fn bad_values_are_usage_errors() {
        assert!(
            matches!(p(App::Get, &["-v", "4"]), Err(Stop::Usage(m, _)) if m.contains("-v flag: 4"))
        );
        assert!(matches!(p(App::Get, &["-t", "x"]), Err(Stop::Usage(..))));
        assert!(
            matches!(p(App::Get, &["-M", "/d", "-Oz"]), Err(Stop::Usage(m, Some(d))) if m.contains("-O: z.") && d == "/d")
        );
        assert!(matches!(p(App::Get, &["-Cz"]), Err(Stop::Exit(m, 1)) if m.contains("-C: z")));
        assert!(matches!(p(App::Get, &["-V"]), Err(Stop::Exit(_, 0))));
        assert!(matches!(p(App::Get, &["-t"]), Err(Stop::Usage(..))));
    }

    #[test]
    fn app_letters_and_numbers() {
        let o = p(App::BulkGet, &["-Cn1r3", "h"]).unwrap();
        assert_eq!(o.app, [('n', "1".to_string()), ('r', "3".to_string())]);
        let o = p(App::Walk, &["-CE", ".1.3", "h"]).unwrap();
        assert_eq!(o.app, [('E', ".1.3".to_string())]);
        assert_eq!(o.operands, ["h"]);
        let o = p(App::Table, &["-Cfw", ",", "40", "h"]).unwrap();
        assert_eq!(o.app, [('f', ",".to_string()), ('w', "40".to_string())]);
        assert_eq!(o.operands, ["h"]);
        assert_eq!(parse_hex("0x8000"), Some(vec![0x80, 0]));
        assert_eq!(parse_hex("zz"), None);
    }
}
