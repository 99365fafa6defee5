//! The immutable MIB snapshot: an arena of OID-tree nodes, a name index and module table.

use std::collections::HashMap;
use std::sync::Arc;

/// Index of a node in a [`Mib`]'s arena.
pub type NodeId = u32;
/// Index of a module in a [`Mib`]'s module table.
pub type ModId = u16;

/// The virtual root above `ccitt(0)`, `iso(1)` and `joint-iso-ccitt(2)`.
pub const TOP: NodeId = 0;

/// The SMI base type of an object, after following textual conventions (RFC 2578 §7.1).
/// The variants mirror the distinctions Net-SNMP's printer makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum BaseType {
    /// Not an OBJECT-TYPE with a simple syntax (tables, rows, groups, notifications, ...).
    #[default]
    Other,
    /// `INTEGER` (possibly enumerated).
    Integer,
    /// `Integer32`.
    Integer32,
    /// `OCTET STRING`.
    OctetString,
    /// `OBJECT IDENTIFIER`.
    ObjectId,
    /// `BITS` (RFC 2578 §7.1.4).
    Bits,
    /// `IpAddress`.
    IpAddress,
    /// SMIv1 `NetworkAddress`.
    NetworkAddress,
    /// `Counter32` / SMIv1 `Counter`.
    Counter32,
    /// `Gauge32` / SMIv1 `Gauge`.
    Gauge32,
    /// `Unsigned32`.
    Unsigned32,
    /// `UInteger32` (an early SMIv2 draft type some MIBs still use).
    UInteger32,
    /// `TimeTicks`.
    TimeTicks,
    /// `Opaque`.
    Opaque,
    /// `Counter64`.
    Counter64,
    /// `NULL`.
    Null,
}

/// What an OBJECT-TYPE (or a textual convention it uses) says about its values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObjectData {
    /// Base type.
    pub base: BaseType,
    /// The textual convention named in SYNTAX, if any (e.g. `DisplayString`).
    pub tc: Option<Arc<str>>,
    /// DISPLAY-HINT from the textual convention (RFC 2579 §3.1).
    pub hint: Option<Arc<str>>,
    /// Enumerated labels (INTEGER) or named bits (BITS).
    pub enums: Vec<(i64, Arc<str>)>,
    /// Value or SIZE ranges.
    pub ranges: Vec<(i128, i128)>,
    /// UNITS.
    pub units: Option<Arc<str>>,
    /// MAX-ACCESS / ACCESS.
    pub access: Option<Arc<str>>,
    /// INDEX items (object node if it resolved, label, IMPLIED flag).
    pub index: Vec<IndexItem>,
    /// AUGMENTS target row, if it resolved.
    pub augments: Option<NodeId>,
}

impl ObjectData {
    /// The label of the enumeration value `v`.
    pub fn enum_label(&self, v: i64) -> Option<&str> {
        self.enums.iter().find(|(n, _)| *n == v).map(|(_, l)| &**l)
    }

    /// The fixed size when the SIZE constraint is a single value (`SIZE (6)`).
    pub fn fixed_size(&self) -> Option<usize> {
        match self.ranges.as_slice() {
            [(lo, hi)] if lo == hi => usize::try_from(*lo).ok(),
            _ => None,
        }
    }
}

/// One item of an INDEX clause.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexItem {
    /// The object named (resolved by descriptor after loading, like Net-SNMP does).
    pub node: Option<NodeId>,
    /// The descriptor as written.
    pub label: Arc<str>,
    /// `IMPLIED` (RFC 2578 §7.7).
    pub implied: bool,
}

