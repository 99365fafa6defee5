// snmpx C++ wrapper: snmpx::Session, blocking, streaming and asynchronous operations.
#ifndef SNMPX_SESSION_HPP
#define SNMPX_SESSION_HPP

#include "snmpx.h"
#include "snmpx/config.hpp"
#include "snmpx/error.hpp"
#include "snmpx/request.hpp"
#include "snmpx/types.hpp"
#include "snmpx/varbind.hpp"
#include "snmpx/walk.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <future>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace snmpx {

/// The rows of a completed operation.
using VarBinds = std::vector<VarBind>;

namespace detail {

/// Deleter of C sessions.
struct SessionFree {
    void operator()(snmpx_session *s) const noexcept { snmpx_session_free(s); }
};

/// An agent's error-status as an ErrorInfo (RFC 3416 §4.2.5: error-index names the failed
/// binding).
inline ErrorInfo agent_error(const snmpx_response *r, std::int32_t status) {
    ErrorInfo e;
    e.code = Errc::Agent;
    e.status = static_cast<ErrorStatus>(status);
    snmpx_response_error_index(r, &e.index);
    const std::uint32_t *arcs = nullptr;
    std::size_t len = 0;
    if (snmpx_response_failed_oid(r, &arcs, &len) == SNMPX_OK) {
        e.failed_oid = Oid(arcs, len);
    }
    e.message = std::string("agent error-status ") + to_string(e.status) + " (" +
                std::to_string(status) + ") at index " + std::to_string(e.index);
    if (e.failed_oid) {
        e.message += ", OID " + e.failed_oid->to_string();
    }
    return e;
}

/// Takes an owned response: its rows, or Errc::Agent if it carries an error-status.
inline Result<VarBinds> rows_of(snmpx_response *raw) {
    std::shared_ptr<const snmpx_response> resp(raw, [](const snmpx_response *r) {
        snmpx_response_free(const_cast<snmpx_response *>(r));
    });
    std::int32_t status = 0;
    snmpx_response_error_status(raw, &status);
    if (status != SNMPX_ERRSTAT_NO_ERROR) {
        return agent_error(raw, status);
    }
    std::size_t n = 0;
    snmpx_response_varbind_count(raw, &n);
    VarBinds rows;
    rows.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const snmpx_varbind *vb = nullptr;
        if (snmpx_response_varbind(raw, i, &vb) == SNMPX_OK) {
            rows.emplace_back(resp, vb);
        }
    }
    return rows;
}

/// The outcome carried by a completion (its response is taken).
inline Result<VarBinds> result_of(snmpx_completion *c) {
    std::uint32_t code = SNMPX_E_PANIC;
    snmpx_completion_result(c, &code);
    if (code == SNMPX_OK) {
        snmpx_response *r = nullptr;
        std::uint32_t rc = snmpx_completion_take_response(c, &r);
        if (rc != SNMPX_OK) {
            return info_of(rc, "completion response");
        }
        return rows_of(r);
    }
    const snmpx_error *err = nullptr;
    snmpx_completion_error(c, &err);
    ErrorInfo e = info_of_error(err, code);
    e.code = static_cast<Errc>(code);
    return e;
}

#if SNMPX_CPP_EXCEPTIONS
/// The mirrored exception of `e`, for a std::promise.
inline std::exception_ptr exception_of(const ErrorInfo &e) {
    try {
        throw_error(e);
    } catch (...) {
        return std::current_exception();
    }
}
#endif

/// Owns a submission's callable; the library frees it through `release` exactly once.
///
/// `published` makes the hand-over from the submitting thread to the I/O thread visible to
/// C++ tools: the library synchronizes the two (the submission happens-before the
/// callback), but inside Rust code that ThreadSanitizer does not instrument. The release
/// store before submitting and the acquire load in the callback say the same thing in C++
/// (one uncontended atomic per request).
template <class F>
struct Submission {
    explicit Submission(F f) : fn(std::move(f)) {}
    F fn;
    std::atomic<bool> published{false};
    static void run(void *user, snmpx_completion *c) noexcept {
        auto *self = static_cast<Submission *>(user);
        (void)self->published.load(std::memory_order_acquire);
        // A callable that throws here terminates the program (it runs on an I/O thread).
        self->fn(result_of(c));
    }
    static void release(void *user) noexcept { delete static_cast<Submission *>(user); }
};

}  // namespace detail

/// A session with one agent: its address, version, credentials and options. Thread-safe:
/// any number of threads may call any operation on one Session at once (share it by
/// reference or std::shared_ptr). Move-only: the C handle is not reference-counted, so a
/// copy could not be freed independently.
///
/// Every operation has a throwing form (get, walk, ...; needs exceptions) and a `try_`
/// form returning Result<T>. An agent's error-status fails the operation with Errc::Agent
/// (AgentError: status, index, failed OID); noSuchObject / noSuchInstance / endOfMibView
/// values are data (VarBind::is_exception()).
///
/// Requests in flight when a Session is destroyed complete normally. Do not destroy a Session
/// inside one of its own completion callbacks.
class Session {
public:
    /// Opens a session (resolving the target once). Needs a live snmpx::Library.
    static Result<Session> try_open(const Config &config) {
        auto cfg = config.build();
        if (!cfg) {
            return cfg.error();
        }
        snmpx_session *raw = nullptr;
        snmpx_error *err = nullptr;
        std::uint32_t rc = snmpx_session_open(cfg.value().get(), &raw, &err);
        if (rc != SNMPX_OK) {
            return detail::take_error(err, rc);
        }
        return Session(raw);
    }

