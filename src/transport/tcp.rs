//! SNMP over TCP (RFC 3430): one connected, non-blocking stream socket per TCP session, owned
//! and driven by the session's shard next to its UDP sockets, in the same epoll set.
//!
//! - RFC 3430 §2.1: each SNMP message is sent as one BER-encoded message on the stream, with
//!   no extra framing; the receiver finds message boundaries from the BER length. Messages
//!   are reassembled from as many reads as they take; a message claiming more than
//!   [`MAX_MESSAGE`] octets (the largest message the library accepts, the msgMaxSize it
//!   announces) or not starting with a definite-length SEQUENCE closes the connection and
//!   fails the session's requests in flight with [`Error::Decode`].
//! - The connection is made when the session opens (in the caller's thread, so a refused
//!   connection is an error at open, as with Net-SNMP's tools). When it breaks (the agent
//!   closes it, a reset, a write error), the requests in flight on it fail with
//!   [`Error::Connection`]; the next request reconnects (a non-blocking connect here).
//! - Nothing is retransmitted on a stream (the engine's job; see `engine::first_wait`).
//! - Responses are matched by request-id / msgID as on UDP, and only against requests sent
//!   on this connection (`Engine::handle_stream`).

use super::sys::{from_sockaddr, to_sockaddr};
use super::{Deliver, PacketTrace, TraceHook};
use crate::engine::{Engine, Transport};
use crate::error::Error;
use std::collections::HashMap;
use std::io;
use std::mem::size_of;
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::time::Instant;

/// epoll tokens at and above this value are TCP connections (token = BASE + session id).
pub(crate) const TOKEN_BASE: u64 = 1 << 62;

/// The largest message accepted on a stream: the msgMaxSize the library announces
/// (RFC 3412 §6: 65507, the largest UDP payload) and the size of its receive buffers.
pub(crate) const MAX_MESSAGE: usize = crate::message::v3::MAX_MESSAGE_SIZE as usize;

/// Octets read per `recv` call.
const READ_CHUNK: usize = 64 * 1024;
/// Reads per readiness event, so one busy connection cannot starve the shard's other work.
const READS_PER_EVENT: usize = 16;

fn cvt(r: libc::c_int) -> io::Result<libc::c_int> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

