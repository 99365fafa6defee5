//! The objects a simulated device serves: an immutable, shared [`Mib`] of entries sorted by
//! OID, plus an optional virtual "big table" computed on demand (so a 10,000-row table costs
//! no memory). Values that differ per device (sysName, sysUpTime, counters, MAC addresses)
//! are [`Dynamic`] recipes evaluated at request time from the device index and the clock;
//! writable objects keep per-device overrides in the device state (see `agent.rs`).

use crate::oid::Oid;
use crate::value::Value;

/// Whether a SET may change an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// GET-family only; a SET answers notWritable (noSuchName in v1).
    ReadOnly,
    /// SET stores a per-device value (type- and range-checked).
    ReadWrite,
}

/// Extra checks a SET value must pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Constraint {
    /// Only the type is checked.
    None,
    /// An INTEGER within `lo..=hi` (wrongValue otherwise).
    IntRange(i32, i32),
    /// An OCTET STRING of at most this many bytes (wrongLength otherwise).
    MaxLen(usize),
}

/// Values computed per device and per request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dynamic {
    /// sysName: the configured prefix and the zero-padded device index.
    SysName,
    /// sysUpTime: hundredths of a second since a per-device boot time before the start.
    SysUpTime,
    /// ifPhysAddress: a locally administered MAC derived from the device and interface.
    PhysAddress { if_index: u32 },
    /// ifIn/OutOctets (Counter32, `wide` false) or ifHCIn/OutOctets (Counter64): a
    /// per-device offset plus a per-interface rate times the time since the start.
    Octets {
        if_index: u32,
        out: bool,
        wide: bool,
    },
}

impl Dynamic {
    /// The BER tag of the values this recipe yields (for SET type checks and v1 filtering).
    pub fn tag(self) -> u8 {
        use crate::value::tag;
        match self {
            Dynamic::SysName | Dynamic::PhysAddress { .. } => tag::OCTET_STRING,
            Dynamic::SysUpTime => tag::TIMETICKS,
            Dynamic::Octets { wide: true, .. } => tag::COUNTER64,
            Dynamic::Octets { wide: false, .. } => tag::COUNTER32,
        }
    }
}

/// Where an entry's value comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// The same value for every device (shared).
    Static(Value),
    /// Computed per device and request.
    Dynamic(Dynamic),
}

impl Source {
    /// The BER tag of the value.
    pub fn tag(&self) -> u8 {
        match self {
            Source::Static(v) => v.tag(),
            Source::Dynamic(d) => d.tag(),
        }
    }
}

/// One object instance.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub oid: Oid,
    pub source: Source,
    pub access: Access,
    pub constraint: Constraint,
}

/// A virtual table `entry.column.row` with columns 1..=4 and rows 1..=`rows`:
/// index (INTEGER), name (OCTET STRING `row-N`), a Counter64 and a Gauge32.
#[derive(Clone, Debug)]
pub(crate) struct BigTable {
    /// The table entry OID (`...99999.1.1`).
    pub entry: Oid,
    /// Number of rows.
    pub rows: u32,
}

/// Columns of the big table.
pub(crate) const BIG_COLUMNS: u32 = 4;

impl BigTable {
    fn cell(&self, col: u32, row: u32) -> Oid {
        self.entry
            .join(&[col, row])
            .expect("big table OIDs are short")
    }

    /// The value of a cell.
    pub fn value(&self, col: u32, row: u32) -> Value {
        match col {
            1 => Value::Integer(row as i32),
            2 => Value::OctetString(format!("row-{row}").into_bytes().into()),
            3 => Value::Counter64(row as u64 * 1_000_003),
            _ => Value::Gauge32(row % 1000),
        }
    }

    fn get(&self, oid: &Oid) -> Option<(u32, u32)> {
        match oid.suffix_after(&self.entry)? {
            &[col, row] if (1..=BIG_COLUMNS).contains(&col) && (1..=self.rows).contains(&row) => {
                Some((col, row))
            }
            _ => None,
        }
    }

