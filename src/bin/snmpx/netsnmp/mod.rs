//! The Net-SNMP-compatible commands: `snmpget`, `snmpgetnext`, `snmpbulkget`, `snmpwalk`,
//! `snmpbulkwalk`, `snmpset`, `snmptable` and `snmptranslate`, with Net-SNMP 5.9.3's flags,
//! output (stdout and stderr, byte for byte) and exit codes (0 ok, 1 usage/timeout/local
//! error, 2 error-status from the agent).
//!
//! `snmpx` runs one of them when invoked under its name (a symlink; see
//! [`install_links`]) or as `snmpx snmpwalk ...`.
//!
//! Layout: [`args`] (option parsing), [`conf`] (snmp.conf directives), [`ctx`] (MIBs,
//! output streams, the session), [`dump`] (`-d` packet dumps), [`errors`] (Net-SNMP's
//! texts), one module per application ([`get`], [`walk`], [`set`], [`table`],
//! [`translate`]) and [`setvalue`] (snmpset's value parsing and checks).

pub mod args;
pub mod conf;
pub mod ctx;
pub mod dump;
pub mod errors;
pub mod get;
pub mod set;
pub mod setvalue;
pub mod table;
pub mod translate;
pub mod usage;
mod usage_text;
pub mod walk;

use args::Stop;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
pub use usage::App;

/// Runs `app` with `args` (argv without argv[0]) and returns its exit code.
pub fn run(app: App, args: &[String]) -> ExitCode {
    let opts = match args::parse(app, args) {
        Ok(o) => o,
        Err(Stop::Usage(msg, dirs)) => {
            let mut e = std::io::stderr().lock();
            let _ = e.write_all(msg.as_bytes());
            // Option errors come before the library is initialised: the usage text shows
            // the compiled-in default search path, or a `-M` path already set.
            let _ = e.write_all(usage::text(app, dirs.as_deref()).as_bytes());
            return ExitCode::from(1);
        }
        Err(Stop::Exit(msg, code)) => {
            let _ = std::io::stderr().write_all(msg.as_bytes());
            return ExitCode::from(code);
        }
    };
    let mut c = ctx::Ctx::new(app, opts);
    let code = match app {
        App::Get | App::GetNext | App::BulkGet => get::run(&mut c),
        App::Walk | App::BulkWalk => walk::run(&mut c),
        App::Set => set::run(&mut c),
        App::Table => table::run(&mut c),
        App::Translate => translate::run(&mut c),
    };
    c.flush();
    ExitCode::from(code)
}

/// Creates a symlink named after each application in `dir`, pointing at this executable
/// (`snmpx install-links DIR`). Existing links to us are replaced; other files are left
/// alone and reported.
pub fn install_links(dir: &Path, force: bool) -> Result<Vec<String>, String> {
    let exe = std::env::current_exe().map_err(|e| format!("locating this executable: {e}"))?;
    std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let mut made = Vec::new();
    for app in usage::ALL {
        let link = dir.join(app.name());
        if let Ok(meta) = std::fs::symlink_metadata(&link) {
            let ours = meta.file_type().is_symlink()
                && std::fs::read_link(&link).ok().as_deref() == Some(exe.as_path());
            if !ours && !force {
                return Err(format!(
                    "{} exists and is not a link to {} (use --force to replace it)",
                    link.display(),
                    exe.display()
                ));
            }
            std::fs::remove_file(&link).map_err(|e| format!("removing {}: {e}", link.display()))?;
        }
        std::os::unix::fs::symlink(&exe, &link)
            .map_err(|e| format!("linking {}: {e}", link.display()))?;
        made.push(link.display().to_string());
    }
    Ok(made)
}
