// snmpx C++ wrapper: snmpx::Walk, a streaming walk usable with range-for.
#ifndef SNMPX_WALK_HPP
#define SNMPX_WALK_HPP

#include "snmpx.h"
#include "snmpx/error.hpp"
#include "snmpx/varbind.hpp"

#include <cstddef>
#include <iterator>
#include <memory>
#include <optional>
#include <utility>

namespace snmpx {

class Session;

namespace detail {
/// Deleter of C walks (cancels an unfinished walk).
struct WalkFree {
    void operator()(snmpx_walk *w) const noexcept { snmpx_walk_free(w); }
};
}  // namespace detail

/// A walk in progress (Session::walk_rows / try_walk_rows): rows are fetched from the agent
/// a page at a time as the loop advances, so a large table is never held in memory at once.
///
/// ```
/// for (const snmpx::VarBind &row : session.walk_rows({"1.3.6.1.2.1.2.2"})) { ... }
/// ```
///
/// A walk from walk_rows() throws the mirrored exception from the iterator when the walk
/// fails (rows before the failure were delivered). A walk from try_walk_rows() ends the
/// loop instead and records the failure in error(): check it after the loop. Move-only;
/// moving it invalidates its iterators. One thread at a time. Destroying an unfinished walk
/// cancels it.
class Walk {
public:
    /// Input iterator over the rows.
    class iterator {
    public:
        using iterator_category = std::input_iterator_tag;  ///< single pass
        using value_type = VarBind;                         ///< a row
        using difference_type = std::ptrdiff_t;             ///< unused
        using pointer = const VarBind *;                    ///< pointer to a row
        using reference = const VarBind &;                  ///< reference to a row

        /// The end iterator.
        iterator() noexcept = default;
        /// The current row.
        reference operator*() const { return *walk_->current_; }
        /// The current row.
        pointer operator->() const { return &*walk_->current_; }
        /// Fetches the next row (may block on the agent; may throw for walk_rows()).
        iterator &operator++() {
            walk_->advance();
            return *this;
        }
        /// Equal when both are at the end (or the same walk's position).
        friend bool operator==(const iterator &a, const iterator &b) noexcept {
            return a.at_end() == b.at_end() && (a.at_end() || a.walk_ == b.walk_);
        }
        /// Inequality.
        friend bool operator!=(const iterator &a, const iterator &b) noexcept { return !(a == b); }

    private:
        friend class Walk;
        explicit iterator(Walk *w) noexcept : walk_(w) {}
        bool at_end() const noexcept { return walk_ == nullptr || walk_->done_; }
        Walk *walk_ = nullptr;
    };

    Walk(Walk &&) noexcept = default;
    Walk &operator=(Walk &&) noexcept = default;
    Walk(const Walk &) = delete;
    Walk &operator=(const Walk &) = delete;

    /// Starts iterating: fetches the first row on the first call.
    iterator begin() {
        if (!started_) {
            started_ = true;
            advance();
        }
        return iterator(this);
    }
    /// The end.
    iterator end() noexcept { return iterator(); }

    /// True once the walk has ended (completed or failed).
    bool done() const noexcept { return done_; }
    /// The failure that ended the walk, if any.
    const std::optional<ErrorInfo> &error() const noexcept { return error_; }

    /// The next row, or nothing at the end or on failure (then see error()); the
    /// non-iterator form. Never throws for try_walk_rows() walks.
    std::optional<VarBind> next() {
        started_ = true;
        advance();
        if (done_) {
            return std::nullopt;
        }
        return current_;
    }

private:
    friend class Session;
    Walk(snmpx_walk *w, bool throws) noexcept : w_(w), throws_(throws) {}
    Walk(ErrorInfo e, bool throws) : error_(std::move(e)), started_(true), done_(true), throws_(throws) {}

    void advance() {
        if (done_) {
            return;
        }
        snmpx_varbind *row = nullptr;
        snmpx_error *err = nullptr;
        std::uint32_t rc = snmpx_walk_next(w_.get(), &row, &err);
        if (rc == SNMPX_OK && row != nullptr) {
            std::shared_ptr<const snmpx_varbind> owner(row, [](const snmpx_varbind *v) {
                snmpx_varbind_free(const_cast<snmpx_varbind *>(v));
            });
            current_.emplace(owner, row);
            return;
        }
        done_ = true;
        current_.reset();
        w_.reset();
        if (rc != SNMPX_OK) {
            error_ = detail::take_error(err, rc);
#if SNMPX_CPP_EXCEPTIONS
            if (throws_) {
                throw_error(*error_);
            }
#endif
        }
    }

    std::unique_ptr<snmpx_walk, detail::WalkFree> w_;
    std::optional<VarBind> current_;
    std::optional<ErrorInfo> error_;
    bool started_ = false;
    bool done_ = false;
    bool throws_ = false;
};

}  // namespace snmpx

#endif  // SNMPX_WALK_HPP
