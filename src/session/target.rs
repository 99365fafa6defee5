//! Agent address forms, as Net-SNMP accepts them: `host`, `host:port`, `[v6addr]:port`,
//! `[v6addr]`, a bare IPv6 address, and the `udp:` / `udp6:` / `tcp:` / `tcp6:` transport
//! prefixes. Names are resolved once, when a session opens.

use crate::engine::Transport;
use crate::error::Error;
use std::net::{SocketAddr, ToSocketAddrs};

/// The SNMP agent port (RFC 3417 §3).
pub const DEFAULT_PORT: u16 = 161;

/// Parses and resolves a target text to one socket address (whatever its transport).
pub fn resolve(spec: &str) -> Result<SocketAddr, Error> {
    resolve_with_transport(spec).map(|(a, _)| a)
}

/// Parses and resolves a target text to one socket address and the transport its prefix
/// names (UDP without one).
pub fn resolve_with_transport(spec: &str) -> Result<(SocketAddr, Transport), Error> {
    let (host, port, want_v6, transport) = split(spec)?;
    resolve_host(host, port, want_v6).map(|a| (a, transport))
}

fn resolve_host(host: &str, port: u16, want_v6: Option<bool>) -> Result<SocketAddr, Error> {
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        return Ok(SocketAddr::new(ip, port));
    }
    let resolve_err = |reason: String| Error::Resolve {
        host: host.to_string(),
        reason,
    };
    let addrs: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|e| resolve_err(e.to_string()))?
        .collect();
    let pick = match want_v6 {
        Some(true) => addrs.iter().find(|a| a.is_ipv6()),
        Some(false) => addrs.iter().find(|a| a.is_ipv4()),
        None => addrs.iter().find(|a| a.is_ipv4()).or(addrs.first()),
    };
    pick.copied()
        .ok_or_else(|| resolve_err("no address of the requested family".into()))
}

/// Transport prefixes: text, family (true = IPv6), transport.
const PREFIXES: [(&str, bool, Transport); 7] = [
    ("udp6:", true, Transport::Udp),
    ("udpv6:", true, Transport::Udp),
    ("udpipv6:", true, Transport::Udp),
    ("udp:", false, Transport::Udp),
    ("tcp6:", true, Transport::Tcp),
    ("tcpv6:", true, Transport::Tcp),
    ("tcp:", false, Transport::Tcp),
];

/// Splits a target into host, port, the family a prefix asked for and the transport.
fn split(spec: &str) -> Result<(&str, u16, Option<bool>, Transport), Error> {
    let s = spec.trim();
    let usage = |m: &str| Error::Usage(format!("{m}: {spec:?}"));
    let (rest, want_v6, transport) = PREFIXES
        .iter()
        .find_map(|&(p, v6, t)| strip_prefix_ci(s, p).map(|r| (r, Some(v6), t)))
        .unwrap_or((s, None, Transport::Udp));
    if rest.is_empty() {
        return Err(usage("empty target"));
    }
    let parse_port = |p: &str| {
        p.parse::<u16>()
            .ok()
            .filter(|&p| p != 0)
            .ok_or_else(|| usage("invalid port"))
    };
    if let Some(r) = rest.strip_prefix('[') {
        let (host, after) = r.split_once(']').ok_or_else(|| usage("missing ']'"))?;
        let port = match after {
            "" => DEFAULT_PORT,
            p => parse_port(p.strip_prefix(':').ok_or_else(|| usage("junk after ']'"))?)?,
        };
        return Ok((host, port, want_v6.or(Some(true)), transport));
    }
    match rest.matches(':').count() {
        0 => Ok((rest, DEFAULT_PORT, want_v6, transport)),
        1 => {
            let (h, p) = rest.split_once(':').expect("one colon");
            if h.is_empty() {
                return Err(usage("empty host"));
            }
            Ok((h, parse_port(p)?, want_v6, transport))
        }
        // Several colons and no brackets: a bare IPv6 address, default port.
        _ => Ok((rest, DEFAULT_PORT, Some(true), transport)),
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    if s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix) {
        Some(&s[prefix.len()..])
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let a = |s: &str| resolve(s).unwrap().to_string();
        assert_eq!(a("127.0.0.1"), "127.0.0.1:161");
        assert_eq!(a("127.0.0.1:1161"), "127.0.0.1:1161");
        assert_eq!(a("udp:127.0.0.1:162"), "127.0.0.1:162");
        assert_eq!(a("[::1]:1161"), "[::1]:1161");
        assert_eq!(a("[::1]"), "[::1]:161");
        assert_eq!(a("::1"), "[::1]:161");
        assert_eq!(a("udp6:[::1]:99"), "[::1]:99");
        assert_eq!(a("UDP6:::1"), "[::1]:161");
        assert_eq!(a("localhost:1161").rsplit(':').next(), Some("1161"));
        let t = |s: &str| resolve_with_transport(s).unwrap();
        assert_eq!(t("tcp:127.0.0.1:1161").1, Transport::Tcp);
        assert_eq!(t("TCP:127.0.0.1").0.to_string(), "127.0.0.1:161");
        assert_eq!(
            t("tcp6:[::1]:99"),
            ("[::1]:99".parse().unwrap(), Transport::Tcp)
        );
        assert_eq!(t("tcp:[::1]:99").0.to_string(), "[::1]:99");
        assert_eq!(t("udp:127.0.0.1").1, Transport::Udp);
        assert_eq!(t("127.0.0.1").1, Transport::Udp);
    }

    #[test]
    fn errors() {
        assert!(matches!(resolve("127.0.0.1:0"), Err(Error::Usage(_))));
        assert!(matches!(resolve("127.0.0.1:x"), Err(Error::Usage(_))));
        assert!(matches!(resolve("[::1"), Err(Error::Usage(_))));
        assert!(matches!(resolve(""), Err(Error::Usage(_))));
        match resolve("no-such-host.invalid:161") {
            Err(Error::Resolve { host, .. }) => assert_eq!(host, "no-such-host.invalid"),
            other => panic!("expected a resolve error, got {other:?}"),
        }
    }
}
