//! Operation state machines: split requests, GetBulk with tooBig recovery, and walks that
//! issue their own next request.

use super::{has_bulk, Engine, OpId, Operation, Params, Response};
use crate::error::Error;
use crate::message::{self, Version};
use crate::oid::Oid;
use crate::pdu::{ErrorStatus, Pdu, PduType};
use crate::value::VarBind;
use std::net::SocketAddr;
use std::time::Instant;

/// The per-kind state of an operation.
pub(super) enum OpKind {
    /// Get/GetNext/Set/Inform: the request bindings and the result slots, filled per part.
    /// `results` stays empty (no memory per request in flight) until the first part answers;
    /// see [`fill_results`].
    Request {
        kind: PduType,
        request: Vec<VarBind>,
        results: Vec<VarBind>,
    },
    /// GetBulk: max-repetitions is halved on tooBig.
    Bulk {
        non_repeaters: u32,
        max_repetitions: u32,
        oids: Vec<Oid>,
    },
    /// A walk over several roots in turn.
    Walk(Box<Walk>),
    /// An unacknowledged notification, completed once queued.
    Fire(Pdu),
    /// A v1 trap, completed once queued.
    FireV1(crate::pdu::TrapV1),
}

impl OpKind {
    pub(super) fn is_walk(&self) -> bool {
        matches!(self, OpKind::Walk(_))
    }
}

/// Walk progress.
pub(super) struct Walk {
    roots: Vec<Oid>,
    root: usize,
    last: Oid,
    found_in_root: usize,
    bulk: bool,
    reps: u32,
    stream: bool,
    requests: u64,
    /// The current exchange is the fallback Get of a root that returned nothing.
    fallback: bool,
    rows: Vec<VarBind>,
}

/// Checks an operation against the session before anything is sent.
pub(super) fn validate(p: &Params, op: Operation) -> Result<OpKind, Error> {
    let usage = |m: &str| Err(Error::Usage(m.to_string()));
    if p.version == Version::V3 {
        let Some(v) = &p.v3 else {
            return usage("an SNMPv3 session needs its user settings (Params::v3)");
        };
        if v.user.len() > crate::message::v3::MAX_USER_NAME_LEN {
            return usage("SNMPv3 user name longer than 32 octets (RFC 3414 §2.4)");
        }
        if matches!(
            op,
            Operation::Inform(_) | Operation::TrapV2(_) | Operation::TrapV1(_)
        ) {
            return usage(
                "SNMPv3 notifications (traps and informs) are not supported: send them over an \
                 SNMPv1 or SNMPv2c session",
            );
        }
    }
    Ok(match op {
        Operation::Get(oids) | Operation::GetNext(oids) if oids.is_empty() => {
            return usage("no OIDs given")
        }
        Operation::Get(oids) => request(PduType::GetRequest, oids),
        Operation::GetNext(oids) => request(PduType::GetNextRequest, oids),
        Operation::GetBulk { .. } | Operation::Walk { bulk: true, .. } if !has_bulk(p.version) => {
            return usage("GetBulk is not available in SNMPv1 (RFC 3416 §4.2.3); use v2c or v3");
        }
        Operation::GetBulk {
            non_repeaters,
            max_repetitions,
            oids,
        } => {
            if oids.is_empty() {
                return usage("no OIDs given");
            }
            if oids.len() > p.max_varbinds {
                return usage("more OIDs than max_varbinds in one GetBulk");
            }
            OpKind::Bulk {
                non_repeaters,
                max_repetitions: max_repetitions.max(1),
                oids,
            }
        }
        Operation::Set(vbs) => {
            if vbs.is_empty() {
                return usage("no varbinds given");
            }
            if vbs.len() > p.max_varbinds {
                return usage(
                    "a Set is atomic and is never split: more varbinds than max_varbinds",
                );
            }
            OpKind::Request {
                kind: PduType::SetRequest,
                results: Vec::new(),
                request: vbs,
            }
        }
        Operation::Walk {
            roots,
            bulk,
            stream,
        } => {
            if roots.is_empty() {
                return usage("no root OIDs given");
            }
            let last = roots[0].clone();
            OpKind::Walk(Box::new(Walk {
                roots,
                root: 0,
                last,
                found_in_root: 0,
                bulk,
                reps: p.max_repetitions.max(1),
                stream,
                requests: 0,
                fallback: false,
                rows: Vec::new(),
            }))
        }
        Operation::Inform(vbs) => {
            if p.version == Version::V1 {
                return usage("InformRequest needs SNMPv2c or v3");
            }
            OpKind::Request {
                kind: PduType::InformRequest,
                results: Vec::new(),
                request: vbs,
            }
        }
        Operation::TrapV2(vbs) => {
            if p.version == Version::V1 {
                return usage("SNMPv2-Trap needs SNMPv2c or v3; use a v1 Trap on v1 sessions");
            }
            OpKind::Fire(Pdu {
                kind: PduType::TrapV2,
                request_id: 0,
                error_status: 0,
                error_index: 0,
                varbinds: vbs,
            })
        }
        Operation::TrapV1(t) => {
            if p.version != Version::V1 {
                return usage("a v1 Trap needs an SNMPv1 session");
            }
            OpKind::FireV1(t)
        }
    })
}

