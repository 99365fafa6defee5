//! Unit tests of the Net-SNMP argument parser (`argv.rs`).

use super::*;
use crate::message::Version;
use crate::session::Runtime;
use std::time::Duration;

fn p(a: &[&str]) -> Result<(Options, usize), Fail> {
    let v: Vec<&[u8]> = a.iter().map(|s| s.as_bytes()).collect();
    parse(&v)
}

fn code(a: &[&str]) -> snmpx_result {
    p(a).expect_err("an error").code
}

fn message(a: &[&str]) -> String {
    p(a).expect_err("an error").message().to_string()
}

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
    let (o, next) = p(&a).unwrap();
    assert_eq!(o.target, "host:1161");
    assert_eq!(o.version, Some(Version::V2c));
    assert_eq!(
        o.community.as_ref().map(|c| c.as_bytes()),
        Some(&b"public"[..])
    );
    // The community is a password (RFC 3584 §5.2): never in Debug output.
    let dbg = format!("{o:?}");
    assert!(
        !dbg.contains("public") && !dbg.contains("112, 117, 98"),
        "{dbg}"
    );
    assert_eq!(o.timeout, Some(Duration::from_millis(1500)));
    assert_eq!(o.retries, Some(2));
    assert_eq!(o.max_repetitions, Some(20));
    assert_eq!(next, 11);
    let (o, next) = p(&["-v1", "-cprivate", "-Cc", "-Cn2", "h"]).unwrap();
    assert_eq!(
        (o.version, o.check_increasing, o.non_repeaters),
        (Some(Version::V1), Some(false), Some(2))
    );
    assert_eq!((o.target.as_str(), next), ("h", 5));
}

#[test]
fn snmpv3_command_line() {
    let a = [
        "-v3",
        "-l",
        "authPriv",
        "-u",
        "bob",
        "-a",
        "sha-256",
        "-A",
        "auth pass phrase",
        "-x",
        "aes-256-c",
        "-X",
        "priv pass phrase",
        "-n",
        "ctx",
        "-e",
        "0x8000000201",
        "-E",
        "8000000202",
        "-Z",
        "3,1234",
        "h",
        "1.3",
    ];
    let (o, next) = p(&a).unwrap();
    assert_eq!((o.version, next), (Some(Version::V3), 22));
    let v = &o.v3;
    assert_eq!(v.user.as_deref(), Some(&b"bob"[..]));
    assert_eq!(v.level, Some(SecurityLevel::AuthPriv));
    assert_eq!(v.auth_protocol, Some(AuthProtocol::Sha256));
    assert_eq!(v.priv_protocol, Some(PrivProtocol::Aes256C));
    assert!(
        matches!(&v.auth, Some(SecretIn::Password(pw)) if pw.as_bytes() == b"auth pass phrase")
    );
    assert!(
        matches!(&v.privacy, Some(SecretIn::Password(pw)) if pw.as_bytes() == b"priv pass phrase")
    );
    assert_eq!(v.context_name.as_deref(), Some(&b"ctx"[..]));
    assert_eq!(
        v.security_engine_id.as_deref(),
        Some(&[0x80, 0, 0, 2, 1][..])
    );
    assert_eq!(
        v.context_engine_id.as_deref(),
        Some(&[0x80, 0, 0, 2, 2][..])
    );
    assert_eq!(v.boots_time, Some((3, 1234)));
    // Secrets are redacted from Debug output.
    let dbg = format!("{o:?}");
    assert!(!dbg.contains("pass phrase"), "{dbg}");
}

#[test]
fn dash3_forms_and_keys() {
    let md5_key = "0x0102030405060708090a0b0c0d0e0f10";
    let (o, _) = p(&[
        "-3u", "bob", "-3lAP", "-3a=SHA", "-3k", md5_key, "-3x", "AES", "-3K", md5_key, "h",
    ])
    .unwrap();
    let v = &o.v3;
    assert_eq!(
        o.version,
        Some(Version::V3),
        "v3 options alone select SNMPv3"
    );
    assert_eq!(v.user.as_deref(), Some(&b"bob"[..]));
    assert_eq!(v.level, Some(SecurityLevel::AuthPriv));
    assert_eq!(v.auth_protocol, Some(AuthProtocol::Sha1));
    assert!(matches!(&v.auth, Some(SecretIn::Localized(k)) if k.as_bytes().len() == 16));
    assert!(matches!(&v.privacy, Some(SecretIn::Localized(k)) if k.as_bytes()[15] == 0x10));
    let (o, _) = p(&[
        "-v3",
        "-3m",
        "00112233445566778899aabbccddeeff",
        "-3ubob",
        "h",
    ])
    .unwrap();
    assert!(matches!(&o.v3.auth, Some(SecretIn::Master(k)) if k.as_bytes()[1] == 0x11));
    assert_eq!(o.v3.user.as_deref(), Some(&b"bob"[..]));
}

