// snmpx C++ wrapper: result codes (snmpx::Errc, std::error_code), error details
// (snmpx::ErrorInfo), the exception hierarchy and snmpx::Result<T> for code without
// exceptions.
#ifndef SNMPX_ERROR_HPP
#define SNMPX_ERROR_HPP

#include "snmpx.h"
#include "snmpx/types.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>
#if SNMPX_CPP_EXCEPTIONS
#include <stdexcept>
#endif

namespace snmpx {

/// The C ABI's result codes (`snmpx_result`), one for one. Values are fixed.
enum class Errc : std::uint32_t {
    Ok = SNMPX_OK,                                   ///< success
    Invalid = SNMPX_E_INVALID,                       ///< unusable argument
    NotInitialized = SNMPX_E_NOT_INITIALIZED,        ///< no snmpx::Library alive
    Shutdown = SNMPX_E_SHUTDOWN,                     ///< runtime stopped by the final shutdown
    Forked = SNMPX_E_FORKED,                         ///< handle from a fork() parent
    NotSupported = SNMPX_E_NOT_SUPPORTED,            ///< not available in this build
    CallbackThread = SNMPX_E_CALLBACK_THREAD,        ///< would block inside a callback
    Panic = SNMPX_E_PANIC,                           ///< internal error contained (a bug)
    BufferTooSmall = SNMPX_E_BUFFER_TOO_SMALL,       ///< (handled inside the wrapper)
    WrongType = SNMPX_E_WRONG_TYPE,                  ///< value read as the wrong type
    NotFound = SNMPX_E_NOT_FOUND,                    ///< no such item
    Parse = SNMPX_E_PARSE,                           ///< text that does not parse
    Usage = SNMPX_E_USAGE,                           ///< arguments not usable together
    Timeout = SNMPX_E_TIMEOUT,                       ///< no response after every retry
    Resolve = SNMPX_E_RESOLVE,                       ///< host name did not resolve
    Connection = SNMPX_E_CONNECTION,                 ///< socket error talking to the agent
    Decode = SNMPX_E_DECODE,                         ///< agent's response broke the protocol
    Agent = SNMPX_E_AGENT,                           ///< agent's error-status
    NotIncreasing = SNMPX_E_NOT_INCREASING,          ///< walk OID not increasing
    Limit = SNMPX_E_LIMIT,                           ///< walk hit a configured limit
    Cancelled = SNMPX_E_CANCELLED,                   ///< request cancelled
    Unreachable = SNMPX_E_UNREACHABLE,               ///< ICMP port unreachable
    V3UnknownUser = SNMPX_E_V3_UNKNOWN_USER,         ///< usmStatsUnknownUserNames
    V3Authentication = SNMPX_E_V3_AUTHENTICATION,    ///< usmStatsWrongDigests
    V3Decryption = SNMPX_E_V3_DECRYPTION,            ///< usmStatsDecryptionErrors
    V3UnsupportedLevel = SNMPX_E_V3_UNSUPPORTED_LEVEL,  ///< usmStatsUnsupportedSecLevels
    V3UnknownEngineId = SNMPX_E_V3_UNKNOWN_ENGINE_ID,   ///< usmStatsUnknownEngineIDs
    V3NotInTimeWindow = SNMPX_E_V3_NOT_IN_TIME_WINDOW,  ///< usmStatsNotInTimeWindows
    V3Report = SNMPX_E_V3_REPORT,                    ///< another Report-PDU
    MibUnknownObject = SNMPX_E_MIB_UNKNOWN_OBJECT,   ///< name unknown to the MIB resolver
};

/// The std::error_category of snmpx::Errc ("snmpx"); messages come from the library.
inline const std::error_category &error_category() noexcept {
    struct Category final : std::error_category {
        const char *name() const noexcept override { return "snmpx"; }
        std::string message(int code) const override {
            return snmpx_result_message(static_cast<std::uint32_t>(code));
        }
    };
    static const Category category;
    return category;
}

/// Makes a std::error_code of the snmpx category (found by ADL).
inline std::error_code make_error_code(Errc e) noexcept {
    return {static_cast<int>(e), error_category()};
}

/// True for the SNMPv3 / USM outcomes (codes 32-63).
inline bool is_authentication_error(Errc e) noexcept {
    auto c = static_cast<std::uint32_t>(e);
    return c >= 32 && c <= 63;
}

/// Everything known about a failure: the code, the library's message and, for the agent's
/// error-status (a response's, or a walk's `Errc::Agent`), the status, index and failed OID.
struct ErrorInfo {
    /// The result code.
    Errc code = Errc::Ok;
    /// Human-readable text (the library's message, or the result code's description).
    std::string message;
    /// The agent's error-status (NoError unless `code` is Errc::Agent).
    ErrorStatus status = ErrorStatus::NoError;
    /// The agent's 1-based error-index (0 = none).
    std::uint32_t index = 0;
    /// The OID the error-index points at, when the agent named one.
    std::optional<Oid> failed_oid;

