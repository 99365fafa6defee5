// snmpx C++ wrapper: strong enums mirroring the C ABI's codes, and snmpx::Oid.
//
// Header-only, C++17; includes only snmpx.h and the standard library.
#ifndef SNMPX_TYPES_HPP
#define SNMPX_TYPES_HPP

#include "snmpx.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// SNMPX_CPP_EXCEPTIONS is 1 when the translation unit is compiled with C++ exceptions.
/// Without them (-fno-exceptions) the throwing API is not declared; every operation has a
/// `try_` form returning snmpx::Result<T>.
#ifndef SNMPX_CPP_EXCEPTIONS
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#define SNMPX_CPP_EXCEPTIONS 1
#else
#define SNMPX_CPP_EXCEPTIONS 0
#endif
#endif

namespace snmpx {

/// SNMP protocol version (the C ABI's `snmpx_snmp_version` wire values).
enum class Version : std::uint32_t {
    /// SNMPv1 (RFC 1157).
    V1 = SNMPX_SNMP_V1,
    /// SNMPv2c (RFC 1901).
    V2c = SNMPX_SNMP_V2C,
    /// SNMPv3 (RFC 3412).
    V3 = SNMPX_SNMP_V3,
};

/// SNMPv3 security level (RFC 3411 §5 SnmpSecurityLevel).
enum class SecurityLevel : std::uint32_t {
    /// noAuthNoPriv.
    NoAuthNoPriv = SNMPX_SEC_NO_AUTH_NO_PRIV,
    /// authNoPriv.
    AuthNoPriv = SNMPX_SEC_AUTH_NO_PRIV,
    /// authPriv.
    AuthPriv = SNMPX_SEC_AUTH_PRIV,
};

/// SNMPv3 authentication protocol (RFC 3414, RFC 7860).
enum class AuthProtocol : std::uint32_t {
    /// HMAC-MD5-96.
    Md5 = SNMPX_AUTH_MD5,
    /// HMAC-SHA-96.
    Sha1 = SNMPX_AUTH_SHA1,
    /// HMAC-SHA-224.
    Sha224 = SNMPX_AUTH_SHA224,
    /// HMAC-SHA-256.
    Sha256 = SNMPX_AUTH_SHA256,
    /// HMAC-SHA-384.
    Sha384 = SNMPX_AUTH_SHA384,
    /// HMAC-SHA-512.
    Sha512 = SNMPX_AUTH_SHA512,
};

/// SNMPv3 privacy protocol (RFC 3414 DES, RFC 3826 AES; `C` = Reeder key extension).
enum class PrivProtocol : std::uint32_t {
    /// CBC-DES.
    Des = SNMPX_PRIV_DES,
    /// CFB128-AES-128.
    Aes128 = SNMPX_PRIV_AES128,
    /// AES-192, Blumenthal key extension.
    Aes192 = SNMPX_PRIV_AES192,
    /// AES-256, Blumenthal key extension.
    Aes256 = SNMPX_PRIV_AES256,
    /// AES-192, Reeder key extension (Net-SNMP "AES-192-C").
    Aes192C = SNMPX_PRIV_AES192_C,
    /// AES-256, Reeder key extension (Net-SNMP "AES-256-C").
    Aes256C = SNMPX_PRIV_AES256_C,
};

/// A value's type: the BER tag it encodes with (RFC 2578 §7.1, RFC 3416 §3). A varbind may
/// carry a tag not listed here; compare `VarBind::raw_type()` for those.
enum class ValueType : std::uint32_t {
    /// INTEGER / Integer32.
    Integer = SNMPX_TYPE_INTEGER,
    /// OCTET STRING.
    OctetString = SNMPX_TYPE_OCTET_STRING,
    /// NULL.
    Null = SNMPX_TYPE_NULL,
    /// OBJECT IDENTIFIER.
    ObjectId = SNMPX_TYPE_OBJECT_ID,
    /// IpAddress.
    IpAddress = SNMPX_TYPE_IP_ADDRESS,
    /// Counter32.
    Counter32 = SNMPX_TYPE_COUNTER32,
    /// Gauge32 / Unsigned32.
    Gauge32 = SNMPX_TYPE_GAUGE32,
    /// TimeTicks.
    TimeTicks = SNMPX_TYPE_TIMETICKS,
    /// Opaque.
    Opaque = SNMPX_TYPE_OPAQUE,
    /// Counter64.
    Counter64 = SNMPX_TYPE_COUNTER64,
    /// noSuchObject exception (RFC 3416 §4.2.1; data, not an error).
    NoSuchObject = SNMPX_TYPE_NO_SUCH_OBJECT,
    /// noSuchInstance exception (data, not an error).
    NoSuchInstance = SNMPX_TYPE_NO_SUCH_INSTANCE,
    /// endOfMibView exception (data, not an error).
    EndOfMibView = SNMPX_TYPE_END_OF_MIB_VIEW,
};

/// The agent's error-status (RFC 3416 §3). Responses may carry other values too.
enum class ErrorStatus : std::int32_t {
    NoError = SNMPX_ERRSTAT_NO_ERROR,                          ///< noError
    TooBig = SNMPX_ERRSTAT_TOO_BIG,                            ///< tooBig
    NoSuchName = SNMPX_ERRSTAT_NO_SUCH_NAME,                   ///< noSuchName (SNMPv1)
    BadValue = SNMPX_ERRSTAT_BAD_VALUE,                        ///< badValue (SNMPv1)
    ReadOnly = SNMPX_ERRSTAT_READ_ONLY,                        ///< readOnly (SNMPv1)
    GenErr = SNMPX_ERRSTAT_GEN_ERR,                            ///< genErr
    NoAccess = SNMPX_ERRSTAT_NO_ACCESS,                        ///< noAccess
    WrongType = SNMPX_ERRSTAT_WRONG_TYPE,                      ///< wrongType
    WrongLength = SNMPX_ERRSTAT_WRONG_LENGTH,                  ///< wrongLength
    WrongEncoding = SNMPX_ERRSTAT_WRONG_ENCODING,              ///< wrongEncoding
    WrongValue = SNMPX_ERRSTAT_WRONG_VALUE,                    ///< wrongValue
    NoCreation = SNMPX_ERRSTAT_NO_CREATION,                    ///< noCreation
    InconsistentValue = SNMPX_ERRSTAT_INCONSISTENT_VALUE,      ///< inconsistentValue
    ResourceUnavailable = SNMPX_ERRSTAT_RESOURCE_UNAVAILABLE,  ///< resourceUnavailable
    CommitFailed = SNMPX_ERRSTAT_COMMIT_FAILED,                ///< commitFailed
    UndoFailed = SNMPX_ERRSTAT_UNDO_FAILED,                    ///< undoFailed
    AuthorizationError = SNMPX_ERRSTAT_AUTHORIZATION_ERROR,    ///< authorizationError
    NotWritable = SNMPX_ERRSTAT_NOT_WRITABLE,                  ///< notWritable
    InconsistentName = SNMPX_ERRSTAT_INCONSISTENT_NAME,        ///< inconsistentName
};

/// The RFC 3416 name of an error-status ("notWritable"), or "unknown".
inline const char *to_string(ErrorStatus s) noexcept {
    static const char *const names[] = {
        "noError",     "tooBig",        "noSuchName",        "badValue",
        "readOnly",    "genErr",        "noAccess",          "wrongType",
        "wrongLength", "wrongEncoding", "wrongValue",        "noCreation",
        "inconsistentValue", "resourceUnavailable", "commitFailed", "undoFailed",
        "authorizationError", "notWritable", "inconsistentName"};
    auto i = static_cast<std::int32_t>(s);
    return i >= 0 && i < 19 ? names[i] : "unknown";
}

/// An OBJECT IDENTIFIER as numeric arcs: a value type (copyable, comparable, hashable by
/// its text). Names such as `sysDescr.0` are not Oids; operations also accept them as text
/// (see snmpx::OidArg) and the library's MIB resolver turns them into arcs.
class Oid {
public:
    /// The empty OID.
    Oid() = default;
    /// From arcs: `Oid{1, 3, 6, 1, 2, 1, 1}`.
    Oid(std::initializer_list<std::uint32_t> arcs) : arcs_(arcs) {}
    /// From a vector of arcs.
    explicit Oid(std::vector<std::uint32_t> arcs) : arcs_(std::move(arcs)) {}
    /// From `n` arcs at `arcs` (copied).
    Oid(const std::uint32_t *arcs, std::size_t n) : arcs_(arcs, arcs + n) {}

