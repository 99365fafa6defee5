//! `snmpx_config`: the session configuration builder (general options; the SNMPv3 setters
//! are in `v3config.rs`).

use super::guard::{borrow, borrow_mut, boundary, into_raw, out, slice, text, Live};
use super::result::{snmpx_result, Fail};
use super::v3config::V3Config;
use crate::message::Version;
use crate::session::{Session, SessionBuilder};
use crate::usm::SecretBytes;
use std::ffi::c_char;
use std::time::Duration;

/// SNMP protocol versions, as `snmpx_config_set_version` takes them (the wire values).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum snmpx_snmp_version {
    /// SNMPv1 (RFC 1157).
    SNMPX_SNMP_V1 = 0,
    /// SNMPv2c (RFC 1901).
    SNMPX_SNMP_V2C = 1,
    /// SNMPv3 (RFC 3412) with the User-based Security Model (RFC 3414).
    SNMPX_SNMP_V3 = 3,
}

/// The options a config holds; `None` keeps the session builder's default.
#[derive(Clone, Debug, Default)]
pub(crate) struct Options {
    pub target: String,
    pub version: Option<Version>,
    /// Wiped on drop and redacted in `Debug`: a community is the v1/v2c password.
    pub community: Option<SecretBytes>,
    pub timeout: Option<Duration>,
    pub retries: Option<u32>,
    pub backoff: Option<f64>,
    pub deadline: Option<Duration>,
    pub max_varbinds: Option<usize>,
    pub max_repetitions: Option<u32>,
    pub non_repeaters: Option<u32>,
    pub check_source: Option<bool>,
    pub fail_on_unreachable: Option<bool>,
    pub max_in_flight: Option<usize>,
    pub check_increasing: Option<bool>,
    pub walk_max_requests: Option<u64>,
    /// SNMPv3 user, secrets (wiped on drop) and engine/context options.
    pub v3: V3Config,
}

impl Options {
    /// The Rust session builder these options describe.
    pub(crate) fn builder(&self) -> SessionBuilder {
        let mut b = Session::builder(&self.target);
        if let Some(v) = self.version {
            b = b.version(v);
        }
        if let Some(c) = &self.community {
            b = b.community(c.as_bytes());
        }
        if let Some(t) = self.timeout {
            b = b.timeout(t);
        }
        if let Some(r) = self.retries {
            b = b.retries(r);
        }
        if let Some(f) = self.backoff {
            b = b.backoff(f);
        }
        if let Some(d) = self.deadline {
            b = b.deadline(d);
        }
        if let Some(n) = self.max_varbinds {
            b = b.max_varbinds(n);
        }
        if let Some(n) = self.max_repetitions {
            b = b.max_repetitions(n);
        }
        if let Some(n) = self.non_repeaters {
            b = b.non_repeaters(n);
        }
        if let Some(on) = self.check_source {
            b = b.check_source(on);
        }
        if let Some(on) = self.fail_on_unreachable {
            b = b.fail_on_unreachable(on);
        }
        if let Some(n) = self.max_in_flight {
            b = b.max_in_flight(n);
        }
        if let Some(on) = self.check_increasing {
            b = b.check_increasing(on);
        }
        if let Some(n) = self.walk_max_requests {
            b = b.walk_max_requests(n);
        }
        self.v3.apply(b)
    }
}

/// Longest timeout or deadline accepted, in seconds (one day).
pub(crate) const MAX_SECONDS: f64 = 86_400.0;

/// Seconds as a Duration: finite, > 0 and at most [`MAX_SECONDS`].
pub(crate) fn duration_from_seconds(s: f64, what: &str) -> Result<Duration, Fail> {
    if s.is_finite() && s > 0.0 && s <= MAX_SECONDS {
        Ok(Duration::from_secs_f64(s))
    } else {
        Err(Fail::invalid(format!(
            "{what} {s} must be > 0 and <= {MAX_SECONDS} seconds"
        )))
    }
}

