//! Security (issue 7, item 4), the parts that are not a tampering agent (those are in
//! tests/hostile and tests/interop_v3.rs):
//! - secrets (pass phrases, communities, master/localized/privacy keys) never appear in the
//!   Debug or Display text of any type that carries them, nor in errors produced with wrong
//!   credentials, nor in the C ABI's error messages;
//! - every key type is `ZeroizeOnDrop`, and dropping one wipes its octets (observed without
//!   reading freed memory: an inline key is dropped in place with `ManuallyDrop`, a heap one
//!   is inspected by the allocator before the block is released);
//! - no amplification: the runtime never answers a datagram it did not ask for.

use snmpx::message::v3::{encode_discovery, SecurityKeys};
use snmpx::message::{encode_community, encode_trap_v1, Version};
use snmpx::pdu::{Pdu, PduType, TrapV1};
use snmpx::sim::{SimConfig, Simulator, UsmSecurity};
use snmpx::usm::{
    localize, password_to_key, AuthKey, AuthProtocol, Credentials, KeyCache, LocalizedKey,
    MasterKey, Password, PrivKey, PrivProtocol, Secret, SecretBytes,
};
use snmpx::{Error, Runtime, Session, SessionBuilder, Value, VarBind};
use std::alloc::{GlobalAlloc, Layout, System};
use std::mem::ManuallyDrop;
use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use zeroize::{Zeroize, ZeroizeOnDrop};

const USER: &str = "secure";
const AUTH_PASS: &str = "Auth-Secret-7f3a9c";
const PRIV_PASS: &str = "Priv-Secret-52e1bd";
const WRONG_AUTH: &str = "Wrong-Auth-Secret-d91e";
const WRONG_PRIV: &str = "Wrong-Priv-Secret-a3c7";
const COMMUNITY: &str = "Community-Secret-0c44";
const SYS_NAME: &str = "1.3.6.1.2.1.1.5.0";

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Everything secret in this file, as byte strings: pass phrases, the community, and the
/// keys derived from the pass phrases at `engine_id` (master, localized, privacy material).
fn secrets(engine_id: &[u8]) -> Vec<Vec<u8>> {
    let mut s: Vec<Vec<u8>> = [AUTH_PASS, PRIV_PASS, WRONG_AUTH, WRONG_PRIV, COMMUNITY]
        .iter()
        .map(|p| p.as_bytes().to_vec())
        .collect();
    for pass in [AUTH_PASS, PRIV_PASS, WRONG_AUTH, WRONG_PRIV] {
        let ku = password_to_key(AuthProtocol::Sha1, pass.as_bytes()).unwrap();
        let kul = localize(AuthProtocol::Sha1, &ku, engine_id).unwrap();
        let pk = PrivKey::from_localized(PrivProtocol::Aes128, &kul, engine_id).unwrap();
        s.push(ku.as_bytes().to_vec());
        s.push(kul.as_bytes().to_vec());
        s.push(pk.as_bytes().to_vec());
    }
    s
}

/// Fails if `text` shows any secret as text, as hex (either case, any 4-octet run) or as a
/// Rust byte list (`[65, 117, ...]`, any 4-octet run).
fn assert_clean(what: &str, text: &str, secrets: &[Vec<u8>]) {
    let lower = text.to_ascii_lowercase();
    for s in secrets {
        if let Ok(t) = std::str::from_utf8(s) {
            assert!(!text.contains(t), "{what}: secret text in {text}");
        }
        for w in s.windows(4) {
            assert!(
                !lower.contains(&hex(w)),
                "{what}: hex of a secret in {text}"
            );
            let list = format!("{w:?}");
            assert!(
                !text.contains(&list[1..list.len() - 1]),
                "{what}: byte list of a secret in {text}"
            );
        }
    }
}

/// Debug (both forms) of `v`, checked clean; returns the text for further checks.
fn debug_clean<T: std::fmt::Debug>(what: &str, v: &T, secrets: &[Vec<u8>]) -> String {
    let text = format!("{v:?}\n{v:#?}");
    assert_clean(what, &text, secrets);
    text
}