    Session(Session &&) noexcept = default;
    Session &operator=(Session &&) noexcept = default;
    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;
    ~Session() = default;

    /// The agent's resolved address (`127.0.0.1:161`).
    std::string peer() const {
        auto r = detail::text_out([&](char *b, std::size_t n, std::size_t *len) {
            return snmpx_session_peer(s_.get(), b, n, len);
        });
        return r.ok() ? std::move(r).value() : std::string();
    }

    /// Runs `request` and waits for the result.
    Result<VarBinds> try_execute(const Request &request) const {
        auto req = request.build();
        if (!req) {
            return req.error();
        }
        snmpx_response *resp = nullptr;
        snmpx_error *err = nullptr;
        std::uint32_t rc = snmpx_session_execute(s_.get(), req.value().get(), &resp, &err);
        if (rc != SNMPX_OK) {
            return detail::take_error(err, rc);
        }
        return detail::rows_of(resp);
    }
    /// GetRequest (RFC 3416 §4.2.1); missing objects are noSuchObject/noSuchInstance rows.
    Result<VarBinds> try_get(std::vector<OidArg> oids) const {
        return try_execute(Request::get(std::move(oids)));
    }
    /// GetNextRequest (RFC 3416 §4.2.2).
    Result<VarBinds> try_get_next(std::vector<OidArg> oids) const {
        return try_execute(Request::get_next(std::move(oids)));
    }
    /// GetBulkRequest (RFC 3416 §4.2.3); Errc::Usage on SNMPv1.
    Result<VarBinds> try_get_bulk(std::uint32_t non_repeaters, std::uint32_t max_repetitions,
                                  std::vector<OidArg> oids) const {
        return try_execute(Request::get_bulk(non_repeaters, max_repetitions, std::move(oids)));
    }
    /// SetRequest (RFC 3416 §4.2.5); returns the agent's bindings.
    Result<VarBinds> try_set(std::vector<Binding> bindings) const {
        return try_execute(Request::set(std::move(bindings)));
    }
    /// Every row under each root, with GetNext (never silently truncated).
    Result<VarBinds> try_walk(std::vector<OidArg> roots) const {
        return try_execute(Request::walk(std::move(roots)));
    }
    /// Every row under each root, with GetBulk (the session's max-repetitions).
    Result<VarBinds> try_bulk_walk(std::vector<OidArg> roots) const {
        return try_execute(Request::bulk_walk(std::move(roots)));
    }

    /// A streaming walk that records its failure in Walk::error() (never throws).
    /// `op` is Operation::Walk (GetNext) or Operation::BulkWalk.
    Walk try_walk_rows(std::vector<OidArg> roots, Operation op = Operation::Walk) const {
        return start_walk(std::move(roots), op, false);
    }

#if SNMPX_CPP_EXCEPTIONS
    /// Opens a session; throws the mirrored snmpx::Error.
    static Session open(const Config &config) { return try_open(config).value(); }

    /// Runs `request` and waits; throws on failure.
    VarBinds execute(const Request &request) const { return try_execute(request).value(); }
    /// GetRequest; throws on failure.
    VarBinds get(std::vector<OidArg> oids) const { return try_get(std::move(oids)).value(); }
    /// GetNextRequest; throws on failure.
    VarBinds get_next(std::vector<OidArg> oids) const {
        return try_get_next(std::move(oids)).value();
    }
    /// GetBulkRequest; throws on failure.
    VarBinds get_bulk(std::uint32_t non_repeaters, std::uint32_t max_repetitions,
                      std::vector<OidArg> oids) const {
        return try_get_bulk(non_repeaters, max_repetitions, std::move(oids)).value();
    }
    /// SetRequest; throws on failure (AgentError for a refused binding).
    VarBinds set(std::vector<Binding> bindings) const {
        return try_set(std::move(bindings)).value();
    }
    /// GetNext walk; throws on failure.
    VarBinds walk(std::vector<OidArg> roots) const { return try_walk(std::move(roots)).value(); }
    /// GetBulk walk; throws on failure.
    VarBinds bulk_walk(std::vector<OidArg> roots) const {
        return try_bulk_walk(std::move(roots)).value();
    }
    /// A streaming walk for range-for; throws from the loop when the walk fails.
    Walk walk_rows(std::vector<OidArg> roots, Operation op = Operation::Walk) const {
        return start_walk(std::move(roots), op, true);
    }

