//! `snmpx_config_from_argv`: a config from Net-SNMP-style command-line arguments, for tools
//! migrating from `snmpget`/`snmpwalk` command lines.
//!
//! Follows Net-SNMP 5.9's `snmp_parse_args` / `snmpv3_parse_args`: a value attached to its
//! letter or in the next argument; every SNMPv3 letter also after `-3` (`-3u bob`, `-3k
//! 0x..`); protocol and level names case-insensitive; pass phrases of at least 8 octets;
//! without `-l` the level is noAuthNoPriv, without `-a` the authentication protocol MD5,
//! without `-x` the privacy protocol DES (Net-SNMP's compiled-in defaults; snmp.conf is not
//! read). Arguments are taken as bytes, so communities and pass phrases need not be UTF-8.

use super::config::{duration_from_seconds, snmpx_config, version_of, Options};
use super::guard::{boundary_err, into_raw, out, slice};
use super::result::{snmpx_error, snmpx_result, Fail};
use super::v3config::{boots_time, context_name, engine_id, key, password, user_name, SecretIn};
use crate::message::v3::SecurityLevel;
use crate::message::Version;
use crate::usm::{AuthProtocol, PrivProtocol};
use std::ffi::{c_char, CStr};
use zeroize::Zeroizing;

fn usage(msg: impl Into<String>) -> Fail {
    Fail::new(snmpx_result::SNMPX_E_USAGE, msg)
}

/// Text of an argument that must be UTF-8 (numbers, names, the agent).
fn utf8<'a>(flag: &str, v: &'a [u8]) -> Result<&'a str, Fail> {
    std::str::from_utf8(v).map_err(|_| usage(format!("{flag}: value is not valid UTF-8")))
}

fn parse_num<T: std::str::FromStr>(flag: &str, v: &[u8]) -> Result<T, Fail> {
    let s = utf8(flag, v)?;
    s.trim().parse().map_err(|_| {
        Fail::new(
            snmpx_result::SNMPX_E_PARSE,
            format!("{flag}: bad number {s:?}"),
        )
    })
}

/// Options that take a value (Net-SNMP's snmp_parse_args letters).
fn takes_value(c: u8) -> bool {
    b"vctrCluaAxXneEZ3mMOIPLD".contains(&c)
}

/// The SNMPv3 letters accepted alone (`-u`); after `-3` also the keys (`-3m -3M -3k -3K`;
/// plain `-m`/`-M` are MIB options).
fn is_v3_letter(c: u8) -> bool {
    b"ZeEnulaAxX".contains(&c)
}

/// The letters accepted after `-3`.
fn is_v3_dash3_letter(c: u8) -> bool {
    is_v3_letter(c) || b"mMkK".contains(&c)
}

/// Hex octets as Net-SNMP's `snmp_hex_to_binary` reads them: an optional `0x`, then pairs of
/// hex digits. The result is wiped on drop (it may be a key); errors never show the text.
fn hex(v: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let v = v
        .strip_prefix(b"0x")
        .or_else(|| v.strip_prefix(b"0X"))
        .unwrap_or(v);
    if v.is_empty() || v.len() % 2 != 0 {
        return None;
    }
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = Zeroizing::new(Vec::with_capacity(v.len() / 2));
    for pair in v.chunks(2) {
        out.push(digit(pair[0])? << 4 | digit(pair[1])?);
    }
    Some(out)
}

/// Applies `-C` application options: `c` (do not check increasing), `rN` (max-repetitions),
/// `nN` (non-repeaters).
fn apply_c(o: &mut Options, v: &[u8]) -> Result<(), Fail> {
    let mut i = 0;
    while i < v.len() {
        let c = v[i];
        i += 1;
        let digits = |i: &mut usize| {
            let start = *i;
            while *i < v.len() && v[*i].is_ascii_digit() {
                *i += 1;
            }
            &v[start..*i]
        };
        match c {
            b'c' => o.check_increasing = Some(false),
            b'r' => {
                let n: u32 = parse_num("-Cr", digits(&mut i))?;
                if n == 0 {
                    return Err(usage("-Cr: max-repetitions must be at least 1"));
                }
                o.max_repetitions = Some(n);
            }
            b'n' => o.non_repeaters = Some(parse_num("-Cn", digits(&mut i))?),
            other => {
                return Err(usage(format!(
                    "unsupported application option -C{}",
                    other.escape_ascii()
                )))
            }
        }
    }
    Ok(())
}

