//! Search path and module list with Net-SNMP's conventions, and the load entry points.
//!
//! - Directories: `MIBDIRS` (colon-separated; a leading `+` puts the given directories in
//!   front of the defaults, as `netsnmp_set_mib_directory` does), else the defaults
//!   `$HOME/.snmp/mibs:/usr/share/snmp/mibs:/usr/share/snmp/mibs/iana:/usr/share/snmp/mibs/ietf`.
//! - Modules: `MIBS` (colon-separated module names, `ALL` for every module found, a path
//!   containing `/` for one file; a leading `+` appends to the default list), else Net-SNMP
//!   5.9's default list [`DEFAULT_MODULES`].
//!
//! Every file on the path whose text starts with `NAME DEFINITIONS ::=` is a candidate module
//! (dot-files and unreadable files are skipped, as Net-SNMP's directory scan does). With
//! `ALL`, modules load in Net-SNMP's order: the directory scan numbers files by name, and the
//! highest number loads first.

use super::build::{build, Parsed};
use super::builtin::BUILTIN_TEXT;
use super::error::{LoadError, LoadErrors};
use super::parser;
use super::tree::Mib;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Net-SNMP 5.9's default module list (`net-snmp-config --default-mibs` on Debian 12).
pub const DEFAULT_MODULES: &[&str] = &[
    "SNMPv2-MIB",
    "IF-MIB",
    "IP-MIB",
    "TCP-MIB",
    "UDP-MIB",
    "HOST-RESOURCES-MIB",
    "NOTIFICATION-LOG-MIB",
    "DISMAN-EVENT-MIB",
    "DISMAN-SCHEDULE-MIB",
    "HOST-RESOURCES-TYPES",
    "MTA-MIB",
    "NETWORK-SERVICES-MIB",
    "UCD-DISKIO-MIB",
    "UCD-DLMOD-MIB",
    "LM-SENSORS-MIB",
    "UCD-SNMP-MIB",
    "UCD-DEMO-MIB",
    "SNMP-TARGET-MIB",
    "NET-SNMP-AGENT-MIB",
    "SNMP-FRAMEWORK-MIB",
    "SNMP-MPD-MIB",
    "SNMP-USER-BASED-SM-MIB",
    "SNMP-VIEW-BASED-ACM-MIB",
    "SNMP-COMMUNITY-MIB",
    "IPV6-ICMP-MIB",
    "IPV6-MIB",
    "IPV6-TCP-MIB",
    "IPV6-UDP-MIB",
    "IP-FORWARD-MIB",
    "NET-SNMP-PASS-MIB",
    "NET-SNMP-EXTEND-MIB",
    "SNMP-NOTIFICATION-MIB",
    "SNMPv2-TM",
    "NET-SNMP-VACM-MIB",
];

/// Net-SNMP's default directories, `$HOME` expanded.
pub fn default_dirs() -> Vec<PathBuf> {
    let mut v = Vec::new();
    if let Some(home) = std::env::var_os("HOME") {
        v.push(Path::new(&home).join(".snmp/mibs"));
    }
    for d in [
        "/usr/share/snmp/mibs",
        "/usr/share/snmp/mibs/iana",
        "/usr/share/snmp/mibs/ietf",
    ] {
        v.push(PathBuf::from(d));
    }
    v
}

/// Largest MIB file read (bigger files are reported, not read).
pub const MAX_FILE_BYTES: u64 = 16 << 20;

/// One entry of the module list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModuleSpec {
    /// A module by name, found on the search path.
    Name(String),
    /// Every module on the search path (`ALL`).
    All,
    /// A specific file.
    File(PathBuf),
}

/// What to load: a search path and a module list. Build a [`Mib`] with [`MibLoader::load`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MibLoader {
    dirs: Vec<PathBuf>,
    modules: Vec<ModuleSpec>,
    builtin_fallback: bool,
}

impl MibLoader {
    /// An empty loader: no directories, no modules, no built-in fallback.
    pub fn new() -> MibLoader {
        MibLoader::default()
    }

    /// Net-SNMP's behaviour from the environment: `MIBDIRS`, `MIBS`, their defaults and the
    /// built-in table when no module file is found at all.
    pub fn from_env() -> MibLoader {
        let dirs = std::env::var("MIBDIRS").ok();
        let mibs = std::env::var("MIBS").ok();
        MibLoader::from_settings(dirs.as_deref(), mibs.as_deref())
    }