/// One node of the OID tree.
#[derive(Debug, Clone, Default)]
pub struct Node {
    pub(crate) subid: u32,
    pub(crate) parent: NodeId,
    /// Children sorted by sub-identifier.
    pub(crate) children: Vec<(u32, NodeId)>,
    /// Descriptor (None for a node only known by number).
    pub(crate) label: Option<Arc<str>>,
    /// Other descriptors defined at the same OID by later modules.
    pub(crate) aliases: Vec<Arc<str>>,
    /// Modules that define `label` here; the first one "owns" the node.
    pub(crate) modules: Vec<ModId>,
    /// OBJECT-TYPE data.
    pub(crate) data: Option<Box<ObjectData>>,
}

/// One entry of the descriptor index.
#[derive(Debug, Clone)]
pub(crate) struct NameEntry {
    pub(crate) node: NodeId,
    pub(crate) modules: Vec<ModId>,
}

/// A loaded module.
#[derive(Debug, Clone)]
pub struct ModuleInfo {
    /// Module name.
    pub name: Arc<str>,
    /// File it came from (empty for built-in text).
    pub path: std::path::PathBuf,
}

/// An immutable, shareable MIB snapshot. Build one with [`MibLoader`](super::MibLoader); share
/// it through a [`Resolver`](super::Resolver). All lookups take `&self` and never lock.
#[derive(Debug, Clone)]
pub struct Mib {
    pub(crate) nodes: Vec<Node>,
    pub(crate) names: HashMap<Arc<str>, Vec<NameEntry>>,
    pub(crate) modules: Vec<ModuleInfo>,
    pub(crate) module_ids: HashMap<Arc<str>, ModId>,
}

impl Default for Mib {
    fn default() -> Mib {
        Mib::empty()
    }
}

impl Mib {
    /// A snapshot with only the three root arcs (`ccitt`, `iso`, `joint-iso-ccitt`).
    pub fn empty() -> Mib {
        let mut m = Mib {
            nodes: vec![Node::default()],
            names: HashMap::new(),
            modules: Vec::new(),
            module_ids: HashMap::new(),
        };
        for (sub, label) in [(0, "ccitt"), (1, "iso"), (2, "joint-iso-ccitt")] {
            let id = m.add_child(TOP, sub);
            let label: Arc<str> = Arc::from(label);
            m.nodes[id as usize].label = Some(label.clone());
            m.names.entry(label).or_default().push(NameEntry {
                node: id,
                modules: Vec::new(),
            });
        }
        m
    }

    /// Number of nodes (including the virtual root).
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// The loaded modules, in load order.
    pub fn modules(&self) -> &[ModuleInfo] {
        &self.modules
    }

    /// Every (module, descriptor, OID) the loaded modules define, in no particular order.
    /// A descriptor defined by several modules appears once per module.
    pub fn definitions(&self) -> Vec<(&str, &str, crate::oid::Oid)> {
        let mut out = Vec::with_capacity(self.nodes.len());
        for (label, entries) in &self.names {
            for e in entries {
                let arcs = self.arcs_of(e.node);
                let Ok(oid) = crate::oid::Oid::from_slice(&arcs) else {
                    continue;
                };
                for m in &e.modules {
                    out.push((&*self.modules[*m as usize].name, &**label, oid.clone()));
                }
            }
        }
        out
    }

    /// The OIDs of every node in the tree (named or not), excluding the virtual root.
    pub fn node_oids(&self) -> Vec<crate::oid::Oid> {
        (1..self.nodes.len() as NodeId)
            .filter_map(|id| crate::oid::Oid::from_slice(&self.arcs_of(id)).ok())
            .collect()
    }

    /// What the MIB says about the object at `oid` (or the deepest known node above it):
    /// base type, textual convention, hint, enums, units, access, INDEX.
    pub fn object(&self, oid: &[u32]) -> Option<&ObjectData> {
        self.data(self.deepest(oid).0)
    }

    /// The INDEX items of the row at `entry_oid` (its own INDEX or its AUGMENTS target's).
    pub fn table_index(&self, entry_oid: &[u32]) -> Option<&[IndexItem]> {
        let (id, n) = self.deepest(entry_oid);
        if n != entry_oid.len() {
            return None;
        }
        self.index_of(id)
    }

