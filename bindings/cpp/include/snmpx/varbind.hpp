// snmpx C++ wrapper: snmpx::VarBind (a received binding with typed accessors and formatted
// text), snmpx::FormatOptions, and snmpx::Value (a value to Set).
#ifndef SNMPX_VARBIND_HPP
#define SNMPX_VARBIND_HPP

#include "snmpx.h"
#include "snmpx/error.hpp"
#include "snmpx/types.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace snmpx {

namespace detail {

/// Runs a C text output function with the library's buffer convention (see
/// snmpx_varbind_format): a stack buffer first, a heap buffer of the reported size if that
/// was too small.
template <class F>
inline Result<std::string> text_out(F &&call) {
    char small[256];
    std::size_t len = 0;
    std::uint32_t rc = call(small, sizeof small, &len);
    if (rc == SNMPX_OK) {
        return std::string(small, len);
    }
    if (rc != SNMPX_E_BUFFER_TOO_SMALL) {
        return info_of(rc);
    }
    std::string big(len + 1, '\0');
    rc = call(&big[0], big.size(), &len);
    if (rc != SNMPX_OK) {
        return info_of(rc);
    }
    big.resize(len);
    return big;
}

}  // namespace detail

/// How OIDs are written by VarBind::format.
enum class OidFormat {
    /// `.1.3.6.1.2.1.1.5.0` (Net-SNMP `-On`).
    Numeric,
    /// `1.3.6.1.2.1.1.5.0` (no leading dot).
    NumericNoDot,
};

/// How OCTET STRING values are written by VarBind::format.
enum class StringFormat {
    /// Text when every octet is printable or whitespace, otherwise hex (Net-SNMP default).
    Auto,
    /// Always `Hex-STRING: 73 6E ...` (Net-SNMP `-Ox`).
    Hex,
    /// Always text, non-printable octets as `.` (Net-SNMP `-Oa`).
    Ascii,
};

/// Output options for VarBind::format / format_value: a plain value passed per call, never
/// process-wide state, so threads formatting with different options cannot affect each other
/// (Net-SNMP keeps its `-O` options in globals).
///
/// The base text is the library's `snmpget -On` rendering; these options change it as the
/// Net-SNMP flag named on each member does. Names (`SNMPv2-MIB::sysName.0`) need the C ABI's
/// MIB-aware renderer, which it does not export yet.
struct FormatOptions {
    /// OID style of the line.
    OidFormat oid = OidFormat::Numeric;
    /// OCTET STRING style.
    StringFormat strings = StringFormat::Auto;
    /// Only the value, no `OID = ` (Net-SNMP `-Ov`).
    bool value_only = false;
    /// TimeTicks as the bare number of hundredths (Net-SNMP `-Ot`: `Timeticks: 12345` ->
    /// `12345` with the type label dropped, as Net-SNMP does).
    bool numeric_timeticks = false;
    /// Keep the `TYPE: ` label in front of values. `false` renders values as Net-SNMP's
    /// `-OQ` does: no label, strings and hex strings quoted, TimeTicks as `D:H:MM:SS.cc`.
    bool show_type = true;

    /// Equality of every member.
    friend bool operator==(const FormatOptions &a, const FormatOptions &b) noexcept {
        return a.oid == b.oid && a.strings == b.strings && a.value_only == b.value_only &&
               a.numeric_timeticks == b.numeric_timeticks && a.show_type == b.show_type;
    }
    /// Inequality.
    friend bool operator!=(const FormatOptions &a, const FormatOptions &b) noexcept {
        return !(a == b);
    }
};

/// One received variable binding: an OID and a typed value. A cheap, copyable, immutable
/// value: it shares the response (or walk row) it came from, which stays alive while any
/// VarBind refers to it. Safe to copy and read from any number of threads.
class VarBind {
public:
    /// Adopts a view `vb` that lives as long as `owner`.
    VarBind(std::shared_ptr<const void> owner, const snmpx_varbind *vb) noexcept
        : owner_(std::move(owner)), vb_(vb) {}

    /// The OID.
    Oid oid() const {
        const std::uint32_t *arcs = nullptr;
        std::size_t len = 0;
        snmpx_varbind_oid(vb_, &arcs, &len);
        return Oid(arcs, len);
    }
    /// The OID as numeric text without a leading dot (`1.3.6.1.2.1.1.5.0`).
    std::string oid_text() const { return oid().to_string(); }

