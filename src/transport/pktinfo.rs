//! UDP sockets that learn each datagram's destination address (`IP_PKTINFO` /
//! `IPV6_RECVPKTINFO`) and choose each reply's source address (`in_pktinfo.ipi_spec_dst` /
//! `in6_pktinfo.ipi6_addr` in the send control message), with batched `recvmmsg` /
//! `sendmmsg`. The agent simulator uses them to answer for a whole 127.0.0.0/8 range from one
//! socket bound to the wildcard address, replying from the address each request was sent to.
//!
//! Every `unsafe` block says why it is sound. The API is safe: buffers, addresses and control
//! messages are owned by [`RecvBatch`] or built on the stack for the duration of one call.

use super::sys::{from_sockaddr, set_buffers, setsockopt_int, to_sockaddr};
use std::io;
use std::mem::{size_of, zeroed};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::time::Duration;

/// Datagrams per `recvmmsg` / `sendmmsg` call.
pub(crate) const BATCH: usize = 64;

/// Room for one `in_pktinfo` or `in6_pktinfo` control message (CMSG_SPACE of either is at
/// most 40 bytes on every Linux ABI), 8-byte aligned as `cmsghdr` requires.
#[derive(Clone, Copy)]
#[repr(C, align(8))]
struct CmsgBuf([u8; 64]);

fn cvt(r: libc::c_int) -> io::Result<libc::c_int> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

/// How to create a [`PktSocket`].
#[derive(Clone, Debug, Default)]
pub(crate) struct SocketOptions {
    /// Set `SO_REUSEPORT` so several worker sockets share one port (the kernel spreads
    /// datagrams over them by flow hash).
    pub reuse_port: bool,
    /// Requested send/receive buffer size (tries `SO_*BUFFORCE` first, then the capped form).
    pub buffer: usize,
    /// Restrict the socket to the loopback device (`SO_BINDTODEVICE "lo"`); best effort, since
    /// old kernels refuse it without privileges.
    pub loopback_only: bool,
}

/// A non-blocking UDP socket with destination-address reporting enabled.
pub(crate) struct PktSocket {
    fd: OwnedFd,
    v6: bool,
}

/// What `recv_batch` learned about one datagram.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RecvMeta {
    /// The sender.
    pub from: SocketAddr,
    /// The destination address in the IP header (from the pktinfo control message).
    pub to: Option<IpAddr>,
    /// Datagram length (0 if it was truncated: larger than the buffer).
    pub len: usize,
    /// The buffer slot holding the payload.
    pub slot: usize,
}

/// Reusable receive state: payload buffers, address and control buffers, and the headers
/// pointing at them (re-pointed on every call, so moving the batch is harmless). Not `Send`
/// (it holds the kernel headers' raw pointers); create it on the thread that uses it.
pub(crate) struct RecvBatch {
    size: usize,
    data: Vec<u8>,
    names: Vec<libc::sockaddr_storage>,
    ctrls: Vec<CmsgBuf>,
    iovs: Vec<libc::iovec>,
    hdrs: Vec<libc::mmsghdr>,
    meta: Vec<RecvMeta>,
}

impl RecvBatch {
    /// Room for `count` (at most [`BATCH`]) datagrams of up to `size` bytes each.
    pub fn new(count: usize, size: usize) -> RecvBatch {
        let count = count.clamp(1, BATCH);
        // SAFETY: these are plain C structs for which all-zero bytes are a valid value.
        let (name, iov, hdr) = unsafe {
            (
                zeroed::<libc::sockaddr_storage>(),
                zeroed::<libc::iovec>(),
                zeroed::<libc::mmsghdr>(),
            )
        };
        RecvBatch {
            size,
            data: vec![0u8; count * size],
            names: vec![name; count],
            ctrls: vec![CmsgBuf([0; 64]); count],
            iovs: vec![iov; count],
            hdrs: vec![hdr; count],
            meta: Vec::with_capacity(count),
        }
    }

