//! Quick manual check against an agent: `cargo run --example smoke -- 127.0.0.1:161`.
use snmpx::{Runtime, Session};

fn main() {
    let target = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:161".into());
    let rt = Runtime::new().expect("runtime");
    let s = Session::builder(&target).open(&rt).expect("session");
    println!("{:?}", s.get(&["1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.5.0"]));
    let rows = s.bulk_walk(&["1.3.6.1.2.1.1"]).expect("walk");
    for vb in &rows {
        println!("{} = {:?}", vb.oid, vb.value);
    }
    println!("{:?}", rt.stats());
}
