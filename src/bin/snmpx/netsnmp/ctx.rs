//! What every application shares once its options are parsed: the MIB snapshot (loaded as
//! Net-SNMP would from `-m`/`-M`, `MIBS`/`MIBDIRS` and snmp.conf), the output streams with
//! `-L` routing of library messages, name resolution with Net-SNMP's error texts, and the
//! session to the agent.

use super::args::{LogTarget, Options};
use super::errors;
use super::usage::{self, App};
use snmpx::format::{format_oid, format_varbind};
use snmpx::mib::{LoadError, Mib, MibLoader, ResolveError};
use snmpx::{Error, Oid, Runtime, Session, VarBind, Version};
use std::io::{BufWriter, Stdout, Write};
use std::sync::Arc;
use std::time::Duration;

/// Shared state of one application run.
pub struct Ctx {
    /// The application.
    pub app: App,
    /// Parsed options.
    pub o: Options,
    /// The MIB snapshot.
    pub mib: Arc<Mib>,
    mib_path: String,
    out: BufWriter<Stdout>,
    rt: Option<Runtime>,
    /// `-d` dumps queued by the I/O thread, logged before the next output.
    dumps: Option<super::dump::Queue>,
    /// Net-SNMP keeps the detail of the last failed lookup in a global and appends it to
    /// later library error messages: a bare descriptor (`sysName.0`) first fails as a path
    /// from the root ("Sub-id not found: (top) -> sysName") before it is found by name.
    sticky_detail: Option<String>,
}

fn join_dirs(d: &[std::path::PathBuf]) -> String {
    d.iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(":")
}

impl Ctx {
    /// Loads the MIBs and logs configuration warnings, as `init_snmp` does.
    pub fn new(app: App, o: Options) -> Ctx {
        let env = |k: &str| std::env::var(k).ok();
        let mibs = o
            .mibs
            .clone()
            .or_else(|| env("MIBS"))
            .or_else(|| o.settings.mibs.clone());
        let dirs = o
            .mibdirs
            .clone()
            .or_else(|| env("MIBDIRS"))
            .or_else(|| o.settings.mibdirs.clone());
        let mut loader = MibLoader::from_settings(dirs.as_deref(), mibs.as_deref());
        // The built-in stand-ins replace missing core modules only for the default module
        // list; an explicit list (even an empty one) loads exactly what it names.
        if mibs.is_some() {
            loader.builtin_fallback(false);
        }
        let (mib, load_errors) = loader.load_lenient();
        let mib_path = join_dirs(loader.dirs());
        let mut c = Ctx {
            app,
            o,
            mib: Arc::new(mib),
            mib_path,
            out: BufWriter::with_capacity(64 * 1024, std::io::stdout()),
            rt: None,
            dumps: None,
            sticky_detail: None,
        };
        let warnings = std::mem::take(&mut c.o.settings.warnings);
        for w in warnings {
            c.log(&w);
        }
        let missing: Vec<String> = load_errors
            .iter()
            .filter_map(|e| match e {
                LoadError::ModuleNotFound {
                    module,
                    required_by: None,
                } => Some(module.clone()),
                _ => None,
            })
            .collect();
        if !missing.is_empty() {
            let mut msg = format!("MIB search path: {}\n", c.mib_path);
            for m in missing {
                msg.push_str(&format!("Cannot find module ({m}): At line 1 in (none)\n"));
            }
            c.log(&msg);
        }
        c
    }

    /// Logs the `-d` dumps queued since the last output (they come first, as in Net-SNMP,
    /// where the library prints them before returning the response).
    fn drain_dumps(&mut self) {
        let Some(q) = &self.dumps else {
            return;
        };
        let text = std::mem::take(&mut *q.lock().unwrap_or_else(|e| e.into_inner()));
        if !text.is_empty() {
            self.write_log(&text);
        }
    }

    /// A library message (`snmp_log`): goes where `-L` says.
    pub fn log(&mut self, msg: &str) {
        self.drain_dumps();
        self.write_log(msg);
    }

