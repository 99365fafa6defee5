// snmpx C++ wrapper: the whole API (header-only, C++17, namespace snmpx).
//
// Thin RAII layer over the C ABI (snmpx.h): snmpx::Library owns an init reference,
// snmpx::Session a session shareable between threads, snmpx::VarBind an immutable received
// binding. Throwing and Result<T> forms of every operation; see bindings/cpp/README.md.
#ifndef SNMPX_SNMPX_HPP
#define SNMPX_SNMPX_HPP

#include "snmpx/config.hpp"
#include "snmpx/error.hpp"
#include "snmpx/library.hpp"
#include "snmpx/request.hpp"
#include "snmpx/session.hpp"
#include "snmpx/types.hpp"
#include "snmpx/varbind.hpp"
#include "snmpx/walk.hpp"

#endif  // SNMPX_SNMPX_HPP
