//! `snmpx_config_from_argv`: a config from Net-SNMP-style command-line arguments, for tools
//! migrating from `snmpget`/`snmpwalk` command lines.

use super::config::{duration_from_seconds, snmpx_config, v3_unsupported, version_of, Options};
use super::guard::{boundary_err, into_raw, out, slice, text};
use super::result::{snmpx_error, snmpx_result, Fail};
use std::ffi::c_char;

fn usage(msg: impl Into<String>) -> Fail {
    Fail::new(snmpx_result::SNMPX_E_USAGE, msg)
}

fn parse_num<T: std::str::FromStr>(flag: &str, v: &str) -> Result<T, Fail> {
    v.trim().parse().map_err(|_| {
        Fail::new(
            snmpx_result::SNMPX_E_PARSE,
            format!("{flag}: bad number {v:?}"),
        )
    })
}

/// Options that take a value (Net-SNMP's snmp_parse_args letters).
fn takes_value(c: char) -> bool {
    matches!(
        c,
        'v' | 'c'
            | 't'
            | 'r'
            | 'C'
            | 'l'
            | 'u'
            | 'a'
            | 'A'
            | 'x'
            | 'X'
            | 'n'
            | 'e'
            | 'E'
            | 'Z'
            | '3'
            | 'm'
            | 'M'
            | 'O'
            | 'I'
            | 'P'
            | 'L'
            | 'D'
    )
}

/// Applies `-C` application options: `c` (do not check increasing), `rN` (max-repetitions),
/// `nN` (non-repeaters).
fn apply_c(o: &mut Options, v: &str) -> Result<(), Fail> {
    let b = v.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i] as char;
        i += 1;
        let digits = |i: &mut usize| {
            let start = *i;
            while *i < b.len() && b[*i].is_ascii_digit() {
                *i += 1;
            }
            &v[start..*i]
        };
        match c {
            'c' => o.check_increasing = Some(false),
            'r' => {
                let n: u32 = parse_num("-Cr", digits(&mut i))?;
                if n == 0 {
                    return Err(usage("-Cr: max-repetitions must be at least 1"));
                }
                o.max_repetitions = Some(n);
            }
            'n' => o.non_repeaters = Some(parse_num("-Cn", digits(&mut i))?),
            other => return Err(usage(format!("unsupported application option -C{other}"))),
        }
    }
    Ok(())
}

/// Parses `args` (without the program name). Returns the options and the index in `args`
/// just after the agent argument.
pub(crate) fn parse(args: &[&str]) -> Result<(Options, usize), Fail> {
    let mut o = Options::default();
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        i += 1;
        if a == "--" {
            break;
        }
        let Some(body) = a.strip_prefix('-').filter(|b| !b.is_empty()) else {
            o.target = a.to_string();
            return Ok((o, i));
        };
        let flag = body.chars().next().expect("non-empty");
        let attached = &body[flag.len_utf8()..];
        if !takes_value(flag) {
            return Err(usage(format!("unknown option -{flag}")));
        }
        let value = if !attached.is_empty() {
            attached
        } else if i < args.len() {
            i += 1;
            args[i - 1]
        } else {
            return Err(usage(format!("option -{flag} needs a value")));
        };
        let f = format!("-{flag}");
        match flag {
            'v' => {
                let code = match value {
                    "1" => 0,
                    "2c" | "2" => 1,
                    "3" => 3,
                    other => return Err(usage(format!("-v: unknown version {other:?}"))),
                };
                o.version = Some(version_of(code)?);
            }
            'c' => o.community = Some(value.as_bytes().to_vec()),
            't' => o.timeout = Some(duration_from_seconds(parse_num(&f, value)?, "-t timeout")?),
            'r' => o.retries = Some(parse_num(&f, value)?),
            'C' => apply_c(&mut o, value)?,
            'l' | 'u' | 'a' | 'A' | 'x' | 'X' | 'n' | 'e' | 'E' | 'Z' | '3' => {
                return Err(v3_unsupported(&format!("option {f}")))
            }
            'm' | 'M' => {
                return Err(Fail::new(
                    snmpx_result::SNMPX_E_NOT_SUPPORTED,
                    format!("option {f}: MIB loading is not available in this build yet"),
                ))
            }
            // Output, input, debug and logging options do not configure a session.
            _ => {}
        }
    }
    if i < args.len() {
        o.target = args[i].to_string();
        return Ok((o, i + 1));
    }
    Err(usage("no agent (host[:port]) given"))
}

