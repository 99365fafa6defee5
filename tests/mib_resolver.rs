//! Resolver behaviour: the name forms of the issue, reverse lookup with INDEX breakdown,
//! Net-SNMP search-path conventions, hostile MIB text (errors, never a panic or hang, the
//! previous snapshot untouched) and concurrent lookups during reloads.

mod common;

use common::mibs::corpus_dir;
use snmpx::mib::{IndexPart, LoadError, MibLoader, ModuleSpec, ResolveError, Resolver};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

fn corpus_loader() -> MibLoader {
    let mut l = MibLoader::new();
    l.add_dir(corpus_dir()).load_all();
    l
}

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("snmpx-mib-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn resolves_every_name_form() {
    let mib = corpus_loader().load().unwrap();
    let sys_descr = "1.3.6.1.2.1.1.1.0";
    for q in [
        "sysDescr.0",
        "SNMPv2-MIB::sysDescr.0",
        ".1.3.6.1.2.1.1.1.0",
        "1.3.6.1.2.1.1.1.0",
        ".iso.org.dod.internet.mgmt.mib-2.system.sysDescr.0",
        "iso.3.6.1.2.1.1.1.0",
        "SNMPv2-MIB::system.sysDescr.0",
    ] {
        assert_eq!(mib.resolve(q).unwrap().to_string(), sys_descr, "{q}");
    }
    assert_eq!(
        mib.resolve("IF-MIB::ifDescr.3").unwrap().to_string(),
        "1.3.6.1.2.1.2.2.1.2.3"
    );
    assert_eq!(
        mib.resolve("vacmGroupName.1.\"comm1\"")
            .unwrap()
            .to_string(),
        "1.3.6.1.6.3.16.1.2.1.3.1.5.99.111.109.109.49"
    );
    // Enum labels in an index, the empty string, and an IMPLIED index.
    assert_eq!(
        mib.resolve("SNMP-VIEW-BASED-ACM-MIB::vacmAccessContextMatch.\"grp\".\"\".3.noAuthNoPriv")
            .unwrap()
            .to_string(),
        "1.3.6.1.6.3.16.1.4.1.4.3.103.114.112.0.3.1"
    );
    assert_eq!(
        mib.resolve("snmpNotifyTag.'ab'").unwrap().to_string(),
        "1.3.6.1.6.3.13.1.1.1.2.97.98"
    );
    // Typed errors, before any packet is sent.
    assert_eq!(
        mib.resolve("noSuchThing.0"),
        Err(ResolveError::UnknownName("noSuchThing".into()))
    );
    assert!(matches!(
        mib.resolve("NO-SUCH-MIB::sysDescr.0"),
        Err(ResolveError::UnknownModule(_))
    ));
    assert!(matches!(
        mib.resolve("IF-MIB::sysDescr.0"),
        Err(ResolveError::NotInModule { .. })
    ));
    assert!(matches!(
        mib.resolve("ifAdminStatus.sideways"),
        Err(ResolveError::BadIndex { .. })
    ));
    assert!(matches!(
        mib.resolve("sysDescr.zero"),
        Err(ResolveError::Syntax { .. })
    ));
    assert!(matches!(
        mib.resolve("sysORIndex.0"),
        Err(ResolveError::BadIndex { .. })
    ));
    assert!(matches!(
        mib.resolve("vacmGroupName.1.'x'"),
        Err(ResolveError::BadIndex { .. })
    ));
    assert!(matches!(
        mib.resolve("vacmGroupName.1.\"open"),
        Err(ResolveError::Syntax { .. })
    ));
    assert!(matches!(mib.resolve(""), Err(ResolveError::Syntax { .. })));
    assert!(mib.resolve(&"1.".repeat(200)).is_err());
}