    fn write_log(&mut self, msg: &str) {
        match &self.o.log {
            LogTarget::Stderr => {
                let _ = self.out.flush();
                let _ = std::io::stderr().write_all(msg.as_bytes());
            }
            LogTarget::Stdout => {
                let _ = self.out.write_all(msg.as_bytes());
            }
            LogTarget::Null => {}
            LogTarget::File(f) => {
                if let Ok(mut file) = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(f)
                {
                    let _ = file.write_all(msg.as_bytes());
                }
            }
        }
    }

    /// An application's own `fprintf(stderr, ...)`.
    pub fn err(&mut self, msg: &str) {
        self.drain_dumps();
        let _ = self.out.flush();
        let _ = std::io::stderr().write_all(msg.as_bytes());
    }

    /// Standard output (buffered; flushed before anything goes to stderr and at exit).
    pub fn out(&mut self) -> &mut BufWriter<Stdout> {
        self.drain_dumps();
        &mut self.out
    }

    /// Flushes standard output.
    pub fn flush(&mut self) {
        self.drain_dumps();
        let _ = self.out.flush();
    }

    /// Prints `msg`, then the usage text; returns exit code 1.
    pub fn usage_error(&mut self, msg: &str) -> u8 {
        let text = format!("{msg}{}", usage::text(self.app, Some(&self.mib_path)));
        self.err(&text);
        1
    }

    /// `print_variable`: one binding and a newline on stdout.
    pub fn print_varbind(&mut self, vb: &VarBind) {
        self.drain_dumps();
        let mut line = format_varbind(&self.mib, vb, &self.o.out);
        line.push('\n');
        let _ = self.out.write_all(line.as_bytes());
    }

    /// An OID as `fprint_objid` prints it (with the current -O options).
    pub fn oid_text(&self, oid: &[u32]) -> String {
        format_oid(&self.mib, oid, &self.o.out)
    }

    /// `snmp_parse_oid` on an operand: prefix/suffix from `-I`, then the MIB. On failure the
    /// Net-SNMP message (without newline) is returned; module-not-found lines are logged.
    pub fn resolve(&mut self, text: &str) -> Result<Oid, String> {
        let mut t = text.to_string();
        let numeric = t
            .trim_start_matches('.')
            .bytes()
            .all(|c| c.is_ascii_digit() || c == b'.');
        if !numeric {
            if let Some(p) = &self.o.input.prefix {
                t = format!("{p}{t}");
            }
            if let Some(s) = &self.o.input.suffix {
                t.push_str(s);
            }
        }
        match self.mib.resolve(&t) {
            Ok(oid) => {
                let first = t.split('.').next().unwrap_or("");
                let from_root = t.starts_with('.')
                    || t.contains("::")
                    || first.bytes().all(|b| b.is_ascii_digit())
                    || matches!(first, "iso" | "ccitt" | "joint-iso-ccitt");
                if !from_root {
                    self.sticky_detail = Some(format!("Sub-id not found: (top) -> {first}"));
                }
                Ok(oid)
            }
            Err(e) => {
                if let ResolveError::UnknownModule(m) = &e {
                    let msg = format!(
                        "MIB search path: {}\nCannot find module ({m}): At line 1 in (none)\n",
                        self.mib_path
                    );
                    self.log(&msg);
                }
                Err(errors::unknown_oid(text, &e))
            }
        }
    }

    /// The agent operand as given (Net-SNMP prints `session.peername` in timeouts).
    pub fn peername(&self) -> &str {
        self.o.operands.first().map(String::as_str).unwrap_or("")
    }

    /// The SNMP version after `-v` and `defVersion` (Net-SNMP 5.9's default is 3).
    pub fn version(&self) -> Version {
        if let Some(v) = self.o.version {
            return v;
        }
        match self.o.settings.version.as_deref() {
            Some("1") => Version::V1,
            Some(v) if v.eq_ignore_ascii_case("2c") => Version::V2c,
            _ => Version::V3,
        }
    }

