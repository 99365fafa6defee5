//! The MIB resolver: SMIv1/SMIv2 modules loaded from a search path into an immutable, shared
//! snapshot; names <-> OIDs; enums, textual conventions, DISPLAY-HINTs and INDEX breakdown.
//!
//! - [`MibLoader`]: search path and module list (Net-SNMP's `MIBDIRS`/`MIBS` conventions).
//! - [`Mib`]: one immutable snapshot; [`Mib::resolve`] (text -> OID), [`Mib::describe`] and
//!   [`Mib::decode`] (OID -> `MODULE::name` + index).
//! - [`Resolver`]: the shared holder that swaps snapshots atomically.
//!
//! ```
//! use snmpx::mib::MibLoader;
//! // With no MIB files at all, a built-in table still knows the core objects.
//! let (mib, errors) = snmpx::mib::builtin_mib();
//! assert!(errors.is_empty());
//! assert_eq!(mib.resolve("sysDescr.0").unwrap().to_string(), "1.3.6.1.2.1.1.1.0");
//! assert_eq!(mib.resolve("IF-MIB::ifDescr.3").unwrap().to_string(), "1.3.6.1.2.1.2.2.1.2.3");
//! # let _ = MibLoader::new();
//! ```
#![forbid(unsafe_code)]

mod ast;
mod build;
mod builtin;
mod describe;
mod error;
mod lexer;
mod loader;
mod parser;
mod resolve;
mod resolver;
mod tree;

pub use describe::{Decoded, Described, IndexPart};
pub use error::{LoadError, LoadErrors, ParseError, ResolveError};
pub use loader::{
    builtin_mib, default_dirs, MibLoader, ModuleSpec, DEFAULT_MODULES, MAX_FILE_BYTES,
};
pub use resolver::Resolver;
pub use tree::{BaseType, IndexItem, Mib, ModId, ModuleInfo, NodeId, ObjectData};

/// Parses MIB text and reports the first syntax error, without linking (for fuzzing and
/// validation tools). Never panics.
pub fn check_syntax(text: &[u8]) -> Result<usize, ParseError> {
    parser::parse(text).map(|m| m.len())
}
