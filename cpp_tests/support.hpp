// Shared helpers of the C++ wrapper tests. Each test program runs under the test_agent
// launcher (examples/test_agent.rs), which starts a private Net-SNMP snmpd and passes its
// address, engine ID, expected system values and SNMPv3 users in the environment.
#ifndef SNMPX_CPP_TESTS_SUPPORT_HPP
#define SNMPX_CPP_TESTS_SUPPORT_HPP

#include <snmpx/snmpx.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace snmpx_test {

using namespace std::chrono_literals;

/// The value of an environment variable the launcher sets; exits with a clear message if
/// the program was not started through test_agent.
std::string env(const char *name);
/// The variable's value, or `fallback` when unset.
std::string env_or(const char *name, const std::string &fallback);

/// "127.0.0.1:PORT" of the (first) test agent.
inline std::string agent() { return env("SNMPX_TEST_AGENT"); }

/// Numeric OIDs of the system group (RFC 3418).
namespace oids {
inline const char *const system = "1.3.6.1.2.1.1";
inline const char *const sysDescr = "1.3.6.1.2.1.1.1.0";
inline const char *const sysObjectID = "1.3.6.1.2.1.1.2.0";
inline const char *const sysUpTime = "1.3.6.1.2.1.1.3.0";
inline const char *const sysContact = "1.3.6.1.2.1.1.4.0";
inline const char *const sysName = "1.3.6.1.2.1.1.5.0";
inline const char *const sysLocation = "1.3.6.1.2.1.1.6.0";
inline const char *const snmpEngineID = "1.3.6.1.6.3.10.2.1.1.0";
}  // namespace oids

/// A v1 or v2c configuration for `target` with test timeouts and an in-flight limit (snmpd's
/// receive queue is small; bursts beyond it are dropped).
snmpx::Config community_config(snmpx::Version v, const std::string &community = "public",
                               const std::string &target = agent());

/// One SNMPv3 user of the harness agents (SNMPX_TEST_V3_USERS).
struct V3User {
    std::string name;
    snmpx::SecurityLevel level = snmpx::SecurityLevel::NoAuthNoPriv;
    std::optional<snmpx::AuthProtocol> auth;
    std::string auth_pass;
    std::optional<snmpx::PrivProtocol> priv;
    std::string priv_pass;
};

/// Every SNMPv3 user the launcher lists.
const std::vector<V3User> &v3_users();
/// The user called `name` (fails the program if the launcher did not list it).
const V3User &v3_user(const std::string &name);
/// A v3 configuration for `user` at `target`.
snmpx::Config v3_config(const V3User &user, const std::string &target = agent());

/// A UDP socket on 127.0.0.1 that never answers (timeouts, cancellation).
class SilentPort {
public:
    SilentPort();
    ~SilentPort();
    SilentPort(const SilentPort &) = delete;
    SilentPort &operator=(const SilentPort &) = delete;
    /// "127.0.0.1:PORT".
    const std::string &target() const { return target_; }

private:
    int fd_ = -1;
    std::string target_;
};

/// The text of every row, `OID = value` with default formatting (for messages).
std::string dump(const std::vector<snmpx::VarBind> &rows);

/// Bytes of a hex string ("80001f88...").
std::vector<std::uint8_t> from_hex(const std::string &hex);

}  // namespace snmpx_test

#endif  // SNMPX_CPP_TESTS_SUPPORT_HPP
