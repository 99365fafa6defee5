//! `-d`: the packet dump Net-SNMP 5.9.3 prints through its log (`snmp_log`, so `-L` routes
//! it): a blank line, `Sending N bytes to ADDR` or `Received N byte packet from ADDR`, then
//! the message as `xdump` lays it out (decimal offset, 16 octets in groups of four, the
//! printable characters), then a blank line. ADDR is Net-SNMP's transport text:
//! `UDP: [peer]:port->[local]:port` (IPv4), `UDP/IPv6: [peer]:port`, `TCP: [peer]:port->
//! [0.0.0.0]:0`, `TCP/IPv6: [peer]:port`.
//!
//! The library calls the trace hook on its I/O thread; the text is queued here and the
//! application drains it before its next output, so dumps and results keep Net-SNMP's order.

use snmpx::{PacketTrace, Transport};
use std::fmt::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

/// Dump text waiting to be logged.
pub type Queue = Arc<Mutex<String>>;

/// Net-SNMP's text for a transport address.
fn address(t: &PacketTrace<'_>) -> String {
    let peer = |a: &SocketAddr| format!("[{}]:{}", a.ip(), a.port());
    match (t.transport, t.peer.is_ipv6()) {
        (Transport::Udp, false) => {
            let local = t
                .local
                .unwrap_or_else(|| SocketAddr::from(([0, 0, 0, 0], 0)));
            format!("UDP: {}->{}", peer(&t.peer), peer(&local))
        }
        (Transport::Udp, true) => format!("UDP/IPv6: {}", peer(&t.peer)),
        (Transport::Tcp, false) => format!("TCP: {}->[0.0.0.0]:0", peer(&t.peer)),
        (Transport::Tcp, true) => format!("TCP/IPv6: {}", peer(&t.peer)),
    }
}

/// The dump of one message.
pub fn format(t: &PacketTrace<'_>) -> String {
    let mut s = String::with_capacity(80 + t.data.len() * 5);
    if t.sent {
        let _ = writeln!(s, "\nSending {} bytes to {}", t.data.len(), address(t));
    } else {
        let _ = writeln!(
            s,
            "\nReceived {} byte packet from {}",
            t.data.len(),
            address(t)
        );
    }
    xdump(&mut s, t.data);
    s.push('\n');
    s
}

/// Net-SNMP's `xdump` layout, one line per 16 octets.
fn xdump(s: &mut String, data: &[u8]) {
    for (n, line) in data.chunks(16).enumerate() {
        let _ = write!(s, "{:04}: ", n * 16);
        for i in 0..16 {
            match line.get(i) {
                Some(b) => {
                    let _ = write!(s, "{b:02X} ");
                }
                None => s.push_str("   "),
            }
            if i % 4 == 3 {
                s.push(' ');
            }
        }
        s.push_str("  ");
        for &b in line {
            s.push(if (0x20..0x7f).contains(&b) {
                b as char
            } else {
                '.'
            });
        }
        s.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_matches_net_snmp() {
        // Captured from Net-SNMP 5.9.3 `snmpget -d` (request-id 0x56E7202A).
        let msg: Vec<u8> = [
            "30 29 02 01 01 04 06 70 75 62 6C 69 63 A0 1C 02",
            "04 56 E7 20 2A 02 01 00 02 01 00 30 0E 30 0C 06",
            "08 2B 06 01 02 01 01 05 00 05 00",
        ]
        .join(" ")
        .split(' ')
        .map(|h| u8::from_str_radix(h, 16).unwrap())
        .collect();
        let t = PacketTrace {
            sent: true,
            transport: Transport::Udp,
            peer: "127.0.0.1:19170".parse().unwrap(),
            local: Some("0.0.0.0:46494".parse().unwrap()),
            data: &msg,
        };
        let want = "\nSending 43 bytes to UDP: [127.0.0.1]:19170->[0.0.0.0]:46494\n\
0000: 30 29 02 01  01 04 06 70  75 62 6C 69  63 A0 1C 02    0).....public...\n\
0016: 04 56 E7 20  2A 02 01 00  02 01 00 30  0E 30 0C 06    .V. *......0.0..\n\
0032: 08 2B 06 01  02 01 01 05  00 05 00                    .+.........\n\n";
        assert_eq!(format(&t), want);
    }
}