    /// The first cell after `oid` in lexicographic order.
    fn next(&self, oid: &Oid) -> Option<(u32, u32)> {
        if self.rows == 0 {
            return None;
        }
        let Some(rest) = oid.suffix_after(&self.entry) else {
            // Not inside the table: everything in it is after `oid` iff `oid` sorts before it.
            return (oid.as_slice() < self.entry.as_slice()).then_some((1, 1));
        };
        let (col, row) = match *rest {
            [] | [0, ..] => return Some((1, 1)),
            [c] => (c, 0),
            [c, r, ..] => (c, r),
        };
        if col > BIG_COLUMNS {
            return None;
        }
        if row < self.rows {
            Some((col, row + 1))
        } else if col < BIG_COLUMNS {
            Some((col + 1, 1))
        } else {
            None
        }
    }
}

/// A position in a [`Mib`]: an entry index or a big-table cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pos {
    /// `entries[i]`.
    Entry(usize),
    /// A big-table cell.
    Big { col: u32, row: u32 },
}

/// The objects of a device model, shared (behind an `Arc`) by every device using it.
#[derive(Clone, Debug, Default)]
pub struct Mib {
    entries: Vec<Entry>,
    big: Option<BigTable>,
}

impl Mib {
    /// Builds a MIB from entries (sorted here; on duplicate OIDs the first wins).
    pub(crate) fn from_entries(mut entries: Vec<Entry>, big: Option<BigTable>) -> Mib {
        entries.sort_by(|a, b| a.oid.cmp(&b.oid));
        entries.dedup_by(|later, first| later.oid == first.oid);
        Mib { entries, big }
    }

