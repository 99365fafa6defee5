//! [`SessionBuilder`]: target, version, community and options, resolved once at open.

use super::runtime::Runtime;
use super::v3opts::V3Options;
use super::{target, ConnGuard, Session};
use crate::engine::Params;
use crate::engine::Transport;
use crate::error::Error;
use crate::message::v3::SecurityLevel;
use crate::message::Version;
use crate::transport::{tcp, Command};
use crate::usm::{AuthProtocol, PrivProtocol};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

/// Configures and opens a [`Session`]. Defaults: v2c, community `public`, 1 s timeout,
/// 5 retries (Net-SNMP's defaults), 60 varbinds per request, max-repetitions 10.
///
/// SNMPv3 (`version(Version::V3)`): [`user`](Self::user) is required; the security level
/// follows from the secrets given (authentication → authNoPriv, plus privacy → authPriv) or
/// is set with [`security_level`](Self::security_level). Protocol names take Net-SNMP's
/// spellings, case-insensitively (`"SHA-256"`, `"aes"`, `"AES-256-C"`...).
///
/// ```no_run
/// # use snmpx::{Runtime, Session, Version};
/// let rt = Runtime::new().unwrap();
/// let s = Session::builder("192.0.2.1")
///     .version(Version::V3)
///     .user("monitor")
///     .auth("SHA", "auth pass phrase")
///     .privacy("AES", "priv pass phrase")
///     .open(&rt)
///     .unwrap();
/// ```
#[derive(Clone, Debug)]
pub struct SessionBuilder {
    target: String,
    p: Params,
    v3: V3Options,
}

impl SessionBuilder {
    pub(super) fn new(target: &str) -> SessionBuilder {
        SessionBuilder {
            target: target.to_string(),
            p: Params::new(std::net::SocketAddr::from(([127, 0, 0, 1], 161))),
            v3: V3Options::default(),
        }
    }

    /// SNMP version (v1, v2c or v3).
    pub fn version(mut self, v: Version) -> Self {
        self.p.version = v;
        self
    }

    /// Community string.
    pub fn community(mut self, c: impl AsRef<[u8]>) -> Self {
        self.p.community = c.as_ref().into();
        self
    }

    /// Time to wait for each transmission's response.
    pub fn timeout(mut self, t: Duration) -> Self {
        self.p.timeout = t;
        self
    }

    /// Retransmissions after the first send.
    pub fn retries(mut self, n: u32) -> Self {
        self.p.retries = n;
        self
    }

    /// Exponential backoff factor for the timeout of each retransmission (1.0 = none).
    pub fn backoff(mut self, f: f64) -> Self {
        self.p.backoff = if f.is_finite() && f >= 1.0 { f } else { 1.0 };
        self
    }

    /// Overall deadline per operation (every retry and every walk step included).
    pub fn deadline(mut self, d: Duration) -> Self {
        self.p.deadline = Some(d);
        self
    }

    /// Maximum varbinds per request; larger Gets are split (default 60).
    pub fn max_varbinds(mut self, n: usize) -> Self {
        self.p.max_varbinds = n.max(1);
        self
    }

    /// GetBulk max-repetitions for bulk walks (default 10).
    pub fn max_repetitions(mut self, n: u32) -> Self {
        self.p.max_repetitions = n.max(1);
        self
    }

    /// GetBulk non-repeaters default (default 0).
    pub fn non_repeaters(mut self, n: u32) -> Self {
        self.p.non_repeaters = n;
        self
    }

    /// Accept responses only from the target address (default true; turn off for
    /// multi-homed agents that answer from another address).
    pub fn check_source(mut self, on: bool) -> Self {
        self.p.check_source = on;
        self
    }

    /// Fail a request at once with [`Error::Unreachable`] when the agent's host answers it
    /// with an ICMP port unreachable (default true). Off, the report is ignored and the
    /// request waits for its timeout and retries, as Net-SNMP does, so an agent that is
    /// starting can still answer a retransmission.
    pub fn fail_on_unreachable(mut self, on: bool) -> Self {
        self.p.fail_on_unreachable = on;
        self
    }

    /// Requests in flight to this agent at once (0 = unlimited, the default).
    pub fn max_in_flight(mut self, n: usize) -> Self {
        self.p.max_in_flight = n;
        self
    }