#[test]
fn net_snmp_defaults() {
    // No -l: noAuthNoPriv; -A without -a: MD5; -X without -x: DES (Net-SNMP 5.9.3).
    let (o, _) = p(&["-v3", "-u", "u", "-A", "12345678", "-X", "abcdefgh", "h"]).unwrap();
    assert_eq!(o.v3.level, Some(SecurityLevel::NoAuthNoPriv));
    assert_eq!(o.v3.auth_protocol, Some(AuthProtocol::Md5));
    assert_eq!(o.v3.priv_protocol, Some(PrivProtocol::Des));
    // v3 options on a v2c line are ignored (and dropped).
    let (o, _) = p(&["-v2c", "-u", "bob", "-A", "12345678", "h"]).unwrap();
    assert_eq!(o.version, Some(Version::V2c));
    assert!(o.v3.user.is_none() && o.v3.auth.is_none());
    // -Z without a time.
    let (o, _) = p(&["-v3", "-u", "u", "-Z", "7", "h"]).unwrap();
    assert_eq!(o.v3.boots_time, Some((7, 0)));
}

#[test]
fn options_open_a_v3_session() {
    let rt = Runtime::new().unwrap();
    let a = [
        "-v3",
        "-l",
        "authPriv",
        "-u",
        "bob",
        "-a",
        "SHA",
        "-A",
        "12345678",
        "-x",
        "AES",
        "-X",
        "abcdefgh",
        "127.0.0.1:1",
    ];
    let (o, _) = p(&a).unwrap();
    o.builder().open(&rt).expect("a complete v3 config opens");
    // Level above the secrets: a usage error at open.
    let (o, _) = p(&["-v3", "-l", "authPriv", "-u", "bob", "127.0.0.1:1"]).unwrap();
    let e = o.builder().open(&rt).expect_err("level above the secrets");
    assert!(matches!(e, crate::Error::Usage(_)), "{e}");
    // A localized MD5 key of the wrong length for SHA: a usage error at open.
    let (o, _) = p(&[
        "-l",
        "authNoPriv",
        "-u",
        "bob",
        "-a",
        "SHA",
        "-3k",
        "00112233445566778899aabbccddeeff",
        "127.0.0.1:1",
    ])
    .unwrap();
    assert!(matches!(o.builder().open(&rt), Err(crate::Error::Usage(_))));
}

