//! Thin, checked wrappers over the Linux calls the driver needs: UDP sockets, epoll, eventfd,
//! recvmmsg/sendmmsg and a fork generation counter. Every `unsafe` block says why it is sound.

use std::io;
use std::mem::{size_of, zeroed};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Once;

fn cvt(r: libc::c_int) -> io::Result<libc::c_int> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

/// Sets an integer socket option on `fd`.
pub(crate) fn setsockopt_int(fd: RawFd, level: i32, name: i32, v: libc::c_int) -> io::Result<()> {
    // SAFETY: passes a pointer to a live c_int and its exact size.
    cvt(unsafe {
        libc::setsockopt(
            fd,
            level,
            name,
            &v as *const libc::c_int as *const libc::c_void,
            size_of::<libc::c_int>() as libc::socklen_t,
        )
    })?;
    Ok(())
}

/// Sets the receive and send buffers of `fd` to `bytes`. The *FORCE variants pass
/// net.core.rmem_max/wmem_max (with CAP_NET_ADMIN): a fleet's worth of replies arriving in
/// one burst must not overflow the queue. Without the capability, the plain options give
/// what the sysctl allows.
pub(crate) fn set_buffers(fd: RawFd, bytes: usize) -> io::Result<()> {
    let size = bytes.min(i32::MAX as usize) as libc::c_int;
    for (force, plain) in [
        (libc::SO_RCVBUFFORCE, libc::SO_RCVBUF),
        (libc::SO_SNDBUFFORCE, libc::SO_SNDBUF),
    ] {
        if setsockopt_int(fd, libc::SOL_SOCKET, force, size).is_err() {
            setsockopt_int(fd, libc::SOL_SOCKET, plain, size)?;
        }
    }
    Ok(())
}

/// The fork generation, incremented in every child after fork() (a runtime compares it with
/// its creation value), and the once-only registration of the handler. Every submission
/// reads both, so they get cache lines of their own: next to a static another thread writes,
/// each read was a cache miss.
#[repr(align(128))]
struct ForkState {
    generation: AtomicU64,
    registered: Once,
}

static FORK: ForkState = ForkState {
    generation: AtomicU64::new(0),
    registered: Once::new(),
};

extern "C" fn on_fork_child() {
    FORK.generation.fetch_add(1, Ordering::SeqCst);
}

/// The current fork generation (0 in the original process), registering the handler once.
pub fn fork_generation() -> u64 {
    FORK.registered.call_once(|| {
        // SAFETY: registers a plain extern "C" function with no captured state; the handler
        // only touches an atomic, which is async-signal-safe.
        unsafe {
            libc::pthread_atfork(None, None, Some(on_fork_child));
        }
    });
    FORK.generation.load(Ordering::SeqCst)
}

/// A non-blocking eventfd used to wake a thread blocked in epoll (or a user's event loop).
pub struct EventFd(OwnedFd);

impl EventFd {
    /// A new non-blocking, close-on-exec eventfd.
    pub fn new() -> io::Result<EventFd> {
        // SAFETY: eventfd takes no pointers; the returned fd is owned by us from here on.
        let fd = cvt(unsafe { libc::eventfd(0, libc::EFD_NONBLOCK | libc::EFD_CLOEXEC) })?;
        // SAFETY: fd is a fresh, valid descriptor nobody else owns.
        Ok(EventFd(unsafe { OwnedFd::from_raw_fd(fd) }))
    }

    /// Makes the fd readable.
    pub fn signal(&self) {
        let one: u64 = 1;
        // SAFETY: writes 8 bytes from a valid u64 to our own fd; EAGAIN (counter full) is harmless.
        unsafe {
            libc::write(
                self.0.as_raw_fd(),
                &one as *const u64 as *const libc::c_void,
                8,
            );
        }
    }

    /// Resets the fd to not readable.
    pub fn drain(&self) {
        let mut v: u64 = 0;
        // SAFETY: reads 8 bytes into a valid u64 from our own non-blocking fd.
        unsafe {
            libc::read(
                self.0.as_raw_fd(),
                &mut v as *mut u64 as *mut libc::c_void,
                8,
            );
        }
    }

    /// The raw descriptor (for epoll/select in user event loops).
    pub fn raw(&self) -> RawFd {
        self.0.as_raw_fd()
    }
}