    /// Fail walks whose OIDs do not increase (default true; Net-SNMP's `-Cc` turns it off).
    pub fn check_increasing(mut self, on: bool) -> Self {
        self.p.check_increasing = on;
        self
    }

    /// Maximum requests one walk may issue (0 = unlimited).
    pub fn walk_max_requests(mut self, n: u64) -> Self {
        self.p.walk_max_requests = n;
        self
    }

    /// SNMPv3 user name (msgUserName, at most 32 octets; `-u`). Required for v3.
    pub fn user(mut self, name: impl AsRef<[u8]>) -> Self {
        self.v3.user = Some(name.as_ref().to_vec());
        self
    }

    /// SNMPv3 security level (`-l`); by default the highest the given secrets allow. A
    /// level above them is an error at [`open`](Self::open); a lower one sends at that level.
    pub fn security_level(mut self, level: SecurityLevel) -> Self {
        self.v3.level = Some(Ok(level));
        self
    }

    /// [`security_level`](Self::security_level) by name: `noAuthNoPriv`, `authNoPriv`,
    /// `authPriv` (case-insensitive; Net-SNMP's `1`/`2`/`3` and `nanp`/`anp`/`ap` too).
    pub fn security_level_name(mut self, name: &str) -> Self {
        self.v3.level = Some(name.parse::<SecurityLevel>().map_err(|e| e.to_string()));
        self
    }

    /// Authentication protocol by name (`-a`: `MD5`, `SHA`, `SHA-224`, `SHA-256`, `SHA-384`,
    /// `SHA-512`, case-insensitive) and pass phrase (`-A`, at least 8 octets).
    pub fn auth(self, protocol: &str, passphrase: impl AsRef<[u8]>) -> Self {
        self.auth_protocol_name(protocol).auth_password(passphrase)
    }

    /// Privacy protocol by name (`-x`: `DES`, `AES`, `AES-192`, `AES-256`, `AES-192-C`,
    /// `AES-256-C`, `3DES`, case-insensitive) and pass phrase (`-X`).
    pub fn privacy(self, protocol: &str, passphrase: impl AsRef<[u8]>) -> Self {
        self.priv_protocol_name(protocol).priv_password(passphrase)
    }

    /// Authentication protocol.
    pub fn auth_protocol(mut self, p: AuthProtocol) -> Self {
        self.v3.auth_protocol = Some(Ok(p));
        self
    }

    /// Authentication protocol by name (Net-SNMP spellings, case-insensitive).
    pub fn auth_protocol_name(mut self, name: &str) -> Self {
        self.v3.auth_protocol = Some(name.parse().map_err(|e| format!("{e}")));
        self
    }

    /// Authentication pass phrase (`-A`); expanded once per runtime (RFC 3414 A.2).
    pub fn auth_password(mut self, passphrase: impl AsRef<[u8]>) -> Self {
        self.v3.auth_secret = Some(V3Options::password(passphrase.as_ref()));
        self
    }

    /// Authentication master key Ku (Net-SNMP `-3m`), localized per engine.
    pub fn auth_master_key(mut self, key: impl AsRef<[u8]>) -> Self {
        self.v3.auth_secret = Some(V3Options::master(key.as_ref()));
        self
    }

    /// Authentication key already localized to the agent's engine (Net-SNMP `-3k`).
    pub fn auth_localized_key(mut self, key: impl AsRef<[u8]>) -> Self {
        self.v3.auth_secret = Some(V3Options::localized(key.as_ref()));
        self
    }

    /// Privacy protocol.
    pub fn priv_protocol(mut self, p: PrivProtocol) -> Self {
        self.v3.priv_protocol = Some(Ok(p));
        self
    }

    /// Privacy protocol by name (Net-SNMP spellings, case-insensitive).
    pub fn priv_protocol_name(mut self, name: &str) -> Self {
        self.v3.priv_protocol = Some(name.parse().map_err(|e| format!("{e}")));
        self
    }

    /// Privacy pass phrase (`-X`).
    pub fn priv_password(mut self, passphrase: impl AsRef<[u8]>) -> Self {
        self.v3.priv_secret = Some(V3Options::password(passphrase.as_ref()));
        self
    }