    /// As [`from_env`](Self::from_env), with the two variables' values given explicitly.
    pub fn from_settings(mibdirs: Option<&str>, mibs: Option<&str>) -> MibLoader {
        let mut l = MibLoader {
            builtin_fallback: true,
            ..MibLoader::default()
        };
        match mibdirs {
            None => l.dirs = default_dirs(),
            Some(s) => {
                if let Some(rest) = s.strip_prefix('+') {
                    l.dirs = split_list(rest).map(PathBuf::from).collect();
                    l.dirs.extend(default_dirs());
                } else {
                    l.dirs = split_list(s).map(PathBuf::from).collect();
                }
            }
        }
        let defaults = || {
            DEFAULT_MODULES
                .iter()
                .map(|m| ModuleSpec::Name(m.to_string()))
        };
        match mibs {
            None => l.modules = defaults().collect(),
            Some(s) => {
                let s = match s.strip_prefix('+') {
                    Some(rest) => {
                        l.modules = defaults().collect();
                        rest
                    }
                    None => s,
                };
                for item in split_list(s) {
                    l.modules.push(if item.eq_ignore_ascii_case("ALL") {
                        ModuleSpec::All
                    } else if item.contains('/') {
                        ModuleSpec::File(PathBuf::from(item))
                    } else {
                        ModuleSpec::Name(item.to_string())
                    });
                }
            }
        }
        l
    }

    /// Appends a directory to the search path.
    pub fn add_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.dirs.push(dir.into());
        self
    }

    /// Puts a directory in front of the search path (Net-SNMP's `+dir` on `MIBDIRS`).
    pub fn prepend_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.dirs.insert(0, dir.into());
        self
    }

    /// Adds a module (by name) to the list.
    pub fn load_module(&mut self, name: impl Into<String>) -> &mut Self {
        self.modules.push(ModuleSpec::Name(name.into()));
        self
    }

    /// Adds every module found on the search path (`ALL`).
    pub fn load_all(&mut self) -> &mut Self {
        self.modules.push(ModuleSpec::All);
        self
    }

    /// Adds one file (all modules in it).
    pub fn load_file(&mut self, path: impl Into<PathBuf>) -> &mut Self {
        self.modules.push(ModuleSpec::File(path.into()));
        self
    }

    /// Whether the small built-in table is used when no module file is found at all.
    pub fn builtin_fallback(&mut self, on: bool) -> &mut Self {
        self.builtin_fallback = on;
        self
    }

    /// The search path.
    pub fn dirs(&self) -> &[PathBuf] {
        &self.dirs
    }

    /// The module list.
    pub fn module_list(&self) -> &[ModuleSpec] {
        &self.modules
    }

    /// Loads strictly: any problem (unreadable or malformed file among the modules needed,
    /// missing module, unresolved name) fails the whole load.
    pub fn load(&self) -> Result<Mib, LoadErrors> {
        let (mib, errors) = self.load_lenient();
        if errors.is_empty() {
            Ok(mib)
        } else {
            Err(LoadErrors(errors))
        }
    }

    /// Loads what can be loaded, like Net-SNMP (which warns and carries on); returns the
    /// snapshot together with every problem found.
    pub fn load_lenient(&self) -> (Mib, Vec<LoadError>) {
        let mut errors = Vec::new();
        // Directory scan: module name -> file (first on the path wins), in scan order.
        let mut scan: Vec<(String, PathBuf)> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for dir in &self.dirs {
            let Ok(rd) = std::fs::read_dir(dir) else {
                continue; // Net-SNMP ignores directories that do not exist
            };
            let mut files: Vec<PathBuf> = rd
                .filter_map(|e| e.ok())
                .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
                .filter(|e| e.file_type().map(|t| !t.is_dir()).unwrap_or(false))
                .map(|e| e.path())
                .collect();
            files.sort();
            for f in files {
                // The header is near the top: read a prefix to learn the module name, and the
                // whole file only for the modules actually loaded (most of a directory is not).
                let Ok((head, whole)) = read_prefix(&f, SCAN_PREFIX_BYTES) else {
                    continue;
                };
                let name = match parser::module_name(&head) {
                    Some(n) => Some(n),
                    // A header past the prefix (a long comment first): look at all of it.
                    None if !whole => read_limited(&f).ok().and_then(|b| parser::module_name(&b)),
                    None => None,
                };
                if let Some(name) = name {
                    if !seen.contains_key(&name) {
                        seen.insert(name.clone(), scan.len());
                        scan.push((name, f));
                    }
                }
            }
        }
        let mut available: HashMap<String, Arc<Parsed>> = HashMap::new();
        let mut failed: HashMap<PathBuf, ()> = HashMap::new();
        let mut requested: Vec<String> = Vec::new();
        let mut explicit: Vec<PathBuf> = Vec::new();
        for spec in &self.modules {
            match spec {
                ModuleSpec::Name(n) => requested.push(n.clone()),
                ModuleSpec::All => requested.extend(scan.iter().rev().map(|(n, _)| n.clone())),
                ModuleSpec::File(p) => explicit.push(p.clone()),
            }
        }
        for p in &explicit {
            match parse_file(p) {
                Ok(mods) => {
                    for m in mods {
                        requested.push(m.name.clone());
                        available.insert(
                            m.name.clone(),
                            Arc::new(Parsed {
                                path: p.clone(),
                                ast: m,
                            }),
                        );
                    }
                }
                Err(e) => errors.push(e),
            }
        }
        // Parse lazily: the requested modules and whatever they import.
        let by_name: HashMap<&str, &PathBuf> = scan.iter().map(|(n, p)| (n.as_str(), p)).collect();
        let mut queue: Vec<String> = requested.clone();
        // The built-in modules stand in for core modules missing from the path (Debian's
        // `snmp` package ships only Net-SNMP's own MIBs, which import the standard ones).
        let mut builtin: Option<Vec<super::ast::ModuleAst>> = None;
        while let Some(name) = queue.pop() {
            if available.contains_key(&name) {
                continue;
            }
            let Some(path) = by_name.get(name.as_str()) else {
                if self.builtin_fallback {
                    let mods = builtin.get_or_insert_with(|| {
                        parser::parse(BUILTIN_TEXT.as_bytes()).expect("built-in MIB text parses")
                    });
                    if let Some(k) = mods.iter().position(|m| m.name == name) {
                        let m = mods.swap_remove(k);
                        queue.extend(m.imports.iter().map(|i| i.from.clone()));
                        available.insert(
                            name,
                            Arc::new(Parsed {
                                path: PathBuf::from("<built-in>"),
                                ast: m,
                            }),
                        );
                    }
                }
                continue; // otherwise reported as ModuleNotFound by the linker
            };
            if failed.contains_key(*path) {
                continue;
            }
            let parsed = parse_file(path);
            match parsed {
                Ok(mods) => {
                    for m in mods {
                        for imp in &m.imports {
                            queue.push(imp.from.clone());
                        }
                        let key = m.name.clone();
                        available.entry(key).or_insert_with(|| {
                            Arc::new(Parsed {
                                path: (*path).clone(),
                                ast: m,
                            })
                        });
                    }
                }
                Err(e) => {
                    failed.insert((*path).clone(), ());
                    errors.push(e);
                }
            }
        }
        if scan.is_empty() && explicit.is_empty() && self.builtin_fallback {
            return builtin_mib();
        }
        let (mib, mut link_errors) = build(&available, &requested);
        // A module whose file failed to parse is already reported; drop the echo.
        link_errors.retain(|e| match e {
            LoadError::ModuleNotFound { module, .. } => !by_name
                .get(module.as_str())
                .is_some_and(|p| failed.contains_key(*p)),
            _ => true,
        });
        errors.extend(link_errors);
        (mib, errors)
    }
}