    /// Submits `request`; the future yields the rows or throws the mirrored exception.
    std::future<VarBinds> execute_async(const Request &request) const {
        auto promise = std::make_shared<std::promise<VarBinds>>();
        auto future = promise->get_future();
        auto id = submit(request, [promise](Result<VarBinds> r) {
            if (r.ok()) {
                promise->set_value(std::move(r).value());
            } else {
                promise->set_exception(detail::exception_of(r.error()));
            }
        });
        if (!id) {
            promise->set_exception(detail::exception_of(id.error()));
        }
        return future;
    }
    /// Asynchronous GetRequest.
    std::future<VarBinds> get_async(std::vector<OidArg> oids) const {
        return execute_async(Request::get(std::move(oids)));
    }
    /// Asynchronous GetNextRequest.
    std::future<VarBinds> get_next_async(std::vector<OidArg> oids) const {
        return execute_async(Request::get_next(std::move(oids)));
    }
    /// Asynchronous GetBulkRequest.
    std::future<VarBinds> get_bulk_async(std::uint32_t non_repeaters,
                                         std::uint32_t max_repetitions,
                                         std::vector<OidArg> oids) const {
        return execute_async(Request::get_bulk(non_repeaters, max_repetitions, std::move(oids)));
    }
    /// Asynchronous SetRequest.
    std::future<VarBinds> set_async(std::vector<Binding> bindings) const {
        return execute_async(Request::set(std::move(bindings)));
    }
    /// Asynchronous GetNext walk.
    std::future<VarBinds> walk_async(std::vector<OidArg> roots) const {
        return execute_async(Request::walk(std::move(roots)));
    }
    /// Asynchronous GetBulk walk.
    std::future<VarBinds> bulk_walk_async(std::vector<OidArg> roots) const {
        return execute_async(Request::bulk_walk(std::move(roots)));
    }
#endif

    /// Submits `request`; the future yields a Result (never an exception).
    std::future<Result<VarBinds>> try_execute_async(const Request &request) const {
        auto promise = std::make_shared<std::promise<Result<VarBinds>>>();
        auto future = promise->get_future();
        auto id = submit(request,
                         [promise](Result<VarBinds> r) { promise->set_value(std::move(r)); });
        if (!id) {
            promise->set_value(id.error());
        }
        return future;
    }

    /// Submits `request`; `on_done(Result<VarBinds>)` runs exactly once on a library I/O
    /// thread (possibly before submit returns) unless the submission itself fails (then the
    /// Result here says why and on_done is destroyed without running). on_done must be
    /// short, must not throw and must not block: no blocking Session calls, no Walk
    /// iteration, no destruction of the last Library (they fail with Errc::CallbackThread).
    /// Returns the request id for cancel().
    template <class F>
    Result<std::uint64_t> submit(const Request &request, F &&on_done) const {
        using Sub = detail::Submission<std::decay_t<F>>;
        static_assert(std::is_invocable_v<std::decay_t<F> &, Result<VarBinds>>,
                      "on_done must be callable with snmpx::Result<snmpx::VarBinds>");
        auto req = request.build();
        if (!req) {
            return req.error();
        }
        auto *sub = new Sub(std::forward<F>(on_done));
        sub->published.store(true, std::memory_order_release);
        std::uint64_t id = 0;
        snmpx_error *err = nullptr;
        // Ownership of `sub` passes to the library here: Sub::release runs exactly once.
        std::uint32_t rc = snmpx_session_submit(s_.get(), req.value().get(), &Sub::run, sub,
                                                &Sub::release, &id, &err);
        if (rc != SNMPX_OK) {
            return detail::take_error(err, rc);
        }
        return id;
    }

    /// Cancels a submitted request: it completes with Errc::Cancelled unless it already
    /// completed.
    Result<void> cancel(std::uint64_t request_id) const {
        std::uint32_t rc = snmpx_session_cancel(s_.get(), request_id);
        if (rc != SNMPX_OK) {
            return detail::info_of(rc, "cancel");
        }
        return {};
    }

    /// The C handle (owned by this Session).
    const snmpx_session *native_handle() const noexcept { return s_.get(); }

private:
    explicit Session(snmpx_session *s) noexcept : s_(s) {}

    Walk start_walk(std::vector<OidArg> roots, Operation op, bool throws) const {
        auto fail = [&](ErrorInfo e) {
#if SNMPX_CPP_EXCEPTIONS
            if (throws) {
                throw_error(std::move(e));
            }
#endif
            return Walk(std::move(e), throws);
        };
        if (op != Operation::Walk && op != Operation::BulkWalk) {
            return fail(detail::info_of(SNMPX_E_USAGE, "walk_rows needs Walk or BulkWalk"));
        }
        auto req = (op == Operation::Walk ? Request::walk(std::move(roots))
                                          : Request::bulk_walk(std::move(roots)))
                       .build();
        if (!req) {
            return fail(req.error());
        }
        snmpx_walk *w = nullptr;
        snmpx_error *err = nullptr;
        std::uint32_t rc = snmpx_session_walk_start(s_.get(), req.value().get(), &w, &err);
        if (rc != SNMPX_OK) {
            return fail(detail::take_error(err, rc));
        }
        return Walk(w, throws);
    }

    std::unique_ptr<snmpx_session, detail::SessionFree> s_;
};

}  // namespace snmpx

#endif  // SNMPX_SESSION_HPP