    /// Capacity in datagrams.
    pub fn capacity(&self) -> usize {
        self.hdrs.len()
    }

    /// The datagrams of the last `recv_batch`.
    pub fn meta(&self) -> &[RecvMeta] {
        &self.meta
    }

    /// The payload of one received datagram.
    pub fn payload(&self, m: &RecvMeta) -> &[u8] {
        let start = m.slot * self.size;
        &self.data[start..start + m.len]
    }
}

/// One datagram to send: destination, optional source address (must be local, and of the
/// socket's family), payload.
#[derive(Clone, Copy, Debug)]
pub(crate) struct OutMsg<'a> {
    /// Where to send.
    pub dest: SocketAddr,
    /// The source address to use (`None`: the kernel's choice / the bound address).
    pub src: Option<IpAddr>,
    /// The payload.
    pub data: &'a [u8],
}

impl PktSocket {
    /// Creates, configures and binds a socket at `addr`.
    pub fn bind(addr: SocketAddr, opts: &SocketOptions) -> io::Result<PktSocket> {
        let v6 = addr.is_ipv6();
        let family = if v6 { libc::AF_INET6 } else { libc::AF_INET };
        // SAFETY: socket() takes no pointers; the fd is owned from here on.
        let fd = cvt(unsafe {
            libc::socket(
                family,
                libc::SOCK_DGRAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
                0,
            )
        })?;
        // SAFETY: fd is a fresh, valid descriptor nobody else owns.
        let s = PktSocket {
            fd: unsafe { OwnedFd::from_raw_fd(fd) },
            v6,
        };
        if opts.buffer > 0 {
            set_buffers(fd, opts.buffer)?;
        }
        if opts.reuse_port {
            s.setsockopt(libc::SOL_SOCKET, libc::SO_REUSEPORT, 1)?;
        }
        if v6 {
            s.setsockopt(libc::IPPROTO_IPV6, libc::IPV6_V6ONLY, 1)?;
            s.setsockopt(libc::IPPROTO_IPV6, libc::IPV6_RECVPKTINFO, 1)?;
        } else {
            s.setsockopt(libc::IPPROTO_IP, libc::IP_PKTINFO, 1)?;
        }
        if opts.loopback_only {
            let dev = b"lo\0";
            // SAFETY: passes a pointer to a live 3-byte NUL-terminated name and its length.
            // Failure (EPERM on old kernels) is tolerated: the caller drops datagrams whose
            // destination is not one of its loopback devices anyway.
            unsafe {
                libc::setsockopt(
                    fd,
                    libc::SOL_SOCKET,
                    libc::SO_BINDTODEVICE,
                    dev.as_ptr() as *const libc::c_void,
                    dev.len() as libc::socklen_t,
                );
            }
            if !v6 {
                // Don't-fragment on every datagram: loopback's MTU (64 KiB) holds the largest
                // UDP datagram, so nothing is lost, and with DF set the kernel leaves the IPv4
                // identification at 0 (RFC 6864 §4.1: only fragmentable datagrams need a
                // unique ID) instead of hashing the addresses into a shared counter for every
                // reply, which the default (no DF on loopback) costs. Best effort.
                let _ = s.setsockopt(
                    libc::IPPROTO_IP,
                    libc::IP_MTU_DISCOVER,
                    libc::IP_PMTUDISC_PROBE,
                );
            }
        }
        let (sa, len) = to_sockaddr(&addr);
        // SAFETY: sa is a valid sockaddr_storage holding `len` meaningful bytes.
        cvt(unsafe { libc::bind(fd, &sa as *const _ as *const libc::sockaddr, len) })?;
        Ok(s)
    }

    fn setsockopt(&self, level: i32, name: i32, v: libc::c_int) -> io::Result<()> {
        setsockopt_int(self.fd.as_raw_fd(), level, name, v)
    }

