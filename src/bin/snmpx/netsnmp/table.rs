//! `snmptable AGENT TABLE-OID`: the table's accessible columns (from the MIB) are walked
//! (GetBulk on v2c/v3 unless `-CB`, GetNext otherwise), rows are keyed by their index, and
//! the table is printed as Net-SNMP 5.9 lays it out: a title, right-aligned columns (`-Cl`
//! left), `?` for missing cells, `-Cf SEP` delimited, `-Ci` index column, `-Cb` brief
//! names, `-Ch`/`-CH` headers only/none, `-Cw WIDTH` parts, `-Cc WIDTH` fixed columns.
//! Values are printed in quick form (`-Oq`).

use super::ctx::Ctx;
use snmpx::format::{format_oid, format_value, OidStyle};
use snmpx::session::Operation;
use snmpx::{ErrorStatus, Oid, Value, Version};
use std::collections::BTreeMap;
use std::io::Write;

struct Layout {
    sep: Option<String>,
    left: bool,
    index: bool,
    brief: bool,
    headers_only: bool,
    no_headers: bool,
    width: Option<usize>,
    col_width: Option<usize>,
    use_bulk: bool,
    reps: u32,
}

/// Runs snmptable; returns the exit code.
pub fn run(c: &mut Ctx) -> u8 {
    if let Err(code) = c.check_common() {
        return code;
    }
    if let Some((_, bad)) = c.o.app.iter().find(|(k, _)| *k == '!').cloned() {
        return c.usage_error(&format!("Bad option after -C: {bad}\n"));
    }
    if c.o.operands.len() != 2 {
        return c.usage_error("Must have exactly one table name\n");
    }
    // snmptable turns quick printing on before reading the options (-Oq toggles it off).
    c.o.out.quick ^= true;
    let mut l = Layout {
        sep: None,
        left: false,
        index: false,
        brief: false,
        headers_only: false,
        no_headers: false,
        width: None,
        col_width: None,
        use_bulk: true,
        reps: 10,
    };
    for (k, v) in c.o.app.clone() {
        match k {
            'f' => l.sep = Some(v),
            'l' => l.left = true,
            'i' => l.index = true,
            'b' => l.brief = true,
            'h' => l.headers_only = true,
            'H' => l.no_headers = true,
            'w' => l.width = v.parse().ok(),
            'c' => l.col_width = v.parse().ok(),
            'B' => l.use_bulk = false,
            'r' => l.reps = v.parse().unwrap_or(10),
            _ => {}
        }
    }
    let name = c.o.operands[1].clone();
    let table = match c.resolve(&name) {
        Ok(o) => o,
        Err(msg) => {
            c.log(&format!("{msg}\n"));
            return 1;
        }
    };
    let mut title_opts = c.o.out;
    title_opts.quick = false;
    let title = format_oid(&c.mib, &table, &title_opts);
    // Table -> entry -> accessible columns.
    let entry = c.mib.children(&table);
    let columns: Vec<(Oid, String)> = match entry.as_slice() {
        [(sub, _)] => {
            let mut e = table.as_slice().to_vec();
            e.push(*sub);
            c.mib
                .children(&e)
                .into_iter()
                .filter_map(|(s, label)| {
                    let mut arcs = e.clone();
                    arcs.push(s);
                    let access = c.mib.object(&arcs).and_then(|d| d.access.clone());
                    if access
                        .as_deref()
                        .is_some_and(|a| a.contains("not-accessible"))
                    {
                        return None;
                    }
                    let label = label
                        .map(|x| x.to_string())
                        .unwrap_or_else(|| s.to_string());
                    Some((Oid::from_slice(&arcs).ok()?, label))
                })
                .collect()
        }
        _ => Vec::new(),
    };
    // snmptable finds its columns through their names; with -On there are none.
    if columns.is_empty() || c.o.out.oid == OidStyle::Numeric {
        c.err(&format!("Was that a table? {title}\n"));
        return 1;
    }
    let mut headers: Vec<String> = columns.iter().map(|(_, n)| n.clone()).collect();
    if l.brief {
        let entry_label = entry
            .first()
            .and_then(|(_, l)| l.as_deref().map(str::to_string))
            .unwrap_or_default();
        brief_names(&mut headers, &entry_label);
    }
    let session = match c.open() {
        Ok(s) => s,
        Err(code) => return code,
    };
    // Rows keyed by index arcs, in OID order.
    let mut rows: BTreeMap<Vec<u32>, Vec<Option<String>>> = BTreeMap::new();
    if !l.headers_only {
        let bulk = l.use_bulk && c.version() != Version::V1;
        for (ci, (col, _)) in columns.iter().enumerate() {
            let mut cur = col.clone();
            'walk: loop {
                let op = if bulk {
                    Operation::GetBulk {
                        non_repeaters: 0,
                        max_repetitions: l.reps.max(1),
                        oids: vec![cur.clone()],
                    }
                } else {
                    Operation::GetNext(vec![cur.clone()])
                };
                let resp = match session.request(op) {
                    Ok(r) => r,
                    Err(e) => return c.request_failed(&e, false),
                };
                if resp.status != ErrorStatus::NoError {
                    if resp.status == ErrorStatus::NoSuchName {
                        break;
                    }
                    return c.packet_error(true, resp.status, resp.index, &resp.varbinds);
                }
                if resp.varbinds.is_empty() {
                    break;
                }
                for vb in &resp.varbinds {
                    let Some(idx) = vb.oid.suffix_after(col) else {
                        break 'walk;
                    };
                    if idx.is_empty()
                        || matches!(
                            vb.value,
                            Value::EndOfMibView | Value::NoSuchObject | Value::NoSuchInstance
                        )
                        || vb.oid <= cur
                    {
                        break 'walk;
                    }
                    let text = format_value(&c.mib, &vb.oid, &vb.value, &c.o.out);
                    let row = rows
                        .entry(idx.to_vec())
                        .or_insert_with(|| vec![None; columns.len()]);
                    row[ci] = Some(text);
                    cur = vb.oid.clone();
                }
            }
        }
    }
    let mut idx_opts = c.o.out;
    idx_opts.oid = OidStyle::Suffix;
    let first_col = &columns[0].0;
    let index_texts: Vec<String> = rows
        .keys()
        .map(|k| {
            let mut arcs = first_col.as_slice().to_vec();
            arcs.extend_from_slice(k);
            let s = format_oid(&c.mib, &arcs, &idx_opts);
            match s.split_once('.') {
                Some((_, rest)) => rest.to_string(),
                None => s,
            }
        })
        .collect();
    let cells: Vec<Vec<String>> = rows
        .values()
        .map(|r| {
            r.iter()
                .map(|v| v.clone().unwrap_or_else(|| "?".to_string()))
                .collect()
        })
        .collect();
    let out = render(&l, &title, &headers, &index_texts, &cells);
    let _ = c.out().write_all(out.as_bytes());
    if rows.is_empty() || l.headers_only {
        let _ = c
            .out()
            .write_all(format!("{title}: No entries\n").as_bytes());
    }
    0
}

