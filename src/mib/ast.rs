//! The parsed form of one SMI module, before names are resolved across modules.

/// One parsed module (`NAME DEFINITIONS ::= BEGIN ... END`).
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleAst {
    /// The module name.
    pub name: String,
    /// IMPORTS, grouped by source module, in text order (RFC 2578 §3.2).
    pub imports: Vec<Import>,
    /// Definitions in text order.
    pub defs: Vec<Def>,
}

/// `sym1, sym2 FROM MODULE`.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    /// The module imported from.
    pub from: String,
    /// The symbols imported.
    pub symbols: Vec<String>,
}

/// One OID component in `{ parent 1 }` or `{ iso org(3) dod(6) 1 }`.
#[derive(Debug, Clone, PartialEq)]
pub enum OidComp {
    /// A bare name (only valid first).
    Name(String),
    /// A bare number.
    Number(u32),
    /// `name(number)`: defines `name` at that position as a side effect.
    Named(String, u32),
}

/// Which macro (or plain ASN.1 form) produced a value definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Macro {
    /// `x OBJECT IDENTIFIER ::= {...}`
    ObjectIdentifier,
    /// MODULE-IDENTITY (RFC 2578 §5).
    ModuleIdentity,
    /// OBJECT-IDENTITY (RFC 2578 §6).
    ObjectIdentity,
    /// OBJECT-TYPE (RFC 2578 §7, RFC 1212).
    ObjectType,
    /// NOTIFICATION-TYPE (RFC 2578 §8).
    NotificationType,
    /// TRAP-TYPE (RFC 1215).
    TrapType,
    /// OBJECT-GROUP (RFC 2580 §4).
    ObjectGroup,
    /// NOTIFICATION-GROUP (RFC 2580 §4).
    NotificationGroup,
    /// MODULE-COMPLIANCE (RFC 2580 §5).
    ModuleCompliance,
    /// AGENT-CAPABILITIES (RFC 2580 §6).
    AgentCapabilities,
}

/// A SYNTAX clause or the right side of a type assignment.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Syntax {
    /// The base form.
    pub kind: SyntaxKind,
    /// Named numbers: INTEGER enumerations or BITS positions.
    pub enums: Vec<(String, i64)>,
    /// Value ranges `(a..b | c)` or SIZE ranges, whichever the clause gave.
    pub ranges: Vec<(i128, i128)>,
}

/// The base of a [`Syntax`].
#[derive(Debug, Clone, PartialEq, Default)]
pub enum SyntaxKind {
    /// A type reference by name (`DisplayString`, `Counter32`, `Integer32`...).
    Named(String),
    /// `INTEGER`
    #[default]
    Integer,
    /// `OCTET STRING`
    OctetString,
    /// `OBJECT IDENTIFIER`
    ObjectIdentifier,
    /// `BITS`
    Bits,
    /// `NULL`
    Null,
    /// `SEQUENCE OF Entry` (a table).
    SequenceOf(String),
    /// `SEQUENCE { ... }` (a row type).
    Sequence,
    /// `CHOICE { ... }` (only in SMI base modules).
    Choice,
}

/// The clauses of an OBJECT-TYPE the resolver keeps.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ObjectInfo {
    /// SYNTAX.
    pub syntax: Syntax,
    /// UNITS.
    pub units: Option<String>,
    /// MAX-ACCESS or ACCESS.
    pub access: Option<String>,
    /// STATUS.
    pub status: Option<String>,
    /// INDEX entries, with their IMPLIED flag (RFC 2578 §7.7).
    pub index: Vec<(String, bool)>,
    /// AUGMENTS target (RFC 2578 §7.8).
    pub augments: Option<String>,
}

/// One definition in a module body.
#[derive(Debug, Clone, PartialEq)]
pub enum Def {
    /// A value assignment that places a name in the OID tree.
    Value {
        /// The descriptor.
        name: String,
        /// The macro used.
        kind: Macro,
        /// The OID value.
        oid: Vec<OidComp>,
        /// OBJECT-TYPE details.
        object: Option<Box<ObjectInfo>>,
        /// Line of the definition.
        line: u32,
    },
    /// A type assignment or TEXTUAL-CONVENTION (RFC 2579 §2).
    Type {
        /// The type name.
        name: String,
        /// Its syntax.
        syntax: Syntax,
        /// DISPLAY-HINT, if any (RFC 2579 §3.1).
        hint: Option<String>,
        /// Line of the definition.
        line: u32,
    },
}

impl Def {
    /// The name the definition introduces.
    pub fn name(&self) -> &str {
        match self {
            Def::Value { name, .. } | Def::Type { name, .. } => name,
        }
    }
}
