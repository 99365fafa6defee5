//! SNMPv3 for the simulated devices: the User-based Security Model on the authoritative
//! side (RFC 3414 §3.2 as an agent, RFC 3412 §7.2), plugged in through [`Security`].
//!
//! Every device has its own engine ID ([`UsmSecurity::engine_id`]), so keys are localized per
//! device (a fleet of 1,000 devices is 1,000 engines sharing one set of users). Discovery
//! (an empty engine ID) and a wrong engine ID get an unknownEngineIDs report; an unknown user
//! an unknownUserNames report; a level above the user's an unsupportedSecLevels report; a bad
//! MAC a wrongDigests report (all unauthenticated); an authenticated request outside the
//! 150 s window (RFC 3414 §3.2 step 7a) an authenticated notInTimeWindows report carrying the
//! device's boots/time. A request encrypted with the wrong privacy key decrypts to garbage and
//! is dropped, as Net-SNMP does. v1/v2c requests go to an optional community check.
//!
//! [`UsmSecurity::open_at`] takes the engine time explicitly, so the engine's deterministic
//! tests can drive a simulated clock.

use super::security::{CommunitySecurity, DropReason, Incoming, Opened, ReplyContext};
use super::security::{ResponseBody, Security};
use crate::message::v3::{
    decode_v3, encode_v3, encode_v3_raw, process_incoming, IncomingV3, MsgGlobal, ScopedPdu,
    SecurityKeys, SecurityLevel, UsmParams, V3Error, MAX_MESSAGE_SIZE, TIME_WINDOW,
    USM_SECURITY_MODEL,
};
use crate::message::{self, Version};
use crate::oid::Oid;
use crate::pdu::{Pdu, PduType};
use crate::usm::{Credentials, KeyCache, SaltSource, UsmError};
use crate::value::{Value, VarBind};
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// usmStats objects (RFC 3414 §5), the leaf under 1.3.6.1.6.3.15.1.1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
enum UsmStat {
    UnsupportedSecLevels = 1,
    NotInTimeWindows = 2,
    UnknownUserNames = 3,
    UnknownEngineIds = 4,
    WrongDigests = 5,
}

/// One USM user every device knows.
struct SimUser {
    name: Vec<u8>,
    creds: Credentials,
    level: SecurityLevel,
}

/// What `seal` needs to frame a v3 response.
struct V3Reply {
    msg_id: i32,
    user: usize,
    keys: Option<Arc<SecurityKeys>>,
    context_engine_id: Vec<u8>,
    context_name: Vec<u8>,
    time: u32,
}

/// USM security for the simulator's devices (see the module documentation).
///
/// Thread-safety: shareable (`Send + Sync`), as [`Security`] requires.
pub struct UsmSecurity {
    engine_prefix: Vec<u8>,
    boots: AtomicU32,
    start: Instant,
    users: Vec<SimUser>,
    cache: KeyCache,
    keys: Mutex<HashMap<(usize, usize), Arc<SecurityKeys>>>,
    salts: SaltSource,
    community: Option<CommunitySecurity>,
}

impl UsmSecurity {
    /// Devices that know `users` (name and credentials; the level is what the credentials
    /// give). Engine boots start at 1; engine time counts seconds from now.
    pub fn new(users: Vec<(Vec<u8>, Credentials)>) -> Result<UsmSecurity, UsmError> {
        let users = users
            .into_iter()
            .map(|(name, creds)| {
                let level = match (creds.auth_part(), creds.priv_part()) {
                    (None, _) => SecurityLevel::NoAuthNoPriv,
                    (Some(_), None) => SecurityLevel::AuthNoPriv,
                    (Some(_), Some(_)) => SecurityLevel::AuthPriv,
                };
                SimUser { name, creds, level }
            })
            .collect();
        Ok(UsmSecurity {
            // Net-SNMP's enterprise (8072), format 4 (text): "sim" + the device index.
            engine_prefix: vec![0x80, 0x00, 0x1f, 0x88, 0x04, b's', b'i', b'm'],
            boots: AtomicU32::new(1),
            start: Instant::now(),
            users,
            cache: KeyCache::new()?,
            keys: Mutex::new(HashMap::new()),
            salts: SaltSource::new()?,
            community: None,
        })
    }

    /// Also answers v1/v2c requests carrying `community`.
    pub fn with_community(mut self, community: impl AsRef<[u8]>) -> UsmSecurity {
        self.community = Some(CommunitySecurity::new(community));
        self
    }