    /// The value's raw type tag (a ValueType value, or a tag the library does not interpret).
    std::uint32_t raw_type() const noexcept {
        std::uint32_t t = 0;
        snmpx_varbind_type(vb_, &t);
        return t;
    }
    /// The value's type.
    ValueType type() const noexcept { return static_cast<ValueType>(raw_type()); }
    /// True for noSuchObject, noSuchInstance and endOfMibView (RFC 3416 §4.2.1).
    bool is_exception() const noexcept {
        auto t = raw_type();
        return t == SNMPX_TYPE_NO_SUCH_OBJECT || t == SNMPX_TYPE_NO_SUCH_INSTANCE ||
               t == SNMPX_TYPE_END_OF_MIB_VIEW;
    }

    /// INTEGER, Counter32, Gauge32, TimeTicks or a Counter64 that fits, as int64_t.
    std::optional<std::int64_t> to_int64() const noexcept {
        std::int64_t v = 0;
        if (snmpx_varbind_int64(vb_, &v) != SNMPX_OK) {
            return std::nullopt;
        }
        return v;
    }
    /// Counter32, Gauge32, TimeTicks, Counter64 or a non-negative INTEGER, as uint64_t.
    std::optional<std::uint64_t> to_uint64() const noexcept {
        std::uint64_t v = 0;
        if (snmpx_varbind_uint64(vb_, &v) != SNMPX_OK) {
            return std::nullopt;
        }
        return v;
    }
    /// The octets of an OCTET STRING, Opaque, IpAddress or uninterpreted value, borrowed
    /// from this VarBind (valid while it, or a copy, lives).
    std::optional<std::string_view> octets() const noexcept {
        const std::uint8_t *data = nullptr;
        std::size_t len = 0;
        if (snmpx_varbind_bytes(vb_, &data, &len) != SNMPX_OK) {
            return std::nullopt;
        }
        return std::string_view(reinterpret_cast<const char *>(data), len);
    }
    /// An OBJECT IDENTIFIER value.
    std::optional<Oid> to_oid() const {
        const std::uint32_t *arcs = nullptr;
        std::size_t len = 0;
        if (snmpx_varbind_oid_value(vb_, &arcs, &len) != SNMPX_OK) {
            return std::nullopt;
        }
        return Oid(arcs, len);
    }
    /// An IpAddress value's four octets.
    std::optional<std::array<std::uint8_t, 4>> to_ip_address() const noexcept {
        auto o = octets();
        if (type() != ValueType::IpAddress || !o || o->size() != 4) {
            return std::nullopt;
        }
        return std::array<std::uint8_t, 4>{
            static_cast<std::uint8_t>((*o)[0]), static_cast<std::uint8_t>((*o)[1]),
            static_cast<std::uint8_t>((*o)[2]), static_cast<std::uint8_t>((*o)[3])};
    }

#if SNMPX_CPP_EXCEPTIONS
    /// Like to_int64(); throws UsageError (Errc::WrongType) for other types.
    std::int64_t as_int64() const { return need(to_int64(), "an integer"); }
    /// Like to_uint64(); throws UsageError (Errc::WrongType) for other types.
    std::uint64_t as_uint64() const { return need(to_uint64(), "an unsigned integer"); }
    /// The octets as a std::string (a copy); throws UsageError for non-octet types.
    std::string as_string() const { return std::string(need(octets(), "octets")); }
    /// The octets as bytes (a copy); throws UsageError for non-octet types.
    std::vector<std::uint8_t> as_bytes() const {
        auto s = need(octets(), "octets");
        return std::vector<std::uint8_t>(s.begin(), s.end());
    }
    /// Like to_oid(); throws UsageError for other types.
    Oid as_oid() const { return need(to_oid(), "an OBJECT IDENTIFIER"); }
    /// Like to_ip_address(); throws UsageError for other types.
    std::array<std::uint8_t, 4> as_ip_address() const {
        return need(to_ip_address(), "an IpAddress");
    }
#endif