fn request(kind: PduType, oids: Vec<Oid>) -> OpKind {
    OpKind::Request {
        kind,
        request: oids.into_iter().map(VarBind::null).collect(),
        results: Vec::new(),
    }
}

/// Stores the answer to part `s..e` of `request` in `results`. The usual case, one part
/// covering the whole request, moves the answer in without a copy; otherwise the slots are
/// created (from the request) when the first part answers.
fn fill_results(
    results: &mut Vec<VarBind>,
    request: &[VarBind],
    (s, e): (usize, usize),
    answer: Vec<VarBind>,
) {
    if results.is_empty() && s == 0 && e == request.len() {
        *results = answer;
        return;
    }
    if results.is_empty() {
        *results = request.to_vec();
    }
    for (slot, vb) in results[s..e].iter_mut().zip(answer) {
        *slot = vb;
    }
}

fn pdu_of(kind: PduType, vbs: &[VarBind]) -> Pdu {
    Pdu {
        kind,
        request_id: 0,
        error_status: 0,
        error_index: 0,
        varbinds: vbs.to_vec(),
    }
}

/// What [`Engine::launch`] sends.
pub(super) enum Outgoing {
    /// A PDU of its own (walk and bulk steps).
    Pdu(Pdu),
    /// A request op's bindings in the launched range, encoded straight from the op (no copy
    /// of the bindings for v1/v2c).
    Part(PduType),
}

impl Outgoing {
    /// The PDU to keep (SNMPv3 re-encodes it for every transmission).
    pub(super) fn into_pdu(self, kind: &OpKind, range: (usize, usize)) -> Pdu {
        match self {
            Outgoing::Pdu(p) => p,
            Outgoing::Part(k) => pdu_of(k, request_part(kind, range)),
        }
    }
}

/// The bindings of a request op in `range` (empty for other kinds: `Part` is only used
/// with request ops).
pub(super) fn request_part(kind: &OpKind, (s, e): (usize, usize)) -> &[VarBind] {
    match kind {
        OpKind::Request { request, .. } => &request[s..e],
        _ => &[],
    }
}

impl<S: Clone> Engine<S> {
    /// Issues an operation's first request(s).
    pub(super) fn start_op(&mut self, id: OpId, now: Instant) {
        let op = self.ops.get_mut(&id).expect("start of a live op");
        let max = op.params.max_varbinds.max(1);
        match &op.kind {
            OpKind::Request { kind, request, .. } => {
                let (kind, len) = (*kind, request.len());
                // Larger Gets are split into parts of at most `max` bindings.
                for s in (0..len).step_by(max) {
                    self.launch(id, Outgoing::Part(kind), (s, (s + max).min(len)), now);
                }
            }
            OpKind::Bulk { .. } => self.launch_bulk(id, now),
            OpKind::Walk(_) => self.walk_step(id, now),
            OpKind::Fire(pdu) => {
                let (pdu, p) = (pdu.clone(), op.params.clone());
                let mut data = self.pool.pop().unwrap_or_default();
                let mut pdu = pdu;
                let exchanges = &self.exchanges;
                pdu.request_id = self.ids.allocate(|r| exchanges.contains_key(&r));
                message::encode_community(&mut data, p.version, &p.community, &pdu);
                self.fire(id, p.target, p.conn(), data);
            }
            OpKind::FireV1(t) => {
                let (t, p) = (t.clone(), op.params.clone());
                let mut data = self.pool.pop().unwrap_or_default();
                message::encode_trap_v1(&mut data, &p.community, &t);
                self.fire(id, p.target, p.conn(), data);
            }
        }
    }

    fn fire(&mut self, id: OpId, dest: SocketAddr, conn: Option<u64>, data: Vec<u8>) {
        self.stats.requests_sent += 1;
        let t = super::Transmit { dest, data, conn };
        self.out.push_back(super::types::Queued::Owned(t));
        let peer = dest;
        self.finish(id, Ok(empty_response(peer)));
    }