    /// Number of stored entries (the virtual big table not included).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if the MIB has no object at all.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.big.as_ref().map_or(true, |b| b.rows == 0)
    }

    /// Rows of the virtual big table (0 when there is none).
    pub fn big_table_rows(&self) -> u32 {
        self.big.as_ref().map_or(0, |b| b.rows)
    }

    /// The entry at an index.
    pub(crate) fn entry(&self, i: usize) -> &Entry {
        &self.entries[i]
    }

    /// The big table, if any.
    pub(crate) fn big(&self) -> Option<&BigTable> {
        self.big.as_ref()
    }

    /// The stored entries, in OID order.
    #[cfg(test)]
    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The object instance named exactly `oid`.
    pub(crate) fn get(&self, oid: &Oid) -> Option<Pos> {
        if let Ok(i) = self.entries.binary_search_by(|e| e.oid.cmp(oid)) {
            return Some(Pos::Entry(i));
        }
        let (col, row) = self.big.as_ref()?.get(oid)?;
        Some(Pos::Big { col, row })
    }

    /// The first object instance after `oid`, with its OID.
    pub(crate) fn next(&self, oid: &Oid) -> Option<(Pos, Oid)> {
        let i = self.entries.partition_point(|e| e.oid <= *oid);
        let stored = self.entries.get(i).map(|e| (Pos::Entry(i), e.oid.clone()));
        let big = self.big.as_ref().and_then(|b| {
            b.next(oid)
                .map(|(col, row)| (Pos::Big { col, row }, b.cell(col, row)))
        });
        match (stored, big) {
            (Some(s), Some(b)) => Some(if s.1 < b.1 { s } else { b }),
            (s, b) => s.or(b),
        }
    }

    /// The BER tag of the value at a position.
    pub(crate) fn tag_at(&self, pos: Pos) -> u8 {
        match pos {
            Pos::Entry(i) => self.entries[i].source.tag(),
            Pos::Big { col, row } => self.big.as_ref().map_or(0, |b| b.value(col, row).tag()),
        }
    }

    /// True if some instance shares all but the last arc of `oid` and has its length: the
    /// object exists but not this instance (noSuchInstance rather than noSuchObject).
    pub(crate) fn has_sibling(&self, oid: &Oid) -> bool {
        let Some((_, parent)) = oid.as_slice().split_last() else {
            return false;
        };
        let i = self.entries.partition_point(|e| e.oid < *oid);
        let near = |j: usize| {
            self.entries
                .get(j)
                .is_some_and(|e| e.oid.len() == oid.len() && e.oid.as_slice().starts_with(parent))
        };
        if near(i) || (i > 0 && near(i - 1)) {
            return true;
        }
        self.big.as_ref().is_some_and(|b| {
            oid.len() == b.entry.len() + 2
                && oid.starts_with(&b.entry)
                && (1..=BIG_COLUMNS).contains(&oid[b.entry.len()])
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oid;

    fn entry(o: Oid, v: i32) -> Entry {
        Entry {
            oid: o,
            source: Source::Static(Value::Integer(v)),
            access: Access::ReadOnly,
            constraint: Constraint::None,
        }
    }

    #[test]
    fn big_table_order() {
        let t = BigTable {
            entry: oid!(1, 3, 6, 1, 4, 1, 99999, 1, 1),
            rows: 3,
        };
        assert_eq!(t.next(&oid!(1, 3)), Some((1, 1)));
        assert_eq!(t.next(&oid!(1, 3, 6, 1, 4, 1, 99999)), Some((1, 1)));
        assert_eq!(t.next(&oid!(1, 3, 6, 1, 4, 1, 99999, 1, 1)), Some((1, 1)));
        assert_eq!(
            t.next(&oid!(1, 3, 6, 1, 4, 1, 99999, 1, 1, 2)),
            Some((2, 1))
        );
        assert_eq!(
            t.next(&oid!(1, 3, 6, 1, 4, 1, 99999, 1, 1, 2, 1)),
            Some((2, 2))
        );
        assert_eq!(
            t.next(&oid!(1, 3, 6, 1, 4, 1, 99999, 1, 1, 2, 1, 7)),
            Some((2, 2))
        );
        assert_eq!(
            t.next(&oid!(1, 3, 6, 1, 4, 1, 99999, 1, 1, 2, 3)),
            Some((3, 1))
        );
        assert_eq!(t.next(&oid!(1, 3, 6, 1, 4, 1, 99999, 1, 1, 4, 3)), None);
        assert_eq!(t.next(&oid!(1, 3, 6, 1, 4, 1, 99999, 1, 1, 5)), None);
        assert_eq!(t.next(&oid!(1, 3, 6, 1, 4, 1, 99999, 1, 2)), None);
        assert_eq!(
            t.next(&oid!(1, 3, 6, 1, 4, 1, 99999, 1, 1, 1, u32::MAX)),
            Some((2, 1))
        );
        assert_eq!(
            t.get(&oid!(1, 3, 6, 1, 4, 1, 99999, 1, 1, 4, 3)),
            Some((4, 3))
        );
        assert_eq!(t.get(&oid!(1, 3, 6, 1, 4, 1, 99999, 1, 1, 4, 4)), None);
    }

    #[test]
    fn next_merges_entries_and_big_table() {
        let mib = Mib::from_entries(
            vec![
                entry(oid!(1, 3, 6, 1, 9), 2),
                entry(oid!(1, 3, 6, 1, 2, 1, 1, 1, 0), 1),
                entry(oid!(1, 3, 6, 1, 2, 1, 1, 1, 0), 99),
            ],
            Some(BigTable {
                entry: oid!(1, 3, 6, 1, 4, 1, 99999, 1, 1),
                rows: 2,
            }),
        );
        assert_eq!(mib.len(), 2);
        let mut cur = oid!(1, 3);
        let mut seen = Vec::new();
        while let Some((_, o)) = mib.next(&cur) {
            seen.push(o.clone());
            cur = o;
        }
        assert_eq!(seen.len(), 2 + 8);
        assert!(seen.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(seen.last(), Some(&oid!(1, 3, 6, 1, 9)));
        assert_eq!(
            mib.get(&oid!(1, 3, 6, 1, 2, 1, 1, 1, 0)),
            Some(Pos::Entry(0))
        );
        assert!(mib.has_sibling(&oid!(1, 3, 6, 1, 2, 1, 1, 1, 7)));
        assert!(!mib.has_sibling(&oid!(1, 3, 6, 1, 2, 1, 1, 1)));
        assert!(mib.has_sibling(&oid!(1, 3, 6, 1, 4, 1, 99999, 1, 1, 2, 77)));
    }
}
