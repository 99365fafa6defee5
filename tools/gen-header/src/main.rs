//! Writes include/snmpx.h (or the path given as the first argument) from the snmpx crate's
//! `src/ffi` with the pinned cbindgen and the repository's cbindgen.toml. The version macros
//! come from the crate's Cargo.toml. Run from anywhere: paths are relative to the repository.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The `version = "..."` of the `[package]` table.
fn crate_version(manifest: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(manifest).map_err(|e| format!("{manifest:?}: {e}"))?;
    let mut in_package = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_package = t == "[package]";
        } else if in_package {
            if let Some(v) = t.strip_prefix("version") {
                let v = v.trim_start().trim_start_matches('=').trim().trim_matches('"');
                return Ok(v.to_string());
            }
        }
    }
    Err(format!("no [package] version in {manifest:?}"))
}

fn preamble(version: &str) -> Result<String, String> {
    let core = version.split(['-', '+']).next().unwrap_or(version);
    let parts: Vec<&str> = core.split('.').collect();
    let [major, minor, patch] = parts.as_slice() else {
        return Err(format!("version {version:?} is not MAJOR.MINOR.PATCH"));
    };
    Ok(format!(
        r#"
/*
 * snmpx: thread-safe, high-throughput SNMP manager library (C ABI).
 *
 * Contract for every function:
 * - Handles are opaque; constructors are *_new / *_open, destructors *_free (NULL is a no-op).
 * - Receiver first, then inputs, then outputs; every buffer is followed by its size_t length.
 *   Outputs are written only on success (except the needed length of a too-small text buffer).
 * - Fallible functions return snmpx_result (0 = SNMPX_OK). A NULL object or output pointer gives
 *   SNMPX_E_INVALID. Functions that take a code take uint32_t.
 * - Failure details go to an optional snmpx_error **err (pass NULL to ignore; free with
 *   snmpx_error_free); there is no thread-local "last error".
 * - An agent's error-status in a response, and noSuchObject / noSuchInstance / endOfMibView
 *   values, are data, not failed calls.
 * - Call snmpx_init() before opening sessions and snmpx_shutdown() once per successful init.
 * - Each type's comment states its ownership and thread-safety; callbacks run on library I/O
 *   threads (see snmpx_callback for what they must not do).
 */

#define SNMPX_VERSION_MAJOR {major}
#define SNMPX_VERSION_MINOR {minor}
#define SNMPX_VERSION_PATCH {patch}
#define SNMPX_VERSION_STRING "{version}"
"#
    ))
}

fn run() -> Result<(), String> {
    let repo: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let repo = repo.canonicalize().map_err(|e| format!("{repo:?}: {e}"))?;
    let out = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("include/snmpx.h"));
    let mut config = cbindgen::Config::from_file(repo.join("cbindgen.toml"))?;
    config.after_includes = Some(preamble(&crate_version(&repo.join("Cargo.toml"))?)?);
    let bindings = cbindgen::Builder::new()
        .with_crate(&repo)
        .with_config(config)
        .generate()
        .map_err(|e| format!("cbindgen: {e}"))?;
    bindings.write_to_file(&out);
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-header: {e}");
            ExitCode::FAILURE
        }
    }
}
