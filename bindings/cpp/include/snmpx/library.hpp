// snmpx C++ wrapper: snmpx::Library, the RAII owner of one snmpx_init() reference.
#ifndef SNMPX_LIBRARY_HPP
#define SNMPX_LIBRARY_HPP

#include "snmpx.h"
#include "snmpx/error.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace snmpx {

/// One reference to the library's runtime: construction calls snmpx_init(), destruction
/// snmpx_shutdown(). The C library counts references, so any number of Library objects may
/// exist on any threads; the runtime stops when the last one is destroyed (requests still
/// in flight then complete with Errc::Cancelled, and open sessions fail with
/// Errc::Shutdown from then on). Move-only: a moved-from Library owns nothing.
///
/// Do not destroy the last Library inside a completion callback (the library refuses with
/// Errc::CallbackThread and the reference stays counted).
class Library {
public:
#if SNMPX_CPP_EXCEPTIONS
    /// Initializes (or adds a reference); throws snmpx::Error if the C library refuses.
    Library() : owns_(true) {
        std::uint32_t rc = snmpx_init();
        if (rc != SNMPX_OK) {
            owns_ = false;
            throw_error(detail::info_of(rc, "snmpx_init"));
        }
    }
#endif
    /// The non-throwing form of the constructor.
    static Result<Library> create() {
        std::uint32_t rc = snmpx_init();
        if (rc != SNMPX_OK) {
            return detail::info_of(rc, "snmpx_init");
        }
        return Library(Adopt{});
    }

    /// Moves the reference.
    Library(Library &&other) noexcept : owns_(other.owns_) { other.owns_ = false; }
    /// Drops this reference, then takes `other`'s.
    Library &operator=(Library &&other) noexcept {
        if (this != &other) {
            release();
            owns_ = other.owns_;
            other.owns_ = false;
        }
        return *this;
    }
    Library(const Library &) = delete;
    Library &operator=(const Library &) = delete;
    /// Drops the reference (snmpx_shutdown()).
    ~Library() { release(); }

    /// True unless moved from.
    bool owns_reference() const noexcept { return owns_; }

    /// Outstanding snmpx_init() references in the process.
    static std::uint64_t init_count() noexcept { return snmpx_init_count(); }
    /// Library handles currently allocated (a leak check for tests).
    static std::size_t live_handles() noexcept { return snmpx_live_handles(); }
    /// The library's version ("0.1.0").
    static std::string_view version() noexcept { return snmpx_version(); }

private:
    struct Adopt {};
    explicit Library(Adopt) noexcept : owns_(true) {}
    void release() noexcept {
        if (owns_) {
            owns_ = false;
            snmpx_shutdown();
        }
    }
    bool owns_ = false;
};

}  // namespace snmpx

#endif  // SNMPX_LIBRARY_HPP