#[test]
fn the_checker_finds_leaks() {
    // The check below must be able to fail.
    let s = secrets(b"\x80\x00\x1f\x88\x04engine");
    for leak in [
        format!("pw={AUTH_PASS}"),
        format!("{:?}", COMMUNITY.as_bytes()),
        hex(&s[6]).to_uppercase(),
        format!("{:?}", &s[7][3..9]),
    ] {
        let r = std::panic::catch_unwind(|| assert_clean("probe", &leak, &s));
        assert!(r.is_err(), "not caught: {leak}");
    }
}

fn v3_builder(target: &str, auth: &str, privacy: &str) -> SessionBuilder {
    Session::builder(target)
        .version(Version::V3)
        .user(USER)
        .auth("SHA", auth)
        .privacy("AES", privacy)
        .timeout(Duration::from_millis(300))
        .retries(1)
}

#[test]
fn session_options_keys_and_config_types_show_no_secret() {
    let engine = b"\x80\x00\x1f\x88\x04engine".to_vec();
    let s = secrets(&engine);
    let (ku, kul, pk) = (&s[5], &s[6], &s[7]);

    // Builders: pass phrases, master keys, localized keys, community.
    debug_clean(
        "builder",
        &v3_builder("127.0.0.1", AUTH_PASS, PRIV_PASS),
        &s,
    );
    let b = Session::builder("127.0.0.1")
        .version(Version::V3)
        .user(USER)
        .auth_protocol(AuthProtocol::Sha1)
        .auth_master_key(ku)
        .priv_protocol(PrivProtocol::Aes128)
        .priv_localized_key(pk);
    debug_clean("builder with keys", &b, &s);
    let b = Session::builder("127.0.0.1")
        .version(Version::V3)
        .user(USER)
        .auth_protocol(AuthProtocol::Sha1)
        .auth_localized_key(kul);
    debug_clean("builder with a localized key", &b, &s);
    let b = Session::builder("127.0.0.1").community(COMMUNITY);
    let text = debug_clean("v2c builder", &b, &s);
    assert!(text.contains("redacted"), "{text}");

    // Opened sessions' parameters (v3 user settings with credentials, v2c community).
    let rt = Runtime::new().unwrap();
    let v3 = v3_builder("127.0.0.1", AUTH_PASS, PRIV_PASS)
        .open(&rt)
        .unwrap();
    debug_clean("v3 params", v3.params(), &s);
    debug_clean("v3 session", &v3, &s);
    let v2 = Session::builder("127.0.0.1")
        .community(COMMUNITY)
        .open(&rt)
        .unwrap();
    debug_clean("v2c params", v2.params(), &s);
    let text = debug_clean("v2c session", &v2, &s);
    assert!(text.contains("<redacted, 21 octets>"), "{text}");

    // USM types.
    let creds = Credentials::from_passwords(
        AuthProtocol::Sha1,
        AUTH_PASS.as_bytes(),
        Some((PrivProtocol::Aes128, PRIV_PASS.as_bytes())),
    )
    .unwrap();
    debug_clean("credentials", &creds, &s);
    debug_clean("password", &Password::new(AUTH_PASS).unwrap(), &s);
    debug_clean("secret bytes", &SecretBytes::new(pk.clone()), &s);
    let m = MasterKey::from_bytes(AuthProtocol::Sha1, ku).unwrap();
    debug_clean("master key", &m, &s);
    debug_clean("master secret", &Secret::Master(m), &s);
    let l = LocalizedKey::from_bytes(AuthProtocol::Sha1, kul).unwrap();
    debug_clean("localized key", &l, &s);
    debug_clean("auth key", &AuthKey::new(l).unwrap(), &s);
    debug_clean(
        "priv key",
        &PrivKey::from_bytes(PrivProtocol::Aes128, pk).unwrap(),
        &s,
    );
    let cache = KeyCache::new().unwrap();
    let keys = cache.keys_for(&creds, &engine).unwrap();
    debug_clean("usm keys", &keys, &s);
    debug_clean("key cache", &cache, &s);
    let sk = SecurityKeys::derive(&cache, USER.as_bytes(), &creds, &engine)
        .unwrap()
        .unwrap();
    debug_clean("security keys", &sk, &s);
    let usm = UsmSecurity::new(vec![(USER.as_bytes().to_vec(), creds)]).unwrap();
    debug_clean("simulator usm", &usm, &s);
}