#[test]
fn reverse_lookup_breaks_the_index_down() {
    let mib = corpus_loader().load().unwrap();
    let d = mib.describe(&mib.resolve("IF-MIB::ifDescr.3").unwrap());
    assert_eq!(
        (d.module.as_deref(), d.name.as_str()),
        (Some("IF-MIB"), "ifDescr")
    );
    assert_eq!(
        d.decoded.index,
        vec![IndexPart::Integer {
            value: 3,
            label: None
        }]
    );
    let d = mib.describe(&mib.resolve("vacmGroupName.1.\"comm1\"").unwrap());
    assert_eq!(d.name, "vacmGroupName");
    assert_eq!(
        d.decoded.index,
        vec![
            IndexPart::Integer {
                value: 1,
                label: None
            },
            IndexPart::String {
                arcs: b"comm1".iter().map(|&b| b as u32).collect(),
                quote: '"'
            }
        ]
    );
    let oid: snmpx::Oid = "1.3.6.1.2.1.4.34.1.3.1.4.10.0.0.1".parse().unwrap();
    let d = mib.describe(&oid);
    assert_eq!(d.name, "ipAddressIfIndex");
    assert_eq!(
        d.decoded.index[1],
        IndexPart::InetAddress("10.0.0.1".into())
    );
    assert!(d.decoded.rest.is_empty());
}

#[test]
fn netsnmp_search_path_conventions() {
    let l = MibLoader::from_settings(None, None);
    assert!(l
        .dirs()
        .iter()
        .any(|d| d == Path::new("/usr/share/snmp/mibs/iana")));
    assert!(l.module_list().contains(&ModuleSpec::Name("IF-MIB".into())));
    let l = MibLoader::from_settings(Some("+/a:/b"), Some("+FOO-MIB"));
    assert_eq!(&l.dirs()[..2], &[PathBuf::from("/a"), PathBuf::from("/b")]);
    assert!(
        l.dirs().len() > 2,
        "+ keeps the defaults after the given dirs"
    );
    assert_eq!(
        l.module_list().last(),
        Some(&ModuleSpec::Name("FOO-MIB".into()))
    );
    assert!(
        l.module_list().len() > 30,
        "+ appends to the default module list"
    );
    let l = MibLoader::from_settings(Some("/only"), Some("ALL:/x/FILE.txt"));
    assert_eq!(l.dirs(), &[PathBuf::from("/only")]);
    assert_eq!(
        l.module_list(),
        &[ModuleSpec::All, ModuleSpec::File("/x/FILE.txt".into())]
    );
    // The default module list loads from the corpus without errors.
    let dir = corpus_dir();
    let l = MibLoader::from_settings(Some(dir.to_str().unwrap()), None);
    let mib = l.load().unwrap();
    assert!(mib.has_module("UCD-SNMP-MIB") && !mib.has_module("BRIDGE-MIB"));
    // No MIB files anywhere: the built-in table still resolves the core objects.
    let empty = temp_dir("empty");
    let mib = MibLoader::from_settings(Some(empty.to_str().unwrap()), None)
        .load()
        .unwrap();
    for (q, o) in [
        ("sysDescr.0", "1.3.6.1.2.1.1.1.0"),
        ("IF-MIB::ifDescr.3", "1.3.6.1.2.1.2.2.1.2.3"),
        ("ifHCInOctets.2", "1.3.6.1.2.1.31.1.1.1.6.2"),
        ("ipForwarding.0", "1.3.6.1.2.1.4.1.0"),
        ("snmpInPkts.0", "1.3.6.1.2.1.11.1.0"),
    ] {
        assert_eq!(mib.resolve(q).unwrap().to_string(), o, "{q}");
    }
    // Some files but not the standard modules (Debian's `snmp` package ships only Net-SNMP's
    // own MIBs): the built-in modules stand in for the missing core ones.
    let partial = temp_dir("partial");
    std::fs::write(
        partial.join("LOCAL-MIB.txt"),
        "LOCAL-MIB DEFINITIONS ::= BEGIN\n\
         IMPORTS OBJECT-TYPE, enterprises FROM SNMPv2-SMI\n\
         \x20       DisplayString FROM SNMPv2-TC;\n\
         localThing OBJECT-TYPE SYNTAX DisplayString MAX-ACCESS read-only STATUS current\n\
         \x20   DESCRIPTION \"x\" ::= { enterprises 99999 1 }\n\
         END\n",
    )
    .unwrap();
    let mib = MibLoader::from_settings(Some(partial.to_str().unwrap()), Some("+LOCAL-MIB"))
        .load_lenient()
        .0;
    assert_eq!(
        mib.resolve("SNMPv2-MIB::sysDescr.0").unwrap().to_string(),
        "1.3.6.1.2.1.1.1.0"
    );
    assert_eq!(
        mib.resolve("IF-MIB::ifDescr.3").unwrap().to_string(),
        "1.3.6.1.2.1.2.2.1.2.3"
    );
    assert_eq!(
        mib.resolve("LOCAL-MIB::localThing.0").unwrap().to_string(),
        "1.3.6.1.4.1.99999.1.0"
    );
}

