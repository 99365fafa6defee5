//! MIB-aware text for C callers: OID names <-> arcs and Net-SNMP-style rendering with `-O`
//! output letters, through the process's MIB resolver (`MIBDIRS`/`MIBS`, built-in core
//! modules as a fallback). Options are per call, never process-global.

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