    /// The value as text (see FormatOptions), e.g. `STRING: "name"`.
    std::string format_value(const FormatOptions &opts = {}) const {
        std::string text;
        auto t = raw_type();
        if (t == SNMPX_TYPE_OCTET_STRING && opts.strings != StringFormat::Auto &&
            !octets().value_or(std::string_view()).empty()) {  // "" has one form
            text = opts.strings == StringFormat::Hex ? hex_text() : ascii_text();
        } else if (t == SNMPX_TYPE_TIMETICKS && opts.numeric_timeticks) {
            return std::to_string(to_uint64().value_or(0));
        } else if (t == SNMPX_TYPE_TIMETICKS && !opts.show_type) {
            return quick_ticks(to_uint64().value_or(0));
        } else {
            text = c_text(&snmpx_varbind_value_format);
        }
        if (!opts.show_type) {
            strip_type_label(text, t);
        }
        return text;
    }

    /// The binding as one line, `OID = value` (see FormatOptions).
    std::string format(const FormatOptions &opts = {}) const {
        if (opts.value_only) {
            return format_value(opts);
        }
        std::string line = oid().to_string(opts.oid == OidFormat::Numeric);
        line += " = ";
        line += format_value(opts);
        return line;
    }

    /// Writes format() with default options.
    friend std::ostream &operator<<(std::ostream &os, const VarBind &vb) {
        return os << vb.format();
    }

    /// The C view (valid while this VarBind lives).
    const snmpx_varbind *native_handle() const noexcept { return vb_; }

private:
#if SNMPX_CPP_EXCEPTIONS
    template <class T>
    T need(std::optional<T> v, const char *what) const {
        if (!v) {
            ErrorInfo e = detail::info_of(SNMPX_E_WRONG_TYPE);
            e.message = "value of " + oid_text() + " is not " + what;
            throw_error(std::move(e));
        }
        return std::move(*v);
    }
#endif

    using CText = snmpx_result (*)(const snmpx_varbind *, char *, std::size_t, std::size_t *);
    std::string c_text(CText fn) const {
        auto r = detail::text_out(
            [&](char *buf, std::size_t n, std::size_t *len) { return fn(vb_, buf, n, len); });
        return r.ok() ? std::move(r).value() : std::string("?");
    }

    /// `Hex-STRING: 73 6E ` with a line break after every 16 octets (Net-SNMP's layout).
    std::string hex_text() const {
        static const char digits[] = "0123456789ABCDEF";
        auto o = octets().value_or(std::string_view());
        std::string s = "Hex-STRING: ";
        for (std::size_t i = 0; i < o.size(); ++i) {
            if (i > 0 && i % 16 == 0) {
                s.push_back('\n');
            }
            auto c = static_cast<unsigned char>(o[i]);
            s.push_back(digits[c >> 4]);
            s.push_back(digits[c & 15]);
            s.push_back(' ');
        }
        return s;
    }

    /// `STRING: "text"` with non-printable octets as `.`.
    std::string ascii_text() const {
        auto o = octets().value_or(std::string_view());
        std::string s = "STRING: \"";
        for (char ch : o) {
            auto c = static_cast<unsigned char>(ch);
            bool print = c >= 0x20 && c < 0x7f;
            bool space = c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == 0x0c;
            if (ch == '"' || ch == '\\') {
                s.push_back('\\');
            }
            s.push_back(print || space ? ch : '.');
        }
        s.push_back('"');
        return s;
    }

    /// TimeTicks as Net-SNMP's `-OQ` prints them: `D:H:MM:SS.cc`.
    static std::string quick_ticks(std::uint64_t t) {
        auto two = [](std::uint64_t v) {
            std::string s = std::to_string(v);
            return v < 10 ? "0" + s : s;
        };
        std::uint64_t secs = t / 100;
        return std::to_string(secs / 86400) + ":" + std::to_string(secs / 3600 % 24) + ":" +
               two(secs / 60 % 60) + ":" + two(secs % 60) + "." + two(t % 100);
    }