    /// The code as a std::error_code.
    std::error_code error_code() const noexcept { return make_error_code(code); }
};

namespace detail {

/// ErrorInfo with the library's description of `code` (and `context:` in front).
inline ErrorInfo info_of(std::uint32_t code, const char *context = nullptr) {
    ErrorInfo e;
    e.code = static_cast<Errc>(code);
    if (context != nullptr) {
        e.message = context;
        e.message += ": ";
    }
    e.message += snmpx_result_message(code);
    return e;
}

/// Copies a C error (borrowed; not freed here) into an ErrorInfo; `fallback` is used if the
/// error is NULL.
inline ErrorInfo info_of_error(const snmpx_error *err, std::uint32_t fallback) {
    if (err == nullptr) {
        return info_of(fallback);
    }
    ErrorInfo e;
    std::uint32_t code = fallback;
    snmpx_error_code(err, &code);
    e.code = static_cast<Errc>(code);
    const char *msg = nullptr;
    if (snmpx_error_message(err, &msg) == SNMPX_OK && msg != nullptr) {
        e.message = msg;
    } else {
        e.message = snmpx_result_message(code);
    }
    std::int32_t status = 0;
    std::uint32_t index = 0;
    if (snmpx_error_agent_status(err, &status, &index) == SNMPX_OK) {
        e.status = static_cast<ErrorStatus>(status);
        e.index = index;
    }
    const std::uint32_t *arcs = nullptr;
    std::size_t len = 0;
    if (snmpx_error_failed_oid(err, &arcs, &len) == SNMPX_OK) {
        e.failed_oid = Oid(arcs, len);
    }
    return e;
}

/// Takes an owned C error (from an `snmpx_error **` output), copies it and frees it.
inline ErrorInfo take_error(snmpx_error *err, std::uint32_t code) {
    ErrorInfo e = info_of_error(err, code);
    snmpx_error_free(err);
    e.code = static_cast<Errc>(code);
    return e;
}

/// Called where a value is demanded from a failed Result without exceptions.
[[noreturn]] inline void fatal(const ErrorInfo &e) noexcept {
    std::fprintf(stderr, "snmpx: fatal: value of a failed Result: %s\n", e.message.c_str());
    std::abort();
}

}  // namespace detail

#if SNMPX_CPP_EXCEPTIONS
/// Base of every exception the wrapper throws; carries the full snmpx::ErrorInfo.
class Error : public std::runtime_error {
public:
    /// An exception for `info`.
    explicit Error(ErrorInfo info) : std::runtime_error(info.message), info_(std::move(info)) {}
    /// Everything known about the failure.
    const ErrorInfo &info() const noexcept { return info_; }
    /// The result code.
    Errc code() const noexcept { return info_.code; }
    /// The result code as a std::error_code.
    std::error_code error_code() const noexcept { return info_.error_code(); }

private:
    ErrorInfo info_;
};

/// Library state: not initialized, shut down, forked, not supported, callback thread, panic.
class LibraryError : public Error {
    using Error::Error;
};
/// Bad input: invalid argument, wrong type, not found, usage (GetBulk on SNMPv1, ...).
class UsageError : public Error {
    using Error::Error;
};
/// Text that does not parse (an OID, a target).
class ParseError : public UsageError {
    using UsageError::UsageError;
};
/// An object name the MIB resolver does not know (code 64).
class UnknownObjectError : public UsageError {
    using UsageError::UsageError;
};
/// No response after every retry.
class TimeoutError : public Error {
    using Error::Error;
};
/// The agent cannot be reached: name resolution or socket errors.
class NetworkError : public Error {
    using Error::Error;
};
/// The host name did not resolve.
class ResolveError : public NetworkError {
    using NetworkError::NetworkError;
};
/// A socket error sending to the agent (no route, refused by a firewall).
class ConnectionError : public NetworkError {
    using NetworkError::NetworkError;
};
/// Nothing listens at the agent's port (an ICMP port unreachable came back).
class UnreachableError : public NetworkError {
    using NetworkError::NetworkError;
};
/// The agent broke the protocol (undecodable response, walk OIDs not increasing).
class ProtocolError : public Error {
    using Error::Error;
};
/// A walk hit a configured limit (request count, deadline).
class LimitError : public Error {
    using Error::Error;
};
/// The agent answered with an error-status; status(), index() and failed_oid() say which.
class AgentError : public Error {
public:
    using Error::Error;
    /// The error-status.
    ErrorStatus status() const noexcept { return info().status; }
    /// The 1-based error-index (0 = none).
    std::uint32_t index() const noexcept { return info().index; }
    /// The OID the error-index points at, if any.
    const std::optional<Oid> &failed_oid() const noexcept { return info().failed_oid; }
};
/// SNMPv3 security failures (codes 32-38: unknown user, wrong digest, decryption, level,
/// engine ID, time window, other reports).
class AuthenticationError : public Error {
    using Error::Error;
};
/// The request was cancelled (Session::cancel, or the final library shutdown).
class CancelledError : public Error {
    using Error::Error;
};

/// Throws the exception class that mirrors `info.code`.
[[noreturn]] inline void throw_error(ErrorInfo info) {
    switch (info.code) {
    case Errc::NotInitialized:
    case Errc::Shutdown:
    case Errc::Forked:
    case Errc::NotSupported:
    case Errc::CallbackThread:
    case Errc::Panic:
        throw LibraryError(std::move(info));
    case Errc::Parse:
        throw ParseError(std::move(info));
    case Errc::MibUnknownObject:
        throw UnknownObjectError(std::move(info));
    case Errc::Invalid:
    case Errc::BufferTooSmall:
    case Errc::WrongType:
    case Errc::NotFound:
    case Errc::Usage:
        throw UsageError(std::move(info));
    case Errc::Timeout:
        throw TimeoutError(std::move(info));
    case Errc::Resolve:
        throw ResolveError(std::move(info));
    case Errc::Connection:
        throw ConnectionError(std::move(info));
    case Errc::Unreachable:
        throw UnreachableError(std::move(info));
    case Errc::Decode:
    case Errc::NotIncreasing:
        throw ProtocolError(std::move(info));
    case Errc::Limit:
        throw LimitError(std::move(info));
    case Errc::Agent:
        throw AgentError(std::move(info));
    case Errc::Cancelled:
        throw CancelledError(std::move(info));
    default:
        if (is_authentication_error(info.code)) {
            throw AuthenticationError(std::move(info));
        }
        throw Error(std::move(info));
    }
}
#endif

/// A value or the ErrorInfo of why there is none: the non-throwing form of every operation
/// (for -fno-exceptions code, or callers that prefer codes).
template <class T>
class [[nodiscard]] Result {
public:
    /// A success holding `value`.
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    /// A failure.
    Result(ErrorInfo error) : v_(std::in_place_index<1>, std::move(error)) {}