/// Applies one SNMPv3 option (`letter` as after `-3`); `f` is the flag as written, for
/// messages. Secrets are copied into wiped-on-drop storage and never quoted in errors.
fn apply_v3(o: &mut Options, letter: u8, f: &str, v: &[u8]) -> Result<(), Fail> {
    let v3 = &mut o.v3;
    match letter {
        b'u' => v3.user = Some(user_name(v)?),
        b'l' => {
            let s = utf8(f, v)?;
            let level = s.parse::<SecurityLevel>().map_err(|_| {
                usage(format!(
                    "invalid security level after {f} (noAuthNoPriv, authNoPriv or authPriv; \
                     the value is not echoed: it may be a misplaced secret)"
                ))
            })?;
            v3.level = Some(level);
        }
        b'a' => {
            let s = utf8(f, v)?;
            let p = s.parse::<AuthProtocol>().map_err(|_| {
                usage(format!(
                    "invalid authentication protocol after {f} (MD5, SHA, SHA-224, \
                     SHA-256, SHA-384, SHA-512; the value is not echoed: it may be a misplaced \
                     secret)"
                ))
            })?;
            v3.auth_protocol = Some(p);
        }
        b'x' => {
            let s = utf8(f, v)?;
            let p = s.parse::<PrivProtocol>().map_err(|_| {
                usage(format!(
                    "invalid privacy protocol after {f} (DES, AES, AES-192, AES-256, \
                     AES-192-C, AES-256-C, 3DES; the value is not echoed: it may be a \
                     misplaced secret)"
                ))
            })?;
            v3.priv_protocol = Some(p);
        }
        b'A' => v3.auth = Some(password(v, &format!("{f}: authentication"))?),
        b'X' => v3.privacy = Some(password(v, &format!("{f}: privacy"))?),
        b'm' | b'M' | b'k' | b'K' => {
            let bytes = hex(v).ok_or_else(|| usage(format!("bad hex key value after {f}")))?;
            let k = key(&bytes, f)?;
            match letter {
                b'm' => v3.auth = Some(SecretIn::Master(k)),
                b'M' => v3.privacy = Some(SecretIn::Master(k)),
                b'k' => v3.auth = Some(SecretIn::Localized(k)),
                _ => v3.privacy = Some(SecretIn::Localized(k)),
            }
        }
        b'e' | b'E' => {
            let id = hex(v).ok_or_else(|| usage(format!("bad engine ID value after {f}")))?;
            let what = format!("{f}: engine ID");
            if letter == b'e' {
                v3.security_engine_id = Some(engine_id(&id, &what)?);
            } else {
                v3.context_engine_id = Some(engine_id(&id, &what)?);
            }
        }
        b'n' => v3.context_name = Some(context_name(v)?),
        b'Z' => {
            // "boots[,time]" (Net-SNMP reads the time only after a comma).
            let s = utf8(f, v)?;
            let (b, t) = s.split_once(',').unwrap_or((s, "0"));
            let num = |x: &str| {
                x.trim()
                    .parse::<u32>()
                    .map_err(|_| usage(format!("{f}: expected BOOTS,TIME, got {s:?}")))
            };
            v3.boots_time = Some(boots_time(num(b)?, num(t)?)?);
        }
        other => {
            return Err(usage(format!(
                "unknown SNMPv3 option -3{}",
                other.escape_ascii()
            )))
        }
    }
    Ok(())
}

/// The MIB options of a command line (`-m MIBLIST`, `-M DIRLIST`), as given.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct MibArgs {
    /// `-m`: modules to load (`+` prefix: in addition to the defaults; `ALL`: every module).
    pub mibs: Option<String>,
    /// `-M`: directories to search (`+` prefix: before the defaults).
    pub mibdirs: Option<String>,
}

/// Parses `args` (without the program name). Returns the options and the index in `args`
/// just after the agent argument; `-m`/`-M` are checked and dropped (see [`parse_full`]).
#[cfg(test)]
pub(crate) fn parse(args: &[&[u8]]) -> Result<(Options, usize), Fail> {
    parse_full(args).map(|(o, i, _)| (o, i))
}