/// The built-in table (used when no MIB file exists anywhere on the path).
pub fn builtin_mib() -> (Mib, Vec<LoadError>) {
    let mut available = HashMap::new();
    let mut requested = Vec::new();
    let mut errors = Vec::new();
    match parser::parse(BUILTIN_TEXT.as_bytes()) {
        Ok(mods) => {
            for m in mods {
                requested.push(m.name.clone());
                available.insert(
                    m.name.clone(),
                    Arc::new(Parsed {
                        path: PathBuf::new(),
                        ast: m,
                    }),
                );
            }
        }
        Err(error) => errors.push(LoadError::Syntax {
            path: PathBuf::from("<built-in>"),
            error,
        }),
    }
    let (mib, e) = build(&available, &requested);
    errors.extend(e);
    (mib, errors)
}

fn split_list(s: &str) -> impl Iterator<Item = &str> {
    s.split(':').map(str::trim).filter(|p| !p.is_empty())
}

/// How much of each file the directory scan reads to find its module name.
const SCAN_PREFIX_BYTES: usize = 16 * 1024;

/// The first `n` bytes of `path` (all of it when shorter) and whether that is the whole file;
/// files over the size limit are refused as [`read_limited`] refuses them.
fn read_prefix(path: &Path, n: usize) -> Result<(Vec<u8>, bool), LoadError> {
    use std::io::Read;
    let io = |e: std::io::Error| LoadError::Io {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    if len > MAX_FILE_BYTES {
        return Err(LoadError::Io {
            path: path.to_path_buf(),
            reason: format!("file larger than {MAX_FILE_BYTES} bytes"),
        });
    }
    let want = (len as usize).min(n);
    let mut buf = Vec::with_capacity(want);
    file.take(want as u64).read_to_end(&mut buf).map_err(io)?;
    let whole = buf.len() as u64 >= len;
    Ok((buf, whole))
}

/// The whole file, refused over the size limit (never allocated from a larger claim).
fn read_limited(path: &Path) -> Result<Vec<u8>, LoadError> {
    read_prefix(path, MAX_FILE_BYTES as usize).map(|(bytes, _)| bytes)
}

fn parse_file(path: &Path) -> Result<Vec<super::ast::ModuleAst>, LoadError> {
    let bytes = read_limited(path)?;
    parser::parse(&bytes).map_err(|error| LoadError::Syntax {
        path: path.to_path_buf(),
        error,
    })
}