    /// Checks what `snmp_parse_args` checks after the options: the agent operand, the
    /// community for v1/v2c, and the v3 pass phrase lengths. Returns the exit code on failure.
    pub fn check_common(&mut self) -> Result<(), u8> {
        if self.o.operands.is_empty() {
            return Err(self.usage_error("No hostname specified.\n"));
        }
        let v = self.version();
        if v != Version::V3 && self.o.community.is_none() && self.o.settings.community.is_none() {
            return Err(self.usage_error("No community name specified.\n"));
        }
        for (pass, what) in [
            (self.auth_pass(), "authentication"),
            (self.priv_pass(), "privacy"),
        ] {
            if let Some(p) = pass {
                if p.len() < snmpx::usm::MIN_PASSWORD_LEN {
                    let msg = format!(
                        "Error: passphrase chosen is below the length requirements of the USM (min=8).\n{}:  (The supplied password length is too short.)\nError generating a key (Ku) from the supplied {what} pass phrase. \n",
                        self.app.name()
                    );
                    self.err(&msg);
                    return Err(1);
                }
            }
        }
        Ok(())
    }

    fn auth_pass(&self) -> Option<String> {
        self.o
            .auth_pass
            .clone()
            .or_else(|| self.o.settings.auth_pass.clone())
    }

    fn priv_pass(&self) -> Option<String> {
        self.o
            .priv_pass
            .clone()
            .or_else(|| self.o.settings.priv_pass.clone())
    }

    /// Opens the session (`snmp_open`); on failure prints Net-SNMP's message and returns 1.
    pub fn open(&mut self) -> Result<Session, u8> {
        let name = self.app.name();
        let peer = self.peername().to_string();
        let v = self.version();
        let s = &self.o.settings;
        let timeout = self.o.timeout.or(s.timeout).unwrap_or(1.0);
        let retries = self.o.retries.or(s.retries).unwrap_or(5);
        let mut b = Session::builder(&peer)
            .version(v)
            .timeout(Duration::from_secs_f64(if timeout > 0.0 {
                timeout
            } else {
                1.0
            }))
            .retries(retries)
            .max_varbinds(usize::MAX / 2)
            .check_increasing(false)
            // Net-SNMP ignores ICMP port unreachable: a closed port is a timeout after every
            // retry, and an agent that starts meanwhile still answers a retransmission.
            .fail_on_unreachable(false);
        if v != Version::V3 {
            let c = self
                .o
                .community
                .clone()
                .or_else(|| s.community.clone())
                .unwrap_or_default();
            b = b.community(c);
        } else {
            let Some(user) = self.o.user.clone().or_else(|| s.user.clone()) else {
                let d = self.detail_suffix();
                self.log(&format!("{name}: No securityName specified{d}\n"));
                return Err(1);
            };
            b = b.user(user);
            let level = self
                .o
                .level
                .clone()
                .or_else(|| s.level.clone())
                .unwrap_or_else(|| "noAuthNoPriv".into());
            let level: snmpx::message::v3::SecurityLevel = level
                .parse()
                .unwrap_or(snmpx::message::v3::SecurityLevel::NoAuthNoPriv);
            use snmpx::message::v3::SecurityLevel as L;
            let auth_pass = self.auth_pass();
            let priv_pass = self.priv_pass();
            if level >= L::AuthNoPriv && auth_pass.is_none() {
                self.log(&format!(
                    "{name}: USM authentication failure (incorrect password or key)\n"
                ));
                return Err(1);
            }
            if level == L::AuthPriv && priv_pass.is_none() {
                self.log(&format!("{name}: USM encryption error\n"));
                return Err(1);
            }
            b = b.security_level(level);
            let s = &self.o.settings;
            if let Some(p) = auth_pass {
                let proto = self
                    .o
                    .auth_proto
                    .clone()
                    .or_else(|| s.auth_proto.clone())
                    .unwrap_or_else(|| "MD5".into());
                b = b.auth(&proto, p);
            }
            if let Some(p) = priv_pass {
                if level == L::AuthPriv {
                    let proto = self
                        .o
                        .priv_proto
                        .clone()
                        .or_else(|| s.priv_proto.clone())
                        .unwrap_or_else(|| "DES".into());
                    b = b.privacy(&proto, p);
                }
            }
            if let Some(c) = self.o.context.clone().or_else(|| s.context.clone()) {
                b = b.context_name(c);
            }
            if let Some(e) = &self.o.sec_engine {
                b = b.security_engine_id(e);
            }
            if let Some(e) = &self.o.ctx_engine {
                b = b.context_engine_id(e);
            }
            if let Some((boots, time)) = self.o.boots_time {
                b = b.engine_boots_time(boots, time);
            }
        }
        if self.rt.is_none() {
            // One blocking request at a time: the main thread drives the sockets itself (no
            // cross-thread wake-ups per round trip), as Net-SNMP's tools do.
            let mut builder = Runtime::builder().caller_driven(true);
            if self.o.dump {
                let q = super::dump::Queue::default();
                self.dumps = Some(q.clone());
                builder = builder.packet_trace(move |t| {
                    let text = super::dump::format(t);
                    q.lock().unwrap_or_else(|e| e.into_inner()).push_str(&text);
                });
            }
            match builder.build() {
                Ok(rt) => self.rt = Some(rt),
                Err(e) => {
                    self.log(&format!("{name}: {e}\n"));
                    return Err(1);
                }
            }
        }
        let rt = self.rt.as_ref().expect("runtime created above");
        match b.open(rt) {
            Ok(s) => Ok(s),
            // A TCP connect that failed: Net-SNMP's transport cannot be opened, which
            // snmp_sess_perror reports as an unknown host with the OS error text.
            Err(Error::Connection { reason, .. }) if reason.starts_with(snmpx::CONNECT_FAILED) => {
                let why = &reason[snmpx::CONNECT_FAILED.len()..];
                self.log(&format!("{name}: Unknown host ({peer}) ({why})\n"));
                Err(1)
            }
            Err(Error::Resolve { .. }) => {
                self.log(&format!("{name}: Unknown host ({peer})\n"));
                Err(1)
            }
            Err(e) => {
                self.log(&format!("{name}: {e}\n"));
                Err(1)
            }
        }
    }

