//! fork(): the child must not share the parent's sockets or shard threads. The parent's
//! runtime refuses to work in the child with a clear error; a new runtime in the child works;
//! the parent is unaffected. (Its own test binary: fork in a busy test process is unwise.)

mod common;

use common::snmpd::{self, Snmpd};
use snmpx::{Error, Runtime, Session};
use std::time::Duration;

const SYS_NAME: &str = "1.3.6.1.2.1.1.5.0";

fn get_name(s: &Session) -> Result<String, Error> {
    let r = s.get(&[SYS_NAME])?;
    Ok(r[0].value.as_str().unwrap_or_default().to_string())
}

#[test]
fn child_gets_a_clear_error_and_can_start_its_own_runtime() {
    let agent = Snmpd::start();
    let rt = Runtime::new().unwrap();
    let open = |rt: &Runtime| {
        Session::builder(&agent.target())
            .timeout(Duration::from_secs(2))
            .open(rt)
    };
    let parent_session = open(&rt).unwrap();
    assert_eq!(get_name(&parent_session).unwrap(), snmpd::SYS_NAME);
    // The process MIB resolver is loaded before the fork.
    assert!(snmpx::mib::Resolver::global().resolve("sysName.0").is_ok());

    // SAFETY: the child only runs the checks below and leaves with _exit, never returning
    // into the test harness.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let code = (|| {
            // 1: the inherited runtime must refuse, not use the parent's sockets.
            if !matches!(get_name(&parent_session), Err(Error::Forked)) {
                return 1;
            }
            if !matches!(open(&rt), Err(Error::Forked)) {
                return 2;
            }
            // 2: a fresh runtime works in the child.
            let Ok(child_rt) = Runtime::new() else {
                return 3;
            };
            match open(&child_rt).map(|s| get_name(&s)) {
                Ok(Ok(name)) if name == snmpd::SYS_NAME => {}
                _ => return 4,
            }
            // 3: the MIB resolver the parent loaded resolves in the child, and reloads there.
            let mib = snmpx::mib::Resolver::global();
            if mib.resolve("SNMPv2-MIB::sysName.0").map(|o| o.to_string())
                != Ok(SYS_NAME.to_string())
            {
                return 5;
            }
            if mib.reload().is_err() && mib.resolve("sysName.0").is_err() {
                return 6;
            }
            // 4: dropping the parent's handles in the child must not hang or touch its threads.
            drop(parent_session);
            drop(rt);
            0
        })();
        // SAFETY: terminates the child without running the parent's atexit/test machinery.
        unsafe { libc::_exit(code) };
    }
    let mut status = 0;
    // SAFETY: waits for the child we just created.
    let r = unsafe { libc::waitpid(pid, &mut status, 0) };
    assert_eq!(r, pid);
    assert!(libc::WIFEXITED(status), "child did not exit normally");
    assert_eq!(libc::WEXITSTATUS(status), 0, "child check failed");
    // The parent is unaffected.
    for _ in 0..20 {
        assert_eq!(get_name(&parent_session).unwrap(), snmpd::SYS_NAME);
    }
}
