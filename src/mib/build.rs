//! Links parsed modules into a [`Mib`] snapshot.
//!
//! Modules are processed in Net-SNMP's order: each requested module after the modules it
//! imports (depth first, in IMPORTS order), so that when two modules define the same OID the
//! first one loaded names it and owns it, and a bare descriptor defined at two OIDs resolves
//! to the most recently created one, as `snmptranslate` does. Everything is bounded: import
//! chains and OID/type reference chains deeper than [`MAX_CHAIN`] are reported as errors.

use super::ast::{Def, Macro, ModuleAst, OidComp, Syntax, SyntaxKind};
use super::error::LoadError;
use super::tree::{BaseType, IndexItem, Mib, ModId, ModuleInfo, NodeId, ObjectData, TOP};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

/// Longest chain of imports, OID references or type references followed.
pub const MAX_CHAIN: usize = 200;

/// A parsed module and the file it came from.
#[derive(Debug)]
pub(crate) struct Parsed {
    pub(crate) path: PathBuf,
    pub(crate) ast: ModuleAst,
}

/// Import symbols Net-SNMP treats as language keywords: importing only these does not load
/// the source module (so `OBJECT-TYPE FROM RFC-1212` works without an RFC-1212 file).
const INTERNAL: &[&str] = &[
    "OBJECT-TYPE",
    "MODULE-IDENTITY",
    "OBJECT-IDENTITY",
    "NOTIFICATION-TYPE",
    "TRAP-TYPE",
    "TEXTUAL-CONVENTION",
    "OBJECT-GROUP",
    "NOTIFICATION-GROUP",
    "MODULE-COMPLIANCE",
    "AGENT-CAPABILITIES",
    "Integer32",
    "Counter32",
    "Counter",
    "Gauge32",
    "Gauge",
    "Unsigned32",
    "UInteger32",
    "TimeTicks",
    "IpAddress",
    "NetworkAddress",
    "Opaque",
    "Counter64",
    "NsapAddress",
    "BITS",
];

/// The SMI base types recognised by name wherever they appear (RFC 2578 §7.1, RFC 1155 §3.2).
fn builtin(name: &str) -> Option<BaseType> {
    Some(match name {
        "Integer32" => BaseType::Integer32,
        "Counter32" | "Counter" => BaseType::Counter32,
        "Gauge32" | "Gauge" => BaseType::Gauge32,
        "Unsigned32" => BaseType::Unsigned32,
        "UInteger32" => BaseType::UInteger32,
        "TimeTicks" => BaseType::TimeTicks,
        "IpAddress" => BaseType::IpAddress,
        "NetworkAddress" => BaseType::NetworkAddress,
        "Opaque" => BaseType::Opaque,
        "Counter64" => BaseType::Counter64,
        "NsapAddress" => BaseType::OctetString,
        _ => return None,
    })
}

/// Builds a snapshot from `available` modules, loading `requested` (and their imports) in
/// order. Returns the snapshot and every problem found.
pub(crate) fn build(
    available: &HashMap<String, Arc<Parsed>>,
    requested: &[String],
) -> (Mib, Vec<LoadError>) {
    let mut b = Builder {
        mib: Mib::empty(),
        errors: Vec::new(),
        order: Vec::new(),
        modid: HashMap::new(),
        locals: Vec::new(),
        value_memo: HashMap::new(),
        in_progress: HashSet::new(),
        type_memo: HashMap::new(),
        pending_index: Vec::new(),
    };
    let mut visiting = HashSet::new();
    for name in requested {
        b.visit(available, name, None, &mut visiting, 0);
    }
    for (i, p) in b.order.iter().enumerate() {
        let mut locals = HashMap::new();
        for (d, def) in p.ast.defs.iter().enumerate() {
            locals.entry(def.name().to_string()).or_insert(d);
        }
        b.locals.push(locals);
        let name: Arc<str> = Arc::from(p.ast.name.as_str());
        b.mib.module_ids.insert(name.clone(), i as ModId);
        b.mib.modules.push(ModuleInfo {
            name,
            path: p.path.clone(),
        });
    }
    for m in 0..b.order.len() {
        for d in 0..b.order[m].ast.defs.len() {
            if matches!(b.order[m].ast.defs[d], Def::Value { .. }) {
                b.value(m as ModId, d, 0);
            }
        }
    }
    b.link_indexes();
    (b.mib, b.errors)
}

