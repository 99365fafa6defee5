//! Where results go: a blocked caller (oneshot), a callback, a completion queue, or a walk
//! stream. All implement the transport's `Deliver`, and every final delivery releases the
//! runtime-wide in-flight permit exactly once.

use super::runtime::Limiter;
use crate::engine::{OpId, Response};
use crate::error::Error;
use crate::transport::sys::EventFd;
use crate::transport::Deliver;
use crate::value::VarBind;
use crossbeam_channel::Sender;
use parking_lot::{Condvar, Mutex};
use std::collections::VecDeque;
use std::os::fd::RawFd;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A completion callback that runs at most once, however many clones of its sink exist
/// (one allocation per request: the closure lives inside the shared slot).
pub(crate) trait CallOnce: Send + Sync {
    /// Runs the callback with the request's id and result, unless it already ran.
    fn call(&self, id: OpId, result: Result<Response, Error>);
}

/// The slot holding a callback until its one call.
pub(crate) struct CallbackSlot<F>(Mutex<Option<F>>);

impl<F> CallbackSlot<F> {
    /// A slot holding `f`.
    pub fn new(f: F) -> CallbackSlot<F> {
        CallbackSlot(Mutex::new(Some(f)))
    }
}

impl<F> CallOnce for CallbackSlot<F>
where
    F: FnOnce(OpId, Result<Response, Error>) + Send + 'static,
{
    fn call(&self, id: OpId, result: Result<Response, Error>) {
        let f = self.0.lock().take();
        if let Some(f) = f {
            f(id, result);
        }
    }
}

/// The slot a blocking call waits on.
#[derive(Default)]
pub(crate) struct Oneshot {
    slot: Mutex<Option<Result<Response, Error>>>,
    cv: Condvar,
}

impl Oneshot {
    /// Blocks until the result arrives (the engine always completes every op: by response,
    /// timeout, cancellation or shutdown), holding no lock while it waits.
    pub fn wait(&self) -> Result<Response, Error> {
        let mut g = self.slot.lock();
        loop {
            if let Some(r) = g.take() {
                return r;
            }
            self.cv.wait(&mut g);
        }
    }

    /// True once the result is in.
    pub fn is_ready(&self) -> bool {
        self.slot.lock().is_some()
    }

    /// Waits up to `d` for the result; true if it is in.
    pub fn wait_for(&self, d: Duration) -> bool {
        let mut g = self.slot.lock();
        if g.is_none() {
            let _ = self.cv.wait_for(&mut g, d);
        }
        g.is_some()
    }
}

/// A message on a streaming walk's channel.
pub(crate) enum StreamMsg {
    Page(Vec<VarBind>),
    Done(Result<Response, Error>),
}

#[derive(Clone)]
pub(crate) enum SinkKind {
    Oneshot(Arc<Oneshot>),
    Callback(Arc<dyn CallOnce>),
    Queue(Arc<QueueInner>, u64),
    Stream(Sender<StreamMsg>),
}

/// A result destination plus the permit it holds.
#[derive(Clone)]
pub(crate) struct Sink {
    pub kind: SinkKind,
    pub id: OpId,
    pub limiter: Arc<Limiter>,
}

impl Deliver for Sink {
    fn page(&self, varbinds: Vec<VarBind>) {
        if let SinkKind::Stream(tx) = &self.kind {
            let _ = tx.send(StreamMsg::Page(varbinds));
        }
    }

    fn done(self, result: Result<Response, Error>) {
        self.limiter.release();
        match self.kind {
            SinkKind::Oneshot(o) => {
                *o.slot.lock() = Some(result);
                o.cv.notify_one();
            }
            SinkKind::Callback(cell) => {
                // A panicking user callback must not take the shard thread down.
                let _ = catch_unwind(AssertUnwindSafe(|| cell.call(self.id, result)));
            }
            SinkKind::Queue(q, tag) => q.push(Completion {
                tag,
                id: self.id,
                result,
            }),
            SinkKind::Stream(tx) => {
                let _ = tx.send(StreamMsg::Done(result));
            }
        }
    }
}

/// One finished request taken from a [`CompletionQueue`].
#[derive(Debug)]
pub struct Completion {
    /// The tag given at submission.
    pub tag: u64,
    /// The request's id (as returned by the submission).
    pub id: OpId,
    /// The outcome.
    pub result: Result<Response, Error>,
}

pub(crate) struct QueueInner {
    items: Mutex<VecDeque<Completion>>,
    cv: Condvar,
    fd: EventFd,
    /// Set once somebody asked for the fd: only then is it kept readable-while-non-empty
    /// (two syscalls per batch that consumers using `wait` do not need). Read and written
    /// under the `items` lock.
    fd_armed: AtomicBool,
}

impl QueueInner {
    fn push(&self, c: Completion) {
        let mut g = self.items.lock();
        let was_empty = g.is_empty();
        if was_empty && self.fd_armed.load(Ordering::Relaxed) {
            self.fd.signal();
        }
        g.push_back(c);
        drop(g);
        // Waiters sleep only on an empty queue, and a woken waiter takes a whole batch: one
        // wake-up per batch, not per completion.
        if was_empty {
            self.cv.notify_one();
        }
    }
}

/// A queue of completions that a thread or event loop drains in batches. Its [`fd`](Self::fd)
/// is readable while completions are waiting, for epoll/select/libuv loops.
///
/// Thread-safety: shareable (`Clone` + `Send` + `Sync`); any thread may poll.
#[derive(Clone)]
pub struct CompletionQueue {
    pub(crate) inner: Arc<QueueInner>,
}

impl CompletionQueue {
    /// A new, empty queue.
    pub fn new() -> std::io::Result<CompletionQueue> {
        Ok(CompletionQueue {
            inner: Arc::new(QueueInner {
                items: Mutex::new(VecDeque::new()),
                cv: Condvar::new(),
                fd: EventFd::new()?,
                fd_armed: AtomicBool::new(false),
            }),
        })
    }

    /// A descriptor that is readable while the queue is non-empty.
    pub fn fd(&self) -> RawFd {
        let g = self.inner.items.lock();
        if !self.inner.fd_armed.swap(true, Ordering::Relaxed) && !g.is_empty() {
            self.inner.fd.signal();
        }
        self.inner.fd.raw()
    }

    /// Moves up to `max` completions into `out` without blocking; returns how many.
    pub fn poll(&self, max: usize, out: &mut Vec<Completion>) -> usize {
        let mut g = self.inner.items.lock();
        let n = max.min(g.len());
        out.extend(g.drain(..n));
        if g.is_empty() && self.inner.fd_armed.load(Ordering::Relaxed) {
            self.inner.fd.drain();
        }
        n
    }

    /// Like [`poll`](Self::poll) but waits up to `timeout` for at least one completion.
    pub fn wait(&self, max: usize, timeout: Duration, out: &mut Vec<Completion>) -> usize {
        {
            let mut g = self.inner.items.lock();
            if g.is_empty() {
                let _ = self.inner.cv.wait_for(&mut g, timeout);
            }
        }
        self.poll(max, out)
    }

    /// Completions waiting.
    pub fn len(&self) -> usize {
        self.inner.items.lock().len()
    }

    /// True if nothing is waiting.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
