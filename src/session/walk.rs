//! [`WalkIter`]: a walk whose rows arrive as the agent answers.

use super::sink::StreamMsg;
use super::{RequestHandle, Session};
use crate::error::{Error, Result};
use crate::pdu::ErrorStatus;
use crate::value::VarBind;
use crossbeam_channel::Receiver;
use std::collections::VecDeque;

/// Iterator over a streaming walk's rows. Yields `Err` once (then ends) if the walk fails;
/// dropping it early cancels the walk.
pub struct WalkIter {
    session: Session,
    handle: RequestHandle,
    rx: Receiver<StreamMsg>,
    rows: VecDeque<VarBind>,
    done: bool,
}

impl WalkIter {
    pub(super) fn new(session: Session, handle: RequestHandle, rx: Receiver<StreamMsg>) -> Self {
        WalkIter {
            session,
            handle,
            rx,
            rows: VecDeque::new(),
            done: false,
        }
    }
}

impl Iterator for WalkIter {
    type Item = Result<VarBind>;

    fn next(&mut self) -> Option<Result<VarBind>> {
        loop {
            if let Some(vb) = self.rows.pop_front() {
                return Some(Ok(vb));
            }
            if self.done {
                return None;
            }
            match self.rx.recv() {
                Ok(StreamMsg::Page(p)) => self.rows.extend(p),
                Ok(StreamMsg::Done(r)) => {
                    self.done = true;
                    match r {
                        Ok(resp) if resp.status == ErrorStatus::NoError => {
                            // Rows of a fallback Get (or anything not streamed) arrive here.
                            self.rows.extend(resp.varbinds);
                        }
                        Ok(resp) => {
                            return Some(Err(Error::Agent {
                                peer: resp.peer,
                                status: resp.status,
                                index: resp.index,
                                oid: None,
                            }))
                        }
                        Err(e) => return Some(Err(e)),
                    }
                }
                Err(_) => {
                    self.done = true;
                    return Some(Err(Error::Closed));
                }
            }
        }
    }
}

impl Drop for WalkIter {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.session.cancel(self.handle);
        }
    }
}