/// An epoll instance.
pub struct Epoll(OwnedFd);

impl Epoll {
    /// A new close-on-exec epoll instance.
    pub fn new() -> io::Result<Epoll> {
        // SAFETY: no pointers; the fd is owned from here on.
        let fd = cvt(unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) })?;
        // SAFETY: fd is fresh and valid.
        Ok(Epoll(unsafe { OwnedFd::from_raw_fd(fd) }))
    }

    /// The raw descriptor (TCP connections register themselves with their own events).
    pub fn raw(&self) -> RawFd {
        self.0.as_raw_fd()
    }

    /// Watches `fd` for readability, reporting `token`.
    pub fn add(&self, fd: RawFd, token: u64) -> io::Result<()> {
        let mut ev = libc::epoll_event {
            events: libc::EPOLLIN as u32,
            u64: token,
        };
        // SAFETY: ev is a valid epoll_event for the duration of the call.
        cvt(unsafe { libc::epoll_ctl(self.0.as_raw_fd(), libc::EPOLL_CTL_ADD, fd, &mut ev) })?;
        Ok(())
    }

    /// Waits up to `timeout_ms` (-1 = forever); returns the tokens of ready fds in `out`.
    pub fn wait(&self, out: &mut Vec<u64>, timeout_ms: i32) -> io::Result<()> {
        out.clear();
        // SAFETY: epoll_event is plain data; all-zero is a valid value.
        let mut evs: [libc::epoll_event; 8] = unsafe { zeroed() };
        // SAFETY: evs is valid for 8 entries, as we tell the kernel.
        let n = unsafe { libc::epoll_wait(self.0.as_raw_fd(), evs.as_mut_ptr(), 8, timeout_ms) };
        if n < 0 {
            let e = io::Error::last_os_error();
            return if e.kind() == io::ErrorKind::Interrupted {
                Ok(())
            } else {
                Err(e)
            };
        }
        out.extend(evs[..n as usize].iter().map(|e| e.u64));
        Ok(())
    }
}

/// Datagrams per sendmmsg/recvmmsg call.
pub const BATCH: usize = 64;

/// Per-socket scratch for the batched calls, zeroed once and reused, so a call with one
/// datagram does not clear kilobytes of headers.
struct Scratch {
    addrs: [libc::sockaddr_storage; BATCH],
    iovs: [libc::iovec; BATCH],
    hdrs: [libc::mmsghdr; BATCH],
}

// SAFETY: the raw pointers inside Scratch are written at the start of every call and only
// dereferenced by the kernel during that call; between calls they are dead values, so moving
// the scratch to another thread (with its socket) is sound.
unsafe impl Send for Scratch {}

/// One entry of a socket's error queue (`IP_RECVERR` / `IPV6_RECVERR`): an ICMP error, or
/// a local one, about a datagram we sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueuedError {
    /// The destination of the datagram the error is about (the kernel puts it in msg_name).
    pub dest: SocketAddr,
    /// ICMP destination unreachable / port unreachable (type 3 code 3, RFC 792), or ICMPv6
    /// destination unreachable / port unreachable (type 1 code 4, RFC 4443 §3.1).
    pub port_unreachable: bool,
    /// The start of the datagram as the ICMP message quoted it (possibly empty).
    pub quoted: Vec<u8>,
}

/// Octets of a quoted datagram kept: ICMPv6 quotes up to 1280 octets in all (RFC 4443
/// §2.4 (c)); request ids are in the first few dozen.
const MAX_QUOTED: usize = 1280;
/// Error-queue entries read per drain, so a flood cannot hold the shard.
const MAX_ERRORS_PER_DRAIN: usize = 1024;

/// UDP payloads of at most this many octets go out on IPv4 with local fragmentation
/// forbidden (`IP_PMTUDISC_PROBE`, where the kernel's default `IP_PMTUDISC_WANT` allows it):
/// Linux then gives such a datagram IP ID 0 (RFC 6864 §4.1: an atomic datagram's ID may be
/// any value) instead of drawing one from its shared, hashed ID counters per datagram
/// (`__ip_select_ident`, a few percent of a fleet sweep's CPU, much of it cache lines the
/// agent's side touches too on loopback). 268 octets make IPv4 datagrams of at most 296, the
/// smallest MTU of RFC 1191 §7's table above the 68-octet minimum: they cross every link in
/// use whole, so forbidding fragmentation changes nothing else for them. Larger ones keep
/// the default (path MTU discovery, fragmented where the path needs it).
pub const ATOMIC_MAX: usize = 268;

