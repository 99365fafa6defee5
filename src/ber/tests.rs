//! BER edge vectors in both directions (X.690 §8.3 integers, §8.19 OIDs, §8.1.3 lengths).

use super::*;
use crate::oid::Oid;

fn enc(f: impl FnOnce(&mut Writer<'_>)) -> Vec<u8> {
    let mut v = Vec::new();
    f(&mut Writer::new(&mut v));
    v
}

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.split_whitespace().collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn integer_vectors_both_directions() {
    for (v, h) in [
        (0i64, "02 01 00"),
        (1, "02 01 01"),
        (127, "02 01 7f"),
        (128, "02 02 00 80"),
        (255, "02 02 00 ff"),
        (256, "02 02 01 00"),
        (-1, "02 01 ff"),
        (-128, "02 01 80"),
        (-129, "02 02 ff 7f"),
        (i32::MAX as i64, "02 04 7f ff ff ff"),
        (i32::MIN as i64, "02 04 80 00 00 00"),
    ] {
        assert_eq!(enc(|w| w.i64(0x02, v)), hex(h), "encode {v}");
        let bytes = hex(h);
        let mut r = Reader::new(&bytes);
        assert_eq!(r.read_i32(0x02).unwrap() as i64, v, "decode {h}");
    }
}

#[test]
fn integer_leniency_and_limits() {
    // Redundant leading octets are tolerated...
    assert_eq!(decode_i32(&hex("00 00 01")).unwrap(), 1);
    assert_eq!(decode_i32(&hex("ff ff ff")).unwrap(), -1);
    assert_eq!(decode_i32(&hex("00 7f ff ff ff")).unwrap(), i32::MAX);
    assert_eq!(decode_i32(&hex("ff 80 00 00 00")).unwrap(), i32::MIN);
    // ...but values outside Integer32 are rejected.
    assert_eq!(
        decode_i32(&hex("00 80 00 00 00")),
        Err(BerError::IntegerOverflow)
    );
    assert_eq!(
        decode_i32(&hex("ff 7f ff ff ff")),
        Err(BerError::IntegerOverflow)
    );
    assert_eq!(
        decode_i32(&hex("01 00 00 00 00")),
        Err(BerError::IntegerOverflow)
    );
    assert_eq!(decode_i32(&[]), Err(BerError::EmptyInteger));
}

#[test]
fn unsigned_vectors() {
    // Agents send 4294967295 as four 0xff octets; the minimal form has a leading 00.
    assert_eq!(decode_u32(&hex("ff ff ff ff")).unwrap(), u32::MAX);
    assert_eq!(decode_u32(&hex("00 ff ff ff ff")).unwrap(), u32::MAX);
    assert_eq!(decode_u32(&hex("00 00 00 00 00 01")).unwrap(), 1);
    assert_eq!(
        decode_u32(&hex("01 00 00 00 00")),
        Err(BerError::IntegerOverflow)
    );
    assert_eq!(decode_u32(&[]), Err(BerError::EmptyInteger));
    assert_eq!(
        enc(|w| w.u64(0x41, u32::MAX as u64)),
        hex("41 05 00 ff ff ff ff")
    );
    assert_eq!(enc(|w| w.u64(0x43, 0)), hex("43 01 00"));
    assert_eq!(enc(|w| w.u64(0x42, 128)), hex("42 02 00 80"));
    assert_eq!(enc(|w| w.u64(0x42, 127)), hex("42 01 7f"));
    // Counter64 up to 2^64-1.
    assert_eq!(
        enc(|w| w.u64(0x46, u64::MAX)),
        hex("46 09 00 ff ff ff ff ff ff ff ff")
    );
    assert_eq!(
        decode_u64(&hex("00 ff ff ff ff ff ff ff ff")).unwrap(),
        u64::MAX
    );
    assert_eq!(
        decode_u64(&hex("ff ff ff ff ff ff ff ff")).unwrap(),
        u64::MAX
    );
    assert_eq!(
        decode_u64(&hex("01 00 00 00 00 00 00 00 00")),
        Err(BerError::IntegerOverflow)
    );
}

#[test]
fn oid_vectors_both_directions() {
    for (text, h) in [
        ("1.3.6.1.2.1.1.1.0", "06 08 2b 06 01 02 01 01 01 00"),
        ("0.0", "06 01 00"),
        ("2.999.3", "06 03 88 37 03"),
        (
            "1.3.6.1.4.1.2021.4294967295",
            "06 0c 2b 06 01 04 01 8f 65 8f ff ff ff 7f",
        ),
        ("2.4294967215", "06 05 8f ff ff ff 7f"),
    ] {
        let o: Oid = text.parse().unwrap();
        assert_eq!(enc(|w| w.oid(0x06, &o)), hex(h), "encode {text}");
        assert_eq!(
            Reader::new(&hex(h)).read_oid(0x06).unwrap(),
            o,
            "decode {h}"
        );
    }
    // A single-arc OID encodes as if its second arc were 0 (Net-SNMP does the same for `.1`).
    assert_eq!(enc(|w| w.oid(0x06, &"1".parse().unwrap())), hex("06 01 28"));
}

#[test]
fn oid_rejections() {
    let bad = |h: &str| decode_oid(&hex(h)).unwrap_err();
    assert_eq!(bad(""), BerError::BadOid("empty"));
    assert_eq!(
        bad("2b 80 01"),
        BerError::BadOid("non-minimal sub-identifier")
    );
    assert_eq!(bad("2b 86"), BerError::BadOid("truncated sub-identifier"));
    // 2^32 as a sub-identifier overflows.
    assert_eq!(
        bad("2b 90 80 80 80 00"),
        BerError::BadOid("sub-identifier exceeds 2^32-1")
    );
    // Overflow is caught per octet, even for absurdly long sub-identifiers.
    let long = format!("2b {} 01", "ff ".repeat(40));
    assert_eq!(
        bad(&long),
        BerError::BadOid("sub-identifier exceeds 2^32-1")
    );
    // 128 arcs are fine, 129 are not.
    let ok = format!("2b {}", "01 ".repeat(126));
    assert_eq!(decode_oid(&hex(&ok)).unwrap().len(), 128);
    let too_many = format!("2b {}", "01 ".repeat(127));
    assert_eq!(bad(&too_many), BerError::BadOid("more than 128 arcs"));
}

#[test]
fn lengths() {
    // Non-minimal long form is accepted.
    let b = hex("04 82 00 03 61 62 63");
    assert_eq!(Reader::new(&b).read_bytes(0x04).unwrap(), b"abc");
    let b = hex("04 81 03 61 62 63");
    assert_eq!(Reader::new(&b).read_bytes(0x04).unwrap(), b"abc");
    // Indefinite form is rejected.
    let b = hex("30 80 02 01 00 00 00");
    assert_eq!(Reader::new(&b).read_tlv(), Err(BerError::IndefiniteLength));
    // A length larger than the data is rejected without allocating.
    let b = hex("04 84 7f ff ff ff 00");
    assert_eq!(Reader::new(&b).read_tlv(), Err(BerError::Truncated));
    let b = hex("04 85 00 00 00 00 01 00");
    assert_eq!(Reader::new(&b).read_tlv(), Err(BerError::LengthTooLong));
    assert_eq!(Reader::new(&hex("04")).read_tlv(), Err(BerError::Truncated));
    assert_eq!(
        Reader::new(&hex("1f 01 00")).read_tlv(),
        Err(BerError::HighTagNumber)
    );
    // Long lengths are written minimally.
    let content = vec![0u8; 200];
    let out = enc(|w| w.bytes(0x04, &content));
    assert_eq!(&out[..3], &hex("04 81 c8")[..]);
    let content = vec![0u8; 300];
    let out = enc(|w| w.bytes(0x04, &content));
    assert_eq!(&out[..4], &hex("04 82 01 2c")[..]);
}

#[test]
fn nested_sequences_patch_lengths() {
    let out = enc(|w| {
        let outer = w.begin(0x30);
        let inner = w.begin(0x30);
        w.bytes(0x04, &[7u8; 150]);
        w.end(inner);
        w.end(outer);
    });
    assert_eq!(&out[..6], &hex("30 81 9c 30 81 99")[..]);
    let mut r = Reader::new(&out);
    let mut o = r.sequence(0x30).unwrap();
    let mut i = o.sequence(0x30).unwrap();
    assert_eq!(i.read_bytes(0x04).unwrap().len(), 150);
    assert!(i.is_empty() && o.is_empty() && r.is_empty());
}

#[test]
fn depth_limit_and_trailing_data() {
    let mut bomb = Vec::new();
    for _ in 0..40 {
        bomb.extend_from_slice(&[0x30, 0x80]);
    }
    // Indefinite nesting is refused at the first level.
    assert!(Reader::new(&bomb).sequence(0x30).is_err());
    // Definite nesting deeper than MAX_DEPTH is refused.
    let mut deep = vec![0x05, 0x00];
    for _ in 0..40 {
        let mut next = vec![0x30, deep.len() as u8];
        next.extend_from_slice(&deep);
        deep = next;
    }
    let mut r = Reader::new(&deep);
    let mut err = None;
    for _ in 0..40 {
        match r.sequence(0x30) {
            Ok(inner) => r = inner,
            Err(e) => {
                err = Some(e);
                break;
            }
        }
    }
    assert_eq!(err, Some(BerError::TooDeep));
    let b = hex("05 00 05 00");
    let mut r = Reader::new(&b);
    r.read_null(0x05).unwrap();
    assert_eq!(r.finish(), Err(BerError::TrailingData(2)));
    assert_eq!(
        decode_null(&[0]),
        Err(BerError::BadLength("NULL must be empty"))
    );
}

/// `read_pair`'s one-step path and its general path agree: the same pair read with short-form
/// lengths and with long-form (non-minimal) lengths gives the same name, value tag and content,
/// and every malformed variant gives the error the general reader gives.
#[test]
fn read_pair_fast_and_general_paths_agree() {
    // 30 L { 06 03 2b 06 01, 04 02 'h' 'i' }, then the same with 0x81-form lengths.
    let short = hex("30 09 06 03 2b 06 01 04 02 68 69");
    let long = hex("30 81 0b 06 81 03 2b 06 01 04 81 02 68 69");
    for bytes in [&short, &long] {
        let mut r = Reader::new(bytes);
        let (name, value) = r.read_pair(0x30, 0x06).unwrap();
        assert_eq!(name, &[0x2b, 6, 1]);
        assert_eq!((value.tag, value.value), (0x04, &b"hi"[..]));
        assert_eq!(&bytes[value.offset..value.offset + 2], b"hi");
        assert!(r.is_empty());
    }
    let bad: [(&str, BerError); 6] = [
        // Name not an OID.
        (
            "30 07 04 01 2b 04 02 68 69",
            BerError::UnexpectedTag {
                expected: 0x06,
                found: 0x04,
            },
        ),
        // Outer not a SEQUENCE.
        (
            "31 07 06 01 2b 04 02 68 69",
            BerError::UnexpectedTag {
                expected: 0x30,
                found: 0x31,
            },
        ),
        // A third element inside the pair.
        ("30 08 06 01 2b 04 01 68 05 00", BerError::TrailingData(2)),
        // Value longer than the pair.
        ("30 07 06 01 2b 04 05 68 69", BerError::Truncated),
        // Pair longer than the buffer.
        ("30 0a 06 01 2b 04 02 68 69", BerError::Truncated),
        // Only a name.
        ("30 03 06 01 2b", BerError::Truncated),
    ];
    for (h, want) in bad {
        let bytes = hex(h);
        assert_eq!(
            Reader::new(&bytes).read_pair(0x30, 0x06).unwrap_err(),
            want,
            "{h}"
        );
    }
}

/// Short OIDs (fewer than 15 content octets) take a one-pass path when every sub-identifier
/// is one octet; multi-octet arcs, the X.690 §8.19.2 minimality rule and truncation behave
/// as on the general path.
#[test]
fn short_oid_paths() {
    let o = decode_oid(&hex("2b 06 01 02 01 01 05 00")).unwrap();
    assert_eq!(o.as_slice(), &[1, 3, 6, 1, 2, 1, 1, 5, 0]);
    let o = decode_oid(&hex("2b 06 01 04 01 82 37 01")).unwrap();
    assert_eq!(o.as_slice(), &[1, 3, 6, 1, 4, 1, 311, 1]);
    // 14 octets, all one-octet arcs: 15 arcs, the inline maximum.
    let o = decode_oid(&hex("2b 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d")).unwrap();
    assert_eq!(o.len(), 15);
    assert_eq!(o.as_slice()[14], 13);
    assert!(matches!(
        decode_oid(&hex("2b 80 01")),
        Err(BerError::BadOid(_))
    ));
    assert!(matches!(
        decode_oid(&hex("2b 06 81")),
        Err(BerError::BadOid(_))
    ));
    // First octet with two arcs, multi-octet: 2.999 = 999 + 80 = 1079 = 0x88 0x37.
    assert_eq!(decode_oid(&hex("88 37")).unwrap().as_slice(), &[2, 999]);
}

/// `count_elements`: short forms skipped in one step, long forms through the general reader,
/// the cap respected, and a malformed element ends the count (the real read reports it).
#[test]
fn count_elements_first_pass() {
    let three = hex("05 00 04 02 68 69 02 01 07");
    assert_eq!(Reader::new(&three).count_elements(256), 3);
    assert_eq!(Reader::new(&three).count_elements(2), 2);
    assert_eq!(Reader::new(&[]).count_elements(256), 0);
    // Counting starts at the reader's position.
    let mut r = Reader::new(&three);
    r.read_tlv().unwrap();
    assert_eq!(r.count_elements(256), 2);
    // A long form in the middle: the rest is counted by the general reader.
    let mixed = hex("05 00 04 81 02 68 69 02 01 07 05 00");
    assert_eq!(Reader::new(&mixed).count_elements(256), 4);
    assert_eq!(Reader::new(&mixed).count_elements(3), 3);
    // A length past the end stops the count there.
    let cut = hex("05 00 04 05 68 69");
    assert_eq!(Reader::new(&cut).count_elements(256), 1);
    let cut_long = hex("05 00 04 81 05 68 69");
    assert_eq!(Reader::new(&cut_long).count_elements(256), 1);
    // A lone tag octet.
    assert_eq!(Reader::new(&hex("05 00 30")).count_elements(256), 1);
}

/// `read_i32`'s one-step path (short form, 1 to 4 octets) and its general path agree, and
/// every other shape gets the general path's answer.
#[test]
fn read_i32_fast_and_general_paths_agree() {
    for (h, want) in [
        ("02 01 80", Ok(-128)),
        ("02 03 ff ff 7f", Ok(-129)),
        ("02 03 ff 7f ff", Ok(-32769)),
        ("02 04 00 00 00 05", Ok(5)),
        ("02 81 01 05", Ok(5)),
        ("02 05 ff 80 00 00 00", Ok(i32::MIN)),
        ("02 05 00 80 00 00 00", Err(BerError::IntegerOverflow)),
        ("02 05 ff 7f ff ff ff", Err(BerError::IntegerOverflow)),
        ("02 05 01 00 00 00 00", Err(BerError::IntegerOverflow)),
        ("02 00", Err(BerError::EmptyInteger)),
        ("02 04 01 02", Err(BerError::Truncated)),
        ("02", Err(BerError::Truncated)),
        (
            "04 01 05",
            Err(BerError::UnexpectedTag {
                expected: 0x02,
                found: 0x04,
            }),
        ),
    ] {
        let bytes = hex(h);
        let mut r = Reader::new(&bytes);
        let got = r.read_i32(0x02);
        assert_eq!(got, want, "{h}");
        if got.is_ok() {
            assert!(r.is_empty(), "{h}: not all consumed");
        }
    }
    // The reader moves past exactly one element.
    let two = hex("02 01 07 02 02 01 00");
    let mut r = Reader::new(&two);
    assert_eq!(r.read_i32(0x02), Ok(7));
    assert_eq!(r.read_i32(0x02), Ok(256));
    assert!(r.is_empty());
}

/// Short OIDs with multi-octet arcs anywhere (the in-place one-pass path) decode to what was
/// encoded, and its limits match X.690 §8.19: the first sub-identifier may reach 2^32-1+80
/// (2.4294967295), later ones 2^32-1.
#[test]
fn short_multibyte_oids_round_trip_and_limits() {
    let pool = [
        0u32,
        1,
        39,
        127,
        128,
        300,
        16_383,
        16_384,
        2_097_152,
        u32::MAX,
    ];
    let mut checked = 0;
    for first in [0u32, 1, 2] {
        for (i, &a) in pool.iter().enumerate() {
            for &b in &pool[i..] {
                let second = if first < 2 { a % 40 } else { a };
                let o = Oid::from_slice(&[first, second, b, 5, a]).unwrap();
                let bytes = enc(|w| w.oid(0x06, &o));
                if bytes.len() - 2 >= 15 {
                    continue; // the long path's case
                }
                assert_eq!(Reader::new(&bytes).read_oid(0x06).unwrap(), o, "{o}");
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} short OIDs checked");
    let max = Oid::from_slice(&[2, u32::MAX]).unwrap();
    assert_eq!(enc(|w| w.oid(0x06, &max)), hex("06 05 90 80 80 80 4f"));
    assert_eq!(decode_oid(&hex("90 80 80 80 4f")).unwrap(), max);
    assert_eq!(
        decode_oid(&hex("90 80 80 80 50")),
        Err(BerError::BadOid("sub-identifier exceeds 2^32-1"))
    );
    assert_eq!(
        decode_oid(&hex("2b 8f ff ff ff 7f")).unwrap().as_slice(),
        &[1, 3, u32::MAX]
    );
    assert_eq!(
        decode_oid(&hex("2b 90 80 80 80 00 01")),
        Err(BerError::BadOid("sub-identifier exceeds 2^32-1"))
    );
    assert_eq!(
        decode_oid(&hex("2b 82 80 01")),
        Ok(Oid::from_slice(&[1, 3, 32769]).unwrap())
    );
    assert_eq!(
        decode_oid(&hex("2b 82 80")),
        Err(BerError::BadOid("truncated sub-identifier"))
    );
    assert_eq!(
        decode_oid(&hex("2b 06 80 7f")),
        Err(BerError::BadOid("non-minimal sub-identifier"))
    );
}

#[test]
fn integer_encoding_is_minimal_for_every_width() {
    // Reference: two's complement big-endian, dropping a leading octet while it and the
    // next octet's top bit agree (X.690 §8.3.2).
    fn reference(v: i64) -> Vec<u8> {
        let be = v.to_be_bytes();
        let mut i = 0;
        while i < 7
            && ((be[i] == 0x00 && be[i + 1] & 0x80 == 0)
                || (be[i] == 0xff && be[i + 1] & 0x80 != 0))
        {
            i += 1;
        }
        let mut out = vec![0x02, (8 - i) as u8];
        out.extend_from_slice(&be[i..]);
        out
    }
    let mut values = vec![0i64, 1, -1, i64::MIN, i64::MAX];
    for shift in 0..64 {
        let p = 1i64.wrapping_shl(shift);
        for d in [-2i64, -1, 0, 1, 2] {
            values.push(p.wrapping_add(d));
            values.push(p.wrapping_neg().wrapping_add(d));
        }
    }
    for v in values {
        let got = enc(|w| w.i64(0x02, v));
        assert_eq!(got, reference(v), "value {v}");
        let mut r = Reader::new(&got);
        if let Ok(v32) = i32::try_from(v) {
            assert_eq!(r.read_i32(0x02).unwrap(), v32);
        }
    }
}

#[test]
fn oid_encoding_of_large_and_small_arcs() {
    for text in [
        "1.3.6.1.2.1.1.1.0",
        "0.0",
        "2.999.4294967295.127.128.16383.16384.2097151.2097152.268435455.268435456",
        "1.39.0",
        "2.0",
    ] {
        let oid: Oid = text.parse().unwrap();
        let got = enc(|w| w.oid(0x06, &oid));
        assert_eq!(Reader::new(&got).read_oid(0x06).unwrap(), oid, "{text}");
    }
}