/// [`parse`], also returning the MIB options.
pub(crate) fn parse_full(args: &[&[u8]]) -> Result<(Options, usize, MibArgs), Fail> {
    let mut mib = MibArgs::default();
    let mut o = Options::default();
    let mut v3_given = false;
    let mut i = 0;
    let mut agent = None;
    while i < args.len() {
        let a = args[i];
        i += 1;
        if a == b"--" {
            break;
        }
        let Some(body) = a.strip_prefix(b"-").filter(|b| !b.is_empty()) else {
            agent = Some(a);
            break;
        };
        let flag = body[0];
        let attached = &body[1..];
        let f = format!("-{}", flag.escape_ascii());
        if !takes_value(flag) {
            return Err(usage(format!("unknown option {f}")));
        }
        let value = if !attached.is_empty() {
            attached
        } else if i < args.len() {
            i += 1;
            args[i - 1]
        } else {
            return Err(usage(format!("option {f} needs a value")));
        };
        match flag {
            b'v' => {
                let code = match value {
                    b"1" => 0,
                    b"2c" | b"2" => 1,
                    b"3" => 3,
                    other => {
                        return Err(usage(format!(
                            "-v: unknown version {:?}",
                            String::from_utf8_lossy(other)
                        )))
                    }
                };
                o.version = Some(version_of(code)?);
            }
            b'c' => o.community = Some(crate::usm::SecretBytes::new(value.to_vec())),
            b't' => o.timeout = Some(duration_from_seconds(parse_num(&f, value)?, "-t timeout")?),
            b'r' => o.retries = Some(parse_num(&f, value)?),
            b'C' => apply_c(&mut o, value)?,
            b'3' => {
                // -3X VALUE, -3XVALUE or -3X=VALUE, X any SNMPv3 letter. An empty word
                // after `-3` names no letter (found by the netsnmp_argv fuzz target).
                let Some(&letter) = value.first() else {
                    return Err(usage("option -3 needs an SNMPv3 letter (-3u, -3l, ...)"));
                };
                let f = format!("-3{}", letter.escape_ascii());
                if !is_v3_dash3_letter(letter) {
                    return Err(usage(format!("unknown SNMPv3 option {f}")));
                }
                let rest = value[1..].strip_prefix(b"=").unwrap_or(&value[1..]);
                let rest = rest.trim_ascii_start();
                let v = if !rest.is_empty() {
                    rest
                } else if i < args.len() {
                    i += 1;
                    args[i - 1]
                } else {
                    return Err(usage(format!("option {f} needs a value")));
                };
                apply_v3(&mut o, letter, &f, v)?;
                v3_given = true;
            }
            c if is_v3_letter(c) => {
                apply_v3(&mut o, c, &f, value)?;
                v3_given = true;
            }
            b'm' => mib.mibs = Some(utf8(&f, value)?.to_string()),
            b'M' => mib.mibdirs = Some(utf8(&f, value)?.to_string()),
            // Output, input, debug and logging options do not configure a session.
            _ => {}
        }
    }
    let agent = match agent {
        Some(a) => a,
        None if i < args.len() => {
            i += 1;
            args[i - 1]
        }
        None => return Err(usage("no agent (host[:port]) given")),
    };
    o.target = utf8("agent", agent)?.to_string();
    match o.version {
        // SNMPv3 options alone select SNMPv3 (Net-SNMP's default version).
        None if v3_given => o.version = Some(Version::V3),
        // Net-SNMP ignores SNMPv3 options on a v1/v2c command line; so do we (and wipe them).
        Some(Version::V1 | Version::V2c) => o.v3 = Default::default(),
        _ => {}
    }
    if o.version == Some(Version::V3) {
        let v3 = &mut o.v3;
        v3.level.get_or_insert(SecurityLevel::NoAuthNoPriv);
        if v3.auth.is_some() {
            v3.auth_protocol.get_or_insert(AuthProtocol::Md5);
        }
        if v3.privacy.is_some() {
            v3.priv_protocol.get_or_insert(PrivProtocol::Des);
        }
    }
    Ok((o, i, mib))
}