/// The OS error text without Rust's " (os error N)" suffix, as `strerror` prints it.
pub(crate) fn os_text(e: &io::Error) -> String {
    let s = e.to_string();
    match s.rfind(" (os error ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// The reason text of a failed connect: `"TCP connect failed: <strerror>"`.
pub(crate) fn connect_failed(e: &io::Error) -> String {
    format!("{CONNECT_FAILED}{}", os_text(e))
}

/// Prefix of [`Error::Connection`] reasons for a connect that failed.
pub const CONNECT_FAILED: &str = "TCP connect failed: ";
/// [`Error::Connection`] reason when the agent closed the connection with requests in flight.
pub const CLOSED_BY_PEER: &str = "TCP connection closed by the agent";

/// Where a message starts and how long it is, from its BER header (X.690 §8.1.3): `Ok(None)`
/// while the header is incomplete; an error for a message SNMP cannot send.
pub(crate) fn frame_len(buf: &[u8]) -> Result<Option<usize>, String> {
    let Some(&tag) = buf.first() else {
        return Ok(None);
    };
    // RFC 3416 / RFC 3412: every SNMP message is a SEQUENCE.
    if tag != 0x30 {
        return Err(format!(
            "stream message starts with tag 0x{tag:02x}, not a SEQUENCE"
        ));
    }
    let Some(&first) = buf.get(1) else {
        return Ok(None);
    };
    let (header, len) = if first < 0x80 {
        (2, first as usize)
    } else if first == 0x80 {
        // X.690 §8.1.3.6 indefinite form: not allowed in SNMP (RFC 3417 §8).
        return Err("indefinite length on the stream".into());
    } else {
        let n = (first & 0x7f) as usize;
        if n > 4 {
            return Err(format!("length of {n} octets on the stream"));
        }
        let Some(bytes) = buf.get(2..2 + n) else {
            return Ok(None);
        };
        (
            2 + n,
            bytes.iter().fold(0usize, |a, &b| (a << 8) | b as usize),
        )
    };
    let total = header.saturating_add(len);
    if total > MAX_MESSAGE {
        return Err(format!(
            "message of {total} octets exceeds the limit of {MAX_MESSAGE}"
        ));
    }
    Ok(if buf.len() >= total {
        Some(total)
    } else {
        None
    })
}

/// The local address a socket is bound to.
pub(crate) fn local_addr(fd: RawFd) -> Option<SocketAddr> {
    // SAFETY: sockaddr_storage is plain data; ss and len are valid for writes.
    let mut ss: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let mut len = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    // SAFETY: getsockname writes at most `len` bytes into ss.
    let r = unsafe { libc::getsockname(fd, &mut ss as *mut _ as *mut libc::sockaddr, &mut len) };
    if r != 0 {
        return None;
    }
    from_sockaddr(&ss)
}

/// Creates a non-blocking stream socket and starts connecting it to `peer`.
fn start_connect(peer: &SocketAddr) -> io::Result<OwnedFd> {
    let family = if peer.is_ipv6() {
        libc::AF_INET6
    } else {
        libc::AF_INET
    };
    // SAFETY: socket() takes no pointers; the fd is owned from here on.
    let fd = cvt(unsafe {
        libc::socket(
            family,
            libc::SOCK_STREAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
            0,
        )
    })?;
    // SAFETY: fd is a fresh descriptor nobody else owns.
    let owned = unsafe { OwnedFd::from_raw_fd(fd) };
    set_nodelay(fd);
    let (sa, len) = to_sockaddr(peer);
    // SAFETY: sa is a valid sockaddr_storage holding `len` meaningful bytes.
    let r = unsafe { libc::connect(fd, &sa as *const _ as *const libc::sockaddr, len) };
    if r < 0 {
        let e = io::Error::last_os_error();
        if e.raw_os_error() != Some(libc::EINPROGRESS) {
            return Err(e);
        }
    }
    Ok(owned)
}

/// Requests go out as soon as they are written: one small message per request, where Nagle's
/// algorithm would hold a second one back for an acknowledgement.
pub(crate) fn set_nodelay(fd: RawFd) {
    let _ = super::sys::setsockopt_int(fd, libc::IPPROTO_TCP, libc::TCP_NODELAY, 1);
}

/// The pending error of a socket (SO_ERROR), clearing it.
fn take_error(fd: RawFd) -> io::Result<()> {
    let mut v: libc::c_int = 0;
    let mut len = size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: v and len are valid for writes of the sizes given.
    cvt(unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_ERROR,
            &mut v as *mut libc::c_int as *mut libc::c_void,
            &mut len,
        )
    })?;
    if v != 0 {
        return Err(io::Error::from_raw_os_error(v));
    }
    Ok(())
}

/// True once a non-blocking connect has completed (the socket has a peer).
fn is_connected(fd: RawFd) -> bool {
    // SAFETY: sockaddr_storage is plain data; ss and len are valid for writes.
    let mut ss: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let mut len = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    // SAFETY: as above; getpeername writes at most `len` bytes into ss.
    let r = unsafe { libc::getpeername(fd, &mut ss as *mut _ as *mut libc::sockaddr, &mut len) };
    r == 0 && from_sockaddr(&ss).is_some()
}

fn epoll_ctl(epfd: RawFd, op: libc::c_int, fd: RawFd, write: bool, token: u64) -> io::Result<()> {
    let mut events = libc::EPOLLIN as u32 | libc::EPOLLRDHUP as u32;
    if write {
        events |= libc::EPOLLOUT as u32;
    }
    let mut ev = libc::epoll_event { events, u64: token };
    // SAFETY: ev is a valid epoll_event for the duration of the call.
    cvt(unsafe { libc::epoll_ctl(epfd, op, fd, &mut ev) })?;
    Ok(())
}

/// One TCP session's connection.
struct Conn {
    peer: SocketAddr,
    /// `None` while broken: the next message reconnects.
    fd: Option<OwnedFd>,
    /// A non-blocking connect is in progress.
    connecting: bool,
    /// Registered for EPOLLOUT (connecting, or output waiting for buffer space).
    want_write: bool,
    /// Bytes not yet written, from `out_pos`.
    out: Vec<u8>,
    out_pos: usize,
    /// Bytes read and not yet a whole message.
    inb: Vec<u8>,
    /// The session was closed: drop the connection once nothing is in flight on it.
    closing: bool,
}