    /// The raw descriptor (for epoll).
    pub fn raw(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    /// The bound address (with the port the kernel chose for port 0).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        // SAFETY: sockaddr_storage is plain data; zero is valid.
        let mut ss: libc::sockaddr_storage = unsafe { zeroed() };
        let mut len = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        // SAFETY: ss and len are live and len states ss's true size; the kernel writes at
        // most that many bytes.
        cvt(unsafe {
            libc::getsockname(
                self.raw(),
                &mut ss as *mut _ as *mut libc::sockaddr,
                &mut len,
            )
        })?;
        from_sockaddr(&ss).ok_or_else(|| io::Error::other("unexpected address family"))
    }

    /// Receives up to `batch.capacity()` datagrams with one `recvmmsg`; their metadata is in
    /// `batch.meta()`. Returns how many the kernel delivered (0 when nothing is waiting).
    pub fn recv_batch(&self, batch: &mut RecvBatch) -> io::Result<usize> {
        batch.meta.clear();
        let n = batch.hdrs.len();
        for i in 0..n {
            batch.iovs[i] = libc::iovec {
                // SAFETY: i * size is within `data`, which holds n * size bytes.
                iov_base: unsafe { batch.data.as_mut_ptr().add(i * batch.size) }
                    as *mut libc::c_void,
                iov_len: batch.size,
            };
            let h = &mut batch.hdrs[i].msg_hdr;
            h.msg_name = &mut batch.names[i] as *mut _ as *mut libc::c_void;
            h.msg_namelen = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
            h.msg_iov = &mut batch.iovs[i];
            h.msg_iovlen = 1;
            h.msg_control = batch.ctrls[i].0.as_mut_ptr() as *mut libc::c_void;
            h.msg_controllen = size_of::<CmsgBuf>() as _;
            h.msg_flags = 0;
            batch.hdrs[i].msg_len = 0;
        }
        // SAFETY: every header points at live, writable name, iovec, payload and control
        // buffers of the stated sizes, all owned by `batch` and not moved during the call;
        // MSG_DONTWAIT keeps it non-blocking.
        let r = unsafe {
            libc::recvmmsg(
                self.raw(),
                batch.hdrs.as_mut_ptr(),
                n as libc::c_uint,
                libc::MSG_DONTWAIT,
                std::ptr::null_mut(),
            )
        };
        if r < 0 {
            let e = io::Error::last_os_error();
            return match e.kind() {
                io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted => Ok(0),
                io::ErrorKind::ConnectionRefused => Ok(0),
                _ => Err(e),
            };
        }
        for i in 0..r as usize {
            let Some(from) = from_sockaddr(&batch.names[i]) else {
                continue;
            };
            let h = &batch.hdrs[i].msg_hdr;
            let trunc = h.msg_flags & libc::MSG_TRUNC != 0;
            let to = pktinfo_destination(h);
            batch.meta.push(RecvMeta {
                from,
                to,
                len: if trunc {
                    0
                } else {
                    batch.hdrs[i].msg_len as usize
                },
                slot: i,
            });
        }
        Ok(r as usize)
    }