#[test]
fn errors_from_wrong_or_bad_credentials_show_no_secret() {
    let creds = Credentials::from_passwords(
        AuthProtocol::Sha1,
        AUTH_PASS.as_bytes(),
        Some((PrivProtocol::Aes128, PRIV_PASS.as_bytes())),
    )
    .unwrap();
    let usm = UsmSecurity::new(vec![(USER.as_bytes().to_vec(), creds)]).unwrap();
    let engine = usm.engine_id(0);
    let sim = Simulator::start(SimConfig::new(1).security(Arc::new(usm))).unwrap();
    let target = sim.addr_of(0).to_string();
    let s = secrets(&engine);
    let rt = Runtime::new().unwrap();

    let mut errors: Vec<Error> = Vec::new();
    // Wrong authentication pass phrase: the agent reports usmStatsWrongDigests.
    let e = v3_builder(&target, WRONG_AUTH, PRIV_PASS)
        .open(&rt)
        .unwrap()
        .get(&[SYS_NAME])
        .unwrap_err();
    assert!(matches!(e, Error::AuthenticationFailed { .. }), "{e:?}");
    errors.push(e);
    // Wrong privacy pass phrase: the agent cannot decrypt and stays silent.
    let e = v3_builder(&target, AUTH_PASS, WRONG_PRIV)
        .open(&rt)
        .unwrap()
        .get(&[SYS_NAME])
        .unwrap_err();
    assert!(matches!(e, Error::Timeout { .. }), "{e:?}");
    errors.push(e);
    // A pass phrase too short to use (RFC 3414 §11.2): refused at open.
    let short = "Sh0rt!x";
    let e = v3_builder(&target, short, PRIV_PASS)
        .open(&rt)
        .map(|_| ())
        .unwrap_err();
    assert!(matches!(e, Error::Usage(_)), "{e:?}");
    errors.push(e);
    // A localized key of the wrong length.
    let e = Session::builder(&target)
        .version(Version::V3)
        .user(USER)
        .auth_protocol(AuthProtocol::Sha256)
        .auth_localized_key(&s[6])
        .open(&rt)
        .and_then(|x| x.get(&[SYS_NAME]))
        .unwrap_err();
    errors.push(e);
    let mut short_too = s.clone();
    short_too.push(short.as_bytes().to_vec());
    for e in &errors {
        assert_clean("error Display", &e.to_string(), &short_too);
        debug_clean("error Debug", e, &short_too);
    }
}

// --- The C ABI: error messages after wrong credentials -----------------------------------

use std::ffi::{c_char, c_void, CStr, CString};

// The handles are opaque to C; the results are `snmpx_result`, a `uint32_t` (include/snmpx.h).
#[allow(non_camel_case_types)]
type snmpx_config = c_void;
#[allow(non_camel_case_types)]
type snmpx_session = c_void;
#[allow(non_camel_case_types)]
type snmpx_error = c_void;
#[allow(non_camel_case_types)]
type snmpx_response = c_void;
#[allow(non_camel_case_types)]
type snmpx_result = u32;

extern "C" {
    fn snmpx_init() -> snmpx_result;
    fn snmpx_shutdown() -> snmpx_result;
    fn snmpx_config_new(target: *const c_char, config: *mut *mut snmpx_config) -> snmpx_result;
    fn snmpx_config_free(config: *mut snmpx_config);
    fn snmpx_config_set_version(config: *mut snmpx_config, version: u32) -> snmpx_result;
    fn snmpx_config_set_timeout(config: *mut snmpx_config, ms: u32) -> snmpx_result;
    fn snmpx_config_set_security_name(
        config: *mut snmpx_config,
        name: *const c_char,
    ) -> snmpx_result;
    fn snmpx_config_set_auth(
        config: *mut snmpx_config,
        protocol: u32,
        passphrase: *const u8,
        len: usize,
    ) -> snmpx_result;
    fn snmpx_config_set_priv(
        config: *mut snmpx_config,
        protocol: u32,
        passphrase: *const u8,
        len: usize,
    ) -> snmpx_result;
    fn snmpx_session_open(
        config: *const snmpx_config,
        session: *mut *mut snmpx_session,
        err: *mut *mut snmpx_error,
    ) -> snmpx_result;
    fn snmpx_session_free(session: *mut snmpx_session);
    fn snmpx_session_get(
        session: *const snmpx_session,
        oids: *const *const c_char,
        count: usize,
        response: *mut *mut snmpx_response,
        err: *mut *mut snmpx_error,
    ) -> snmpx_result;
    fn snmpx_config_from_argv(
        argv: *const *const c_char,
        argc: usize,
        config: *mut *mut snmpx_config,
        next_arg: *mut usize,
        err: *mut *mut snmpx_error,
    ) -> snmpx_result;
    fn snmpx_error_message(err: *const snmpx_error, message: *mut *const c_char) -> snmpx_result;
    fn snmpx_error_free(err: *mut snmpx_error);
    fn snmpx_result_message(code: u32) -> *const c_char;
}

