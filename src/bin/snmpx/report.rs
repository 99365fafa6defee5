//! Output of `snmpx poll` / `demo`: JSON lines or CSV records, the progress bar, the summary
//! and process measurements (peak RSS, open descriptors).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use snmpx::{Value, VarBind};
use std::io::{IsTerminal, Write};
use std::time::Duration;

/// Record format.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header line.
    Csv,
}

/// The type name and text of a value for records; `true` when the text is a number.
pub fn render(v: &Value) -> (&'static str, String, bool) {
    match v {
        Value::OctetString(b) => match std::str::from_utf8(b) {
            Ok(s) if !s.chars().any(|c| c.is_control() && !c.is_whitespace()) => {
                ("STRING", s.to_string(), false)
            }
            _ => ("Hex-STRING", hex(b), false),
        },
        Value::Opaque(b) => ("Opaque", hex(b), false),
        Value::Unknown { data, .. } => ("Unknown", hex(data), false),
        Value::ObjectId(o) => ("OID", o.to_string(), false),
        Value::IpAddress(a) => (
            "IpAddress",
            format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3]),
            false,
        ),
        Value::Null | Value::NoSuchObject | Value::NoSuchInstance | Value::EndOfMibView => {
            (v.type_name(), String::new(), false)
        }
        _ => (
            v.type_name(),
            v.as_u64()
                .map(|n| n.to_string())
                .or_else(|| v.as_i64().map(|n| n.to_string()))
                .unwrap_or_default(),
            true,
        ),
    }
}

fn hex(b: &[u8]) -> String {
    b.iter()
        .map(|c| format!("{c:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn csv_field(s: &str, out: &mut String) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// Writes records to a file, stdout, or nowhere (counting them).
pub struct RecordWriter {
    out: Option<Box<dyn Write>>,
    format: Format,
    line: String,
    /// Records written (or that would have been).
    pub records: u64,
}

impl RecordWriter {
    /// A writer to `out` (None: discard), writing the CSV header now.
    pub fn new(out: Option<Box<dyn Write>>, format: Format) -> std::io::Result<RecordWriter> {
        let mut w = RecordWriter {
            out,
            format,
            line: String::with_capacity(256),
            records: 0,
        };
        if format == Format::Csv {
            if let Some(o) = w.out.as_mut() {
                o.write_all(b"host,oid,type,value,error\n")?;
            }
        }
        Ok(w)
    }

    fn emit(&mut self) -> std::io::Result<()> {
        self.records += 1;
        if let Some(o) = self.out.as_mut() {
            self.line.push('\n');
            o.write_all(self.line.as_bytes())?;
        }
        Ok(())
    }

    /// One binding of a host.
    pub fn varbind(&mut self, host: &str, vb: &VarBind) -> std::io::Result<()> {
        if self.out.is_none() {
            self.records += 1;
            return Ok(());
        }
        let (ty, text, number) = render(&vb.value);
        let l = &mut self.line;
        l.clear();
        match self.format {
            Format::Jsonl => {
                l.push_str("{\"host\":");
                json_str(host, l);
                l.push_str(",\"oid\":\"");
                l.push_str(&vb.oid.to_string());
                l.push_str("\",\"type\":\"");
                l.push_str(ty);
                l.push_str("\",\"value\":");
                if number {
                    l.push_str(&text);
                } else {
                    json_str(&text, l);
                }
                l.push('}');
            }
            Format::Csv => {
                csv_field(host, l);
                l.push(',');
                l.push_str(&vb.oid.to_string());
                l.push(',');
                l.push_str(ty);
                l.push(',');
                csv_field(&text, l);
                l.push(',');
            }
        }
        self.emit()
    }

    /// An error of a host (the device's other records may still be there).
    pub fn error(&mut self, host: &str, message: &str) -> std::io::Result<()> {
        let l = &mut self.line;
        l.clear();
        match self.format {
            Format::Jsonl => {
                l.push_str("{\"host\":");
                json_str(host, l);
                l.push_str(",\"error\":");
                json_str(message, l);
                l.push('}');
            }
            Format::Csv => {
                csv_field(host, l);
                l.push_str(",,,,");
                csv_field(message, l);
            }
        }
        self.emit()
    }

    /// Flushes buffered output.
    pub fn flush(&mut self) -> std::io::Result<()> {
        match self.out.as_mut() {
            Some(o) => o.flush(),
            None => Ok(()),
        }
    }
}

/// The live progress bar (only on a terminal).
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar over `devices` when `enabled` and both stdout and stderr are terminals.
    pub fn new(devices: u64, enabled: bool) -> Progress {
        let tty = std::io::stdout().is_terminal() && std::io::stderr().is_terminal();
        if !(enabled && tty) {
            return Progress { bar: None };
        }
        let bar = ProgressBar::with_draw_target(Some(devices), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40.cyan/blue}] {pos}/{len} devices, {msg}, ETA {eta}",
        )
        .expect("valid template")
        .progress_chars("=> ");
        bar.set_style(style);
        Progress { bar: Some(bar) }
    }

    /// Updates the counts shown.
    pub fn update(&self, done: u64, failed: u64, requests: u64, elapsed: Duration) {
        if let Some(b) = &self.bar {
            b.set_position(done);
            let rate = requests as f64 / elapsed.as_secs_f64().max(1e-3);
            b.set_message(format!("{failed} failed, {rate:.0} req/s"));
        }
    }

    /// Runs `f` with the bar hidden (for writing to the terminal).
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(b) => b.suspend(f),
            None => f(),
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// Peak resident set size of this process in KiB (`VmHWM` in /proc/self/status).
pub fn peak_rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Open file descriptors of this process.
pub fn open_fds() -> Option<usize> {
    Some(std::fs::read_dir("/proc/self/fd").ok()?.count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records() {
        let vb = VarBind::new(
            "1.3.6.1.2.1.1.5.0".parse().unwrap(),
            Value::from("a \"b\",c"),
        );
        let mut w = RecordWriter::new(Some(Box::new(Vec::new())), Format::Jsonl).unwrap();
        w.varbind("h:1", &vb).unwrap();
        assert_eq!(
            w.line,
            "{\"host\":\"h:1\",\"oid\":\"1.3.6.1.2.1.1.5.0\",\"type\":\"STRING\",\"value\":\"a \\\"b\\\",c\"}\n"
        );
        let mut w = RecordWriter::new(Some(Box::new(Vec::new())), Format::Csv).unwrap();
        w.varbind("h:1", &vb).unwrap();
        assert_eq!(w.line, "h:1,1.3.6.1.2.1.1.5.0,STRING,\"a \"\"b\"\",c\",\n");
        w.error("h:1", "timeout").unwrap();
        assert_eq!(w.line, "h:1,,,,timeout\n");
        assert_eq!(
            render(&Value::Counter64(5)),
            ("Counter64", "5".into(), true)
        );
        assert_eq!(render(&Value::OctetString(vec![0, 255].into())).1, "00:ff");
        assert!(peak_rss_kib().unwrap() > 0);
    }
}