/// An unconnected, non-blocking UDP socket with large buffers and `IP_RECVERR` on: ICMP
/// errors about our datagrams are queued on the socket, read by [`UdpSocket::take_errors`].
/// The last field is, for IPv4, whether the socket forbids local fragmentation at the
/// moment (`IP_PMTUDISC_PROBE`, see [`ATOMIC_MAX`]; the kernel's default `IP_PMTUDISC_WANT`
/// otherwise); `None` for IPv6 (no IP ID) or a kernel that refused the option.
pub struct UdpSocket(OwnedFd, Box<Scratch>, Vec<QueuedError>, Option<bool>);

/// The run of datagrams from `msgs[done]` on (within `..end`) on the same side of
/// [`ATOMIC_MAX`]: its end, and whether they are small enough to be sent unfragmentable.
fn run_of(msgs: &[(SocketAddr, &[u8])], done: usize, end: usize) -> (usize, bool) {
    let atomic = msgs[done].1.len() <= ATOMIC_MAX;
    let run = msgs[done..end]
        .iter()
        .position(|(_, d)| (d.len() <= ATOMIC_MAX) != atomic)
        .map_or(end, |k| done + k);
    (run, atomic)
}

impl UdpSocket {
    /// Binds an ephemeral port on the wildcard address of the family.
    pub fn bind_any(v6: bool, buf_bytes: usize) -> io::Result<UdpSocket> {
        let family = if v6 { libc::AF_INET6 } else { libc::AF_INET };
        // SAFETY: socket() takes no pointers; the fd is owned from here on.
        let fd = cvt(unsafe {
            libc::socket(
                family,
                libc::SOCK_DGRAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
                0,
            )
        })?;
        // SAFETY: fd is fresh and valid; the scratch arrays are plain data, zero is valid.
        let mut s = UdpSocket(
            unsafe { OwnedFd::from_raw_fd(fd) },
            unsafe { Box::new(zeroed::<Scratch>()) },
            Vec::new(),
            None,
        );
        set_buffers(fd, buf_bytes)?;
        // Without IP_RECVERR an unconnected UDP socket drops ICMP errors (RFC 1122 §4.1.3.3
        // wants them passed up): with it they are queued with the destination and the quoted
        // datagram, which names the request.
        if v6 {
            s.setsockopt(libc::IPPROTO_IPV6, libc::IPV6_V6ONLY, 1)?;
            s.setsockopt(libc::IPPROTO_IPV6, libc::IPV6_RECVERR, 1)?;
        } else {
            s.setsockopt(libc::IPPROTO_IP, libc::IP_RECVERR, 1)?;
            if s.set_atomic(true).is_ok() {
                s.3 = Some(true);
            }
        }
        let any = if v6 {
            SocketAddr::V6(SocketAddrV6::new(Ipv6Addr::UNSPECIFIED, 0, 0, 0))
        } else {
            SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0))
        };
        let (sa, len) = to_sockaddr(&any);
        // SAFETY: sa is a valid sockaddr_storage holding `len` meaningful bytes.
        cvt(unsafe { libc::bind(fd, &sa as *const _ as *const libc::sockaddr, len) })?;
        Ok(s)
    }

    /// The address the socket is bound to (getsockname).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        // SAFETY: sockaddr_storage is plain data; zero is valid.
        let mut ss: libc::sockaddr_storage = unsafe { zeroed() };
        let mut len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        // SAFETY: ss is a writable sockaddr_storage of `len` bytes; len is updated in place.
        cvt(unsafe {
            libc::getsockname(
                self.0.as_raw_fd(),
                &mut ss as *mut _ as *mut libc::sockaddr,
                &mut len,
            )
        })?;
        from_sockaddr(&ss).ok_or_else(|| io::Error::other("unexpected socket address family"))
    }

    fn setsockopt(&self, level: i32, name: i32, v: libc::c_int) -> io::Result<()> {
        setsockopt_int(self.0.as_raw_fd(), level, name, v)
    }

    /// Switches an IPv4 socket between unfragmentable datagrams (`IP_PMTUDISC_PROBE`, IP ID
    /// 0) and the kernel's default (`IP_PMTUDISC_WANT`). The mode applies to the datagrams of
    /// later sends; the shard thread alone sends on its sockets.
    fn set_atomic(&self, on: bool) -> io::Result<()> {
        let mode = if on {
            libc::IP_PMTUDISC_PROBE
        } else {
            libc::IP_PMTUDISC_WANT
        };
        self.setsockopt(libc::IPPROTO_IP, libc::IP_MTU_DISCOVER, mode)
    }

    /// The end of the next run of datagrams to send from `msgs[done..end]` in one call: on
    /// an IPv4 socket, those up to the first one on the other side of [`ATOMIC_MAX`], with
    /// the socket switched to their mode first. A failed switch to the default mode leaves
    /// the large datagram unsent (`Err`: never sent with fragmentation forbidden); a failed
    /// switch to the other leaves the socket in the default mode for good.
    fn atomic_run(
        &mut self,
        msgs: &[(SocketAddr, &[u8])],
        done: usize,
        end: usize,
    ) -> io::Result<usize> {
        let Some(current) = self.3 else {
            return Ok(end);
        };
        let (run, atomic) = run_of(msgs, done, end);
        if atomic != current {
            match self.set_atomic(atomic) {
                Ok(()) => self.3 = Some(atomic),
                Err(e) if !atomic => return Err(e),
                Err(_) => self.3 = None,
            }
        }
        Ok(run)
    }

    /// The raw descriptor.
    pub fn raw(&self) -> RawFd {
        self.0.as_raw_fd()
    }

    /// Sends each `(dest, data)` with sendmmsg in batches; returns how many were handed to the
    /// kernel. Datagrams that fail (e.g. EPERM, no route) are reported through `on_error`
    /// and skipped, so one bad destination never blocks the others.
    ///
    /// With `IP_RECVERR`, a pending ICMP error about an earlier datagram (to any
    /// destination) fails the next send once, whatever its destination, and that datagram is
    /// not sent. So a failed datagram is sent again once, after the error queue is read: an
    /// error of its own comes back, a borrowed one does not.
    pub fn send_batch(
        &mut self,
        msgs: &[(SocketAddr, &[u8])],
        on_error: &mut dyn FnMut(usize, io::Error),
    ) -> usize {
        let fd = self.0.as_raw_fd();
        let mut done = 0;
        let mut retried = usize::MAX;
        while done < msgs.len() {
            let end = match self.atomic_run(msgs, done, (done + BATCH).min(msgs.len())) {
                Ok(end) => end,
                Err(e) => {
                    on_error(done, e);
                    done += 1;
                    continue;
                }
            };
            let sc = &mut *self.1;
            let chunk = &msgs[done..end];
            for (i, (dest, data)) in chunk.iter().enumerate() {
                let (sa, len) = to_sockaddr(dest);
                sc.addrs[i] = sa;
                sc.iovs[i] = libc::iovec {
                    iov_base: data.as_ptr() as *mut libc::c_void,
                    iov_len: data.len(),
                };
                let h = &mut sc.hdrs[i].msg_hdr;
                h.msg_name = &mut sc.addrs[i] as *mut _ as *mut libc::c_void;
                h.msg_namelen = len;
                h.msg_iov = &mut sc.iovs[i];
                h.msg_iovlen = 1;
            }
            // SAFETY: hdrs[..len] point into the scratch arrays and `data`, all alive across
            // the call; the kernel only reads the buffers and writes msg_len.
            let n = unsafe { libc::sendmmsg(fd, sc.hdrs.as_mut_ptr(), chunk.len() as u32, 0) };
            if n < 0 {
                let e = io::Error::last_os_error();
                if e.kind() == io::ErrorKind::WouldBlock {
                    return done;
                }
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                self.read_error_queue();
                if retried != done {
                    retried = done;
                    continue;
                }
                // The first datagram of the chunk failed twice: report it and go on after it.
                on_error(done, e);
                done += 1;
                continue;
            }
            done += n as usize;
        }
        done
    }

    /// The error-queue entries read so far (by a send or receive that met a pending error).
    pub fn take_errors(&mut self) -> Vec<QueuedError> {
        std::mem::take(&mut self.2)
    }

    /// Reads the socket's error queue (`MSG_ERRQUEUE`) into `self.2`; returns how many
    /// entries were read. Entries without a destination address are dropped.
    pub fn read_error_queue(&mut self) -> usize {
        let fd = self.0.as_raw_fd();
        let mut read = 0;
        let mut data = [0u8; MAX_QUOTED];
        // u64 elements keep the control buffer aligned for cmsghdr.
        let mut control = [0u64; 64];
        while read < MAX_ERRORS_PER_DRAIN {
            // SAFETY: sockaddr_storage and msghdr are plain data; zero is valid.
            let mut name: libc::sockaddr_storage = unsafe { zeroed() };
            let mut iov = libc::iovec {
                iov_base: data.as_mut_ptr() as *mut libc::c_void,
                iov_len: data.len(),
            };
            // SAFETY: as above.
            let mut msg: libc::msghdr = unsafe { zeroed() };
            msg.msg_name = &mut name as *mut _ as *mut libc::c_void;
            msg.msg_namelen = size_of::<libc::sockaddr_storage>() as u32;
            msg.msg_iov = &mut iov;
            msg.msg_iovlen = 1;
            msg.msg_control = control.as_mut_ptr() as *mut libc::c_void;
            msg.msg_controllen = size_of::<[u64; 64]>() as _;
            // SAFETY: every pointer in msg refers to a live local buffer of the stated size;
            // MSG_DONTWAIT keeps the call from blocking.
            let r = unsafe { libc::recvmsg(fd, &mut msg, libc::MSG_ERRQUEUE | libc::MSG_DONTWAIT) };
            if r < 0 {
                if io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                break; // EAGAIN: the queue is empty.
            }
            read += 1;
            let quoted = data[..(r as usize).min(MAX_QUOTED)].to_vec();
            let mut port_unreachable = false;
            // SAFETY: msg was filled by recvmsg; CMSG_FIRSTHDR/NXTHDR stay within
            // msg_controllen, and each cmsg's data is read unaligned and only when its
            // length covers a sock_extended_err.
            unsafe {
                let mut c = libc::CMSG_FIRSTHDR(&msg);
                while !c.is_null() {
                    let h = &*c;
                    let ours = (h.cmsg_level == libc::IPPROTO_IP
                        && h.cmsg_type == libc::IP_RECVERR)
                        || (h.cmsg_level == libc::IPPROTO_IPV6
                            && h.cmsg_type == libc::IPV6_RECVERR);
                    let need = libc::CMSG_LEN(size_of::<libc::sock_extended_err>() as u32) as usize;
                    if ours && h.cmsg_len as usize >= need {
                        let ee: libc::sock_extended_err = std::ptr::read_unaligned(
                            libc::CMSG_DATA(c) as *const libc::sock_extended_err,
                        );
                        port_unreachable |= is_port_unreachable(&ee);
                    }
                    c = libc::CMSG_NXTHDR(&msg, c);
                }
            }
            if msg.msg_namelen == 0 {
                continue;
            }
            if let Some(dest) = from_sockaddr(&name) {
                self.2.push(QueuedError {
                    dest,
                    port_unreachable,
                    quoted,
                });
            }
        }
        read
    }

    /// Receives up to `bufs.len()` datagrams with one recvmmsg; returns `(from, len)` per
    /// datagram in `meta`. Returns 0 when nothing is waiting.
    pub fn recv_batch(
        &mut self,
        bufs: &mut [Vec<u8>],
        meta: &mut Vec<(SocketAddr, usize)>,
    ) -> io::Result<usize> {
        meta.clear();
        let fd = self.0.as_raw_fd();
        let sc = &mut *self.1;
        let n = bufs.len().min(BATCH);
        for (i, buf) in bufs.iter_mut().take(n).enumerate() {
            sc.iovs[i] = libc::iovec {
                iov_base: buf.as_mut_ptr() as *mut libc::c_void,
                iov_len: buf.len(),
            };
            let h = &mut sc.hdrs[i].msg_hdr;
            h.msg_name = &mut sc.addrs[i] as *mut _ as *mut libc::c_void;
            h.msg_namelen = size_of::<libc::sockaddr_storage>() as u32;
            h.msg_iov = &mut sc.iovs[i];
            h.msg_iovlen = 1;
            h.msg_flags = 0;
        }
        // SAFETY: each header points at a live, writable buffer of the stated length and a
        // sockaddr_storage in the scratch; MSG_DONTWAIT keeps the call non-blocking.
        let r = unsafe {
            libc::recvmmsg(
                fd,
                sc.hdrs.as_mut_ptr(),
                n as u32,
                libc::MSG_DONTWAIT,
                std::ptr::null_mut(),
            )
        };
        if r < 0 {
            let e = io::Error::last_os_error();
            return match e.kind() {
                io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted => Ok(0),
                // A pending ICMP error (sk_err, set with each error-queue entry) surfaces
                // here once the data is read: the entries name the datagrams.
                _ if self.read_error_queue() > 0 => Ok(0),
                io::ErrorKind::ConnectionRefused => Ok(0),
                _ => Err(e),
            };
        }
        for i in 0..r as usize {
            if let Some(from) = from_sockaddr(&sc.addrs[i]) {
                // Truncated datagrams (larger than the buffer) are dropped as undecodable later.
                let len = sc.hdrs[i].msg_len as usize;
                let trunc = sc.hdrs[i].msg_hdr.msg_flags & libc::MSG_TRUNC != 0;
                meta.push((from, if trunc { 0 } else { len }));
            }
        }
        Ok(r as usize)
    }
}