/// The C ABI's message for a Get through a config with these pass phrases.
fn c_abi_failure(target: &str, auth: &str, privacy: &str) -> (snmpx_result, String) {
    // SAFETY: every pointer passed is a live local or an object this library returned and
    // that is freed exactly once below; strings are NUL-terminated CStrings.
    unsafe {
        let t = CString::new(target).unwrap();
        let mut cfg: *mut snmpx_config = std::ptr::null_mut();
        assert_eq!(snmpx_config_new(t.as_ptr(), &mut cfg), 0);
        assert_eq!(snmpx_config_set_version(cfg, 3), 0);
        assert_eq!(snmpx_config_set_timeout(cfg, 300), 0);
        let u = CString::new(USER).unwrap();
        assert_eq!(snmpx_config_set_security_name(cfg, u.as_ptr()), 0);
        // 2 = SNMPX_AUTH_SHA1, 2 = SNMPX_PRIV_AES128.
        let rc = snmpx_config_set_auth(cfg, 2, auth.as_ptr(), auth.len());
        let mut text = String::new();
        let mut code = rc;
        if rc == 0 {
            assert_eq!(
                snmpx_config_set_priv(cfg, 2, privacy.as_ptr(), privacy.len()),
                0
            );
            let mut sess: *mut snmpx_session = std::ptr::null_mut();
            let mut err: *mut snmpx_error = std::ptr::null_mut();
            assert_eq!(snmpx_session_open(cfg, &mut sess, &mut err), 0);
            let oid = CString::new(SYS_NAME).unwrap();
            let oids = [oid.as_ptr()];
            let mut resp: *mut snmpx_response = std::ptr::null_mut();
            code = snmpx_session_get(sess, oids.as_ptr(), 1, &mut resp, &mut err);
            assert!(resp.is_null());
            let mut m: *const c_char = std::ptr::null();
            assert_eq!(snmpx_error_message(err, &mut m), 0);
            text = CStr::from_ptr(m).to_string_lossy().into_owned();
            snmpx_error_free(err);
            snmpx_session_free(sess);
        }
        text.push('\n');
        text.push_str(&CStr::from_ptr(snmpx_result_message(code)).to_string_lossy());
        snmpx_config_free(cfg);
        (code, text)
    }
}