    /// The children of the node at `oid` (sub-identifier and descriptor), in sub-identifier
    /// order; empty when `oid` is not a node of the tree.
    pub fn children(&self, oid: &[u32]) -> Vec<(u32, Option<Arc<str>>)> {
        let (id, n) = self.deepest(oid);
        if n != oid.len() {
            return Vec::new();
        }
        self.nodes[id as usize]
            .children
            .iter()
            .map(|&(sub, c)| (sub, self.nodes[c as usize].label.clone()))
            .collect()
    }

    /// True if a module of this name is loaded.
    pub fn has_module(&self, name: &str) -> bool {
        self.module_ids.contains_key(name)
    }

    pub(crate) fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    pub(crate) fn child(&self, parent: NodeId, subid: u32) -> Option<NodeId> {
        let c = &self.nodes[parent as usize].children;
        c.binary_search_by_key(&subid, |e| e.0).ok().map(|i| c[i].1)
    }

    /// Finds or creates the child `subid` of `parent`.
    pub(crate) fn add_child(&mut self, parent: NodeId, subid: u32) -> NodeId {
        let c = &self.nodes[parent as usize].children;
        match c.binary_search_by_key(&subid, |e| e.0) {
            Ok(i) => c[i].1,
            Err(i) => {
                let id = self.nodes.len() as NodeId;
                self.nodes[parent as usize].children.insert(i, (subid, id));
                self.nodes.push(Node {
                    subid,
                    parent,
                    ..Node::default()
                });
                id
            }
        }
    }

    /// The arcs from the root to `id`.
    pub(crate) fn arcs_of(&self, mut id: NodeId) -> Vec<u32> {
        let mut v = Vec::with_capacity(16);
        while id != TOP {
            let n = &self.nodes[id as usize];
            v.push(n.subid);
            id = n.parent;
        }
        v.reverse();
        v
    }

    /// The module owning node `id`, if any.
    pub(crate) fn module_of(&self, id: NodeId) -> Option<&str> {
        self.nodes[id as usize]
            .modules
            .first()
            .map(|m| &*self.modules[*m as usize].name)
    }

    /// Descriptor lookup like Net-SNMP's `find_tree_node(name, -1)`: the most recently
    /// created node with that descriptor.
    pub(crate) fn find_name(&self, name: &str) -> Option<NodeId> {
        self.names.get(name).and_then(|v| v.last()).map(|e| e.node)
    }

    /// Descriptor lookup restricted to the modules that define it.
    pub(crate) fn find_in_module(&self, name: &str, module: ModId) -> Option<NodeId> {
        self.names
            .get(name)?
            .iter()
            .rev()
            .find(|e| e.modules.contains(&module))
            .map(|e| e.node)
    }

    /// Walks `arcs` down the tree; returns the deepest known node and how many arcs matched.
    pub(crate) fn deepest(&self, arcs: &[u32]) -> (NodeId, usize) {
        let mut cur = TOP;
        let mut n = 0;
        for &a in arcs {
            match self.child(cur, a) {
                Some(c) => {
                    cur = c;
                    n += 1;
                }
                None => break,
            }
        }
        (cur, n)
    }

    /// The object data of `id`, if it is an OBJECT-TYPE.
    pub(crate) fn data(&self, id: NodeId) -> Option<&ObjectData> {
        self.nodes[id as usize].data.as_deref()
    }

    /// The INDEX items that apply below node `id` (its own or its AUGMENTS target's).
    pub(crate) fn index_of(&self, id: NodeId) -> Option<&[IndexItem]> {
        let d = self.data(id)?;
        if !d.index.is_empty() {
            return Some(&d.index);
        }
        let target = d.augments?;
        let t = self.data(target)?;
        (!t.index.is_empty()).then_some(&t.index[..])
    }
}
