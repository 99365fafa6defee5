//! Text rendering of OIDs and values, compatible with Net-SNMP 5.9's command-line tools.
//!
//! Output options are a plain value ([`OutputOptions`]) passed per call or kept per session;
//! nothing here is process-global. [`OutputOptions::apply_flags`] takes the letters of
//! Net-SNMP's `-O` option with the same toggle semantics (`-Oq` twice is off again).
//!
//! ```
//! use snmpx::format::{format_varbind, OutputOptions};
//! use snmpx::{Value, VarBind};
//! let (mib, _) = snmpx::mib::builtin_mib();
//! let vb = VarBind::new(mib.resolve("sysUpTime.0").unwrap(), Value::TimeTicks(8640123));
//! let opts = OutputOptions::default();
//! assert_eq!(format_varbind(&mib, &vb, &opts),
//!            "SNMPv2-MIB::sysUpTime.0 = Timeticks: (8640123) 1 day, 0:00:01.23");
//! ```
#![forbid(unsafe_code)]

mod hint;
mod oid;
mod value;

pub use hint::{format_hinted_integer, format_octets_with_hint};
pub use oid::format_oid;
pub use value::format_value;

use crate::mib::Mib;
use crate::value::{Value, VarBind};

/// How OIDs are printed (`-On`, `-Of`, `-Os`, `-OS`, `-Ou`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OidStyle {
    /// `SNMPv2-MIB::sysDescr.0` (`-OS`, Net-SNMP's default).
    #[default]
    Module,
    /// `sysDescr.0` (`-Os`).
    Suffix,
    /// `.iso.org.dod.internet.mgmt.mib-2.system.sysDescr.0` (`-Of`).
    Full,
    /// `.1.3.6.1.2.1.1.1.0` (`-On`).
    Numeric,
    /// `system.sysDescr.0`: full form with the mib-2 (and similar) prefix removed (`-Ou`).
    Ucd,
}

/// How OCTET STRINGs without a DISPLAY-HINT are printed (`-Oa`, `-Ox`, default guess).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StringStyle {
    /// Text if every octet is printable or whitespace, otherwise hex.
    #[default]
    Guess,
    /// Always text, non-printable octets as `.` (`-Oa`).
    Ascii,
    /// Always hex (`-Ox`).
    Hex,
}

/// Net-SNMP's output options. `Default` is Net-SNMP's default output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputOptions {
    /// OID style.
    pub oid: OidStyle,
    /// String style.
    pub strings: StringStyle,
    /// `-Oq`: no type prefixes, `OID value` separated by a space.
    pub quick: bool,
    /// `-OQ`: like quick but keeps ` = `, and skips type checks.
    pub quick_equals: bool,
    /// `-Ov`: print only the value.
    pub bare_value: bool,
    /// `-Oe`: enums as numbers.
    pub numeric_enums: bool,
    /// `-Ot`: TimeTicks as a plain number.
    pub numeric_timeticks: bool,
    /// `-OT`: hex strings followed by their text.
    pub hex_text: bool,
    /// `-OU`: no UNITS suffix.
    pub no_units: bool,
    /// `-OX`: indexes in brackets (`ifDescr[3]`).
    pub extended_index: bool,
    /// `-Ob`: do not break indexes down (print them numerically).
    pub no_index_breakdown: bool,
    /// `-OE`: escape quotes in string indexes.
    pub escape_quotes: bool,
    /// `-O0`: two hex digits for DISPLAY-HINT `x` fields (MAC addresses as `00:1a:...`).
    pub two_digit_hex: bool,
    /// Octets per line of a `Hex-STRING` dump (Net-SNMP's `hexOutputLength`, default 16;
    /// 0 puts the whole dump on one line).
    pub hex_output_length: usize,
}

impl Default for OutputOptions {
    fn default() -> OutputOptions {
        OutputOptions {
            oid: OidStyle::default(),
            strings: StringStyle::default(),
            quick: false,
            quick_equals: false,
            bare_value: false,
            numeric_enums: false,
            numeric_timeticks: false,
            hex_text: false,
            no_units: false,
            extended_index: false,
            no_index_breakdown: false,
            escape_quotes: false,
            two_digit_hex: false,
            hex_output_length: 16,
        }
    }
}

impl OutputOptions {
    /// Options from the letters of `-O` (e.g. `"nq"`), applied to the defaults.
    pub fn from_flags(flags: &str) -> Result<OutputOptions, char> {
        let mut o = OutputOptions::default();
        o.apply_flags(flags)?;
        Ok(o)
    }

    /// Applies `-O` letters with Net-SNMP's semantics (`q b e t T U v X E 0` toggle; `n f s S
    /// u` pick the OID style; `a x` pick the string style; `Q` sets quick-equals and toggles
    /// quick). Returns the first unknown letter as the error.
    pub fn apply_flags(&mut self, flags: &str) -> Result<(), char> {
        for c in flags.chars() {
            match c {
                'a' => self.strings = StringStyle::Ascii,
                'x' => self.strings = StringStyle::Hex,
                'b' => self.no_index_breakdown ^= true,
                'e' => self.numeric_enums ^= true,
                'E' => self.escape_quotes ^= true,
                'f' => self.oid = OidStyle::Full,
                'n' => self.oid = OidStyle::Numeric,
                's' => self.oid = OidStyle::Suffix,
                'S' => self.oid = OidStyle::Module,
                'u' => self.oid = OidStyle::Ucd,
                'q' => self.quick ^= true,
                'Q' => {
                    self.quick_equals = true;
                    self.quick ^= true;
                }
                't' => self.numeric_timeticks ^= true,
                'T' => self.hex_text ^= true,
                'U' => self.no_units ^= true,
                'v' => self.bare_value ^= true,
                'X' => self.extended_index ^= true,
                '0' => self.two_digit_hex ^= true,
                other => return Err(other),
            }
        }
        Ok(())
    }
}

/// One variable binding as `snmpget`/`snmpwalk` print it (without the newline).
pub fn format_varbind(mib: &Mib, vb: &VarBind, opts: &OutputOptions) -> String {
    let mut out = String::with_capacity(64);
    if !opts.bare_value {
        out.push_str(&format_oid(mib, &vb.oid, opts));
        out.push_str(if opts.quick_equals || !opts.quick {
            " = "
        } else {
            " "
        });
    }
    out.push_str(&format_value(mib, &vb.oid, &vb.value, opts));
    out
}

/// Convenience: the value of `vb` only (what `-Ov` prints).
pub fn format_value_of(mib: &Mib, vb: &VarBind, opts: &OutputOptions) -> String {
    format_value(mib, &vb.oid, &vb.value, opts)
}

/// The text Net-SNMP prints for the three v2 exceptions (RFC 3416 §4.2.1).
pub fn exception_text(v: &Value) -> Option<&'static str> {
    match v {
        Value::NoSuchObject => Some("No Such Object available on this agent at this OID"),
        Value::NoSuchInstance => Some("No Such Instance currently exists at this OID"),
        Value::EndOfMibView => {
            Some("No more variables left in this MIB View (It is past the end of the MIB tree)")
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