#[test]
fn c_abi_error_messages_show_no_secret() {
    let creds = Credentials::from_passwords(
        AuthProtocol::Sha1,
        AUTH_PASS.as_bytes(),
        Some((PrivProtocol::Aes128, PRIV_PASS.as_bytes())),
    )
    .unwrap();
    let usm = UsmSecurity::new(vec![(USER.as_bytes().to_vec(), creds)]).unwrap();
    let engine = usm.engine_id(0);
    let sim = Simulator::start(SimConfig::new(1).security(Arc::new(usm))).unwrap();
    let target = sim.addr_of(0).to_string();
    let mut s = secrets(&engine);
    s.push(b"Sh0rt!x".to_vec());
    // SAFETY: init/shutdown are reference-counted and thread-safe.
    assert_eq!(unsafe { snmpx_init() }, 0);
    for (auth, privacy) in [
        (WRONG_AUTH, PRIV_PASS),
        (AUTH_PASS, WRONG_PRIV),
        ("Sh0rt!x", PRIV_PASS),
    ] {
        let (code, text) = c_abi_failure(&target, auth, privacy);
        assert_ne!(code, 0, "{text}");
        assert_clean("C ABI message", &text, &s);
    }
    // A Net-SNMP command line with a pass phrase too short to use: refused, not echoed.
    for args in [
        vec![
            "snmpget", "-v3", "-u", USER, "-l", "authPriv", "-a", "SHA", "-A", "Sh0rt!x",
        ],
        vec![
            "snmpget", "-v3", "-u", USER, "-a", "SHA", "-A", AUTH_PASS, "-x", "AES", "-X",
            "Sh0rt!x",
        ],
    ] {
        let mut args: Vec<CString> = args.iter().map(|a| CString::new(*a).unwrap()).collect();
        args.push(CString::new(target.as_str()).unwrap());
        let ptrs: Vec<*const c_char> = args.iter().map(|a| a.as_ptr()).collect();
        // SAFETY: `ptrs` holds `len` live NUL-terminated strings; outputs are locals; the
        // error (written on failure) is freed once.
        let text = unsafe {
            let mut cfg: *mut snmpx_config = std::ptr::null_mut();
            let mut next = 0usize;
            let mut err: *mut snmpx_error = std::ptr::null_mut();
            let rc =
                snmpx_config_from_argv(ptrs.as_ptr(), ptrs.len(), &mut cfg, &mut next, &mut err);
            assert_ne!(rc, 0);
            let mut m: *const c_char = std::ptr::null();
            assert_eq!(snmpx_error_message(err, &mut m), 0);
            let t = CStr::from_ptr(m).to_string_lossy().into_owned();
            snmpx_error_free(err);
            t
        };
        assert!(text.contains("pass phrase"), "{text}");
        assert_clean("C ABI argv message", &text, &s);
    }
    // SAFETY: balances the init above.
    assert_eq!(unsafe { snmpx_shutdown() }, 0);
}

// --- Zeroization -------------------------------------------------------------------------

#[test]
fn every_key_type_is_zeroize_on_drop() {
    fn wiped_on_drop<T: Zeroize + ZeroizeOnDrop>() {}
    wiped_on_drop::<Password>();
    wiped_on_drop::<SecretBytes>();
    wiped_on_drop::<MasterKey>();
    wiped_on_drop::<LocalizedKey>();
    wiped_on_drop::<AuthKey>();
    wiped_on_drop::<PrivKey>();
    assert!(std::mem::needs_drop::<MasterKey>());
    assert!(std::mem::needs_drop::<LocalizedKey>());
}

