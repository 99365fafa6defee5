// snmpx C++ wrapper: snmpx::VarBind (a received binding with typed accessors and formatted
// text), snmpx::FormatOptions, and snmpx::Value (a value to Set).
#ifndef SNMPX_VARBIND_HPP
#define SNMPX_VARBIND_HPP

#include "snmpx.h"
#include "snmpx/error.hpp"
#include "snmpx/types.hpp"

#include <algorithm>
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

/// Output options: Net-SNMP's `-O` letters (`n` numeric OIDs, `s`/`S`/`f`/`u` other OID
/// styles, `q`/`Q` quick, `v` value only, `e` numeric enums, `t` numeric TimeTicks, `x`/`a`
/// hex/ASCII strings, `T`, `U`, `X`, `b`, `E`, `0`), applied in order with Net-SNMP's
/// semantics (toggles toggle). The empty set is Net-SNMP's default output with MIB names:
/// `SNMPv2-MIB::sysName.0 = STRING: name`.
///
/// A plain value passed per call, never process-wide state (Net-SNMP keeps its `-O`
/// options in globals), so threads formatting with different options cannot affect each
/// other. Rendering is the library's (snmpx_varbind_format_opts / snmpx_oid_format), with
/// the process's MIB resolver.
class FormatOptions {
public:
    /// Net-SNMP's default output.
    FormatOptions() = default;
    /// From `-O` letters, e.g. `FormatOptions("nq")`. Unknown letters fail at format time
    /// with Errc::Usage.
    explicit FormatOptions(std::string letters) : letters_(std::move(letters)) {}

    /// Adds letters (applied after the ones already present).
    FormatOptions &add(std::string_view letters) {
        letters_ += letters;
        return *this;
    }
    /// `-On`: numeric OIDs (`.1.3.6.1.2.1.1.5.0`).
    FormatOptions &numeric_oids() { return add("n"); }
    /// `-Os`: the last name only (`sysName.0`).
    FormatOptions &suffix_oids() { return add("s"); }
    /// `-Of`: the full path of names.
    FormatOptions &full_oids() { return add("f"); }
    /// `-Ov`: the value only.
    FormatOptions &value_only() { return add("v"); }
    /// `-Oq`: no type labels, `OID value`.
    FormatOptions &quick() { return add("q"); }
    /// `-OQ`: no type labels, `OID = value`.
    FormatOptions &quick_equals() { return add("Q"); }
    /// `-Ot`: TimeTicks as a number.
    FormatOptions &numeric_timeticks() { return add("t"); }
    /// `-Oe`: enumerations as numbers.
    FormatOptions &numeric_enums() { return add("e"); }
    /// `-Ox`: OCTET STRINGs in hex.
    FormatOptions &hex_strings() { return add("x"); }
    /// `-Oa`: OCTET STRINGs as ASCII.
    FormatOptions &ascii_strings() { return add("a"); }
    /// `-OU`: no UNITS suffix.
    FormatOptions &no_units() { return add("U"); }

    /// The letters, in order.
    const std::string &letters() const noexcept { return letters_; }
    /// True if `-Ov` is in effect (an odd number of `v`).
    bool is_value_only() const noexcept {
        return std::count(letters_.begin(), letters_.end(), 'v') % 2 == 1;
    }

    /// Same letters.
    friend bool operator==(const FormatOptions &a, const FormatOptions &b) noexcept {
        return a.letters_ == b.letters_;
    }
    /// Different letters.
    friend bool operator!=(const FormatOptions &a, const FormatOptions &b) noexcept {
        return !(a == b);
    }

private:
    std::string letters_;
};

/// An OID as text with the MIB's names and `opts`' OID letters (`SNMPv2-MIB::sysName.0`,
/// `sysName.0` with `s`, `.1.3.6.1.2.1.1.5.0` with `n`).
inline Result<std::string> try_format_oid(const Oid &oid, const FormatOptions &opts = {}) {
    return detail::text_out([&](char *b, std::size_t n, std::size_t *len) {
        return snmpx_oid_format(oid.arcs().data(), oid.size(), opts.letters().c_str(), b, n,
                                len);
    });
}

/// Resolves OID text (a MIB name such as `IF-MIB::ifDescr.3` or `sysName.0`, or numeric
/// text) with the process's MIB resolver. Errc::MibUnknownObject for unknown names.
inline Result<Oid> try_resolve(const std::string &text) {
    std::uint32_t arcs[128];
    std::size_t len = 0;
    snmpx_error *err = nullptr;
    std::uint32_t rc = snmpx_oid_parse(text.c_str(), arcs, 128, &len, &err);
    if (rc == SNMPX_OK) {
        return Oid(arcs, len);
    }
    if (rc != SNMPX_E_BUFFER_TOO_SMALL) {
        return detail::take_error(err, rc);
    }
    snmpx_error_free(err);
    std::vector<std::uint32_t> big(len);
    err = nullptr;
    rc = snmpx_oid_parse(text.c_str(), big.data(), big.size(), &len, &err);
    if (rc != SNMPX_OK) {
        return detail::take_error(err, rc);
    }
    big.resize(len);
    return Oid(std::move(big));
}

#if SNMPX_CPP_EXCEPTIONS
/// Like try_format_oid; throws on bad letters.
inline std::string format_oid(const Oid &oid, const FormatOptions &opts = {}) {
    return try_format_oid(oid, opts).value();
}
/// Like try_resolve; throws UnknownObjectError / ParseError.
inline Oid resolve(const std::string &text) { return try_resolve(text).value(); }
#endif

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

    /// The binding as one line, as Net-SNMP's `snmpget` prints it with `opts`' letters
    /// (default: `SNMPv2-MIB::sysName.0 = STRING: name`). Errc::Usage for unknown letters.
    Result<std::string> try_format(const FormatOptions &opts = {}) const {
        return detail::text_out([&](char *b, std::size_t n, std::size_t *len) {
            return snmpx_varbind_format_opts(vb_, opts.letters().c_str(), b, n, len);
        });
    }
    /// The value alone (`opts` plus `-Ov`), e.g. `STRING: name`.
    Result<std::string> try_format_value(const FormatOptions &opts = {}) const {
        if (opts.is_value_only()) {
            return try_format(opts);
        }
        return try_format(FormatOptions(opts).value_only());
    }
    /// try_format(); on unknown letters throws UsageError (aborts without exceptions).
    std::string format(const FormatOptions &opts = {}) const { return try_format(opts).value(); }
    /// try_format_value(); on unknown letters throws UsageError (aborts without exceptions).
    std::string format_value(const FormatOptions &opts = {}) const {
        return try_format_value(opts).value();
    }
    /// The OID with MIB names and `opts`' OID letters.
    std::string oid_name(const FormatOptions &opts = {}) const {
        return try_format_oid(oid(), opts).value();
    }

    /// Writes format() with default options.
    friend std::ostream &operator<<(std::ostream &os, const VarBind &vb) {
        auto text = vb.try_format();
        return os << (text.ok() ? text.value() : text.error().message);
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