/// A configuration from Net-SNMP-style arguments: `argv[0]` is the program name and is
/// skipped, then options, then the agent, e.g. `{"prog", "-v", "2c", "-c", "public", "-t",
/// "1.5", "-r", "2", "-Cr20", "127.0.0.1:1161", "1.3.6.1.2.1.1"}`. Understood: `-v 1|2c`,
/// `-c`, `-t` (seconds, fractions allowed), `-r`, `-C c|rN|nN`; `-O -I -P -L -D` are accepted
/// and ignored (they do not configure a session). SNMPv3 options (`-v3 -l -u -a -A -x -X
/// -n -e -E -Z -3k ...`) and `-m/-M` give `SNMPX_E_NOT_SUPPORTED` in this build; other
/// options `SNMPX_E_USAGE`. On success `*next_arg` is the index in `argv` of the first
/// argument after the agent (the OIDs of a command line), `argc` if there is none.
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_from_argv(
    argv: *const *const c_char,
    argc: usize,
    config: *mut *mut snmpx_config,
    next_arg: *mut usize,
    err: *mut *mut snmpx_error,
) -> snmpx_result {
    boundary_err(err, || {
        // SAFETY: C contract: `argc` readable pointers.
        let ptrs = unsafe { slice(argv, argc, "argv") }?;
        let (config, next_arg) = (out(config, "config")?, out(next_arg, "next_arg")?);
        let mut args = Vec::with_capacity(argc.saturating_sub(1));
        for (i, p) in ptrs.iter().enumerate().skip(1) {
            // SAFETY: C contract: every argv entry is a NUL-terminated string.
            args.push(unsafe { text(*p, &format!("argv[{i}]")) }?);
        }
        let (opts, next) = parse(&args)?;
        // SAFETY: both checked non-NULL, writable per the C contract.
        unsafe {
            config.set(into_raw(snmpx_config::new(opts)));
            next_arg.set(next + 1);
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Version;
    use std::time::Duration;

    #[test]
    fn common_command_line() {
        let a = [
            "-v",
            "2c",
            "-c",
            "public",
            "-t",
            "1.5",
            "-r",
            "2",
            "-Cr20",
            "-On",
            "host:1161",
            "1.3",
        ];
        let (o, next) = parse(&a).unwrap();
        assert_eq!(o.target, "host:1161");
        assert_eq!(o.version, Some(Version::V2c));
        assert_eq!(o.community.as_deref(), Some(&b"public"[..]));
        assert_eq!(o.timeout, Some(Duration::from_millis(1500)));
        assert_eq!(o.retries, Some(2));
        assert_eq!(o.max_repetitions, Some(20));
        assert_eq!(next, 11);
        let (o, next) = parse(&["-v1", "-cprivate", "-Cc", "-Cn2", "h"]).unwrap();
        assert_eq!(
            (o.version, o.check_increasing, o.non_repeaters),
            (Some(Version::V1), Some(false), Some(2))
        );
        assert_eq!((o.target.as_str(), next), ("h", 5));
    }

    #[test]
    fn errors_are_typed() {
        let code = |a: &[&str]| parse(a).err().unwrap().code;
        use snmpx_result::*;
        assert_eq!(code(&["-v", "3", "h"]), SNMPX_E_NOT_SUPPORTED);
        assert_eq!(code(&["-u", "bob", "h"]), SNMPX_E_NOT_SUPPORTED);
        assert_eq!(code(&["-l", "authPriv", "h"]), SNMPX_E_NOT_SUPPORTED);
        assert_eq!(code(&["-t", "x", "h"]), SNMPX_E_PARSE);
        assert_eq!(code(&["-t", "-1", "h"]), SNMPX_E_INVALID);
        assert_eq!(code(&["-c"]), SNMPX_E_USAGE);
        assert_eq!(code(&["-Q", "h"]), SNMPX_E_USAGE);
        assert_eq!(code(&["-v", "9", "h"]), SNMPX_E_USAGE);
        assert_eq!(code(&["-c", "x"]), SNMPX_E_USAGE);
        assert_eq!(code(&["-Cr0", "h"]), SNMPX_E_USAGE);
        assert_eq!(code(&["-Cz", "h"]), SNMPX_E_USAGE);
    }
}
