// snmpx C++ wrapper: snmpx::OidArg (an OID given as text or arcs) and snmpx::Request, a
// reusable description of one operation.
#ifndef SNMPX_REQUEST_HPP
#define SNMPX_REQUEST_HPP

#include "snmpx.h"
#include "snmpx/error.hpp"
#include "snmpx/types.hpp"
#include "snmpx/varbind.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace snmpx {

/// The kind of an operation (the C ABI's `snmpx_request_kind`).
enum class Operation : std::uint32_t {
    /// GetRequest (RFC 3416 §4.2.1).
    Get = SNMPX_REQ_GET,
    /// GetNextRequest (RFC 3416 §4.2.2).
    GetNext = SNMPX_REQ_GET_NEXT,
    /// GetBulkRequest (RFC 3416 §4.2.3; not on SNMPv1).
    GetBulk = SNMPX_REQ_GET_BULK,
    /// SetRequest (RFC 3416 §4.2.5).
    Set = SNMPX_REQ_SET,
    /// Walk of each root's subtree with GetNext.
    Walk = SNMPX_REQ_WALK,
    /// Walk of each root's subtree with GetBulk (the session's max-repetitions).
    BulkWalk = SNMPX_REQ_BULK_WALK,
};

/// An OID argument: numeric text (`1.3.6.1.2.1.1.5.0`, `.1.3...`), a MIB name the library
/// resolves (`sysName.0`, `SNMPv2-MIB::sysName.0`), or an snmpx::Oid. Converts implicitly,
/// so `{"sysName.0", Oid{1, 3, 6, 1, 2, 1, 1, 3, 0}}` is a `std::vector<OidArg>`.
class OidArg {
public:
    /// Text (numeric or a name).
    OidArg(const char *text) : v_(std::string(text != nullptr ? text : "")) {}
    /// Text (numeric or a name).
    OidArg(std::string text) : v_(std::move(text)) {}
    /// Text (numeric or a name).
    OidArg(std::string_view text) : v_(std::string(text)) {}
    /// Arcs.
    OidArg(Oid oid) : v_(std::move(oid)) {}

    /// The text, if given as text.
    const std::string *text() const noexcept { return std::get_if<std::string>(&v_); }
    /// The OID, if given as arcs.
    const Oid *oid() const noexcept { return std::get_if<Oid>(&v_); }

    /// Appends this OID to a C request.
    std::uint32_t add_to(snmpx_request *req) const noexcept {
        if (const Oid *o = oid()) {
            return snmpx_request_add_oid_arcs(req, o->arcs().data(), o->size());
        }
        return snmpx_request_add_oid(req, text()->c_str());
    }

    /// For messages: the text, or the arcs as numeric text.
    std::string describe() const { return text() != nullptr ? *text() : oid()->to_string(); }

private:
    std::variant<std::string, Oid> v_;
};

/// An OID and the value to Set it to.
struct Binding {
    /// The object.
    OidArg oid;
    /// Its new value.
    Value value;
};

namespace detail {
/// Deleter of C requests.
struct RequestFree {
    void operator()(snmpx_request *r) const noexcept { snmpx_request_free(r); }
};
}  // namespace detail

/// A C request handle (owned).
using NativeRequest = std::unique_ptr<snmpx_request, detail::RequestFree>;

/// A reusable description of one operation: its kind, OIDs, Set values and GetBulk
/// parameters. A plain value (copyable, shareable between threads); the C request is built
/// for each call.
class Request {
public:
    /// GetRequest for `oids`.
    static Request get(std::vector<OidArg> oids) { return Request(Operation::Get, std::move(oids)); }
    /// GetNextRequest for `oids`.
    static Request get_next(std::vector<OidArg> oids) {
        return Request(Operation::GetNext, std::move(oids));
    }
    /// GetBulkRequest with explicit non-repeaters and max-repetitions (RFC 3416 §4.2.3).
    static Request get_bulk(std::uint32_t non_repeaters, std::uint32_t max_repetitions,
                            std::vector<OidArg> oids) {
        Request r(Operation::GetBulk, std::move(oids));
        r.bulk_ = std::make_pair(non_repeaters, max_repetitions);
        return r;
    }
    /// SetRequest of `bindings`.
    static Request set(std::vector<Binding> bindings) {
        Request r(Operation::Set, {});
        for (auto &b : bindings) {
            r.oids_.push_back(std::move(b.oid));
            r.values_.push_back(std::move(b.value));
        }
        return r;
    }
    /// Walk of each root's subtree with GetNext.
    static Request walk(std::vector<OidArg> roots) {
        return Request(Operation::Walk, std::move(roots));
    }
    /// Walk of each root's subtree with GetBulk.
    static Request bulk_walk(std::vector<OidArg> roots) {
        return Request(Operation::BulkWalk, std::move(roots));
    }

    /// The operation.
    Operation operation() const noexcept { return op_; }
    /// The OIDs (roots for walks).
    const std::vector<OidArg> &oids() const noexcept { return oids_; }
    /// The Set values, one per OID (empty for other operations).
    const std::vector<Value> &values() const noexcept { return values_; }
    /// GetBulk (non-repeaters, max-repetitions), if given.
    const std::optional<std::pair<std::uint32_t, std::uint32_t>> &bulk() const noexcept {
        return bulk_;
    }

    /// Builds the C request. Fails with Errc::Parse for malformed numeric text,
    /// Errc::MibUnknownObject for an unknown name, Errc::Invalid for bad values.
    Result<NativeRequest> build() const {
        snmpx_request *raw = nullptr;
        std::uint32_t rc = snmpx_request_new(static_cast<std::uint32_t>(op_), &raw);
        if (rc != SNMPX_OK) {
            return detail::info_of(rc, "snmpx_request_new");
        }
        NativeRequest req(raw);
        if (bulk_) {
            rc = snmpx_request_set_bulk(raw, bulk_->first, bulk_->second);
            if (rc != SNMPX_OK) {
                return detail::info_of(rc, "GetBulk parameters");
            }
        }
        for (std::size_t i = 0; i < oids_.size(); ++i) {
            rc = oids_[i].add_to(raw);
            if (rc != SNMPX_OK) {
                return detail::info_of(rc, ("OID '" + oids_[i].describe() + "'").c_str());
            }
            if (i < values_.size()) {
                rc = values_[i].apply(raw);
                if (rc != SNMPX_OK) {
                    return detail::info_of(
                        rc, ("value for '" + oids_[i].describe() + "'").c_str());
                }
            }
        }
        return req;
    }

private:
    Request(Operation op, std::vector<OidArg> oids) : op_(op), oids_(std::move(oids)) {}

    Operation op_;
    std::vector<OidArg> oids_;
    std::vector<Value> values_;
    std::optional<std::pair<std::uint32_t, std::uint32_t>> bulk_;
};

}  // namespace snmpx

#endif  // SNMPX_REQUEST_HPP