/// Applies `-m`/`-M` to the process-wide MIB resolver the way Net-SNMP's `snmp_parse_args`
/// does (its MIB tree is process-wide too): the lists replace `MIBS`/`MIBDIRS` (or extend the
/// defaults with a `+` prefix), and whatever loads is published. `SNMPX_E_MIB_LOAD` when a
/// module named in `-m` is not loaded afterwards (Net-SNMP only warns on stderr, which a
/// library caller cannot see); the resolver keeps what did load.
fn apply_mib_args(mib: &MibArgs) -> Result<(), Fail> {
    use crate::mib::{MibLoader, Resolver};
    if mib.mibs.is_none() && mib.mibdirs.is_none() {
        return Ok(());
    }
    let env_dirs = std::env::var("MIBDIRS").ok();
    let env_mibs = std::env::var("MIBS").ok();
    let dirs = mib.mibdirs.as_deref().or(env_dirs.as_deref());
    let mibs = mib.mibs.as_deref().or(env_mibs.as_deref());
    let resolver = Resolver::global();
    let errors = resolver.reload_with_lenient(MibLoader::from_settings(dirs, mibs));
    let snapshot = resolver.snapshot();
    let missing: Vec<&str> = mib
        .mibs
        .as_deref()
        .unwrap_or("")
        .trim_start_matches('+')
        .split(':')
        .map(str::trim)
        .filter(|m| !m.is_empty() && !m.eq_ignore_ascii_case("ALL") && !m.contains('/'))
        .filter(|m| !snapshot.has_module(m))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let problems: Vec<String> = errors.iter().take(3).map(|e| e.to_string()).collect();
    Err(Fail::new(
        snmpx_result::SNMPX_E_MIB_LOAD,
        format!(
            "MIB module(s) {} not loaded: {}",
            missing.join(", "),
            if problems.is_empty() {
                "not found on the search path".to_string()
            } else {
                problems.join("; ")
            }
        ),
    ))
}

/// A configuration from Net-SNMP-style arguments: `argv[0]` is the program name and is
/// skipped, then options, then the agent, e.g. `{"prog", "-v", "2c", "-c", "public", "-t",
/// "1.5", "-r", "2", "-Cr20", "127.0.0.1:1161", "1.3.6.1.2.1.1"}` or `{"prog", "-v3", "-l",
/// "authPriv", "-u", "bob", "-a", "SHA", "-A", "pass phrase", "-x", "AES", "-X", "pass
/// phrase", "host"}`.
///
/// Understood: `-v 1|2c|3`, `-c`, `-t` (seconds, fractions allowed), `-r`, `-C c|rN|nN`, and
/// the SNMPv3 options `-u -l -a -A -x -X -n -e -E -Z` and `-3m -3M -3k -3K` (hex keys), each
/// also after `-3` (`-3u bob`). As in Net-SNMP 5.9: protocol and level names are
/// case-insensitive; pass phrases need at least 8 octets (`SNMPX_E_USAGE`); without `-l`
/// the level is noAuthNoPriv, without `-a` the protocol MD5, without `-x` DES; SNMPv3
/// options on a `-v 1`/`-v 2c` line are ignored, and alone they select SNMPv3. `-O -I -P -L
/// -D` are accepted and ignored (they do not configure a session); `-m MIBLIST` and `-M
/// DIRLIST` reconfigure the process-wide MIB resolver as Net-SNMP's `snmp_parse_args` does
/// (`SNMPX_E_MIB_LOAD` if a module named in `-m` does not load; what loaded stays); other
/// options `SNMPX_E_USAGE`. Error messages never contain a
/// pass phrase or key. On success `*next_arg` is the index in `argv` of the first argument
/// after the agent (the OIDs of a command line), `argc` if there is none.
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
            if p.is_null() {
                return Err(Fail::null(&format!("argv[{i}]")));
            }
            // SAFETY: C contract: every argv entry is a NUL-terminated string, live for the
            // call; checked non-NULL above.
            args.push(unsafe { CStr::from_ptr(*p) }.to_bytes());
        }
        let (opts, next, mib) = parse_full(&args)?;
        apply_mib_args(&mib)?;
        // SAFETY: both checked non-NULL, writable per the C contract.
        unsafe {
            config.set(into_raw(snmpx_config::new(opts)));
            next_arg.set(next + 1);
        }
        Ok(())
    })
}

#[cfg(test)]
#[path = "argv_tests.rs"]
mod tests;