/// The bytes of `v` in place. Only for types without padding (checked by the caller), so
/// every byte is initialized.
fn bytes_of<T>(v: &T) -> Vec<u8> {
    // SAFETY: `v` is a live reference to size_of::<T>() bytes; the callers only pass types
    // whose every byte is initialized (no padding: asserted before the call).
    unsafe { std::slice::from_raw_parts(v as *const T as *const u8, std::mem::size_of::<T>()) }
        .to_vec()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn dropping_an_inline_key_wipes_it_in_place() {
    // MasterKey and LocalizedKey keep their octets inline (a 64-octet buffer, a length and
    // the protocol: no padding, no heap). ManuallyDrop::drop runs the destructor and leaves
    // the memory in place; its bytes are then read as plain bytes, never as a key.
    const KEY: [u8; 20] = [0xA5; 20];
    assert_eq!(
        std::mem::size_of::<MasterKey>(),
        64 + 1 + 1,
        "layout changed"
    );
    assert_eq!(std::mem::align_of::<MasterKey>(), 1);
    assert_eq!(
        std::mem::size_of::<LocalizedKey>(),
        64 + 1 + 1,
        "layout changed"
    );
    let mut m = ManuallyDrop::new(MasterKey::from_bytes(AuthProtocol::Sha1, &KEY).unwrap());
    assert!(
        contains(&bytes_of(&*m), &KEY),
        "the key is visible before the drop"
    );
    // SAFETY: dropped exactly once; `m` is not used as a MasterKey afterwards.
    unsafe { ManuallyDrop::drop(&mut m) };
    let after = bytes_of(&m);
    assert!(!contains(&after, &[0xA5; 4]), "{after:?}");

    let mut l = ManuallyDrop::new(LocalizedKey::from_bytes(AuthProtocol::Sha1, &KEY).unwrap());
    assert!(contains(&bytes_of(&*l), &KEY));
    // SAFETY: as above.
    unsafe { ManuallyDrop::drop(&mut l) };
    assert!(!contains(&bytes_of(&l), &[0xA5; 4]));
}

/// An allocator that, when the block at `WATCH` is freed, copies its first 64 bytes aside
/// before releasing it (the block is still ours at that moment).
struct Inspecting;

static WATCH: AtomicUsize = AtomicUsize::new(0);
static SEEN_LEN: AtomicUsize = AtomicUsize::new(usize::MAX);
static SEEN: [AtomicU8; 64] = [const { AtomicU8::new(0) }; 64];
static HEAP_TESTS: Mutex<()> = Mutex::new(());

// SAFETY: forwards every call to the system allocator unchanged; the extra read in
// `dealloc` happens before the block is released and stays within `layout.size()`.
unsafe impl GlobalAlloc for Inspecting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ptr as usize == WATCH.load(Ordering::SeqCst) {
            let n = layout.size().min(64);
            for (i, slot) in SEEN.iter().enumerate().take(n) {
                // SAFETY: i < layout.size(): inside the live block. The watched blocks are
                // fully initialized (a Vec whose capacity equals its length).
                slot.store(unsafe { ptr.add(i).read() }, Ordering::SeqCst);
            }
            SEEN_LEN.store(n, Ordering::SeqCst);
        }
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOC: Inspecting = Inspecting;

/// Drops `v` (whose secret octets live in the heap block at `ptr`, `len` octets, capacity
/// equal to length) and returns what the block held when it was freed.
fn freed_contents<T>(v: T, ptr: *const u8) -> Vec<u8> {
    let _one = HEAP_TESTS.lock().unwrap();
    SEEN_LEN.store(usize::MAX, Ordering::SeqCst);
    WATCH.store(ptr as usize, Ordering::SeqCst);
    drop(v);
    WATCH.store(0, Ordering::SeqCst);
    let n = SEEN_LEN.load(Ordering::SeqCst);
    assert_ne!(n, usize::MAX, "the block was not freed");
    SEEN[..n].iter().map(|b| b.load(Ordering::SeqCst)).collect()
}

#[test]
fn dropping_a_pass_phrase_wipes_its_heap_block() {
    let v = AUTH_PASS.as_bytes().to_vec();
    assert_eq!(v.capacity(), v.len());
    let p = Password::new(v).unwrap();
    let ptr = p.as_bytes().as_ptr();
    let seen = freed_contents(p, ptr);
    assert_eq!(seen.len(), AUTH_PASS.len());
    assert!(seen.iter().all(|&b| b == 0), "{seen:?}");

    let v = vec![0x5Au8; 32];
    let k = SecretBytes::new(v);
    let ptr = k.as_bytes().as_ptr();
    let seen = freed_contents(k, ptr);
    assert!(seen.iter().all(|&b| b == 0), "{seen:?}");
}

#[test]
fn the_heap_inspection_sees_unwiped_blocks() {
    // Control: a plain Vec is freed with its contents, and the inspection shows them.
    let v = PRIV_PASS.as_bytes().to_vec();
    let ptr = v.as_ptr();
    let seen = freed_contents(v, ptr);
    assert_eq!(seen, PRIV_PASS.as_bytes());
}

// --- No amplification ----------------------------------------------------------------------

/// Which counter records an unsolicited datagram.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Counted {
    /// `dropped_invalid`: not a Response, or not decodable.
    Invalid,
    /// `dropped_unmatched`: a Response (or v3 message) with no request outstanding.
    Unmatched,
}

