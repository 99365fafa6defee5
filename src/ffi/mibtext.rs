//! The MIB for C callers: loading (directories, modules), OID names <-> arcs and
//! Net-SNMP-style rendering with `-O` output letters, through the process's MIB resolver
//! (`MIBDIRS`/`MIBS`, built-in core modules as a fallback). Options are per call, never
//! process-global.

use super::guard::{boundary, boundary_err, copy_text, out, slice, text};
use super::oidtext::{oid_from_arcs, parse_oid};
use super::response::{snmpx_varbind, with_varbind};
use super::result::{snmpx_error, snmpx_result, Fail};
use crate::format::{format_oid, format_varbind, OutputOptions};
use crate::mib::Resolver;
use std::ffi::c_char;

/// `-O` letters (NULL or "" = Net-SNMP's default output).
///
/// # Safety
/// A non-NULL `letters` must be a NUL-terminated string.
unsafe fn options(letters: *const c_char) -> Result<OutputOptions, Fail> {
    if letters.is_null() {
        return Ok(OutputOptions::default());
    }
    // SAFETY: non-NULL and NUL-terminated per the caller.
    let l = unsafe { text(letters, "options") }?;
    OutputOptions::from_flags(l).map_err(|c| {
        Fail::new(
            snmpx_result::SNMPX_E_USAGE,
            format!("unknown output option letter {c:?} (Net-SNMP -O letters)"),
        )
    })
}

/// Resolves OID text (a name such as `IF-MIB::ifDescr.3` or `sysDescr.0`, or numeric) to
/// its arcs. Writes up to `cap` arcs to `arcs` and the count to `*len`; if `cap` is too small
/// only `*len` is written and `SNMPX_E_BUFFER_TOO_SMALL` returned (`arcs` may be NULL when
/// `cap` is 0). Unknown names: `SNMPX_E_MIB_UNKNOWN_OBJECT`, details in `*err`.
/// Thread-safety: any thread; the resolver is read without locks.
#[no_mangle]
pub unsafe extern "C" fn snmpx_oid_parse(
    text_oid: *const c_char,
    arcs: *mut u32,
    cap: usize,
    len: *mut usize,
    err: *mut *mut snmpx_error,
) -> snmpx_result {
    boundary_err(err, || {
        // SAFETY: C contract: NUL-terminated text.
        let t = unsafe { text(text_oid, "text") }?;
        let len = out(len, "len")?;
        if cap > 0 && arcs.is_null() {
            return Err(Fail::null("arcs"));
        }
        let oid = parse_oid(t)?;
        if oid.len() > cap {
            // SAFETY: checked non-NULL, writable per the C contract.
            unsafe { len.set(oid.len()) };
            return Err(Fail::new(
                snmpx_result::SNMPX_E_BUFFER_TOO_SMALL,
                format!("{} arcs needed", oid.len()),
            ));
        }
        // SAFETY: `arcs` is writable for `cap >= oid.len()` u32s per the C contract.
        unsafe {
            std::ptr::copy_nonoverlapping(oid.as_slice().as_ptr(), arcs, oid.len());
            len.set(oid.len());
        }
        Ok(())
    })
}

/// An OID as text with Net-SNMP's `-O` OID letters (`n` numeric, `s` `S` `f` `u`, `X`, `b`;
/// NULL or "" = the default `MODULE::name.index`). Same buffer convention as
/// `snmpx_varbind_format`.
#[no_mangle]
pub unsafe extern "C" fn snmpx_oid_format(
    arcs: *const u32,
    n: usize,
    options_letters: *const c_char,
    buf: *mut c_char,
    buf_len: usize,
    len: *mut usize,
) -> snmpx_result {
    boundary(|| {
        // SAFETY: C contract: `arcs` readable for `n` u32s; options NUL-terminated or NULL.
        let arcs = unsafe { slice(arcs, n, "arcs") }?;
        let oid = oid_from_arcs(arcs)?;
        // SAFETY: C contract: NULL or NUL-terminated.
        let opts = unsafe { options(options_letters) }?;
        let mib = Resolver::global().snapshot();
        let s = format_oid(&mib, oid.as_slice(), &opts);
        // SAFETY: C contract: `buf` writable for `buf_len` bytes, `len` writable.
        unsafe { copy_text(&s, buf, buf_len, len) }
    })
}

/// The binding as one line of text exactly as Net-SNMP 5.9's `snmpget` prints it with these
/// `-O` letters (NULL or "" = its default: `SNMPv2-MIB::sysName.0 = STRING: name`), using the
/// MIB for names, enums, DISPLAY-HINTs and units. Same buffer convention as
/// `snmpx_varbind_format`.
#[no_mangle]
pub unsafe extern "C" fn snmpx_varbind_format_opts(
    varbind: *const snmpx_varbind,
    options_letters: *const c_char,
    buf: *mut c_char,
    buf_len: usize,
    len: *mut usize,
) -> snmpx_result {
    with_varbind(varbind, |vb| {
        // SAFETY: C contract: NULL or NUL-terminated.
        let opts = unsafe { options(options_letters) }?;
        let mib = Resolver::global().snapshot();
        let s = format_varbind(&mib, vb, &opts);
        // SAFETY: C contract: `buf` writable for `buf_len` bytes, `len` writable.
        unsafe { copy_text(&s, buf, buf_len, len) }
    })
}

/// The first `n` problems as one message.
fn summary(errors: &[crate::mib::LoadError], n: usize) -> String {
    let mut parts: Vec<String> = errors.iter().take(n).map(|e| e.to_string()).collect();
    if errors.len() > n {
        parts.push(format!("and {} more", errors.len() - n));
    }
    parts.join("; ")
}

/// Adds a directory to the MIB search path and reloads, as Net-SNMP's `-M +DIR`: what loads
/// is published at once for every thread (readers keep the snapshot they hold). Fails with
/// `SNMPX_E_MIB_LOAD` only when `dir` is not a readable directory; problems in other modules
/// do not block it (Net-SNMP warns and carries on). Thread-safety: any thread; reloads are
/// serialised.
#[no_mangle]
pub unsafe extern "C" fn snmpx_mib_add_dir(
    dir: *const c_char,
    err: *mut *mut snmpx_error,
) -> snmpx_result {
    boundary_err(err, || {
        // SAFETY: C contract: NUL-terminated text.
        let d = unsafe { text(dir, "dir") }?;
        if std::fs::read_dir(d).is_err() {
            return Err(Fail::new(
                snmpx_result::SNMPX_E_MIB_LOAD,
                format!("{d:?} is not a readable directory"),
            ));
        }
        Resolver::global().add_dir_lenient(d);
        Ok(())
    })
}

/// Loads a MIB module by name (Net-SNMP's `-m +NAME`) from the search path, with what it
/// imports, and publishes the result. `SNMPX_E_MIB_LOAD` when the module itself did not
/// load (not found, syntax error); the message names the problems.
#[no_mangle]
pub unsafe extern "C" fn snmpx_mib_load_module(
    name: *const c_char,
    err: *mut *mut snmpx_error,
) -> snmpx_result {
    boundary_err(err, || {
        // SAFETY: C contract: NUL-terminated text.
        let n = unsafe { text(name, "name") }?;
        let resolver = Resolver::global();
        let errors = resolver.load_module_lenient(n);
        if resolver.snapshot().has_module(n) {
            return Ok(());
        }
        Err(Fail::new(
            snmpx_result::SNMPX_E_MIB_LOAD,
            format!("MIB module {n:?} not loaded: {}", summary(&errors, 3)),
        ))
    })
}