/// Every TCP connection of one shard.
pub(crate) struct Conns {
    epfd: RawFd,
    map: HashMap<u64, Conn>,
    /// Connections with output to write at the end of the current flush.
    dirty: Vec<u64>,
    /// Sessions closed while requests were still in flight on their connection.
    closing: Vec<u64>,
    trace: Option<TraceHook>,
}

impl Conns {
    /// No connections yet; `epfd` is the shard's epoll set.
    pub fn new(epfd: RawFd, trace: Option<TraceHook>) -> Conns {
        Conns {
            epfd,
            map: HashMap::new(),
            dirty: Vec::new(),
            closing: Vec::new(),
            trace,
        }
    }

    /// True when the shard has no TCP connection (the UDP-only fast path).
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Takes over the connected stream of a newly opened session.
    pub fn open(&mut self, id: u64, peer: SocketAddr, fd: OwnedFd) -> io::Result<()> {
        epoll_ctl(
            self.epfd,
            libc::EPOLL_CTL_ADD,
            fd.as_raw_fd(),
            false,
            TOKEN_BASE + id,
        )?;
        self.map.insert(
            id,
            Conn {
                peer,
                fd: Some(fd),
                connecting: false,
                want_write: false,
                out: Vec::new(),
                out_pos: 0,
                inb: Vec::new(),
                closing: false,
            },
        );
        Ok(())
    }

    /// The session closed: drop its connection now, or once its requests are done.
    pub fn close<D: Deliver>(&mut self, id: u64, engine: &mut Engine<D>) {
        if engine.conn_busy(id) {
            if let Some(c) = self.map.get_mut(&id) {
                c.closing = true;
                self.closing.push(id);
            }
            return;
        }
        self.drop_conn(id);
        engine.forget_conn(id);
    }

    /// Drops connections of closed sessions whose last request has finished.
    pub fn reap<D: Deliver>(&mut self, engine: &mut Engine<D>) {
        if self.closing.is_empty() {
            return;
        }
        let ids = std::mem::take(&mut self.closing);
        for id in ids {
            if engine.conn_busy(id) {
                self.closing.push(id);
            } else {
                self.drop_conn(id);
                engine.forget_conn(id);
            }
        }
    }

    fn drop_conn(&mut self, id: u64) {
        if let Some(c) = self.map.remove(&id) {
            if let Some(fd) = c.fd {
                let _ = epoll_ctl(self.epfd, libc::EPOLL_CTL_DEL, fd.as_raw_fd(), false, 0);
            }
        }
    }

    /// Queues one message on connection `id` (written by [`flush`](Self::flush)),
    /// reconnecting first if the connection is broken.
    pub fn queue<D: Deliver>(
        &mut self,
        id: u64,
        dest: SocketAddr,
        data: &[u8],
        engine: &mut Engine<D>,
    ) {
        let Some(c) = self.map.get_mut(&id) else {
            // A session's connection outlives its requests; fail rather than wait if not.
            let reason = "no TCP connection for this session".to_string();
            engine.fail_conn(id, conn_error(dest, reason));
            return;
        };
        if c.fd.is_none() {
            match start_connect(&c.peer) {
                Ok(fd) => {
                    let token = TOKEN_BASE + id;
                    if let Err(e) =
                        epoll_ctl(self.epfd, libc::EPOLL_CTL_ADD, fd.as_raw_fd(), true, token)
                    {
                        let peer = c.peer;
                        engine.fail_conn(id, conn_error(peer, connect_failed(&e)));
                        return;
                    }
                    c.fd = Some(fd);
                    c.connecting = true;
                    c.want_write = true;
                }
                Err(e) => {
                    let peer = c.peer;
                    engine.fail_conn(id, conn_error(peer, connect_failed(&e)));
                    return;
                }
            }
        }
        if let Some(t) = &self.trace {
            t(&PacketTrace {
                sent: true,
                transport: Transport::Tcp,
                peer: c.peer,
                local: None,
                data,
            });
        }
        if c.out_pos == c.out.len() {
            c.out.clear();
            c.out_pos = 0;
            self.dirty.push(id);
        }
        c.out.extend_from_slice(data);
    }