    fn detail_suffix(&self) -> String {
        self.sticky_detail
            .as_ref()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default()
    }

    /// Prints what a failed request prints (timeouts per application, `snmp_sess_perror`
    /// otherwise) and returns exit code 1. `period` adds the final `.` snmpget and
    /// snmpgetnext put after a timeout.
    pub fn request_failed(&mut self, e: &Error, period: bool) -> u8 {
        // Net-SNMP discovers the engine ID in snmp_open (no `-e`): when that probe times out
        // the application reports the failed open, `APP: Timeout`, not a request timeout.
        let discovery_timed_out = e.is_timeout()
            && self.version() == Version::V3
            && self.o.sec_engine.is_none()
            && self
                .rt
                .as_ref()
                .is_some_and(|rt| rt.stats().v3_discoveries == 0);
        let text = if discovery_timed_out {
            Some("Timeout".to_string())
        } else {
            errors::session_error_text(e)
        };
        match text {
            None => {
                let msg = format!(
                    "Timeout: No Response from {}{}\n",
                    self.peername(),
                    if period { "." } else { "" }
                );
                self.err(&msg);
            }
            Some(t) => {
                let msg = format!("{}: {t}{}\n", self.app.name(), self.detail_suffix());
                self.log(&msg);
            }
        }
        1
    }

    /// The "Error in packet" block: `Error in packet[.]`, the reason, and the failed object
    /// (the binding at error-index in `sent`, or nothing when out of range), then a blank
    /// line. Returns exit code 2.
    pub fn packet_error(
        &mut self,
        dot: bool,
        status: snmpx::ErrorStatus,
        index: u32,
        sent: &[VarBind],
    ) -> u8 {
        let mut msg = format!(
            "Error in packet{}\nReason: {}\n",
            if dot { "." } else { "" },
            errors::status_text(status)
        );
        if index != 0 {
            msg.push_str("Failed object: ");
            if let Some(vb) = sent.get(index as usize - 1) {
                msg.push_str(&self.oid_text(&vb.oid));
                msg.push('\n');
            }
            msg.push('\n');
        }
        self.err(&msg);
        2
    }
}