/// Hostile inputs: each must fail with errors (never panic or hang) and leave the resolver's
/// snapshot exactly as it was.
#[test]
fn hostile_mib_text_changes_nothing() {
    let resolver = Resolver::load(corpus_loader()).unwrap();
    let before = resolver.snapshot();
    let if_mib = std::fs::read(corpus_dir().join("IF-MIB.txt")).unwrap();
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    for cut in [10, 200, 1000, if_mib.len() / 2, if_mib.len() - 40] {
        cases.push((format!("truncated at {cut}"), if_mib[..cut].to_vec()));
    }
    let mut deep = b"DEEP-MIB DEFINITIONS ::= BEGIN x OBJECT-TYPE SYNTAX INTEGER DEFVAL ".to_vec();
    deep.extend(std::iter::repeat(b'{').take(100_000));
    cases.push(("deep braces".into(), deep));
    let mut tags = b"TAG-MIB DEFINITIONS ::= BEGIN T ::= ".to_vec();
    tags.extend(b"[APPLICATION 1] IMPLICIT ".repeat(5000));
    cases.push(("deep type tags".into(), tags));
    cases.push((
        "huge number".into(),
        b"BIG-MIB DEFINITIONS ::= BEGIN x OBJECT IDENTIFIER ::= { iso 99999999999999999999999 } END".to_vec(),
    ));
    cases.push((
        "sub-identifier over 32 bits".into(),
        b"BIG-MIB DEFINITIONS ::= BEGIN x OBJECT IDENTIFIER ::= { iso 4294967296 } END".to_vec(),
    ));
    cases.push((
        "garbage".into(),
        (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect(),
    ));
    let mut garbage_body = b"G-MIB DEFINITIONS ::= BEGIN ".to_vec();
    garbage_body.extend([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01]);
    cases.push(("garbage after header".into(), garbage_body));
    cases.push((
        "self-referencing OID".into(),
        b"LOOP-MIB DEFINITIONS ::= BEGIN a OBJECT IDENTIFIER ::= { b 1 } b OBJECT IDENTIFIER ::= { a 1 } END".to_vec(),
    ));
    cases.push((
        "unknown parent".into(),
        b"ORPHAN-MIB DEFINITIONS ::= BEGIN a OBJECT IDENTIFIER ::= { nowhere 1 } END".to_vec(),
    ));
    cases.push((
        "too many arcs".into(),
        format!(
            "LONG-MIB DEFINITIONS ::= BEGIN a OBJECT IDENTIFIER ::= {{ iso {} }} END",
            "1 ".repeat(140)
        )
        .into_bytes(),
    ));
    for (what, text) in &cases {
        let dir = temp_dir("hostile");
        std::fs::write(dir.join("BAD.txt"), text).unwrap();
        let mut l = corpus_loader();
        l.add_dir(&dir).load_file(dir.join("BAD.txt"));
        let r = resolver.reload_with(l);
        assert!(r.is_err(), "{what}: expected an error");
        assert!(
            Arc::ptr_eq(&before, &resolver.snapshot()),
            "{what}: snapshot replaced"
        );
        assert_eq!(
            resolver.resolve("sysDescr.0").unwrap().to_string(),
            "1.3.6.1.2.1.1.1.0"
        );
    }
    // An import cycle between two otherwise valid modules loads (Net-SNMP breaks the cycle)
    // and a missing import is an error that changes nothing.
    let dir = temp_dir("cycle");
    std::fs::write(
        dir.join("A"),
        "CYC-A DEFINITIONS ::= BEGIN IMPORTS b FROM CYC-B; a OBJECT IDENTIFIER ::= { iso 3 77 } END",
    )
    .unwrap();
    std::fs::write(
        dir.join("B"),
        "CYC-B DEFINITIONS ::= BEGIN IMPORTS a FROM CYC-A; b OBJECT IDENTIFIER ::= { a 1 } END",
    )
    .unwrap();
    let mut l = MibLoader::new();
    l.add_dir(&dir).load_module("CYC-A");
    let mib = l.load().unwrap();
    assert_eq!(mib.resolve("CYC-B::b").unwrap().to_string(), "1.3.77.1");
    let mut l = MibLoader::new();
    l.add_dir(&dir).load_module("CYC-MISSING");
    let errs = resolver.reload_with(l).unwrap_err();
    assert!(matches!(errs.0[0], LoadError::ModuleNotFound { .. }));
    assert!(Arc::ptr_eq(&before, &resolver.snapshot()));
}

/// 32 threads resolve and render while another thread swaps snapshots back and forth
/// (bounded: a fixed number of reloads). Every answer must be right for the snapshot used.
#[test]
fn lookups_stay_correct_during_reloads() {
    let full = corpus_loader();
    let builtin_dir = temp_dir("nofiles");
    let builtin = MibLoader::from_settings(Some(builtin_dir.to_str().unwrap()), None);
    let resolver = Arc::new(Resolver::load(full.clone()).unwrap());
    let cases: Vec<(&str, &str)> = vec![
        ("sysDescr.0", "1.3.6.1.2.1.1.1.0"),
        ("IF-MIB::ifDescr.3", "1.3.6.1.2.1.2.2.1.2.3"),
        ("ifHCInOctets.12", "1.3.6.1.2.1.31.1.1.1.6.12"),
        (
            ".iso.org.dod.internet.mgmt.mib-2.system.sysName.0",
            "1.3.6.1.2.1.1.5.0",
        ),
        ("SNMPv2-MIB::snmpInPkts.0", "1.3.6.1.2.1.11.1.0"),
    ];
    let stop = Arc::new(AtomicBool::new(false));
    let checked = Arc::new(AtomicU64::new(0));
    std::thread::scope(|s| {
        for t in 0..32 {
            let (resolver, stop, checked, cases) = (&resolver, &stop, &checked, &cases);
            s.spawn(move || {
                // Bounded even if the reloader were stuck: at most 200k lookups per thread.
                for i in t..t + 200_000 {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let (name, want) = cases[i % cases.len()];
                    let snap = resolver.snapshot();
                    let got = snap.resolve(name).unwrap_or_else(|e| panic!("{name}: {e}"));
                    assert_eq!(got.to_string(), want, "{name}");
                    let d = snap.describe(&got);
                    assert!(!d.name.is_empty());
                    checked.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
        for k in 0..20 {
            let l = if k % 2 == 0 {
                builtin.clone()
            } else {
                full.clone()
            };
            resolver.reload_with(l).unwrap();
        }
        stop.store(true, Ordering::Relaxed);
    });
    assert!(checked.load(Ordering::Relaxed) > 0);
}

/// The directory scan reads a prefix of each file for its module name; a header behind a
/// comment longer than that prefix is still found (the whole file is read then), and a file
/// truncated mid-header is not mistaken for a module.
#[test]
fn directory_scan_finds_headers_behind_long_comments() {
    let dir = temp_dir("scan-prefix");
    let comment: String = (0..900)
        .map(|i| format!("-- licence line {i:04} padding text\n"))
        .collect();
    assert!(comment.len() > 20 * 1024);
    std::fs::write(
        dir.join("LATE-HEADER-MIB.txt"),
        format!(
            "{comment}LATE-HEADER-MIB DEFINITIONS ::= BEGIN\n\
             IMPORTS enterprises FROM SNMPv2-SMI;\n\
             lateThing OBJECT IDENTIFIER ::= {{ enterprises 99995 }}\nEND\n"
        ),
    )
    .unwrap();
    std::fs::write(dir.join("BROKEN.txt"), "BROKEN-MIB DEFIN").unwrap();
    let mut l = MibLoader::new();
    l.add_dir(&dir)
        .load_module("LATE-HEADER-MIB")
        .builtin_fallback(true);
    let mib = l.load().expect("loads");
    assert!(mib.has_module("LATE-HEADER-MIB"));
    assert_eq!(
        mib.resolve("LATE-HEADER-MIB::lateThing")
            .unwrap()
            .to_string(),
        "1.3.6.1.4.1.99995"
    );
    assert!(!mib.has_module("BROKEN-MIB"));
    std::fs::remove_dir_all(&dir).unwrap();
}
