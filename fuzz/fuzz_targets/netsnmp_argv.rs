//! Net-SNMP-style command lines through both parsers: the Net-SNMP-compatible tools'
//! `snmp_parse_args` (`src/bin/snmpx/netsnmp/args.rs`, compiled here from the binary's own
//! source files) and the C ABI's `snmpx_config_from_argv`. The first octet picks the tool;
//! the rest is argv, split at NUL octets.
//!
//! Checked: no panic (a panic contained at the C boundary would still abort here, through
//! libFuzzer's panic hook); the tools' parser returns options whose operands are words of the
//! command line, or a stop with a usage text that renders; the C ABI returns a configuration
//! and an index within argv, or an error with a message that never quotes a pass phrase
//! or key (checked by running the line again with those words replaced by markers). Lines
//! with `-m`/`-M` skip the C ABI (those options may load MIBs process-wide from any directory).
#![no_main]

/// The binary's option parser and the modules it needs, from the binary's source files.
#[allow(dead_code, unused_imports)]
#[path = "../../src/bin/snmpx/netsnmp"]
mod netsnmp {
    pub mod args;
    pub mod conf;
    pub mod usage;
    mod usage_text;
}

use libfuzzer_sys::fuzz_target;
use netsnmp::args::{parse, Stop};
use netsnmp::usage::{self, ALL};
use snmpx::ffi::snmpx_result;
use std::ffi::{c_char, c_void, CStr, CString};
use std::sync::Once;

// The C ABI as a C program sees it: the exported symbols of the library (they live in
// private modules of `snmpx::ffi`, so they are declared here, with the handles as opaque
// pointers as in the header, and resolved by the linker).
extern "C" {
    fn snmpx_config_from_argv(
        argv: *const *const c_char,
        argc: usize,
        config: *mut *mut c_void,
        next_arg: *mut usize,
        err: *mut *mut c_void,
    ) -> snmpx_result;
    fn snmpx_config_free(config: *mut c_void);
    fn snmpx_error_message(err: *const c_void, message: *mut *const c_char) -> snmpx_result;
    fn snmpx_error_free(err: *mut c_void);
}

fn tools(app: usage::App, words: &[&[u8]]) {
    let args: Vec<String> = words
        .iter()
        .map(|w| String::from_utf8_lossy(w).into_owned())
        .collect();
    match parse(app, &args) {
        Ok(o) => {
            for op in &o.operands {
                assert!(args.contains(op), "operand {op:?} is not a word of argv");
            }
        }
        Err(Stop::Usage(msg, dirs)) => {
            let text = usage::text(app, dirs.as_deref());
            assert!(!text.is_empty());
            let _ = msg;
        }
        Err(Stop::Exit(_, code)) => assert!(code <= 1),
    }
}

/// The command line with the word after each pass-phrase or key flag given alone (`-A WORD`)
/// replaced by a unique marker no message text contains, and the markers (unique as long as
/// no word of the input contains `Zq#`).
fn with_secret_markers(words: &[&[u8]]) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let flags: [&[u8]; 8] = [b"-A", b"-X", b"-3A", b"-3X", b"-3k", b"-3K", b"-3m", b"-3M"];
    let mut out: Vec<Vec<u8>> = words.iter().map(|w| w.to_vec()).collect();
    let mut markers = Vec::new();
    for i in 1..out.len() {
        if flags.contains(&words[i - 1]) {
            let m = format!("Zq#{i}#secret#{i}").into_bytes();
            out[i] = m.clone();
            markers.push(m);
        }
    }
    (out, markers)
}

fn c_abi(words: &[&[u8]], secrets: &[Vec<u8>]) {
    let owned: Vec<CString> = std::iter::once(&b"prog"[..])
        .chain(words.iter().copied())
        .map(|w| CString::new(w).expect("split at NUL"))
        .collect();
    let argv: Vec<*const c_char> = owned.iter().map(|c| c.as_ptr()).collect();
    let mut config: *mut c_void = std::ptr::null_mut();
    let mut next = usize::MAX;
    let mut err: *mut c_void = std::ptr::null_mut();
    // SAFETY: argv holds argv.len() NUL-terminated strings that outlive the call; the
    // outputs are valid for writes.
    let rc = unsafe {
        snmpx_config_from_argv(argv.as_ptr(), argv.len(), &mut config, &mut next, &mut err)
    };
    if rc == snmpx_result::SNMPX_OK {
        assert!(!config.is_null() && err.is_null());
        assert!(
            (1..=argv.len()).contains(&next),
            "next_arg {next} of {}",
            argv.len()
        );
        // SAFETY: a config this library returned, freed once.
        unsafe { snmpx_config_free(config) };
        return;
    }
    assert!(
        config.is_null() && next == usize::MAX,
        "outputs written on failure"
    );
    assert_ne!(rc, snmpx_result::SNMPX_E_PANIC);
    assert!(!err.is_null());
    let mut msg: *const c_char = std::ptr::null();
    // SAFETY: `err` is a live error; `msg` is valid for a write.
    assert_eq!(
        unsafe { snmpx_error_message(err, &mut msg) },
        snmpx_result::SNMPX_OK
    );
    // SAFETY: the message is a NUL-terminated string owned by `err`, alive until freed.
    let text = unsafe { CStr::from_ptr(msg) }.to_bytes().to_vec();
    // SAFETY: an error this library returned, freed once.
    unsafe { snmpx_error_free(err) };
    for s in secrets {
        assert!(
            !text.windows(s.len()).any(|w| w == s),
            "error message quotes a secret: {}",
            String::from_utf8_lossy(&text)
        );
    }
}

fuzz_target!(|data: &[u8]| {
    static INIT: Once = Once::new();
    // No snmp.conf: the parser reads SNMPCONFPATH's directories on every call.
    INIT.call_once(|| std::env::set_var("SNMPCONFPATH", "/nonexistent/snmpx-fuzz"));
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let words: Vec<&[u8]> = if rest.is_empty() {
        Vec::new()
    } else {
        rest.split(|&b| b == 0).collect()
    };
    if words.len() > 64 {
        return;
    }
    tools(ALL[sel as usize % ALL.len()], &words);
    // `-m`/`-M` may load MIB modules into the process-wide resolver from any directory the
    // input names: file-system work with global effects, not parsing; left out here.
    if words
        .iter()
        .any(|w| w.starts_with(b"-m") || w.starts_with(b"-M"))
    {
        return;
    }
    c_abi(&words, &[]);
    // Again with marked pass phrases and keys: no error message may quote one.
    let (marked, secrets) = with_secret_markers(&words);
    let forged = words.iter().any(|w| w.windows(3).any(|x| x == b"Zq#"));
    if !secrets.is_empty() && !forged {
        let marked: Vec<&[u8]> = marked.iter().map(|w| w.as_slice()).collect();
        c_abi(&marked, &secrets);
    }
});