    /// Parses numeric text, `1.3.6.1` or `.1.3.6.1` (each arc a decimal number below 2^32).
    /// Returns nothing for anything else (names, empty arcs, overflow, empty text).
    static std::optional<Oid> parse(std::string_view text) {
        if (!text.empty() && text.front() == '.') {
            text.remove_prefix(1);
        }
        if (text.empty()) {
            return std::nullopt;
        }
        std::vector<std::uint32_t> arcs;
        std::uint64_t cur = 0;
        bool have_digit = false;
        for (char c : text) {
            if (c == '.') {
                if (!have_digit) {
                    return std::nullopt;
                }
                arcs.push_back(static_cast<std::uint32_t>(cur));
                cur = 0;
                have_digit = false;
            } else if (c >= '0' && c <= '9') {
                cur = cur * 10 + static_cast<std::uint64_t>(c - '0');
                if (cur > 0xFFFFFFFFull) {
                    return std::nullopt;
                }
                have_digit = true;
            } else {
                return std::nullopt;
            }
        }
        if (!have_digit) {
            return std::nullopt;
        }
        arcs.push_back(static_cast<std::uint32_t>(cur));
        return Oid(std::move(arcs));
    }

    /// The arcs.
    const std::vector<std::uint32_t> &arcs() const noexcept { return arcs_; }
    /// Number of arcs.
    std::size_t size() const noexcept { return arcs_.size(); }
    /// True for the empty OID.
    bool empty() const noexcept { return arcs_.empty(); }
    /// The arc at `i` (unchecked).
    std::uint32_t operator[](std::size_t i) const noexcept { return arcs_[i]; }
    /// Iteration over the arcs.
    std::vector<std::uint32_t>::const_iterator begin() const noexcept { return arcs_.begin(); }
    /// End of the arcs.
    std::vector<std::uint32_t>::const_iterator end() const noexcept { return arcs_.end(); }