    /// True on success.
    bool ok() const noexcept { return v_.index() == 0; }
    /// True on success.
    explicit operator bool() const noexcept { return ok(); }
    /// The result code (Errc::Ok on success).
    Errc code() const noexcept { return ok() ? Errc::Ok : std::get<1>(v_).code; }

    /// The value. On failure: throws the mirrored exception, or aborts without exceptions.
    T &value() & {
        check();
        return std::get<0>(v_);
    }
    /// The value (const).
    const T &value() const & {
        check();
        return std::get<0>(v_);
    }
    /// The value, moved out.
    T &&value() && {
        check();
        return std::get<0>(std::move(v_));
    }
    /// The value, or `fallback` on failure.
    T value_or(T fallback) const & { return ok() ? std::get<0>(v_) : std::move(fallback); }
    /// Dereference (precondition: ok()).
    T &operator*() & { return value(); }
    /// Dereference (precondition: ok()).
    const T &operator*() const & { return value(); }
    /// Member access (precondition: ok()).
    T *operator->() { return &value(); }
    /// Member access (precondition: ok()).
    const T *operator->() const { return &value(); }

    /// The failure (precondition: !ok()).
    const ErrorInfo &error() const & { return std::get<1>(v_); }

private:
    void check() const {
        if (!ok()) {
#if SNMPX_CPP_EXCEPTIONS
            throw_error(std::get<1>(v_));
#else
            detail::fatal(std::get<1>(v_));
#endif
        }
    }
    std::variant<T, ErrorInfo> v_;
};

/// A success without a value, or an ErrorInfo.
template <>
class [[nodiscard]] Result<void> {
public:
    /// Success.
    Result() = default;
    /// A failure.
    Result(ErrorInfo error) : e_(std::move(error)) {}
    /// True on success.
    bool ok() const noexcept { return !e_.has_value(); }
    /// True on success.
    explicit operator bool() const noexcept { return ok(); }
    /// The result code (Errc::Ok on success).
    Errc code() const noexcept { return ok() ? Errc::Ok : e_->code; }
    /// Throws the mirrored exception (aborts without exceptions) on failure.
    void value() const {
        if (e_) {
#if SNMPX_CPP_EXCEPTIONS
            throw_error(*e_);
#else
            detail::fatal(*e_);
#endif
        }
    }
    /// The failure (precondition: !ok()).
    const ErrorInfo &error() const & { return *e_; }

private:
    std::optional<ErrorInfo> e_;
};

}  // namespace snmpx

namespace std {
/// snmpx::Errc converts to std::error_code.
template <>
struct is_error_code_enum<snmpx::Errc> : true_type {};
}  // namespace std

#endif  // SNMPX_ERROR_HPP