    /// Sets snmpEngineBoots of every device (e.g. to simulate a restart).
    pub fn set_boots(&self, boots: u32) {
        self.boots.store(boots, Ordering::Relaxed);
    }

    /// snmpEngineID of device `device` (12 octets).
    pub fn engine_id(&self, device: usize) -> Vec<u8> {
        let mut id = self.engine_prefix.clone();
        id.extend_from_slice(&(device as u32).to_be_bytes());
        id
    }

    /// snmpEngineTime now: seconds since the security was created.
    pub fn engine_time(&self) -> u32 {
        self.start.elapsed().as_secs().min(i32::MAX as u64) as u32
    }

    /// The keys of `user` at `device` (cached; `None` at noAuthNoPriv).
    fn keys(&self, device: usize, user: usize) -> Option<Arc<SecurityKeys>> {
        if let Some(k) = self.keys.lock().get(&(device, user)) {
            return Some(k.clone());
        }
        let u = &self.users[user];
        let k = SecurityKeys::derive(&self.cache, &u.name, &u.creds, &self.engine_id(device))
            .ok()
            .flatten()?;
        let k = Arc::new(k);
        self.keys.lock().insert((device, user), k.clone());
        Some(k)
    }

    /// Decodes and checks a request to `device` at engine time `time` (RFC 3414 §3.2).
    pub fn open_at(&self, device: usize, datagram: &[u8], time: u32) -> Opened {
        match message::peek_version(datagram) {
            Ok(Version::V3) => {}
            Ok(_) => {
                return match &self.community {
                    Some(c) => c.open(device, datagram),
                    None => Opened::Drop(DropReason::Unsupported),
                }
            }
            Err(_) => return Opened::Drop(DropReason::Invalid),
        }
        let Ok(inc) = decode_v3(datagram) else {
            return Opened::Drop(DropReason::Invalid);
        };
        let engine_id = self.engine_id(device);
        let reportable = inc.global.reportable();
        let report = |stat: UsmStat, keys: Option<&SecurityKeys>| {
            if !reportable {
                return Opened::Drop(DropReason::Auth);
            }
            let rid = plaintext_request_id(&inc);
            self.report(&inc, device, &engine_id, rid, stat, keys, time)
        };
        // RFC 3414 §3.2 step 3: the request must be for this engine (discovery sends none).
        if inc.usm.engine_id != engine_id.as_slice() {
            return report(UsmStat::UnknownEngineIds, None);
        }
        // Step 4: a known user.
        let Some(user) = self.users.iter().position(|u| u.name == inc.usm.user_name) else {
            return report(UsmStat::UnknownUserNames, None);
        };
        // Step 5: a level the user supports.
        let level = inc.level();
        if level > self.users[user].level {
            return report(UsmStat::UnsupportedSecLevels, None);
        }
        let keys = match level {
            SecurityLevel::NoAuthNoPriv => None,
            SecurityLevel::AuthNoPriv => self.keys(device, user).map(|k| {
                if k.level() == SecurityLevel::AuthPriv {
                    Arc::new(k.without_privacy())
                } else {
                    k
                }
            }),
            SecurityLevel::AuthPriv => self.keys(device, user),
        };
        if level.has_auth() && keys.is_none() {
            return Opened::Drop(DropReason::Auth);
        }
        // Step 6 (MAC) before anything else is trusted; step 7a (timeliness) next.
        if level.has_auth() {
            let k = keys.as_deref().expect("checked above");
            if k.auth()
                .verify(datagram, inc.mac_offset, inc.usm.auth_params.len())
                .is_err()
            {
                return report(UsmStat::WrongDigests, None);
            }
            let boots = self.boots.load(Ordering::Relaxed);
            let u = &inc.usm;
            if u.engine_boots != boots || u.engine_time.abs_diff(time) > TIME_WINDOW {
                let auth_only = k.without_privacy();
                return report(UsmStat::NotInTimeWindows, Some(&auth_only));
            }
        }
        let scoped = match process_incoming(&inc, keys.as_deref()) {
            Ok(s) => s,
            // A wrong privacy key decrypts to garbage: dropped silently, like Net-SNMP.
            Err(V3Error::DecryptionFailed(_) | V3Error::Ber(_)) => {
                return Opened::Drop(DropReason::Invalid)
            }
            Err(_) => return Opened::Drop(DropReason::Auth),
        };
        Opened::Request(Incoming {
            version: Version::V3,
            pdu: scoped.pdu,
            reply: ReplyContext::Custom(Box::new(V3Reply {
                msg_id: inc.global.msg_id,
                user,
                keys,
                context_engine_id: scoped.context_engine_id,
                context_name: scoped.context_name,
                time,
            })),
        })
    }