/// A row whose INDEX/AUGMENTS descriptors are resolved after all nodes exist.
type PendingIndex = (NodeId, Vec<(String, bool)>, Option<String>);

struct Builder {
    mib: Mib,
    errors: Vec<LoadError>,
    order: Vec<Arc<Parsed>>,
    modid: HashMap<String, ModId>,
    locals: Vec<HashMap<String, usize>>,
    value_memo: HashMap<(ModId, usize), Option<NodeId>>,
    in_progress: HashSet<(ModId, usize)>,
    type_memo: HashMap<(ModId, usize), Option<ObjectData>>,
    /// (node, index labels, augments label) to resolve once every node exists.
    pending_index: Vec<PendingIndex>,
}

impl Builder {
    fn visit(
        &mut self,
        available: &HashMap<String, Arc<Parsed>>,
        name: &str,
        by: Option<&str>,
        visiting: &mut HashSet<String>,
        depth: usize,
    ) {
        if self.modid.contains_key(name) || visiting.contains(name) {
            return; // loaded, or an import cycle (broken here, as Net-SNMP does)
        }
        if self.modid.len() >= ModId::MAX as usize - 1 {
            return;
        }
        let Some(p) = available.get(name) else {
            self.errors.push(LoadError::ModuleNotFound {
                module: name.to_string(),
                required_by: by.map(str::to_string),
            });
            return;
        };
        if depth > MAX_CHAIN {
            self.errors.push(LoadError::Invalid {
                module: name.to_string(),
                line: 0,
                message: "IMPORTS chain too deep".into(),
            });
            return;
        }
        visiting.insert(name.to_string());
        for imp in &p.ast.imports {
            if imp.symbols.iter().any(|s| !INTERNAL.contains(&s.as_str())) {
                self.visit(available, &imp.from, Some(name), visiting, depth + 1);
            }
        }
        visiting.remove(name);
        self.modid
            .insert(name.to_string(), self.order.len() as ModId);
        self.order.push(p.clone());
    }

    fn err(&mut self, m: ModId, line: u32, message: String) {
        let module = self.order[m as usize].ast.name.clone();
        self.errors.push(LoadError::Invalid {
            module,
            line,
            message,
        });
    }

    fn unresolved(&mut self, m: ModId, line: u32, name: &str) {
        let module = self.order[m as usize].ast.name.clone();
        self.errors.push(LoadError::Unresolved {
            module,
            name: name.to_string(),
            line,
        });
    }

    /// The source module of an imported symbol, if `m` imports it.
    fn import_source(&self, m: ModId, name: &str) -> Option<ModId> {
        let p = &self.order[m as usize];
        p.ast
            .imports
            .iter()
            .find(|i| i.symbols.iter().any(|s| s == name))
            .and_then(|i| self.modid.get(&i.from).copied())
    }

    /// Resolves value definition `d` of module `m` to its node, creating it.
    fn value(&mut self, m: ModId, d: usize, depth: usize) -> Option<NodeId> {
        if let Some(r) = self.value_memo.get(&(m, d)) {
            return *r;
        }
        let p = self.order[m as usize].clone();
        let Def::Value {
            name,
            kind,
            oid,
            object,
            line,
        } = &p.ast.defs[d]
        else {
            return None;
        };
        if depth > MAX_CHAIN || !self.in_progress.insert((m, d)) {
            self.err(
                m,
                *line,
                format!("cyclic or too deep OID definition of {name}"),
            );
            self.value_memo.insert((m, d), None);
            return None;
        }
        let r = self.place(m, name, *kind, oid, object.as_deref(), *line, depth);
        self.in_progress.remove(&(m, d));
        self.value_memo.insert((m, d), r);
        r
    }