    /// Sends `msgs` with `sendmmsg` in batches, each with its own source address when given.
    /// Returns how many the kernel accepted; a datagram the kernel refuses is reported to
    /// `on_error` and skipped; a full socket buffer (EAGAIN) stops early.
    pub fn send_batch(
        &self,
        msgs: &[OutMsg<'_>],
        on_error: &mut dyn FnMut(usize, io::Error),
    ) -> usize {
        let mut done = 0;
        while done < msgs.len() {
            let chunk = &msgs[done..(done + BATCH).min(msgs.len())];
            // SAFETY: plain C structs; all-zero bytes are a valid value for each.
            let mut names: [libc::sockaddr_storage; BATCH] = unsafe { zeroed() };
            // SAFETY: as above.
            let mut iovs: [libc::iovec; BATCH] = unsafe { zeroed() };
            // SAFETY: as above.
            let mut hdrs: [libc::mmsghdr; BATCH] = unsafe { zeroed() };
            let mut ctrls = [CmsgBuf([0; 64]); BATCH];
            for (i, m) in chunk.iter().enumerate() {
                let (sa, len) = to_sockaddr(&m.dest);
                names[i] = sa;
                iovs[i] = libc::iovec {
                    iov_base: m.data.as_ptr() as *mut libc::c_void,
                    iov_len: m.data.len(),
                };
                let h = &mut hdrs[i].msg_hdr;
                h.msg_name = &mut names[i] as *mut _ as *mut libc::c_void;
                h.msg_namelen = len;
                h.msg_iov = &mut iovs[i];
                h.msg_iovlen = 1;
                if let Some(src) = m.src {
                    write_source(h, &mut ctrls[i], src, self.v6);
                }
            }
            // SAFETY: hdrs[..chunk.len()] point into names/iovs/ctrls (alive on this stack
            // frame) and into the callers' payloads (borrowed for the call); the kernel only
            // reads them and writes msg_len.
            let n = unsafe {
                libc::sendmmsg(
                    self.raw(),
                    hdrs.as_mut_ptr(),
                    chunk.len() as libc::c_uint,
                    0,
                )
            };
            if n < 0 {
                let e = io::Error::last_os_error();
                match e.kind() {
                    io::ErrorKind::WouldBlock => return done,
                    io::ErrorKind::Interrupted => continue,
                    _ => {
                        on_error(done, e);
                        done += 1;
                        continue;
                    }
                }
            }
            done += n as usize;
        }
        done
    }
}

/// Reads the destination address from a received header's pktinfo control message.
fn pktinfo_destination(h: &libc::msghdr) -> Option<IpAddr> {
    // SAFETY: `h` was filled by recvmmsg: msg_control points at our control buffer and
    // msg_controllen says how much of it the kernel used, which is what the CMSG_* macros
    // walk; each cmsghdr they return lies inside that buffer.
    let mut c = unsafe { libc::CMSG_FIRSTHDR(h) };
    while !c.is_null() {
        // SAFETY: c is non-null and points at a complete cmsghdr inside the control buffer.
        let ch = unsafe { &*c };
        if ch.cmsg_level == libc::IPPROTO_IP && ch.cmsg_type == libc::IP_PKTINFO {
            // SAFETY: the kernel wrote an in_pktinfo after this header (type IP_PKTINFO);
            // read_unaligned copes with any alignment of CMSG_DATA.
            let pi: libc::in_pktinfo =
                unsafe { std::ptr::read_unaligned(libc::CMSG_DATA(c) as *const libc::in_pktinfo) };
            return Some(IpAddr::V4(Ipv4Addr::from(pi.ipi_addr.s_addr.to_ne_bytes())));
        }
        if ch.cmsg_level == libc::IPPROTO_IPV6 && ch.cmsg_type == libc::IPV6_PKTINFO {
            // SAFETY: the kernel wrote an in6_pktinfo after this header (type IPV6_PKTINFO).
            let pi: libc::in6_pktinfo =
                unsafe { std::ptr::read_unaligned(libc::CMSG_DATA(c) as *const libc::in6_pktinfo) };
            return Some(IpAddr::V6(Ipv6Addr::from(pi.ipi6_addr.s6_addr)));
        }
        // SAFETY: h and c are as above; CMSG_NXTHDR returns null past the used length.
        c = unsafe { libc::CMSG_NXTHDR(h, c) };
    }
    None
}

/// Attaches a pktinfo control message choosing `src` as the source address. A source of the
/// other family than the socket is ignored (the kernel picks the source then).
fn write_source(h: &mut libc::msghdr, buf: &mut CmsgBuf, src: IpAddr, v6_socket: bool) {
    let (level, kind, data_len) = match (src, v6_socket) {
        (IpAddr::V4(_), false) => (
            libc::IPPROTO_IP,
            libc::IP_PKTINFO,
            size_of::<libc::in_pktinfo>(),
        ),
        (IpAddr::V6(_), true) => (
            libc::IPPROTO_IPV6,
            libc::IPV6_PKTINFO,
            size_of::<libc::in6_pktinfo>(),
        ),
        _ => return,
    };
    // SAFETY: CMSG_SPACE is a pure size computation.
    let space = unsafe { libc::CMSG_SPACE(data_len as u32) } as usize;
    debug_assert!(space <= size_of::<CmsgBuf>());
    h.msg_control = buf.0.as_mut_ptr() as *mut libc::c_void;
    h.msg_controllen = space as _;
    // SAFETY: msg_control points at our 64-byte, 8-aligned buffer and msg_controllen (at most
    // 40) fits in it, so CMSG_FIRSTHDR returns a pointer to its start, with room for the
    // header and `data_len` bytes of data; the data is written unaligned.
    unsafe {
        let c = libc::CMSG_FIRSTHDR(h);
        (*c).cmsg_level = level;
        (*c).cmsg_type = kind;
        (*c).cmsg_len = libc::CMSG_LEN(data_len as u32) as _;
        match src {
            IpAddr::V4(a) => {
                let pi = libc::in_pktinfo {
                    ipi_ifindex: 0,
                    ipi_spec_dst: libc::in_addr {
                        s_addr: u32::from_ne_bytes(a.octets()),
                    },
                    ipi_addr: libc::in_addr { s_addr: 0 },
                };
                std::ptr::write_unaligned(libc::CMSG_DATA(c) as *mut libc::in_pktinfo, pi);
            }
            IpAddr::V6(a) => {
                let pi = libc::in6_pktinfo {
                    ipi6_addr: libc::in6_addr {
                        s6_addr: a.octets(),
                    },
                    ipi6_ifindex: 0,
                };
                std::ptr::write_unaligned(libc::CMSG_DATA(c) as *mut libc::in6_pktinfo, pi);
            }
        }
    }
}

/// CPU time consumed by the calling thread (user + system).
pub(crate) fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: ts is a live timespec the call writes into.
    let r = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if r != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_from_the_address_asked() {
        let opts = SocketOptions {
            buffer: 1 << 20,
            ..Default::default()
        };
        let s = PktSocket::bind("0.0.0.0:0".parse().unwrap(), &opts).unwrap();
        let port = s.local_addr().unwrap().port();
        let c = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        for last in [5u8, 6, 7] {
            c.send_to(b"ping", (Ipv4Addr::new(127, 1, 0, last), port))
                .unwrap();
        }
        let mut batch = RecvBatch::new(8, 2048);
        let mut got = Vec::new();
        let t0 = std::time::Instant::now();
        while got.len() < 3 && t0.elapsed() < Duration::from_secs(5) {
            s.recv_batch(&mut batch).unwrap();
            for m in batch.meta() {
                assert_eq!(batch.payload(m), b"ping");
                got.push((m.from, m.to.unwrap()));
            }
        }
        assert_eq!(got.len(), 3);
        let msgs: Vec<OutMsg<'_>> = got
            .iter()
            .map(|(from, to)| OutMsg {
                dest: *from,
                src: Some(*to),
                data: b"pong",
            })
            .collect();
        assert_eq!(s.send_batch(&msgs, &mut |_, e| panic!("{e}")), 3);
        let mut seen = Vec::new();
        let mut buf = [0u8; 16];
        for _ in 0..3 {
            let (n, from) = c.recv_from(&mut buf).unwrap();
            assert_eq!(&buf[..n], b"pong");
            seen.push(from);
        }
        seen.sort();
        let want: Vec<SocketAddr> = [5u8, 6, 7]
            .iter()
            .map(|&l| SocketAddr::from(([127, 1, 0, l], port)))
            .collect();
        assert_eq!(seen, want);
        assert!(thread_cpu_time() > Duration::ZERO);
    }
}
