//! The shared resolver: one current [`Mib`] snapshot behind an atomic pointer.
//!
//! Readers call [`Resolver::snapshot`] (a lock-free `Arc` load) and keep that snapshot for as
//! long as they like. A reload builds a complete new snapshot off to the side, without any
//! lock held, and publishes it with one atomic swap; a load that reports any error publishes
//! nothing, so bad MIB text can never damage what readers see. Reloads are serialised by a
//! mutex that readers never touch. After `fork()` the child inherits the current snapshot as
//! ordinary memory (no thread or lock state is needed to read it).

use super::error::{LoadErrors, ResolveError};
use super::loader::MibLoader;
use super::tree::Mib;
use crate::oid::Oid;
use arc_swap::ArcSwap;
use parking_lot::Mutex;
use std::sync::{Arc, OnceLock};

/// A thread-safe holder of the current MIB snapshot. Shareable (`Send + Sync`).
pub struct Resolver {
    current: ArcSwap<Mib>,
    loader: Mutex<MibLoader>,
}

impl std::fmt::Debug for Resolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resolver")
            .field("modules", &self.snapshot().modules().len())
            .finish()
    }
}

impl Resolver {
    /// A resolver holding `mib`, with `loader` as the configuration later reloads start from.
    pub fn with_mib(mib: Mib, loader: MibLoader) -> Resolver {
        Resolver {
            current: ArcSwap::from_pointee(mib),
            loader: Mutex::new(loader),
        }
    }

    /// Loads with `loader` (strictly) and returns a resolver holding the result.
    pub fn load(loader: MibLoader) -> Result<Resolver, LoadErrors> {
        let mib = loader.load()?;
        Ok(Resolver::with_mib(mib, loader))
    }

    /// A resolver set up like Net-SNMP tools from `MIBDIRS`/`MIBS` and their defaults. Problems
    /// in individual files are tolerated (returned alongside), as Net-SNMP warns and carries on.
    pub fn from_env() -> (Resolver, Vec<super::LoadError>) {
        let loader = MibLoader::from_env();
        let (mib, errors) = loader.load_lenient();
        (Resolver::with_mib(mib, loader), errors)
    }

    /// The process-wide resolver, created from the environment on first use.
    pub fn global() -> &'static Resolver {
        static GLOBAL: OnceLock<Resolver> = OnceLock::new();
        GLOBAL.get_or_init(|| Resolver::from_env().0)
    }

    /// The current snapshot (lock-free). Keep it for a consistent view across many lookups.
    pub fn snapshot(&self) -> Arc<Mib> {
        self.current.load_full()
    }

    /// Resolves a name with the current snapshot.
    pub fn resolve(&self, text: &str) -> Result<Oid, ResolveError> {
        self.current.load().resolve(text)
    }

    /// Replaces the configuration and reloads; on any error nothing changes.
    pub fn reload_with(&self, loader: MibLoader) -> Result<Arc<Mib>, LoadErrors> {
        self.update(|l| *l = loader)
    }

    /// [`reload_with`](Self::reload_with) published leniently (whatever loads is published;
    /// every problem is returned), as Net-SNMP's tools treat `-m`/`-M`.
    pub fn reload_with_lenient(&self, loader: MibLoader) -> Vec<super::LoadError> {
        self.update_lenient(|l| *l = loader)
    }

    /// Reloads with the current configuration (e.g. after files changed on disk).
    pub fn reload(&self) -> Result<Arc<Mib>, LoadErrors> {
        self.update(|_| {})
    }

    /// Adds a directory to the search path and reloads; on error nothing changes.
    pub fn add_dir(&self, dir: impl Into<std::path::PathBuf>) -> Result<Arc<Mib>, LoadErrors> {
        let dir = dir.into();
        self.update(|l| {
            l.add_dir(dir);
        })
    }

    /// Adds a module to the list and reloads; on error nothing changes.
    pub fn load_module(&self, name: &str) -> Result<Arc<Mib>, LoadErrors> {
        self.update(|l| {
            l.load_module(name);
        })
    }

    /// [`add_dir`](Self::add_dir) the way Net-SNMP's tools load MIBs: whatever loads is
    /// published (problems elsewhere on the path do not block it) and every problem is
    /// returned. For callers that must work with incomplete MIB sets (Debian ships only
    /// Net-SNMP's own modules, which import the standard ones).
    pub fn add_dir_lenient(&self, dir: impl Into<std::path::PathBuf>) -> Vec<super::LoadError> {
        let dir = dir.into();
        self.update_lenient(|l| {
            l.add_dir(dir);
        })
    }

    /// [`load_module`](Self::load_module), published leniently like
    /// [`add_dir_lenient`](Self::add_dir_lenient); check the snapshot's
    /// [`Mib::has_module`] for the module itself.
    pub fn load_module_lenient(&self, name: &str) -> Vec<super::LoadError> {
        self.update_lenient(|l| {
            l.load_module(name);
        })
    }

    fn update_lenient(&self, edit: impl FnOnce(&mut MibLoader)) -> Vec<super::LoadError> {
        let mut cfg = self.loader.lock();
        let mut next = cfg.clone();
        edit(&mut next);
        let (mib, errors) = next.load_lenient();
        self.current.store(Arc::new(mib));
        *cfg = next;
        errors
    }

    /// Edits a copy of the configuration, loads it off to the side and publishes the result
    /// with one atomic swap. Reloads are serialised; readers are never blocked.
    fn update(&self, edit: impl FnOnce(&mut MibLoader)) -> Result<Arc<Mib>, LoadErrors> {
        let mut cfg = self.loader.lock();
        let mut next = cfg.clone();
        edit(&mut next);
        let mib = Arc::new(next.load()?);
        self.current.store(mib.clone());
        *cfg = next;
        Ok(mib)
    }
}