    #[allow(clippy::too_many_arguments)]
    fn place(
        &mut self,
        m: ModId,
        name: &str,
        kind: Macro,
        oid: &[OidComp],
        object: Option<&super::ast::ObjectInfo>,
        line: u32,
        depth: usize,
    ) -> Option<NodeId> {
        let mut cur = match &oid[0] {
            OidComp::Name(n) => match self.symbol(m, n, depth + 1) {
                Some(id) => id,
                None => {
                    self.unresolved(m, line, n);
                    return None;
                }
            },
            OidComp::Number(k) | OidComp::Named(_, k) => self.mib.add_child(TOP, *k),
        };
        if let OidComp::Named(label, _) = &oid[0] {
            self.label_anonymous(cur, label, m);
        }
        let (last, middle) = match oid.len() {
            1 => (None, &oid[1..]),
            n => (Some(&oid[n - 1]), &oid[1..n - 1]),
        };
        for c in middle {
            match c {
                OidComp::Number(k) => cur = self.child_owned(cur, *k, m),
                OidComp::Named(label, k) => {
                    cur = self.child_owned(cur, *k, m);
                    self.label_anonymous(cur, label, m);
                }
                OidComp::Name(n) => {
                    self.err(m, line, format!("name {n} inside an OID value"));
                    return None;
                }
            }
        }
        let node = match last {
            None => cur,
            Some(OidComp::Number(k) | OidComp::Named(_, k)) => self.child_owned(cur, *k, m),
            Some(OidComp::Name(n)) => {
                self.err(m, line, format!("name {n} inside an OID value"));
                return None;
            }
        };
        if self.mib.arcs_of(node).len() > crate::oid::MAX_ARCS {
            self.err(m, line, format!("{name} has more than 128 arcs"));
            return None;
        }
        let data = match (kind, object) {
            (Macro::ObjectType, Some(o)) => {
                let mut data = self.syntax(m, &o.syntax, line, 0);
                data.units = o.units.as_deref().map(Arc::from);
                data.access = o.access.as_deref().map(Arc::from);
                if !o.index.is_empty() || o.augments.is_some() {
                    self.pending_index
                        .push((node, o.index.clone(), o.augments.clone()));
                }
                Some(Box::new(data))
            }
            _ => None,
        };
        self.define(node, name, m, data);
        Some(node)
    }

    /// Child `k` of `parent`; a new node is attributed to module `m`.
    fn child_owned(&mut self, parent: NodeId, k: u32, m: ModId) -> NodeId {
        let id = self.mib.add_child(parent, k);
        let n = &mut self.mib.nodes[id as usize];
        if n.modules.is_empty() {
            n.modules.push(m);
        }
        id
    }

    fn label_anonymous(&mut self, id: NodeId, label: &str, m: ModId) {
        if self.mib.nodes[id as usize].label.is_none() {
            self.define(id, label, m, None);
        }
    }

    /// Records that module `m` defines `name` at node `id`.
    fn define(&mut self, id: NodeId, name: &str, m: ModId, data: Option<Box<ObjectData>>) {
        let node = &mut self.mib.nodes[id as usize];
        let label: Arc<str> = match &node.label {
            None => {
                let l: Arc<str> = Arc::from(name);
                node.label = Some(l.clone());
                node.modules = vec![m];
                node.data = data;
                l
            }
            Some(l) if &**l == name => {
                if !node.modules.contains(&m) {
                    node.modules.push(m);
                }
                if node.data.is_none() {
                    node.data = data;
                }
                l.clone()
            }
            Some(_) => {
                let l = match node.aliases.iter().find(|a| &***a == name) {
                    Some(a) => a.clone(),
                    None => {
                        let a: Arc<str> = Arc::from(name);
                        node.aliases.push(a.clone());
                        a
                    }
                };
                l
            }
        };
        let entries = self.mib.names.entry(label).or_default();
        match entries.iter_mut().find(|e| e.node == id) {
            Some(e) => {
                if !e.modules.contains(&m) {
                    e.modules.push(m);
                }
            }
            None => entries.push(super::tree::NameEntry {
                node: id,
                modules: vec![m],
            }),
        }
    }