    fn launch_bulk(&mut self, id: OpId, now: Instant) {
        let op = &self.ops[&id];
        let OpKind::Bulk {
            non_repeaters,
            max_repetitions,
            oids,
        } = &op.kind
        else {
            return;
        };
        let pdu = Pdu::get_bulk(0, *non_repeaters as i32, *max_repetitions as i32, oids);
        self.launch(id, Outgoing::Pdu(pdu), (0, oids.len()), now);
    }

    /// Dispatches a matched response to its op's state machine.
    pub(super) fn on_response(
        &mut self,
        id: OpId,
        range: (usize, usize),
        pdu: Pdu,
        from: SocketAddr,
        now: Instant,
    ) {
        let Some(op) = self.ops.get_mut(&id) else {
            return;
        };
        let status = pdu.status();
        match &mut op.kind {
            OpKind::Request {
                kind,
                request,
                results,
            } => {
                let kind = *kind;
                let (s, e) = range;
                // Only reads may be split: a Set is atomic (RFC 3416 §4.2.5, all bindings
                // applied "as if simultaneously"), and splitting it would apply one half
                // while the other fails; an Inform is one notification (§4.2.7).
                let splittable = matches!(kind, PduType::GetRequest | PduType::GetNextRequest);
                if status == ErrorStatus::TooBig && e - s > 1 && splittable {
                    // tooBig (RFC 3416 §4.2.1, §4.2.2): split this part in two and retry
                    // each half.
                    let mid = s + (e - s) / 2;
                    self.launch(id, Outgoing::Part(kind), (s, mid), now);
                    self.launch(id, Outgoing::Part(kind), (mid, e), now);
                    return;
                }
                if status != ErrorStatus::NoError {
                    let index = if pdu.error_index > 0 && (pdu.error_index as usize) <= e - s {
                        (s + pdu.error_index as usize) as u32
                    } else {
                        pdu.error_index.max(0) as u32
                    };
                    if pdu.varbinds.len() == e - s {
                        fill_results(results, request, range, pdu.varbinds);
                    } else if results.is_empty() {
                        *results = request.clone();
                    }
                    let varbinds = std::mem::take(results);
                    let r = Response {
                        peer: from,
                        status,
                        index,
                        varbinds,
                    };
                    self.finish(id, Ok(r));
                    return;
                }
                if let Err(reason) = check_part(kind, &request[s..e], &pdu.varbinds) {
                    self.finish(id, Err(Error::Decode { peer: from, reason }));
                    return;
                }
                fill_results(results, request, range, pdu.varbinds);
                if op.exchanges.is_empty() {
                    let varbinds = std::mem::take(results);
                    self.finish(id, Ok(ok_response(from, varbinds)));
                }
            }
            OpKind::Bulk {
                max_repetitions, ..
            } => {
                if status == ErrorStatus::TooBig && *max_repetitions > 1 {
                    // tooBig on GetBulk: halve max-repetitions, down to 1.
                    *max_repetitions /= 2;
                    self.launch_bulk(id, now);
                    return;
                }
                let r = Response {
                    peer: from,
                    status,
                    index: pdu.error_index.max(0) as u32,
                    varbinds: pdu.varbinds,
                };
                self.finish(id, Ok(r));
            }
            OpKind::Walk(_) => self.walk_response(id, pdu, from, now),
            OpKind::Fire(_) | OpKind::FireV1(_) => {}
        }
    }

    /// Sends a walk's next request: GetNext/GetBulk from the last OID, or the fallback Get.
    pub(super) fn walk_step(&mut self, id: OpId, now: Instant) {
        let op = self.ops.get_mut(&id).expect("live walk");
        let limit = op.params.walk_max_requests;
        let OpKind::Walk(w) = &mut op.kind else {
            return;
        };
        if limit > 0 && w.requests >= limit {
            let e = Error::Limit(format!("walk issued its maximum of {limit} requests"));
            self.finish(id, Err(e));
            return;
        }
        w.requests += 1;
        let oids = [w.last.clone()];
        let pdu = if w.fallback {
            Pdu::request(PduType::GetRequest, 0, &oids)
        } else if w.bulk {
            Pdu::get_bulk(0, 0, w.reps as i32, &oids)
        } else {
            Pdu::request(PduType::GetNextRequest, 0, &oids)
        };
        self.launch(id, Outgoing::Pdu(pdu), (0, 1), now);
    }