    /// Drops `TYPE: ` from a value text of a type that has a label, as Net-SNMP's `-OQ`
    /// does (hex strings are then quoted).
    static void strip_type_label(std::string &text, std::uint32_t t) {
        switch (t) {
        case SNMPX_TYPE_NULL:
        case SNMPX_TYPE_NO_SUCH_OBJECT:
        case SNMPX_TYPE_NO_SUCH_INSTANCE:
        case SNMPX_TYPE_END_OF_MIB_VIEW:
            return;
        default:
            break;
        }
        if (text == "\"\"") {
            return;  // the empty string has no label
        }
        bool hex = text.compare(0, 12, "Hex-STRING: ") == 0;
        auto colon = text.find(": ");
        if (colon != std::string::npos) {
            text.erase(0, colon + 2);
        }
        if (hex) {
            text = "\"" + text + "\"";
        }
    }

    std::shared_ptr<const void> owner_;
    const snmpx_varbind *vb_;
};

/// A value to write with Set: one of the SNMP types (RFC 2578 §7.1) built by a factory.
class Value {
public:
    /// INTEGER / Integer32.
    static Value integer(std::int32_t v) { return Value(ValueType::Integer, v); }
    /// Counter32.
    static Value counter32(std::uint32_t v) { return Value(ValueType::Counter32, v); }
    /// Gauge32 / Unsigned32.
    static Value gauge32(std::uint32_t v) { return Value(ValueType::Gauge32, v); }
    /// TimeTicks.
    static Value timeticks(std::uint32_t v) { return Value(ValueType::TimeTicks, v); }
    /// Counter64.
    static Value counter64(std::uint64_t v) { return Value(ValueType::Counter64, v); }
    /// OCTET STRING from text or bytes (any octets).
    static Value octet_string(std::string_view octets) {
        return Value(ValueType::OctetString, std::string(octets));
    }
    /// OCTET STRING from bytes.
    static Value octet_string(const std::vector<std::uint8_t> &octets) {
        return Value(ValueType::OctetString, std::string(octets.begin(), octets.end()));
    }
    /// Opaque (already BER-encoded contents).
    static Value opaque(std::string_view octets) {
        return Value(ValueType::Opaque, std::string(octets));
    }
    /// IpAddress.
    static Value ip_address(std::array<std::uint8_t, 4> a) {
        return Value(ValueType::IpAddress, std::string(a.begin(), a.end()));
    }
    /// OBJECT IDENTIFIER.
    static Value object_id(Oid oid) {
        Value v(ValueType::ObjectId, 0);
        v.oid_ = std::move(oid);
        return v;
    }

    /// The value's type.
    ValueType type() const noexcept { return type_; }
    /// The number of integer types (INTEGER is stored as its two's complement).
    std::uint64_t number() const noexcept { return number_; }
    /// The octets of OCTET STRING, Opaque, IpAddress.
    const std::string &octets() const noexcept { return octets_; }
    /// The OID of OBJECT IDENTIFIER values.
    const Oid &object_id() const noexcept { return oid_; }

    /// Applies this value to the last OID added to a C request.
    std::uint32_t apply(snmpx_request *req) const noexcept {
        switch (type_) {
        case ValueType::Integer:
            return snmpx_request_value_int(
                req, static_cast<std::int32_t>(static_cast<std::uint32_t>(number_)));
        case ValueType::Counter32:
        case ValueType::Gauge32:
        case ValueType::TimeTicks:
        case ValueType::Counter64:
            return snmpx_request_value_unsigned(req, static_cast<std::uint32_t>(type_), number_);
        case ValueType::ObjectId:
            return snmpx_request_value_oid_arcs(req, oid_.arcs().data(), oid_.size());
        default:
            return snmpx_request_value_bytes(
                req, static_cast<std::uint32_t>(type_),
                reinterpret_cast<const std::uint8_t *>(octets_.data()), octets_.size());
        }
    }

private:
    Value(ValueType t, std::int64_t n) : type_(t), number_(static_cast<std::uint64_t>(n)) {}
    Value(ValueType t, std::uint64_t n) : type_(t), number_(n) {}
    Value(ValueType t, std::uint32_t n) : type_(t), number_(n) {}
    Value(ValueType t, int n) : type_(t), number_(static_cast<std::uint64_t>(n)) {}
    Value(ValueType t, std::string octets) : type_(t), octets_(std::move(octets)) {}

    ValueType type_;
    std::uint64_t number_ = 0;
    std::string octets_;
    Oid oid_;
};

}  // namespace snmpx

#endif  // SNMPX_VARBIND_HPP