    /// Resolves a value descriptor as seen from module `m`.
    fn symbol(&mut self, m: ModId, name: &str, depth: usize) -> Option<NodeId> {
        if depth > MAX_CHAIN {
            return None;
        }
        if let Some(&d) = self.locals[m as usize].get(name) {
            if matches!(self.order[m as usize].ast.defs[d], Def::Value { .. }) {
                return self.value(m, d, depth + 1);
            }
        }
        if let Some(src) = self.import_source(m, name) {
            if src != m {
                if let Some(id) = self.symbol(src, name, depth + 1) {
                    return Some(id);
                }
            }
        }
        self.mib.find_name(name)
    }

    /// Resolves a SYNTAX clause seen from module `m`.
    fn syntax(&mut self, m: ModId, s: &Syntax, line: u32, depth: usize) -> ObjectData {
        let mut data = ObjectData {
            base: match &s.kind {
                SyntaxKind::Integer => BaseType::Integer,
                SyntaxKind::OctetString => BaseType::OctetString,
                SyntaxKind::ObjectIdentifier => BaseType::ObjectId,
                SyntaxKind::Bits => BaseType::Bits,
                SyntaxKind::Null => BaseType::Null,
                SyntaxKind::SequenceOf(_) | SyntaxKind::Sequence | SyntaxKind::Choice => {
                    BaseType::Other
                }
                SyntaxKind::Named(_) => BaseType::Other,
            },
            ..ObjectData::default()
        };
        if let SyntaxKind::Named(n) = &s.kind {
            if let Some(b) = builtin(n) {
                data.base = b;
            } else if let Some(tc) = self.type_named(m, n, depth + 1) {
                data = tc;
                data.tc = Some(Arc::from(n.as_str()));
            } else {
                self.unresolved(m, line, n);
            }
        }
        if !s.enums.is_empty() {
            data.enums = s
                .enums
                .iter()
                .map(|(l, v)| (*v, Arc::from(l.as_str())))
                .collect();
        }
        if !s.ranges.is_empty() {
            data.ranges = s.ranges.clone();
        }
        data
    }

    /// Resolves the type `name` as seen from module `m` (local, imported, or any module).
    fn type_named(&mut self, m: ModId, name: &str, depth: usize) -> Option<ObjectData> {
        if depth > MAX_CHAIN {
            return None;
        }
        if let Some(&d) = self.locals[m as usize].get(name) {
            if let Def::Type { .. } = &self.order[m as usize].ast.defs[d] {
                return self.type_def(m, d, depth + 1);
            }
        }
        if let Some(src) = self.import_source(m, name) {
            if src != m {
                if let Some(t) = self.type_named(src, name, depth + 1) {
                    return Some(t);
                }
            }
        }
        for other in 0..self.order.len() {
            if let Some(&d) = self.locals[other].get(name) {
                if let Def::Type { .. } = &self.order[other].ast.defs[d] {
                    return self.type_def(other as ModId, d, depth + 1);
                }
            }
        }
        None
    }

    fn type_def(&mut self, m: ModId, d: usize, depth: usize) -> Option<ObjectData> {
        if let Some(r) = self.type_memo.get(&(m, d)) {
            return r.clone();
        }
        self.type_memo.insert((m, d), None); // breaks reference cycles
        let p = self.order[m as usize].clone();
        let Def::Type {
            syntax, hint, line, ..
        } = &p.ast.defs[d]
        else {
            return None;
        };
        let mut data = self.syntax(m, syntax, *line, depth + 1);
        if let Some(h) = hint {
            data.hint = Some(Arc::from(h.as_str()));
        }
        self.type_memo.insert((m, d), Some(data.clone()));
        Some(data)
    }

    /// Resolves INDEX and AUGMENTS descriptors once every node exists (Net-SNMP resolves
    /// them by descriptor at print time; the result is the same and lookups stay fast).
    fn link_indexes(&mut self) {
        for (node, index, augments) in std::mem::take(&mut self.pending_index) {
            let items: Vec<IndexItem> = index
                .iter()
                .map(|(label, implied)| IndexItem {
                    node: self.mib.find_name(label),
                    label: Arc::from(label.as_str()),
                    implied: *implied,
                })
                .collect();
            let aug = augments.as_deref().and_then(|a| self.mib.find_name(a));
            if let Some(d) = self.mib.nodes[node as usize].data.as_mut() {
                d.index = items;
                d.augments = aug;
            }
        }
    }
}
