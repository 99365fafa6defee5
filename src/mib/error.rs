//! Error types of the MIB loader and resolver.

use std::path::PathBuf;

/// A syntax error in one MIB text, with the line it was found on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    /// 1-based line number (0 when unknown).
    pub line: u32,
    /// What was wrong.
    pub message: String,
}

impl ParseError {
    /// A parse error at `line`.
    pub fn new(line: u32, message: impl Into<String>) -> ParseError {
        ParseError {
            line,
            message: message.into(),
        }
    }
}

/// One problem found while loading modules. A load that reports any of these does not
/// replace the resolver's current snapshot.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// A file could not be read.
    #[error("cannot read {path:?}: {reason}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The OS error text.
        reason: String,
    },
    /// A file's text is not a well-formed SMI module.
    #[error("{path:?}: {error}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// The syntax error.
        error: ParseError,
    },
    /// A requested or imported module is in no file on the search path.
    #[error("cannot find module {module:?}{}", imported_by(.required_by))]
    ModuleNotFound {
        /// The missing module.
        module: String,
        /// The module whose IMPORTS named it, if any.
        required_by: Option<String>,
    },
    /// A definition refers to a name that is neither defined nor imported.
    #[error("{module} line {line}: unknown name {name:?}")]
    Unresolved {
        /// The module containing the reference.
        module: String,
        /// The unknown name.
        name: String,
        /// Line of the definition.
        line: u32,
    },
    /// A definition cannot be placed (cyclic OID definitions, an OID over 128 arcs, ...).
    #[error("{module} line {line}: {message}")]
    Invalid {
        /// The module.
        module: String,
        /// Line of the definition.
        line: u32,
        /// What is wrong.
        message: String,
    },
}

fn imported_by(m: &Option<String>) -> String {
    match m {
        Some(m) => format!(" (imported by {m})"),
        None => String::new(),
    }
}

/// Why a load did not produce a new snapshot.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("MIB load failed with {} error(s); first: {}", .0.len(), first(.0))]
pub struct LoadErrors(pub Vec<LoadError>);

fn first(errors: &[LoadError]) -> String {
    errors
        .first()
        .map(|e| e.to_string())
        .unwrap_or_else(|| "none".to_string())
}

/// Why a textual object name could not be turned into an OID (typed, before any packet is sent).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// No loaded module defines this descriptor (Net-SNMP: "Unknown Object Identifier").
    #[error("unknown object identifier {0:?}")]
    UnknownName(String),
    /// The `MODULE::` prefix names a module that is not loaded.
    #[error("unknown module {0:?}")]
    UnknownModule(String),
    /// The module is loaded but does not define the name.
    #[error("module {module} does not define {name:?}")]
    NotInModule {
        /// The module given.
        module: String,
        /// The descriptor looked up.
        name: String,
    },
    /// An index part does not fit the table's INDEX syntax (range, length, enum label).
    #[error("bad index {text:?} for {index}: {reason}")]
    BadIndex {
        /// The index text.
        text: String,
        /// The INDEX object it was parsed for.
        index: String,
        /// What is wrong.
        reason: String,
    },
    /// Text that is not an OID at all (empty, bad characters, unbalanced quotes, too long).
    #[error("invalid OID text {text:?}: {reason}")]
    Syntax {
        /// The input.
        text: String,
        /// What is wrong.
        reason: String,
    },
}
