//! The command responder (sans-IO): turns one request datagram for one device into one reply
//! datagram. GET, GETNEXT, GETBULK (RFC 3416 §4.2.1-4.2.3) and SET (§4.2.5, all-or-nothing),
//! with v1 error semantics (RFC 2576 §4.3: noSuchName, badValue; Counter64 invisible) and v2c
//! exceptions (noSuchObject, noSuchInstance, endOfMibView).

use super::mib::{Access, Constraint, Mib, Pos};
use super::security::{DropReason, Opened, ResponseBody, Security};
use super::synthetic;
use crate::ber::Writer;
use crate::message::Version;
use crate::oid::Oid;
use crate::pdu::{encode_value, ErrorStatus, Pdu, PduType};
use crate::value::{tag, Value, VarBind};
use parking_lot::Mutex;
use std::borrow::Cow;
use std::sync::Arc;
use std::time::Instant;

/// What differs per device: its model and the values SETs stored.
pub(crate) struct DeviceState {
    /// Index into [`Fleet::mibs`].
    pub mib: u32,
    /// (entry index, value) for writable entries that were SET.
    pub overrides: Mutex<Vec<(u32, Value)>>,
}

/// Everything the responders share: models, per-device state, security, clock origin.
pub(crate) struct Fleet {
    pub mibs: Vec<Arc<Mib>>,
    pub devices: Vec<DeviceState>,
    pub security: Arc<dyn Security>,
    pub start: Instant,
    pub name_prefix: String,
    pub max_message_size: usize,
}

/// Per-reply deviations from correct behaviour, chosen by the worker for test scenarios.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Tweaks {
    /// GetNext/GetBulk return the requested OID again (a non-increasing walk).
    pub non_increasing: bool,
    /// The reply carries request-id + 1.
    pub wrong_request_id: bool,
    /// Answer tooBig when a GetBulk response exceeds (varbinds, bytes).
    pub bulk_limit: Option<(usize, usize)>,
}

fn put(buf: &mut Vec<u8>, oid: &Oid, v: &Value) {
    let mut w = Writer::new(buf);
    let m = w.begin(tag::SEQUENCE);
    w.oid(tag::OBJECT_IDENTIFIER, oid);
    encode_value(&mut w, v);
    w.end(m);
}

/// The v1 error-status for a v2 one (RFC 2576 §4.3).
fn v1_status(s: ErrorStatus) -> ErrorStatus {
    match s {
        ErrorStatus::NoError | ErrorStatus::TooBig | ErrorStatus::GenErr => s,
        ErrorStatus::WrongType
        | ErrorStatus::WrongValue
        | ErrorStatus::WrongLength
        | ErrorStatus::WrongEncoding
        | ErrorStatus::InconsistentValue => ErrorStatus::BadValue,
        _ => ErrorStatus::NoSuchName,
    }
}

/// An error-status and 1-based error-index.
type Status = (ErrorStatus, usize);
const OK: Status = (ErrorStatus::NoError, 0);

impl Fleet {
    /// Answers one request to `dev` into `out`, using `scratch` for the varbinds.
    pub fn handle(
        &self,
        dev: usize,
        data: &[u8],
        now: Instant,
        tweaks: Tweaks,
        scratch: &mut Vec<u8>,
        out: &mut Vec<u8>,
    ) -> Result<(), DropReason> {
        let sec = &*self.security;
        let inc = match sec.open(dev, data) {
            Opened::Request(i) => i,
            Opened::Reply(b) => {
                *out = b;
                return Ok(());
            }
            Opened::Drop(r) => return Err(r),
        };
        let v1 = inc.version == Version::V1;
        let pdu = &inc.pdu;
        let mib = &*self.mibs[self.devices[dev].mib as usize];
        let budget = self
            .max_message_size
            .saturating_sub(sec.overhead(&inc.reply));
        let ctx = Ctx {
            fleet: self,
            mib,
            dev,
            elapsed_ms: now.saturating_duration_since(self.start).as_millis() as u64,
            v1,
            tweaks,
            budget,
        };
        scratch.clear();
        let (mut status, index) = match pdu.kind {
            PduType::GetRequest => ctx.get(pdu, scratch),
            PduType::GetNextRequest => ctx.get_next(pdu, scratch),
            PduType::GetBulkRequest if !v1 => ctx.get_bulk(pdu, scratch),
            PduType::SetRequest => ctx.set(pdu, scratch),
            _ => return Err(DropReason::Unsupported),
        };
        if v1 {
            status = v1_status(status);
        }
        if status == ErrorStatus::TooBig {
            scratch.clear();
        } else if status != ErrorStatus::NoError {
            // Error responses carry the request's bindings unchanged.
            scratch.clear();
            for vb in &pdu.varbinds {
                put(scratch, &vb.oid, &vb.value);
            }
        }
        let request_id = if tweaks.wrong_request_id {
            pdu.request_id.wrapping_add(1)
        } else {
            pdu.request_id
        };
        let body = ResponseBody {
            request_id,
            error_status: status.code(),
            error_index: index as i32,
            varbinds: scratch,
        };
        sec.seal(dev, &inc.reply, &body, out);
        Ok(())
    }
}

