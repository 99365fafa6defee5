//! OID -> descriptor: the deepest known node, its module, and the instance part broken down
//! by the table's INDEX clause (RFC 2578 §7.7: integers one arc, IpAddress four arcs, strings
//! and OIDs length-prefixed unless IMPLIED or fixed-size), following Net-SNMP 5.9's rules so
//! the text matches `snmpwalk` output.

use super::tree::{BaseType, Mib, NodeId, TOP};
use std::sync::Arc;

/// One decoded INDEX component of an instance OID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexPart {
    /// An integer index, with its enumeration label when the INDEX object has one.
    Integer {
        /// The arc.
        value: u32,
        /// The enum label for `value`, if any.
        label: Option<Arc<str>>,
    },
    /// An OCTET STRING index, as arcs (each normally 0..=255). `quote` is `"` for a
    /// length-prefixed string and `'` for an IMPLIED or fixed-size one.
    String {
        /// The string's octets, as arcs.
        arcs: Vec<u32>,
        /// The quote character Net-SNMP prints around it.
        quote: char,
    },
    /// An OCTET STRING index printed through its DISPLAY-HINT (only in extended `-OX` form).
    Hinted {
        /// The octets.
        bytes: Vec<u8>,
        /// The INDEX object's node (its hint drives the rendering).
        node: NodeId,
    },
    /// An InetAddress index after an InetAddressType index (RFC 4001 §4.1), already rendered
    /// (`10.0.0.1`, `fe:80:...`), without quotes.
    InetAddress(String),
    /// An IpAddress index.
    IpAddress([u32; 4]),
    /// An SMIv1 NetworkAddress index: type arc and, for type 1, the IPv4 address.
    NetworkAddress(u32, Option<[u32; 4]>),
    /// An OBJECT IDENTIFIER index (without its length arc).
    Oid {
        /// The value's arcs.
        arcs: Vec<u32>,
        /// Whether it was IMPLIED (no length arc).
        implied: bool,
    },
}

/// The result of breaking an OID down against the MIB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// Deepest node of the tree the OID reaches.
    pub node: NodeId,
    /// How many leading arcs that node accounts for.
    pub known: usize,
    /// When the deepest node has children (e.g. a row), the next arc names an unknown child
    /// (a column this MIB does not define); Net-SNMP 5.9 prints it as a number before
    /// decoding the index.
    pub unknown_child: Option<u32>,
    /// The INDEX components decoded from the arcs after `known`.
    pub index: Vec<IndexPart>,
    /// Arcs left over (not covered by the INDEX clause), printed numerically.
    pub rest: Vec<u32>,
    /// Decoding stopped inside an INDEX item whose object is known but whose arcs do not
    /// fit (too few arcs, a length beyond the end, an unsupported type). Net-SNMP's `-OX`
    /// output shows this as a dangling `[`.
    pub stopped_in_item: bool,
}

/// A human-oriented description of an OID: `MODULE::name` plus the decoded index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Described {
    /// The owning module of the deepest known node (None for the bare roots).
    pub module: Option<String>,
    /// The descriptor of the deepest known named node (or its number when anonymous).
    pub name: String,
    /// The breakdown of the instance arcs.
    pub decoded: Decoded,
}