/// ICMP port unreachable (type 3 code 3, RFC 792) or ICMPv6 port unreachable (type 1 code
/// 4, RFC 4443 §3.1), as the kernel reports it in a `sock_extended_err`.
fn is_port_unreachable(ee: &libc::sock_extended_err) -> bool {
    (ee.ee_origin == libc::SO_EE_ORIGIN_ICMP && ee.ee_type == 3 && ee.ee_code == 3)
        || (ee.ee_origin == libc::SO_EE_ORIGIN_ICMP6 && ee.ee_type == 1 && ee.ee_code == 4)
}

/// Converts a Rust socket address to a C sockaddr_storage and its length.
pub fn to_sockaddr(a: &SocketAddr) -> (libc::sockaddr_storage, libc::socklen_t) {
    // SAFETY: sockaddr_storage is plain data; zero is valid.
    let mut ss: libc::sockaddr_storage = unsafe { zeroed() };
    match a {
        SocketAddr::V4(v4) => {
            let sin = libc::sockaddr_in {
                sin_family: libc::AF_INET as libc::sa_family_t,
                sin_port: v4.port().to_be(),
                sin_addr: libc::in_addr {
                    s_addr: u32::from_ne_bytes(v4.ip().octets()),
                },
                sin_zero: [0; 8],
            };
            // SAFETY: sockaddr_in fits in sockaddr_storage (which is sized for every family).
            unsafe { std::ptr::write(&mut ss as *mut _ as *mut libc::sockaddr_in, sin) };
            (ss, size_of::<libc::sockaddr_in>() as libc::socklen_t)
        }
        SocketAddr::V6(v6) => {
            let sin6 = libc::sockaddr_in6 {
                sin6_family: libc::AF_INET6 as libc::sa_family_t,
                sin6_port: v6.port().to_be(),
                sin6_flowinfo: v6.flowinfo(),
                sin6_addr: libc::in6_addr {
                    s6_addr: v6.ip().octets(),
                },
                sin6_scope_id: v6.scope_id(),
            };
            // SAFETY: sockaddr_in6 fits in sockaddr_storage.
            unsafe { std::ptr::write(&mut ss as *mut _ as *mut libc::sockaddr_in6, sin6) };
            (ss, size_of::<libc::sockaddr_in6>() as libc::socklen_t)
        }
    }
}