/// The SNMP version for a `snmpx_snmp_version` code.
pub(crate) fn version_of(code: u32) -> Result<Version, Fail> {
    match code {
        0 => Ok(Version::V1),
        1 => Ok(Version::V2c),
        3 => Ok(Version::V3),
        _ => Err(Fail::invalid(format!("unknown SNMP version code {code}"))),
    }
}

/// A session configuration: target, version, community and options. Defaults: SNMPv2c,
/// community "public", 1 s timeout, 5 retries (Net-SNMP's), 60 varbinds per request,
/// max-repetitions 10, non-repeaters 0, source check on, no per-session in-flight limit.
/// SNMPv3 secrets (pass phrases, keys) are copied into storage that is wiped when the
/// config is freed, and never appear in error messages.
///
/// Ownership: created by `snmpx_config_new` / `snmpx_config_from_argv`, freed with
/// `snmpx_config_free`; opening sessions does not consume it.
/// Thread-safety: movable, not shareable (setters need exclusive access); opening sessions
/// from one config on several threads at once is fine while nobody modifies it.
pub struct snmpx_config {
    pub(crate) opts: Options,
    _live: Live,
}

impl snmpx_config {
    pub(crate) fn new(opts: Options) -> snmpx_config {
        snmpx_config {
            opts,
            _live: Live::new(),
        }
    }
}

/// A new configuration for the agent at `target` (`host`, `host:port`, `[v6addr]:port`,
/// `udp:`/`udp6:` prefixes, `tcp:`/`tcp6:` for SNMP over TCP; resolved, and a TCP connection
/// made, when a session opens).
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_new(
    target: *const c_char,
    config: *mut *mut snmpx_config,
) -> snmpx_result {
    boundary(|| {
        // SAFETY: C contract: NULL or a NUL-terminated string.
        let target = unsafe { text(target, "target") }?;
        let config = out(config, "config")?;
        if target.trim().is_empty() {
            return Err(Fail::invalid("target is empty"));
        }
        let c = snmpx_config::new(Options {
            target: target.to_string(),
            ..Options::default()
        });
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { config.set(into_raw(c)) };
        Ok(())
    })
}

/// Frees a configuration (NULL is a no-op). Sessions opened from it are unaffected.
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_free(config: *mut snmpx_config) {
    // SAFETY: C contract: NULL or a config from this library, freed once.
    unsafe { super::guard::free(config) }
}

/// Runs a setter body on a config.
pub(crate) fn with_config(
    config: *mut snmpx_config,
    f: impl FnOnce(&mut Options) -> Result<(), Fail>,
) -> snmpx_result {
    boundary(|| {
        // SAFETY: C contract: NULL or a live config used by one thread at a time.
        let c = unsafe { borrow_mut(config, "config") }?;
        f(&mut c.opts)
    })
}

/// SNMP version: `SNMPX_SNMP_V1`, `SNMPX_SNMP_V2C` or `SNMPX_SNMP_V3` (which needs at least
/// `snmpx_config_set_security_name`). SNMPv3 options on a v1/v2c config make
/// `snmpx_session_open` fail with `SNMPX_E_USAGE`.
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_version(
    config: *mut snmpx_config,
    version: u32,
) -> snmpx_result {
    with_config(config, |o| {
        o.version = Some(version_of(version)?);
        Ok(())
    })
}

/// Community string (v1/v2c), any bytes.
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_community(
    config: *mut snmpx_config,
    community: *const u8,
    community_len: usize,
) -> snmpx_result {
    with_config(config, |o| {
        // SAFETY: C contract: `community_len` readable bytes (NULL only with length 0).
        let c = unsafe { slice(community, community_len, "community") }?;
        o.community = Some(SecretBytes::new(c.to_vec()));
        Ok(())
    })
}

/// Time to wait for each transmission's response, in seconds (fractions allowed; > 0 and
/// at most 86400).
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_timeout(
    config: *mut snmpx_config,
    seconds: f64,
) -> snmpx_result {
    with_config(config, |o| {
        o.timeout = Some(duration_from_seconds(seconds, "timeout")?);
        Ok(())
    })
}

/// Retransmissions after the first send (Net-SNMP `-r`).
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_retries(
    config: *mut snmpx_config,
    retries: u32,
) -> snmpx_result {
    with_config(config, |o| {
        o.retries = Some(retries);
        Ok(())
    })
}