    fn walk_response(&mut self, id: OpId, pdu: Pdu, from: SocketAddr, now: Instant) {
        let op = self.ops.get_mut(&id).expect("live walk");
        let (version, check_inc) = (op.params.version, op.params.check_increasing);
        let OpKind::Walk(w) = &mut op.kind else {
            return;
        };
        let status = pdu.status();
        let root = w.roots[w.root].clone();
        let mut root_done = false;
        if w.fallback {
            // Net-SNMP snmpwalk: a walk that found nothing Gets the root itself and shows it
            // unless it is an exception or an error.
            if status == ErrorStatus::NoError {
                if let Some(vb) = pdu.varbinds.into_iter().next() {
                    // A Get answer names the object asked for (RFC 3416 §4.2.1); anything
                    // else would put a row outside the subtree into the walk (found by the
                    // engine fuzz target).
                    if vb.oid != root {
                        let reason = format!("response names {} where {} was asked", vb.oid, root);
                        self.finish(id, Err(Error::Decode { peer: from, reason }));
                        return;
                    }
                    if !vb.value.is_exception() {
                        w.found_in_root += 1;
                        w.rows.push(vb);
                    }
                }
            }
            root_done = true;
        } else if status == ErrorStatus::TooBig && w.bulk && w.reps > 1 {
            w.reps /= 2;
            w.requests -= 1;
            self.walk_step(id, now);
            return;
        } else if status == ErrorStatus::NoSuchName && version == Version::V1 {
            // v1 end of MIB view (RFC 1157 §4.1.3 / RFC 2576 §4.1.2.3).
            root_done = true;
        } else if status != ErrorStatus::NoError {
            let oid = Some(w.last.clone());
            let e = Error::Agent {
                peer: from,
                status,
                index: pdu.error_index.max(0) as u32,
                oid,
            };
            self.finish(id, Err(e));
            return;
        } else if pdu.varbinds.is_empty() {
            let reason = "empty varbind list in a walk response".to_string();
            self.finish(id, Err(Error::Decode { peer: from, reason }));
            return;
        } else {
            let mut page = Vec::with_capacity(pdu.varbinds.len());
            for vb in pdu.varbinds {
                // End of this subtree: an exception (RFC 3416 §4.2.2) or an OID outside it.
                if vb.value.is_exception() || !vb.oid.starts_with(&root) {
                    root_done = true;
                    break;
                }
                // An equal OID would loop forever, so it is an error even with -Cc.
                if vb.oid <= w.last && (check_inc || vb.oid == w.last) {
                    let e = Error::NotIncreasing {
                        previous: Box::new(w.last.clone()),
                        next: Box::new(vb.oid),
                    };
                    self.finish(id, Err(e));
                    return;
                }
                w.last = vb.oid.clone();
                w.found_in_root += 1;
                page.push(vb);
            }
            if w.stream && !page.is_empty() {
                let ctx = op.ctx.clone();
                self.events.push_back(super::Event::Page {
                    ctx,
                    varbinds: page,
                });
            } else {
                w.rows.append(&mut page);
            }
        }
        let op = self.ops.get_mut(&id).expect("live walk");
        let OpKind::Walk(w) = &mut op.kind else {
            return;
        };
        if root_done && w.found_in_root == 0 && !w.fallback {
            w.fallback = true;
            w.last = root;
        } else if root_done {
            w.fallback = false;
            w.root += 1;
            w.found_in_root = 0;
            match w.roots.get(w.root) {
                Some(next) => w.last = next.clone(),
                None => {
                    let varbinds = std::mem::take(&mut w.rows);
                    self.finish(id, Ok(ok_response(from, varbinds)));
                    return;
                }
            }
        }
        self.walk_step(id, now);
    }
}

/// Checks a successful response part against its request (RFC 3416 §4.2.1-§4.2.5: one
/// binding per requested binding, and Get/Set echo the requested names).
fn check_part(kind: PduType, req: &[VarBind], resp: &[VarBind]) -> Result<(), String> {
    if req.len() != resp.len() {
        return Err(format!(
            "expected {} varbinds in the response, got {}",
            req.len(),
            resp.len()
        ));
    }
    if matches!(kind, PduType::GetRequest | PduType::SetRequest) {
        if let Some((q, r)) = req.iter().zip(resp).find(|(q, r)| q.oid != r.oid) {
            return Err(format!(
                "response names {} where {} was asked",
                r.oid, q.oid
            ));
        }
    }
    Ok(())
}

fn ok_response(peer: SocketAddr, varbinds: Vec<VarBind>) -> Response {
    Response {
        peer,
        status: ErrorStatus::NoError,
        index: 0,
        varbinds,
    }
}

fn empty_response(peer: SocketAddr) -> Response {
    ok_response(peer, Vec::new())
}