/// One request's view of the fleet.
struct Ctx<'a> {
    fleet: &'a Fleet,
    mib: &'a Mib,
    dev: usize,
    elapsed_ms: u64,
    v1: bool,
    tweaks: Tweaks,
    budget: usize,
}

impl<'a> Ctx<'a> {
    /// v1 cannot carry Counter64 (RFC 2576 §4.2.2.1): such objects are invisible there.
    fn visible(&self, pos: Pos) -> bool {
        !(self.v1 && self.mib.tag_at(pos) == tag::COUNTER64)
    }

    fn value(&self, pos: Pos) -> Cow<'a, Value> {
        match pos {
            Pos::Entry(i) => {
                let e = self.mib.entry(i);
                if e.access == Access::ReadWrite {
                    let st = self.fleet.devices[self.dev].overrides.lock();
                    if let Some((_, v)) = st.iter().find(|(k, _)| *k as usize == i) {
                        return Cow::Owned(v.clone());
                    }
                }
                match &e.source {
                    super::mib::Source::Static(v) => Cow::Borrowed(v),
                    super::mib::Source::Dynamic(d) => Cow::Owned(synthetic::eval(
                        *d,
                        self.dev,
                        self.elapsed_ms,
                        &self.fleet.name_prefix,
                    )),
                }
            }
            Pos::Big { col, row } => {
                Cow::Owned(self.mib.big().map_or(Value::Null, |b| b.value(col, row)))
            }
        }
    }

    fn next(&self, oid: &Oid) -> Option<(Pos, Oid)> {
        let mut cur = self.mib.next(oid)?;
        while !self.visible(cur.0) {
            cur = self.mib.next(&cur.1)?;
        }
        Some(cur)
    }

    fn get(&self, pdu: &Pdu, out: &mut Vec<u8>) -> Status {
        for (i, vb) in pdu.varbinds.iter().enumerate() {
            match self.mib.get(&vb.oid).filter(|p| self.visible(*p)) {
                Some(p) => put(out, &vb.oid, &self.value(p)),
                None if self.v1 => return (ErrorStatus::NoSuchName, i + 1),
                None => {
                    let ex = if self.mib.has_sibling(&vb.oid) {
                        Value::NoSuchInstance
                    } else {
                        Value::NoSuchObject
                    };
                    put(out, &vb.oid, &ex);
                }
            }
            if out.len() > self.budget {
                return (ErrorStatus::TooBig, 0);
            }
        }
        OK
    }

    fn get_next(&self, pdu: &Pdu, out: &mut Vec<u8>) -> Status {
        for (i, vb) in pdu.varbinds.iter().enumerate() {
            match self.next(&vb.oid) {
                Some((p, o)) => {
                    let shown = if self.tweaks.non_increasing {
                        &vb.oid
                    } else {
                        &o
                    };
                    put(out, shown, &self.value(p));
                }
                None if self.v1 => return (ErrorStatus::NoSuchName, i + 1),
                None => put(out, &vb.oid, &Value::EndOfMibView),
            }
            if out.len() > self.budget {
                return (ErrorStatus::TooBig, 0);
            }
        }
        OK
    }

    fn get_bulk(&self, pdu: &Pdu, out: &mut Vec<u8>) -> Status {
        let vbs = &pdu.varbinds;
        let non_rep = (pdu.error_status.max(0) as usize).min(vbs.len());
        let max_rep = pdu.error_index.max(0) as usize;
        let mut count = 0usize;
        // Appends one binding unless it would overflow the message: then the response ends
        // here (RFC 3416 §4.2.3: fewer bindings, not an error) or is tooBig if empty.
        let mut push = |out: &mut Vec<u8>, oid: &Oid, v: &Value| -> Result<(), Status> {
            let mark = out.len();
            put(out, oid, v);
            if out.len() > self.budget {
                out.truncate(mark);
                return Err(if count == 0 {
                    (ErrorStatus::TooBig, 0)
                } else {
                    OK
                });
            }
            count += 1;
            Ok(())
        };
        let result = (|| {
            for vb in &vbs[..non_rep] {
                match self.next(&vb.oid) {
                    Some((p, o)) => {
                        let shown = if self.tweaks.non_increasing {
                            &vb.oid
                        } else {
                            &o
                        };
                        push(out, shown, &self.value(p))?
                    }
                    None => push(out, &vb.oid, &Value::EndOfMibView)?,
                }
            }
            let mut cur: Vec<Option<Oid>> =
                vbs[non_rep..].iter().map(|v| Some(v.oid.clone())).collect();
            let mut last: Vec<Oid> = vbs[non_rep..].iter().map(|v| v.oid.clone()).collect();
            for _ in 0..max_rep {
                if cur.iter().all(Option::is_none) {
                    break;
                }
                for j in 0..cur.len() {
                    let found = cur[j].as_ref().and_then(|c| self.next(c));
                    match found {
                        Some((p, o)) => {
                            let shown = if self.tweaks.non_increasing {
                                &last[j]
                            } else {
                                &o
                            };
                            push(out, shown, &self.value(p))?;
                            last[j] = o.clone();
                            cur[j] = Some(o);
                        }
                        None => {
                            push(out, &last[j], &Value::EndOfMibView)?;
                            cur[j] = None;
                        }
                    }
                }
            }
            Ok(OK)
        })();
        let status = result.unwrap_or_else(|s| s);
        if let Some((max_vbs, max_bytes)) = self.tweaks.bulk_limit {
            if status == OK && (count > max_vbs || out.len() > max_bytes) {
                return (ErrorStatus::TooBig, 0);
            }
        }
        status
    }

    fn check_set(&self, vb: &VarBind) -> Result<usize, ErrorStatus> {
        let Some(Pos::Entry(i)) = self.mib.get(&vb.oid) else {
            return Err(ErrorStatus::NotWritable);
        };
        let e = self.mib.entry(i);
        if e.access != Access::ReadWrite {
            return Err(ErrorStatus::NotWritable);
        }
        if vb.value.tag() != e.source.tag() {
            return Err(ErrorStatus::WrongType);
        }
        match (e.constraint, &vb.value) {
            (Constraint::IntRange(lo, hi), Value::Integer(v)) if !(lo..=hi).contains(v) => {
                Err(ErrorStatus::WrongValue)
            }
            (Constraint::MaxLen(n), Value::OctetString(b)) if b.len() > n => {
                Err(ErrorStatus::WrongLength)
            }
            _ => Ok(i),
        }
    }

    fn set(&self, pdu: &Pdu, out: &mut Vec<u8>) -> Status {
        let mut st = self.fleet.devices[self.dev].overrides.lock();
        let mut targets = Vec::with_capacity(pdu.varbinds.len());
        for (i, vb) in pdu.varbinds.iter().enumerate() {
            match self.check_set(vb) {
                Ok(e) => targets.push(e as u32),
                Err(s) => return (s, i + 1),
            }
        }
        for (vb, e) in pdu.varbinds.iter().zip(targets) {
            match st.iter_mut().find(|(k, _)| *k == e) {
                Some(slot) => slot.1 = vb.value.clone(),
                None => st.push((e, vb.value.clone())),
            }
            put(out, &vb.oid, &vb.value);
        }
        OK
    }
}