/// `-Cb`: drops from each column name the prefix it shares with the entry's name
/// (`sysORID` of `sysOREntry` -> `ID`).
fn brief_names(h: &mut [String], entry: &str) {
    for s in h.iter_mut() {
        let n = s
            .bytes()
            .zip(entry.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        if n < s.len() {
            *s = s[n..].to_string();
        }
    }
}

fn render(
    l: &Layout,
    title: &str,
    headers: &[String],
    index: &[String],
    cells: &[Vec<String>],
) -> String {
    let mut s = String::new();
    if let Some(sep) = &l.sep {
        if !l.no_headers {
            s.push_str(&format!("SNMP table: {title}\n\n"));
            let mut hs: Vec<&str> = Vec::new();
            if l.index {
                hs.push("index");
            }
            hs.extend(headers.iter().map(String::as_str));
            s.push_str(&hs.join(sep));
            s.push('\n');
        }
        if l.headers_only {
            return s;
        }
        for (r, row) in cells.iter().enumerate() {
            let mut fs: Vec<&str> = Vec::new();
            if l.index {
                fs.push(&index[r]);
            }
            fs.extend(row.iter().map(String::as_str));
            s.push_str(&fs.join(sep));
            s.push('\n');
        }
        return s;
    }
    let width_of = |i: usize| -> usize {
        if let Some(w) = l.col_width {
            return w;
        }
        let mut w = headers[i].len();
        for row in cells {
            w = w.max(row[i].len());
        }
        w
    };
    let widths: Vec<usize> = (0..headers.len()).map(width_of).collect();
    let index_width = index.iter().map(String::len).max().unwrap_or(0).max(5);
    let field = |v: &str, w: usize| -> String {
        if l.col_width.is_some() {
            let p = w.saturating_sub(1);
            let v: String = v.chars().take(p).collect();
            return if l.left {
                format!("{v:<w$}")
            } else {
                format!("{v:>w$}")
            };
        }
        if l.left {
            format!("{v:<w$} ")
        } else {
            format!(" {v:>w$}")
        }
    };
    // Split the columns into parts no wider than -Cw.
    let mut parts: Vec<std::ops::Range<usize>> = Vec::new();
    match l.width {
        Some(max) if max > 0 => {
            let mut start = 0;
            let mut used = if l.index { index_width + 1 } else { 0 };
            for (i, w) in widths.iter().enumerate() {
                if i > start && used + w + 1 > max {
                    parts.push(start..i);
                    start = i;
                    used = if l.index { index_width + 1 } else { 0 };
                }
                used += w + 1;
            }
            parts.push(start..widths.len());
        }
        _ => parts.push(0..widths.len()),
    }
    for (p, range) in parts.iter().enumerate() {
        if !l.no_headers {
            if l.headers_only {
            } else if p == 0 {
                s.push_str(&format!("SNMP table: {title}\n\n"));
            } else {
                s.push_str(&format!("\nSNMP table {title}, part {}\n\n", p + 1));
            }
            if l.index {
                s.push_str(&field("index", index_width));
            }
            for i in range.clone() {
                s.push_str(&field(&headers[i], widths[i]));
            }
            s.push('\n');
        }
        if l.headers_only {
            continue;
        }
        for (r, row) in cells.iter().enumerate() {
            if l.index {
                s.push_str(&field(&index[r], index_width));
            }
            for i in range.clone() {
                s.push_str(&field(&row[i], widths[i]));
            }
            s.push('\n');
        }
    }
    s
}