/// Datagrams a manager must never answer: requests of every kind, notifications, a
/// Response nobody asked for, SNMPv3 discovery probes and reports, garbage.
fn unsolicited() -> Vec<(&'static str, Vec<u8>, Counted)> {
    use Counted::*;
    let vb = vec![VarBind::new(SYS_NAME.parse().unwrap(), Value::Null)];
    let pdu = |kind| Pdu {
        kind,
        request_id: 0x1234,
        error_status: 0,
        error_index: 0,
        varbinds: vb.clone(),
    };
    let v2 = |kind| {
        let mut b = Vec::new();
        encode_community(&mut b, Version::V2c, b"public", &pdu(kind));
        b
    };
    let mut v1_get = Vec::new();
    encode_community(
        &mut v1_get,
        Version::V1,
        b"public",
        &pdu(PduType::GetRequest),
    );
    let mut trap = Vec::new();
    encode_trap_v1(
        &mut trap,
        b"public",
        &TrapV1 {
            enterprise: "1.3.6.1.4.1.8072".parse().unwrap(),
            agent_addr: [127, 0, 0, 1],
            generic_trap: 0,
            specific_trap: 0,
            timestamp: 1,
            varbinds: Vec::new(),
        },
    );
    let mut probe = Vec::new();
    encode_discovery(&mut probe, 77, 78).unwrap();
    let mut probe_report = probe.clone();
    // The same message carrying a Report-PDU (a8) instead of the GetRequest (a0).
    let at = probe_report.iter().rposition(|&b| b == 0xa0).unwrap();
    probe_report[at] = 0xa8;
    vec![
        ("v2c GetRequest", v2(PduType::GetRequest), Invalid),
        ("v2c GetNextRequest", v2(PduType::GetNextRequest), Invalid),
        ("v2c GetBulkRequest", v2(PduType::GetBulkRequest), Invalid),
        ("v2c SetRequest", v2(PduType::SetRequest), Invalid),
        ("v2c InformRequest", v2(PduType::InformRequest), Invalid),
        ("v2c Trap", v2(PduType::TrapV2), Invalid),
        ("v2c Report", v2(PduType::Report), Invalid),
        ("v1 GetRequest", v1_get, Invalid),
        ("v1 Trap", trap, Invalid),
        ("unmatched Response", v2(PduType::Response), Unmatched),
        ("v3 discovery probe", probe, Unmatched),
        ("v3 Report", probe_report, Unmatched),
        ("garbage", b"\x30\x03\x02\x01".to_vec(), Invalid),
        ("empty", Vec::new(), Invalid),
        ("64 KiB of zeros", vec![0u8; 65_000], Invalid),
    ]
}

#[test]
fn the_runtime_never_answers_unsolicited_datagrams() {
    let rt = Runtime::builder().shards(2).build().unwrap();
    // A request in flight to a silent port, so the shards are working, not idle.
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let s = Session::builder(&silent.local_addr().unwrap().to_string())
        .timeout(Duration::from_secs(3))
        .retries(0)
        .open(&rt)
        .unwrap();
    let pending = s
        .submit(
            snmpx::session::Operation::Get(vec![SYS_NAME.parse().unwrap()]),
            |_| {},
        )
        .unwrap();
    let ports = rt.local_addrs();
    assert!(ports.len() >= rt.shard_count(), "{ports:?}");
    let cases = unsolicited();
    let (mut invalid, mut unmatched) = (0u64, 0u64);
    for port in &ports {
        let to = match port {
            SocketAddr::V4(a) => SocketAddr::from(([127, 0, 0, 1], a.port())),
            SocketAddr::V6(a) => SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, a.port())),
        };
        // IPv6 may be configured without a loopback address here: skip that family then.
        let Ok(sender) = UdpSocket::bind(SocketAddr::new(to.ip(), 0)) else {
            continue;
        };
        for (what, bytes, counted) in &cases {
            sender
                .send_to(bytes, to)
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            match counted {
                Counted::Invalid => invalid += 1,
                Counted::Unmatched => unmatched += 1,
            }
        }
        sender
            .set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        let mut buf = [0u8; 2048];
        match sender.recv_from(&mut buf) {
            Ok((n, src)) => panic!("the runtime answered {n} bytes from {src} to {to}"),
            Err(e) => assert!(
                matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ),
                "{e}"
            ),
        }
    }
    assert!(invalid > 0 && unmatched > 0);
    let t0 = Instant::now();
    let st = loop {
        let st = rt.stats();
        if st.dropped_invalid + st.dropped_unmatched >= invalid + unmatched
            || t0.elapsed() > Duration::from_secs(3)
        {
            break st;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    assert_eq!(
        (st.dropped_invalid, st.dropped_unmatched),
        (invalid, unmatched),
        "{st:?}"
    );
    // Nothing was sent but the session's one request.
    assert_eq!((st.requests_sent, st.retransmissions), (1, 0), "{st:?}");
    s.cancel(pending).unwrap();
}
