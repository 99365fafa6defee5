//! Gives the C shared library (cdylib) its SONAME, so programs linked against it record
//! `libsnmpx.so.<major>` (the major version of Cargo.toml; 0.x releases break the ABI at
//! minor versions, so 0.x uses `0.<minor>`).

fn main() {
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_else(|_| "0".into());
    let minor = std::env::var("CARGO_PKG_VERSION_MINOR").unwrap_or_else(|_| "0".into());
    let abi = if major == "0" {
        format!("0.{minor}")
    } else {
        major
    };
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libsnmpx.so.{abi}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
