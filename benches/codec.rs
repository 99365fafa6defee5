//! Codec micro-benchmarks (a program that prints numbers; `cargo bench --bench codec`):
//! encode of a v2c Get, decode of a v2c Response, ns per varbind.
//!
//! `CODEC_ONLY=encode` or `CODEC_ONLY=N` (a varbind count: 1, 15 or 60) runs that row alone,
//! e.g. to count one row's instructions under callgrind with `CODEC_FIXED_ITERS`.
//! `CODEC_ONLY=wide15` runs an extra row, not in the default set: the 15-varbind response with
//! instance indexes of 1000 and up, so every OID has a two-octet arc (ifIndex values of large
//! switches), which takes the decoder's multi-octet path.

use snmpx::message::{decode_community, encode_community, Version};
use snmpx::pdu::{Pdu, PduType};
use snmpx::{Oid, Value, VarBind};
use std::hint::black_box;
use std::time::Instant;

/// Runs `f` for about `budget_ms`, returns nanoseconds per call (best of 5 rounds). With
/// `CODEC_FIXED_ITERS=N` it runs exactly N calls instead (for instruction counts under
/// `valgrind --tool=callgrind`, which are repeatable where timings on a shared machine are not).
fn measure(budget_ms: u64, mut f: impl FnMut()) -> f64 {
    if let Some(n) = std::env::var("CODEC_FIXED_ITERS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        for _ in 0..n {
            f();
        }
        return 0.0;
    }
    let mut best = f64::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        let mut n = 0u64;
        while start.elapsed().as_millis() < budget_ms as u128 / 5 {
            for _ in 0..1000 {
                f();
            }
            n += 1000;
        }
        best = best.min(start.elapsed().as_nanos() as f64 / n as f64);
    }
    best
}

/// Like [`measure`], but the values `f` returns are kept until the end of each timed batch
/// and dropped outside the timer, so their destruction is not counted.
fn measure_kept<T>(budget_ms: u64, mut f: impl FnMut() -> T) -> f64 {
    let mut kept: Vec<T> = Vec::with_capacity(1000);
    if let Some(n) = std::env::var("CODEC_FIXED_ITERS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        for _ in 0..n {
            kept.push(f());
            if kept.len() == 1000 {
                kept.clear();
            }
        }
        return 0.0;
    }
    let mut best = f64::MAX;
    for _ in 0..5 {
        let mut spent = std::time::Duration::ZERO;
        let mut n = 0u64;
        while spent.as_millis() < budget_ms as u128 / 5 {
            let start = Instant::now();
            for _ in 0..1000 {
                kept.push(f());
            }
            spent += start.elapsed();
            black_box(&kept);
            kept.clear();
            n += 1000;
        }
        best = best.min(spent.as_nanos() as f64 / n as f64);
    }
    best
}

/// A v2c Response of `n` varbinds of mixed types, with instance indexes from `first_index`.
fn response_indexed(n: usize, first_index: usize) -> Vec<u8> {
    let varbinds = (0..n)
        .map(|i| {
            let oid: Oid = format!("1.3.6.1.2.1.2.2.1.{}.{}", 10 + i % 6, i + first_index)
                .parse()
                .unwrap();
            let value = match i % 4 {
                0 => Value::Counter32(3_000_000_000 + i as u32),
                1 => Value::OctetString(format!("GigabitEthernet0/{i}").into_bytes().into()),
                2 => Value::Integer(i as i32),
                _ => Value::Counter64(1 << 40),
            };
            VarBind::new(oid, value)
        })
        .collect();
    let pdu = Pdu {
        kind: PduType::Response,
        request_id: 0x1234_5678,
        error_status: 0,
        error_index: 0,
        varbinds,
    };
    let mut buf = Vec::new();
    encode_community(&mut buf, Version::V2c, b"public", &pdu);
    buf
}

/// True when `row` is selected by `CODEC_ONLY` (every row when it is unset).
fn selected(row: &str) -> bool {
    std::env::var("CODEC_ONLY").map_or(true, |only| only == row)
}

fn main() {
    // `measure_kept` frees a thousand decoded messages (~2 MB) at once between rounds; glibc
    // then trims the top of the heap and the next round page-faults the memory back in,
    // which is the harness's doing, not the decoder's (it doubled the per-varbind figure).
    // Keep freed memory in the process, as a long-running poller's heap does.
    // SAFETY: mallopt only tunes the allocator; called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 30);
    }
    let get = Pdu::request(
        PduType::GetRequest,
        0x1234_5678,
        &["1.3.6.1.2.1.1.1.0".parse().unwrap()],
    );
    let mut buf = Vec::with_capacity(1500);
    if selected("encode") {
        let enc = measure(1000, || {
            encode_community(&mut buf, Version::V2c, b"public", black_box(&get));
            black_box(&buf);
        });
        println!("encode_get_v2c_1vb_ns={enc:.1}");
    }
    let rows = [
        (1usize, 1usize, "1"),
        (15, 1, "15"),
        (60, 1, "60"),
        (15, 1000, "wide15"),
    ];
    for (n, first_index, row) in rows {
        let wide = first_index > 1;
        if (wide && std::env::var("CODEC_ONLY").ok().as_deref() != Some(row)) || !selected(row) {
            continue;
        }
        let bytes = response_indexed(n, first_index);
        // Decode alone: results are kept and dropped outside the timed loop (Criterion's
        // `iter_with_large_drop`); then decode + drop, as a caller that discards each result.
        let dec = measure_kept(1000, || decode_community(black_box(&bytes)).unwrap());
        let dec_drop = measure(1000, || {
            black_box(decode_community(black_box(&bytes)).unwrap());
        });
        let name = if wide {
            "decode_wide_oid_v2c"
        } else {
            "decode_response_v2c"
        };
        println!(
            "{name}_{n}vb_ns={dec:.1} ns_per_varbind={:.1} \
             with_drop_ns={dec_drop:.1} with_drop_ns_per_varbind={:.1}",
            dec / n as f64,
            dec_drop / n as f64
        );
    }
}