    /// True if this OID is `prefix` or lies in its subtree.
    bool starts_with(const Oid &prefix) const noexcept {
        return prefix.size() <= size() &&
               std::equal(prefix.arcs_.begin(), prefix.arcs_.end(), arcs_.begin());
    }
    /// This OID with `arc` appended (`Oid{1,3}.child(6)` is 1.3.6).
    Oid child(std::uint32_t arc) const {
        Oid o(*this);
        o.arcs_.push_back(arc);
        return o;
    }
    /// Numeric text: `1.3.6.1` (or `.1.3.6.1` with `leading_dot`, Net-SNMP's `-On` form).
    std::string to_string(bool leading_dot = false) const {
        std::string s;
        s.reserve(arcs_.size() * 4);
        for (std::size_t i = 0; i < arcs_.size(); ++i) {
            if (i > 0 || leading_dot) {
                s.push_back('.');
            }
            s += std::to_string(arcs_[i]);
        }
        return s;
    }

    /// Equality of arcs.
    friend bool operator==(const Oid &a, const Oid &b) noexcept { return a.arcs_ == b.arcs_; }
    /// Inequality of arcs.
    friend bool operator!=(const Oid &a, const Oid &b) noexcept { return a.arcs_ != b.arcs_; }
    /// Lexicographic order of arcs (the order of a walk, RFC 3416 §4.2.2).
    friend bool operator<(const Oid &a, const Oid &b) noexcept { return a.arcs_ < b.arcs_; }
    /// Lexicographic order.
    friend bool operator>(const Oid &a, const Oid &b) noexcept { return b < a; }
    /// Lexicographic order.
    friend bool operator<=(const Oid &a, const Oid &b) noexcept { return !(b < a); }
    /// Lexicographic order.
    friend bool operator>=(const Oid &a, const Oid &b) noexcept { return !(a < b); }

private:
    std::vector<std::uint32_t> arcs_;
};

}  // namespace snmpx

#endif  // SNMPX_TYPES_HPP