    /// A Report-PDU answering `inc` (RFC 3412 §7.1 step 3): unauthenticated unless `keys`.
    #[allow(clippy::too_many_arguments)]
    fn report(
        &self,
        inc: &IncomingV3<'_>,
        device: usize,
        engine_id: &[u8],
        request_id: i32,
        stat: UsmStat,
        keys: Option<&SecurityKeys>,
        time: u32,
    ) -> Opened {
        let _ = device;
        let oid = Oid::from_valid(&[1, 3, 6, 1, 6, 3, 15, 1, 1, stat as u32, 0]);
        let pdu = Pdu {
            kind: PduType::Report,
            request_id,
            error_status: 0,
            error_index: 0,
            varbinds: vec![VarBind::new(oid, Value::Counter32(1))],
        };
        let scoped = ScopedPdu::new(engine_id, pdu);
        let level = keys.map_or(SecurityLevel::NoAuthNoPriv, SecurityKeys::level);
        let global = MsgGlobal {
            msg_id: inc.global.msg_id,
            max_size: MAX_MESSAGE_SIZE,
            flags: level.flag_bits(),
            security_model: USM_SECURITY_MODEL,
        };
        let user_name = keys.map_or(inc.usm.user_name, SecurityKeys::user_name);
        let usm = UsmParams {
            engine_id,
            engine_boots: self.boots.load(Ordering::Relaxed),
            engine_time: time,
            user_name,
            ..UsmParams::default()
        };
        let mut out = Vec::new();
        match encode_v3(&mut out, global, &usm, &scoped, keys, &self.salts) {
            Ok(()) => Opened::Reply(out),
            Err(_) => Opened::Drop(DropReason::Invalid),
        }
    }
}

/// The request-id of a plaintext noAuthNoPriv request (for reports), else 0.
fn plaintext_request_id(inc: &IncomingV3<'_>) -> i32 {
    if inc.level() != SecurityLevel::NoAuthNoPriv {
        return 0;
    }
    process_incoming(inc, None).map_or(0, |s| s.pdu.request_id)
}

impl Security for UsmSecurity {
    fn open(&self, device: usize, datagram: &[u8]) -> Opened {
        self.open_at(device, datagram, self.engine_time())
    }

    fn seal(
        &self,
        device: usize,
        reply: &ReplyContext,
        body: &ResponseBody<'_>,
        out: &mut Vec<u8>,
    ) {
        let r = match reply {
            ReplyContext::Custom(any) => match any.downcast_ref::<V3Reply>() {
                Some(r) => r,
                None => return out.clear(),
            },
            ReplyContext::Community { .. } => match &self.community {
                Some(c) => return c.seal(device, reply, body, out),
                None => return out.clear(),
            },
        };
        let mut pdu = Vec::with_capacity(body.varbinds.len() + 32);
        body.write(&mut pdu);
        let level = r
            .keys
            .as_deref()
            .map_or(SecurityLevel::NoAuthNoPriv, SecurityKeys::level);
        let global = MsgGlobal {
            msg_id: r.msg_id,
            max_size: MAX_MESSAGE_SIZE,
            flags: level.flag_bits(),
            security_model: USM_SECURITY_MODEL,
        };
        let engine_id = self.engine_id(device);
        let usm = UsmParams {
            engine_id: &engine_id,
            engine_boots: self.boots.load(Ordering::Relaxed),
            engine_time: r.time,
            user_name: &self.users[r.user].name,
            ..UsmParams::default()
        };
        let res = encode_v3_raw(
            out,
            global,
            &usm,
            &r.context_engine_id,
            &r.context_name,
            &pdu,
            r.keys.as_deref(),
            &self.salts,
        );
        if res.is_err() {
            out.clear();
        }
    }

    fn overhead(&self, reply: &ReplyContext) -> usize {
        match reply {
            ReplyContext::Community { .. } => {
                self.community.as_ref().map_or(64, |c| c.overhead(reply))
            }
            // Headers, msgGlobalData, USM parameters (engine ID, user, a 48-octet MAC, the
            // salt), the scoped PDU's header and contexts, up to 8 octets of DES padding.
            ReplyContext::Custom(_) => 256 + 32 + 32 + 32,
        }
    }
}

impl std::fmt::Debug for UsmSecurity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UsmSecurity")
            .field("users", &self.users.len())
            .field("boots", &self.boots.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}