    /// Writes what [`queue`](Self::queue) collected since the last call.
    pub fn flush<D: Deliver>(&mut self, engine: &mut Engine<D>) {
        let ids = std::mem::take(&mut self.dirty);
        for id in ids {
            self.write_out(id, engine);
        }
    }

    /// Writes pending output; registers for writability when the socket buffer is full.
    fn write_out<D: Deliver>(&mut self, id: u64, engine: &mut Engine<D>) {
        let Some(c) = self.map.get_mut(&id) else {
            return;
        };
        let Some(fd) = c.fd.as_ref().map(|f| f.as_raw_fd()) else {
            return;
        };
        if c.connecting {
            return;
        }
        let peer = c.peer;
        while c.out_pos < c.out.len() {
            let rest = &c.out[c.out_pos..];
            // SAFETY: rest is a live buffer of rest.len() bytes; MSG_NOSIGNAL turns a write
            // to a closed connection into EPIPE instead of SIGPIPE.
            let n = unsafe {
                libc::send(
                    fd,
                    rest.as_ptr() as *const libc::c_void,
                    rest.len(),
                    libc::MSG_NOSIGNAL | libc::MSG_DONTWAIT,
                )
            };
            if n < 0 {
                let e = io::Error::last_os_error();
                match e.kind() {
                    io::ErrorKind::Interrupted => continue,
                    io::ErrorKind::WouldBlock => break,
                    _ => {
                        self.broken(id, engine, conn_error_io(peer, &e));
                        return;
                    }
                }
            }
            c.out_pos += n as usize;
        }
        let pending = c.out_pos < c.out.len();
        if pending != c.want_write {
            c.want_write = pending;
            let _ = epoll_ctl(self.epfd, libc::EPOLL_CTL_MOD, fd, pending, TOKEN_BASE + id);
        }
        if !pending {
            c.out.clear();
            c.out_pos = 0;
        }
    }

    /// The connection's socket is ready (readable, writable, or in error).
    pub fn ready<D: Deliver>(&mut self, id: u64, engine: &mut Engine<D>, now: Instant) {
        let Some(c) = self.map.get_mut(&id) else {
            return;
        };
        let Some(fd) = c.fd.as_ref().map(|f| f.as_raw_fd()) else {
            return;
        };
        if c.connecting {
            if let Err(e) = take_error(fd) {
                let peer = c.peer;
                self.broken(id, engine, conn_error(peer, connect_failed(&e)));
                return;
            }
            if !is_connected(fd) {
                return;
            }
            c.connecting = false;
        }
        if c.out_pos < c.out.len() {
            self.write_out(id, engine);
        }
        self.read_in(id, engine, now);
    }

    fn read_in<D: Deliver>(&mut self, id: u64, engine: &mut Engine<D>, now: Instant) {
        for _ in 0..READS_PER_EVENT {
            let Some(c) = self.map.get_mut(&id) else {
                return;
            };
            let Some(fd) = c.fd.as_ref().map(|f| f.as_raw_fd()) else {
                return;
            };
            let start = c.inb.len();
            c.inb.reserve(READ_CHUNK);
            let spare = c.inb.capacity() - start;
            // SAFETY: the spare capacity after `start` is writable for `spare` bytes; only
            // the bytes recv reports are then marked initialised.
            let n = unsafe {
                libc::recv(
                    fd,
                    c.inb.as_mut_ptr().add(start) as *mut libc::c_void,
                    spare,
                    libc::MSG_DONTWAIT,
                )
            };
            if n < 0 {
                let e = io::Error::last_os_error();
                match e.kind() {
                    io::ErrorKind::Interrupted => continue,
                    io::ErrorKind::WouldBlock => return,
                    _ => {
                        let peer = c.peer;
                        self.broken(id, engine, conn_error_io(peer, &e));
                        return;
                    }
                }
            }
            if n == 0 {
                let peer = c.peer;
                self.broken(id, engine, conn_error(peer, CLOSED_BY_PEER.to_string()));
                return;
            }
            // SAFETY: recv initialised n more bytes after `start`, within the capacity.
            unsafe { c.inb.set_len(start + n as usize) };
            if !self.take_messages(id, engine, now) {
                return;
            }
        }
    }