#[test]
fn errors_are_typed_and_hide_secrets() {
    use snmpx_result::*;
    assert_eq!(code(&["-t", "x", "h"]), SNMPX_E_PARSE);
    assert_eq!(code(&["-t", "-1", "h"]), SNMPX_E_INVALID);
    assert_eq!(code(&["-c"]), SNMPX_E_USAGE);
    assert_eq!(code(&["-Q", "h"]), SNMPX_E_USAGE);
    assert_eq!(code(&["-v", "9", "h"]), SNMPX_E_USAGE);
    assert_eq!(code(&["-c", "x"]), SNMPX_E_USAGE);
    assert_eq!(code(&["-Cr0", "h"]), SNMPX_E_USAGE);
    assert_eq!(code(&["-Cz", "h"]), SNMPX_E_USAGE);
    assert_eq!(code(&["-m"]), SNMPX_E_USAGE);
    assert_eq!(code(&["-M"]), SNMPX_E_USAGE);
    assert_eq!(code(&["-v3", "-l", "authpriv2", "h"]), SNMPX_E_USAGE);
    assert_eq!(code(&["-v3", "-a", "SHA2", "h"]), SNMPX_E_USAGE);
    assert_eq!(code(&["-v3", "-x", "AES512", "h"]), SNMPX_E_USAGE);
    assert_eq!(code(&["-v3", "-3q", "x", "h"]), SNMPX_E_USAGE);
    assert_eq!(code(&["-v3", "-3u"]), SNMPX_E_USAGE);
    assert_eq!(code(&["-v3", "-e", "0102", "h"]), SNMPX_E_USAGE);
    assert_eq!(code(&["-v3", "-E", "0xnothex00", "h"]), SNMPX_E_USAGE);
    assert_eq!(code(&["-v3", "-Z", "1,x", "h"]), SNMPX_E_USAGE);
    assert_eq!(code(&["-v3", "-Z", "2147483648,0", "h"]), SNMPX_E_USAGE);
    assert_eq!(code(&["-v3", "-u", "", "h"]), SNMPX_E_USAGE);
    assert_eq!(code(&["-v3", "-u", &"x".repeat(33), "h"]), SNMPX_E_USAGE);
    // Short pass phrases (RFC 3414 §11.2, Net-SNMP's min=8), bad hex keys: the message
    // names the option, never the secret.
    for (a, secret) in [
        (["-v3", "-A", "Secr3t!", "h"], "Secr3t!"),
        (["-v3", "-X", "Secr3t!", "h"], "Secr3t!"),
        (["-v3", "-3k", "0xabcdefZZ", "h"], "abcdef"),
        (["-v3", "-3M", "abcdef1", "h"], "abcdef1"),
        // A pass phrase where a protocol or level belongs (swapped -a/-A, -x/-X, -l/-u).
        (["-v3", "-a", "my auth pass", "h"], "my auth pass"),
        (["-v3", "-x", "my priv pass", "h"], "my priv pass"),
        (["-v3", "-l", "my priv pass", "h"], "my priv pass"),
    ] {
        assert_eq!(code(&a), SNMPX_E_USAGE, "{a:?}");
        let m = message(&a);
        assert!(!m.contains(secret), "{m}");
        assert!(m.contains(a[1]), "{m}");
    }
    // Arguments are bytes: a non-UTF-8 pass phrase is fine, a non-UTF-8 agent is not.
    let (o, _) = parse(&[b"-v3", b"-u", b"u", b"-A", b"\xff\xfe12345678", b"h"]).unwrap();
    assert!(matches!(&o.v3.auth, Some(SecretIn::Password(pw)) if pw.as_bytes()[0] == 0xff));
    assert_eq!(
        parse(&[b"-v2c", b"\xffhost"]).err().unwrap().code,
        SNMPX_E_USAGE
    );
}

/// `-m`/`-M` are collected (applying them is `snmpx_config_from_argv`'s job, tested in
/// tests/c/test_mib.c in a process of its own, since they change the process-wide resolver).
#[test]
fn mib_options_are_collected() {
    let (_, next, mib) = parse_full(&[b"-m", b"+FOO-MIB:BAR-MIB", b"-M+/x", b"h", b"o"]).unwrap();
    assert_eq!(next, 4);
    assert_eq!(mib.mibs.as_deref(), Some("+FOO-MIB:BAR-MIB"));
    assert_eq!(mib.mibdirs.as_deref(), Some("+/x"));
    let (_, _, none) = parse_full(&[b"-v2c", b"h"]).unwrap();
    assert_eq!(none, MibArgs::default());
}

#[test]
fn tcp_targets_open_a_connection() {
    let rt = Runtime::new().unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let target = format!("tcp:127.0.0.1:{port}");
    let (o, _) = p(&["-v2c", "-c", "public", &target, "1.3"]).unwrap();
    assert_eq!(o.target, target);
    let s = o.builder().open(&rt).expect("the listener accepts");
    assert_eq!(s.transport(), crate::Transport::Tcp);
    assert_eq!(s.peer().port(), port);
    drop(listener);
    // Nobody listens any more: the connect is refused at open, a connection error.
    let (o, _) = p(&["-v2c", "-c", "public", &target, "1.3"]).unwrap();
    let e = o.builder().open(&rt).expect_err("refused");
    assert!(matches!(e, crate::Error::Connection { .. }), "{e}");
    assert_eq!(
        super::super::result::code_of(&e),
        crate::ffi::snmpx_result::SNMPX_E_CONNECTION
    );
}

/// Regression (fuzz target netsnmp_argv): `-3` followed by an empty word indexed its first
/// octet and panicked (contained at the C boundary as SNMPX_E_PANIC).
#[test]
fn dash3_with_an_empty_word_is_a_usage_error() {
    assert_eq!(code(&["-3", "", "host"]), snmpx_result::SNMPX_E_USAGE);
    assert!(message(&["-3", ""]).contains("-3 needs an SNMPv3 letter"));
    assert_eq!(code(&["-3", ""]), snmpx_result::SNMPX_E_USAGE);
}