/// Converts a C sockaddr_storage filled by the kernel into a Rust socket address.
pub fn from_sockaddr(ss: &libc::sockaddr_storage) -> Option<SocketAddr> {
    match ss.ss_family as i32 {
        libc::AF_INET => {
            // SAFETY: the family says the storage holds a sockaddr_in.
            let sin: &libc::sockaddr_in = unsafe { &*(ss as *const _ as *const libc::sockaddr_in) };
            let ip = Ipv4Addr::from(sin.sin_addr.s_addr.to_ne_bytes());
            Some(SocketAddr::V4(SocketAddrV4::new(
                ip,
                u16::from_be(sin.sin_port),
            )))
        }
        libc::AF_INET6 => {
            // SAFETY: the family says the storage holds a sockaddr_in6.
            let s: &libc::sockaddr_in6 = unsafe { &*(ss as *const _ as *const libc::sockaddr_in6) };
            let ip = Ipv6Addr::from(s.sin6_addr.s6_addr);
            Some(SocketAddr::V6(SocketAddrV6::new(
                ip,
                u16::from_be(s.sin6_port),
                s.sin6_flowinfo,
                s.sin6_scope_id,
            )))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    /// Waits (bounded) until the socket reports an error (an ICMP error queued).
    fn wait_for_error(fd: RawFd) -> bool {
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_secs(5) {
            let mut p = libc::pollfd {
                fd,
                events: 0,
                revents: 0,
            };
            // SAFETY: one valid pollfd, as we tell the kernel.
            let n = unsafe { libc::poll(&mut p, 1, 100) };
            if n > 0 && p.revents & libc::POLLERR != 0 {
                return true;
            }
        }
        false
    }

    /// The socket's IP_MTU_DISCOVER mode (getsockopt).
    fn pmtu_mode(s: &UdpSocket) -> libc::c_int {
        let mut v: libc::c_int = -1;
        let mut len = size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: v is a writable c_int of `len` bytes.
        let r = unsafe {
            libc::getsockopt(
                s.raw(),
                libc::IPPROTO_IP,
                libc::IP_MTU_DISCOVER,
                &mut v as *mut _ as *mut libc::c_void,
                &mut len,
            )
        };
        assert_eq!(r, 0, "getsockopt: {}", io::Error::last_os_error());
        v
    }

    /// Runs split exactly at ATOMIC_MAX.
    #[test]
    fn runs_split_at_the_atomic_limit() {
        let a: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let bufs: Vec<Vec<u8>> = [10, ATOMIC_MAX, ATOMIC_MAX + 1, 300, 5]
            .iter()
            .map(|&n| vec![0; n])
            .collect();
        let msgs: Vec<(SocketAddr, &[u8])> = bufs.iter().map(|b| (a, b.as_slice())).collect();
        assert_eq!(run_of(&msgs, 0, 5), (2, true));
        assert_eq!(run_of(&msgs, 2, 5), (4, false));
        assert_eq!(run_of(&msgs, 4, 5), (5, true));
        assert_eq!(run_of(&msgs, 2, 3), (3, false));
        assert_eq!(run_of(&msgs, 0, 1), (1, true));
    }

    /// Datagrams on both sides of ATOMIC_MAX, mixed in one batch, all arrive whole and in
    /// order; the socket is left in the mode of the last run, and a large datagram is
    /// always sent with the kernel's default mode (fragmentable).
    #[test]
    fn atomic_and_large_datagrams_in_one_batch() {
        let rx = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        rx.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let dest = rx.local_addr().unwrap();
        let mut s = UdpSocket::bind_any(false, 1 << 20).unwrap();
        assert_eq!(s.3, Some(true));
        assert_eq!(pmtu_mode(&s), libc::IP_PMTUDISC_PROBE);
        let sizes = [100, ATOMIC_MAX, ATOMIC_MAX + 1, 1400, 60, 9000, 20];
        let bufs: Vec<Vec<u8>> = (0..sizes.len()).map(|i| vec![i as u8; sizes[i]]).collect();
        let msgs: Vec<(SocketAddr, &[u8])> = bufs.iter().map(|b| (dest, b.as_slice())).collect();
        let mut failed = Vec::new();
        assert_eq!(
            s.send_batch(&msgs, &mut |i, e| failed.push((i, e.kind()))),
            sizes.len()
        );
        assert!(failed.is_empty(), "{failed:?}");
        let mut buf = vec![0u8; 65536];
        for (i, &n) in sizes.iter().enumerate() {
            let (got, _) = rx.recv_from(&mut buf).unwrap();
            assert_eq!(got, n, "datagram {i}");
            assert!(buf[..got].iter().all(|&b| b == i as u8), "datagram {i}");
        }
        assert_eq!(pmtu_mode(&s), libc::IP_PMTUDISC_PROBE);
        // Each send leaves the socket in the mode of its last run: a batch not split into
        // runs would leave the mode of its first datagram.
        for (batch, mode) in [
            (&[5usize][..], libc::IP_PMTUDISC_WANT),
            (&[0, 3], libc::IP_PMTUDISC_WANT),
            (&[2, 6], libc::IP_PMTUDISC_PROBE),
            (&[1, 2], libc::IP_PMTUDISC_WANT),
        ] {
            let m: Vec<_> = batch.iter().map(|&i| msgs[i]).collect();
            assert_eq!(s.send_batch(&m, &mut |_, e| panic!("{e}")), m.len());
            assert_eq!(pmtu_mode(&s), mode, "after {batch:?}");
            for &i in batch {
                assert_eq!(rx.recv_from(&mut buf).unwrap().0, sizes[i]);
            }
        }
        // IPv6 has no IP ID: its socket keeps the default.
        if let Ok(s6) = UdpSocket::bind_any(true, 1 << 20) {
            assert_eq!(s6.3, None);
        }
    }

    /// A port nothing is bound to, and a socket bound to another one, on `ip`.
    fn closed_and_open(ip: &str) -> Option<(SocketAddr, std::net::UdpSocket)> {
        let closed = std::net::UdpSocket::bind((ip, 0)).ok()?.local_addr().ok()?;
        let open = std::net::UdpSocket::bind((ip, 0)).ok()?;
        open.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        Some((closed, open))
    }

    #[test]
    fn icmp_port_unreachable_is_queued_and_does_not_cost_the_next_datagram() {
        for (v6, ip) in [(false, "127.0.0.1"), (true, "::1")] {
            let Some((closed, open)) = closed_and_open(ip) else {
                continue; // no IPv6 loopback on this host
            };
            let mut s = UdpSocket::bind_any(v6, 1 << 20).unwrap();
            let mut errors = Vec::new();
            let mut on_error = |i: usize, e: io::Error| errors.push((i, e.kind()));
            assert_eq!(s.send_batch(&[(closed, b"first")], &mut on_error), 1);
            assert!(wait_for_error(s.raw()), "{ip}: no ICMP error queued");
            // The pending error fails this send once (ECONNREFUSED, though it goes elsewhere):
            // the datagram must still be sent.
            let to = open.local_addr().unwrap();
            assert_eq!(s.send_batch(&[(to, b"second")], &mut on_error), 1);
            assert!(errors.is_empty(), "{ip}: {errors:?}");
            let mut buf = [0u8; 16];
            let (n, _) = open.recv_from(&mut buf).unwrap();
            assert_eq!(&buf[..n], b"second");
            // The error queue named the datagram and its destination.
            let q = s.take_errors();
            assert_eq!(
                q,
                vec![QueuedError {
                    dest: closed,
                    port_unreachable: true,
                    quoted: b"first".to_vec(),
                }],
                "{ip}"
            );
            assert!(s.take_errors().is_empty());
        }
    }

    #[test]
    fn the_receive_path_reads_the_error_queue() {
        let (closed, _open) = closed_and_open("127.0.0.1").unwrap();
        let mut s = UdpSocket::bind_any(false, 1 << 20).unwrap();
        s.send_batch(&[(closed, b"x1"), (closed, b"x2")], &mut |_, e| {
            panic!("send failed: {e}")
        });
        assert!(wait_for_error(s.raw()));
        let mut bufs = vec![vec![0u8; 64]; 4];
        let mut meta = Vec::new();
        assert_eq!(s.recv_batch(&mut bufs, &mut meta).unwrap(), 0);
        let q = s.take_errors();
        let quoted: Vec<&[u8]> = q.iter().map(|e| e.quoted.as_slice()).collect();
        // (The second send may have met the first one's pending error and been sent again.)
        assert_eq!(quoted, [b"x1", b"x2"], "{q:?}");
        assert!(q.iter().all(|e| e.dest == closed && e.port_unreachable));
        // Nothing left: the socket no longer reports an error.
        let mut p = libc::pollfd {
            fd: s.raw(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        assert_eq!(unsafe { libc::poll(&mut p, 1, 0) }, 0);
    }
}