/// Timeout multiplier applied after each retransmission (>= 1.0; 1.0 = constant).
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_backoff(
    config: *mut snmpx_config,
    factor: f64,
) -> snmpx_result {
    with_config(config, |o| {
        if !(factor.is_finite() && (1.0..=16.0).contains(&factor)) {
            return Err(Fail::invalid(format!("backoff {factor} must be in 1..=16")));
        }
        o.backoff = Some(factor);
        Ok(())
    })
}

/// Overall deadline of one operation in seconds (every retry and walk step included).
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_deadline(
    config: *mut snmpx_config,
    seconds: f64,
) -> snmpx_result {
    with_config(config, |o| {
        o.deadline = Some(duration_from_seconds(seconds, "deadline")?);
        Ok(())
    })
}

/// Maximum varbinds per request (>= 1); larger Get/GetNext lists are split.
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_max_varbinds(
    config: *mut snmpx_config,
    max_varbinds: u32,
) -> snmpx_result {
    with_config(config, |o| {
        if max_varbinds == 0 {
            return Err(Fail::invalid("max_varbinds must be at least 1"));
        }
        o.max_varbinds = Some(max_varbinds as usize);
        Ok(())
    })
}

/// GetBulk max-repetitions for bulk walks and the default of GetBulk requests (>= 1).
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_max_repetitions(
    config: *mut snmpx_config,
    max_repetitions: u32,
) -> snmpx_result {
    with_config(config, |o| {
        if max_repetitions == 0 {
            return Err(Fail::invalid("max_repetitions must be at least 1"));
        }
        o.max_repetitions = Some(max_repetitions);
        Ok(())
    })
}

/// Default GetBulk non-repeaters.
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_non_repeaters(
    config: *mut snmpx_config,
    non_repeaters: u32,
) -> snmpx_result {
    with_config(config, |o| {
        o.non_repeaters = Some(non_repeaters);
        Ok(())
    })
}

/// Requests in flight to this agent at once (0 = unlimited, the default); more wait.
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_max_in_flight(
    config: *mut snmpx_config,
    max_in_flight: u32,
) -> snmpx_result {
    with_config(config, |o| {
        o.max_in_flight = Some(max_in_flight as usize);
        Ok(())
    })
}

/// Accept responses only from the target address (default true). Pass false for
/// multi-homed agents that answer from another address.
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_check_source(
    config: *mut snmpx_config,
    check: bool,
) -> snmpx_result {
    with_config(config, |o| {
        o.check_source = Some(check);
        Ok(())
    })
}

/// Fail a request at once with `SNMPX_E_UNREACHABLE` when an ICMP port unreachable comes
/// back for it (default true). Pass false to ignore such reports and wait for the timeout
/// and retries, as Net-SNMP does.
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_fail_on_unreachable(
    config: *mut snmpx_config,
    fail: bool,
) -> snmpx_result {
    with_config(config, |o| {
        o.fail_on_unreachable = Some(fail);
        Ok(())
    })
}

/// Fail walks whose OIDs do not increase (default true; Net-SNMP's `-Cc` turns it off).
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_check_increasing(
    config: *mut snmpx_config,
    check: bool,
) -> snmpx_result {
    with_config(config, |o| {
        o.check_increasing = Some(check);
        Ok(())
    })
}

/// Maximum requests one walk may issue (0 = unlimited).
#[no_mangle]
pub unsafe extern "C" fn snmpx_config_set_walk_max_requests(
    config: *mut snmpx_config,
    max_requests: u64,
) -> snmpx_result {
    with_config(config, |o| {
        o.walk_max_requests = Some(max_requests);
        Ok(())
    })
}

/// Reads the options of a config (for the session constructor).
///
/// # Safety
/// `config` must be NULL or a live config.
pub(crate) unsafe fn options<'a>(config: *const snmpx_config) -> Result<&'a Options, Fail> {
    // SAFETY: per this function's contract.
    unsafe { borrow(config, "config") }.map(|c| &c.opts)
}