    /// Privacy master key (Net-SNMP `-3M`; made with the authentication protocol's hash).
    pub fn priv_master_key(mut self, key: impl AsRef<[u8]>) -> Self {
        self.v3.priv_secret = Some(V3Options::master(key.as_ref()));
        self
    }

    /// Privacy key already localized to the agent's engine (Net-SNMP `-3K`).
    pub fn priv_localized_key(mut self, key: impl AsRef<[u8]>) -> Self {
        self.v3.priv_secret = Some(V3Options::localized(key.as_ref()));
        self
    }

    /// contextName (`-n`; default empty).
    pub fn context_name(mut self, name: impl AsRef<[u8]>) -> Self {
        self.v3.context_name = name.as_ref().to_vec();
        self
    }

    /// contextEngineID (`-E`; default: the agent's engine ID).
    pub fn context_engine_id(mut self, id: impl AsRef<[u8]>) -> Self {
        self.v3.context_engine_id = Some(id.as_ref().to_vec());
        self
    }

    /// The agent's (authoritative) engine ID (`-e`): skips discovery.
    pub fn security_engine_id(mut self, id: impl AsRef<[u8]>) -> Self {
        self.v3.security_engine_id = Some(id.as_ref().to_vec());
        self
    }

    /// Initial snmpEngineBoots and snmpEngineTime of the agent (`-Z boots,time`); otherwise
    /// learnt from discovery and the agent's notInTimeWindow report.
    pub fn engine_boots_time(mut self, boots: u32, time: u32) -> Self {
        self.v3.boots_time = Some((boots, time));
        self
    }

    /// Resolves the target (once) and opens the session on `rt`. For SNMPv3, checks the
    /// user settings and expands pass phrases here, in the caller's thread, through the
    /// runtime's key cache (once per pass phrase and hash for the runtime's lifetime).
    pub fn open(mut self, rt: &Runtime) -> Result<Session, Error> {
        rt.inner.check_usable()?;
        if self.p.version == Version::V3 {
            self.p.v3 = Some(Arc::new(self.v3.build(&rt.inner.keys)?));
        } else if self.v3.is_set() {
            return Err(Error::Usage(format!(
                "SNMPv3 options given for an SNMPv{} session: add .version(Version::V3)",
                self.p.version
            )));
        }
        let (addr, transport) = target::resolve_with_transport(&self.target)?;
        self.p.target = addr;
        self.p.transport = transport;
        let sid = rt.inner.next_session.fetch_add(1, Ordering::Relaxed);
        self.p.session_id = sid;
        let shard = (sid as usize) % rt.inner.shards.len();
        let conn = match transport {
            Transport::Udp => None,
            Transport::Tcp => Some(Arc::new(connect(rt, shard, &self.p)?)),
        };
        Ok(Session {
            rt: rt.inner.clone(),
            params: Arc::new(self.p),
            shard,
            _conn: conn,
        })
    }
}

/// Connects a TCP session (RFC 3430) in the caller's thread, so a refused or unreachable agent
/// is an error at open, and hands the stream to the session's shard. The connect waits at
/// most what a request would: timeout × (retries + 1).
fn connect(rt: &Runtime, shard: usize, p: &Params) -> Result<ConnGuard, Error> {
    let peer = p.target;
    let fail = |e: &std::io::Error| Error::Connection {
        peer,
        reason: tcp::connect_failed(e),
    };
    let wait = p
        .timeout
        .saturating_mul(p.retries.saturating_add(1).min(64));
    let wait = wait.max(Duration::from_millis(1));
    let stream = std::net::TcpStream::connect_timeout(&peer, wait).map_err(|e| fail(&e))?;
    stream.set_nonblocking(true).map_err(|e| fail(&e))?;
    stream.set_nodelay(true).map_err(|e| fail(&e))?;
    let fd: std::os::fd::OwnedFd = stream.into();
    rt.inner.shards[shard].send(Command::TcpOpen {
        conn: p.session_id,
        peer,
        fd,
    })?;
    Ok(ConnGuard {
        rt: rt.inner.clone(),
        shard,
        id: p.session_id,
    })
}