    /// Hands every whole message in the read buffer to the engine; false if the
    /// connection was closed for a framing error.
    fn take_messages<D: Deliver>(&mut self, id: u64, engine: &mut Engine<D>, now: Instant) -> bool {
        let Some(c) = self.map.get_mut(&id) else {
            return false;
        };
        let peer = c.peer;
        let mut pos = 0;
        let bad = loop {
            match frame_len(&c.inb[pos..]) {
                Ok(Some(len)) => {
                    let msg = &c.inb[pos..pos + len];
                    if let Some(t) = &self.trace {
                        t(&PacketTrace {
                            sent: false,
                            transport: Transport::Tcp,
                            peer,
                            local: None,
                            data: msg,
                        });
                    }
                    engine.handle_stream(id, peer, msg, now);
                    pos += len;
                }
                Ok(None) => break None,
                Err(reason) => break Some(reason),
            }
        };
        if let Some(reason) = bad {
            self.broken(id, engine, Error::Decode { peer, reason });
            return false;
        }
        c.inb.drain(..pos);
        true
    }

    /// Closes a failed connection and fails the requests in flight on it; the session's next
    /// request reconnects.
    fn broken<D: Deliver>(&mut self, id: u64, engine: &mut Engine<D>, err: Error) {
        if let Some(c) = self.map.get_mut(&id) {
            if let Some(fd) = c.fd.take() {
                let _ = epoll_ctl(self.epfd, libc::EPOLL_CTL_DEL, fd.as_raw_fd(), false, 0);
            }
            c.connecting = false;
            c.want_write = false;
            c.out.clear();
            c.out_pos = 0;
            c.inb.clear();
            c.inb.shrink_to(READ_CHUNK);
        }
        engine.fail_conn(id, err);
    }
}

fn conn_error(peer: SocketAddr, reason: String) -> Error {
    Error::Connection { peer, reason }
}

fn conn_error_io(peer: SocketAddr, e: &io::Error) -> Error {
    if e.kind() == io::ErrorKind::ConnectionReset || e.kind() == io::ErrorKind::BrokenPipe {
        return conn_error(peer, CLOSED_BY_PEER.to_string());
    }
    conn_error(peer, format!("TCP: {}", os_text(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing() {
        assert_eq!(frame_len(&[]), Ok(None));
        assert_eq!(frame_len(&[0x30]), Ok(None));
        assert_eq!(frame_len(&[0x30, 0x03, 1, 2]), Ok(None));
        assert_eq!(frame_len(&[0x30, 0x03, 1, 2, 3, 9]), Ok(Some(5)));
        assert_eq!(frame_len(&[0x30, 0x82, 0x01]), Ok(None));
        assert_eq!(frame_len(&[0x30, 0x82, 0x01, 0x00]), Ok(None));
        let mut big = vec![0x30, 0x82, 0x01, 0x00];
        big.resize(4 + 256, 0);
        assert_eq!(frame_len(&big), Ok(Some(260)));
        assert!(frame_len(&[0x02, 0x01, 0x00]).is_err());
        assert!(frame_len(&[0x30, 0x80]).is_err());
        assert!(frame_len(&[0x30, 0x85, 0, 0, 0, 0, 1]).is_err());
        // 65,508 octets in all: one more than the limit.
        let over = MAX_MESSAGE - 4 + 1;
        let hdr = [0x30, 0x82, (over >> 8) as u8, over as u8];
        assert!(frame_len(&hdr).unwrap_err().contains("exceeds"));
        let at = MAX_MESSAGE - 4;
        let hdr = [0x30, 0x82, (at >> 8) as u8, at as u8];
        assert_eq!(frame_len(&hdr), Ok(None));
    }

    #[test]
    fn os_text_strips_the_code() {
        let e = io::Error::from_raw_os_error(libc::ECONNREFUSED);
        assert_eq!(os_text(&e), "Connection refused");
    }
}