impl Mib {
    /// Breaks `arcs` down: deepest known node, INDEX parts, leftover arcs. `extended` selects
    /// Net-SNMP's `-OX` treatment of hinted string indexes.
    pub fn decode(&self, arcs: &[u32], extended: bool) -> Decoded {
        let mut cur = TOP;
        let mut known = 0;
        let mut index_owner: Option<NodeId> = None;
        for &a in arcs {
            match self.child(cur, a) {
                Some(c) => {
                    cur = c;
                    known += 1;
                    if self.index_of(c).is_some() {
                        index_owner = Some(c);
                    }
                }
                None => break,
            }
        }
        let mut out = Decoded {
            node: cur,
            known,
            unknown_child: None,
            index: Vec::new(),
            rest: Vec::new(),
            stopped_in_item: false,
        };
        let mut rest = &arcs[known..];
        if let Some(owner) = index_owner {
            if !rest.is_empty() && !self.node(cur).children.is_empty() {
                out.unknown_child = Some(rest[0]);
                rest = &rest[1..];
            }
            if !rest.is_empty() {
                let items = self.index_of(owner).unwrap_or(&[]);
                let mut prev_type_tc = false;
                for item in items {
                    if rest.is_empty() {
                        break;
                    }
                    let Some(inode) = item.node else { break };
                    // Until this item yields a part, a stop is a stop inside the item.
                    out.stopped_in_item = true;
                    let Some(d) = self.data(inode) else { break };
                    let is_type_tc = d.tc.as_deref() == Some("InetAddressType");
                    let part = match d.base {
                        BaseType::OctetString => {
                            let fixed = d.fixed_size();
                            if extended && d.hint.is_some() {
                                let n = if item.implied {
                                    rest.len()
                                } else if let Some(f) = fixed {
                                    f
                                } else {
                                    let n = rest[0] as usize;
                                    if n >= rest.len() {
                                        break;
                                    }
                                    rest = &rest[1..];
                                    n
                                };
                                if n > rest.len() {
                                    break;
                                }
                                let bytes = rest[..n].iter().map(|&a| a as u8).collect();
                                rest = &rest[n..];
                                IndexPart::Hinted { bytes, node: inode }
                            } else if item.implied || fixed.is_some() {
                                let n = fixed.filter(|_| !item.implied).unwrap_or(rest.len());
                                if n > rest.len() {
                                    break;
                                }
                                let p = IndexPart::String {
                                    arcs: rest[..n].to_vec(),
                                    quote: '\'',
                                };
                                rest = &rest[n..];
                                p
                            } else {
                                let n = rest[0] as usize;
                                if n >= rest.len() {
                                    break;
                                }
                                let body = &rest[1..=n];
                                let inet = if d.tc.as_deref() == Some("InetAddress") && prev_type_tc
                                {
                                    inet_text(arcs[arcs.len() - rest.len() - 1], body)
                                } else {
                                    None
                                };
                                rest = &rest[n + 1..];
                                match inet {
                                    Some(t) => IndexPart::InetAddress(t),
                                    None => IndexPart::String {
                                        arcs: body.to_vec(),
                                        quote: '"',
                                    },
                                }
                            }
                        }
                        BaseType::Integer
                        | BaseType::Integer32
                        | BaseType::UInteger32
                        | BaseType::Unsigned32
                        | BaseType::Gauge32 => {
                            let v = rest[0];
                            rest = &rest[1..];
                            let label = d
                                .enums
                                .iter()
                                .find(|(e, _)| *e == v as i32 as i64)
                                .map(|(_, l)| l.clone());
                            IndexPart::Integer { value: v, label }
                        }
                        BaseType::ObjectId => {
                            let (n, skip) = if item.implied {
                                (rest.len(), 0)
                            } else {
                                (rest[0] as usize + 1, 1)
                            };
                            if n > rest.len() {
                                break;
                            }
                            let p = IndexPart::Oid {
                                arcs: rest[skip..n].to_vec(),
                                implied: item.implied,
                            };
                            rest = &rest[n..];
                            p
                        }
                        BaseType::IpAddress => {
                            if rest.len() < 4 {
                                break;
                            }
                            let p = IndexPart::IpAddress([rest[0], rest[1], rest[2], rest[3]]);
                            rest = &rest[4..];
                            p
                        }
                        BaseType::NetworkAddress => {
                            let t = rest[0];
                            rest = &rest[1..];
                            if t == 1 && rest.len() >= 4 {
                                let p = IndexPart::NetworkAddress(
                                    t,
                                    Some([rest[0], rest[1], rest[2], rest[3]]),
                                );
                                rest = &rest[4..];
                                p
                            } else {
                                out.index.push(IndexPart::NetworkAddress(t, None));
                                out.stopped_in_item = false;
                                break;
                            }
                        }
                        _ => break,
                    };
                    out.index.push(part);
                    out.stopped_in_item = false;
                    prev_type_tc = is_type_tc;
                }
            }
        }
        out.rest = rest.to_vec();
        out
    }

    /// Describes an OID: `MODULE::name` of the deepest known node and the decoded index.
    pub fn describe(&self, arcs: &[u32]) -> Described {
        let decoded = self.decode(arcs, false);
        let n = self.node(decoded.node);
        Described {
            module: self.module_of(decoded.node).map(str::to_string),
            name: match &n.label {
                Some(l) => l.to_string(),
                None => n.subid.to_string(),
            },
            decoded,
        }
    }
}

/// Net-SNMP's rendering of an InetAddress index body for address type `t` (RFC 4001:
/// 1 ipv4, 2 ipv6, 3 ipv4z, 4 ipv6z); None when it does not fit (then a plain string).
fn inet_text(t: u32, body: &[u32]) -> Option<String> {
    if body.iter().any(|&a| a > 255) {
        return None;
    }
    let zone = |b: &[u32]| (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
    match (t, body.len()) {
        (1, 4) | (3, 8) => {
            let mut s = format!("{}.{}.{}.{}", body[0], body[1], body[2], body[3]);
            if t == 3 {
                s.push_str(&format!("%{}", zone(&body[4..8])));
            }
            Some(s)
        }
        (2, 16) | (4, 20) => {
            let mut s = body[..16]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<Vec<_>>()
                .join(":");
            if t == 4 {
                s.push_str(&format!("%{}", zone(&body[16..20])));
            }
            Some(s)
        }
        _ => None,
    }
}
