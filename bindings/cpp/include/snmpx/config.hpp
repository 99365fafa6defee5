// snmpx C++ wrapper: snmpx::Config, a session's target, version, credentials and options.
#ifndef SNMPX_CONFIG_HPP
#define SNMPX_CONFIG_HPP

#include "snmpx.h"
#include "snmpx/error.hpp"
#include "snmpx/types.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace snmpx {

namespace detail {
/// Deleter of C configs.
struct ConfigFree {
    void operator()(snmpx_config *c) const noexcept { snmpx_config_free(c); }
};
}  // namespace detail

/// A C config handle (owned).
using NativeConfig = std::unique_ptr<snmpx_config, detail::ConfigFree>;

/// A session configuration: a plain value with fluent setters, checked by the library when a
/// session opens (Session::open). Unset options keep the library's defaults: SNMPv2c,
/// community "public", 1 s timeout, 5 retries, 60 varbinds per request, max-repetitions 10,
/// non-repeaters 0, source check on, no in-flight limit.
///
/// ```
/// auto cfg = snmpx::Config("192.0.2.1:161").version(snmpx::Version::V3)
///                .security_name("ops").security_level(snmpx::SecurityLevel::AuthPriv)
///                .auth(snmpx::AuthProtocol::Sha256, "auth pass")
///                .priv(snmpx::PrivProtocol::Aes128, "priv pass");
/// ```
class Config {
public:
    /// A configuration for the agent at `target` (`host`, `host:port`, `[v6]:port`,
    /// `udp:`/`udp6:` prefixes).
    explicit Config(std::string target) : target_(std::move(target)) {}

    /// The target text.
    const std::string &target() const noexcept { return target_; }

    /// SNMP version.
    Config &version(Version v) { return add([v](snmpx_config *c) {
        return step(snmpx_config_set_version(c, static_cast<std::uint32_t>(v)), "version");
    }); }
    /// Community string (v1/v2c), any octets.
    Config &community(std::string_view community) {
        std::string s(community);
        return add([s](snmpx_config *c) {
            return step(snmpx_config_set_community(c, bytes(s), s.size()), "community");
        });
    }
    /// Time to wait for each response (> 0, at most 86400 s).
    Config &timeout(std::chrono::duration<double> t) {
        double s = t.count();
        return add([s](snmpx_config *c) { return step(snmpx_config_set_timeout(c, s), "timeout"); });
    }
    /// Retransmissions after the first send.
    Config &retries(std::uint32_t n) {
        return add([n](snmpx_config *c) { return step(snmpx_config_set_retries(c, n), "retries"); });
    }
    /// Timeout multiplier after each retransmission (>= 1.0).
    Config &backoff(double factor) {
        return add([factor](snmpx_config *c) {
            return step(snmpx_config_set_backoff(c, factor), "backoff");
        });
    }
    /// Overall deadline of one operation (every retry and walk step included).
    Config &deadline(std::chrono::duration<double> t) {
        double s = t.count();
        return add([s](snmpx_config *c) { return step(snmpx_config_set_deadline(c, s), "deadline"); });
    }
    /// Maximum varbinds per request (>= 1); longer Get/GetNext lists are split.
    Config &max_varbinds(std::uint32_t n) {
        return add([n](snmpx_config *c) {
            return step(snmpx_config_set_max_varbinds(c, n), "max_varbinds");
        });
    }
    /// GetBulk max-repetitions for bulk walks and the GetBulk default (>= 1).
    Config &max_repetitions(std::uint32_t n) {
        return add([n](snmpx_config *c) {
            return step(snmpx_config_set_max_repetitions(c, n), "max_repetitions");
        });
    }
    /// Default GetBulk non-repeaters.
    Config &non_repeaters(std::uint32_t n) {
        return add([n](snmpx_config *c) {
            return step(snmpx_config_set_non_repeaters(c, n), "non_repeaters");
        });
    }
    /// Requests in flight to this agent at once (0 = unlimited); more wait their turn.
    Config &max_in_flight(std::uint32_t n) {
        return add([n](snmpx_config *c) {
            return step(snmpx_config_set_max_in_flight(c, n), "max_in_flight");
        });
    }
    /// Accept responses only from the target address (default true).
    Config &check_source(bool on) {
        return add([on](snmpx_config *c) {
            return step(snmpx_config_set_check_source(c, on), "check_source");
        });
    }
    /// Fail a request at once (UnreachableError) when an ICMP port unreachable comes back
    /// (default true); false waits for the timeout and retries, as Net-SNMP does.
    Config &fail_on_unreachable(bool on) {
        return add([on](snmpx_config *c) {
            return step(snmpx_config_set_fail_on_unreachable(c, on), "fail_on_unreachable");
        });
    }
    /// Fail walks whose OIDs do not increase (default true).
    Config &check_increasing(bool on) {
        return add([on](snmpx_config *c) {
            return step(snmpx_config_set_check_increasing(c, on), "check_increasing");
        });
    }
    /// Maximum requests one walk may issue (0 = unlimited).
    Config &walk_max_requests(std::uint64_t n) {
        return add([n](snmpx_config *c) {
            return step(snmpx_config_set_walk_max_requests(c, n), "walk_max_requests");
        });
    }

    /// SNMPv3 user name (securityName).
    Config &security_name(std::string_view name) {
        std::string s(name);
        return add([s](snmpx_config *c) {
            return step(snmpx_config_set_security_name(c, s.c_str()), "security_name");
        });
    }
    /// SNMPv3 security level.
    Config &security_level(SecurityLevel level) {
        return add([level](snmpx_config *c) {
            return step(snmpx_config_set_security_level(c, static_cast<std::uint32_t>(level)),
                        "security_level");
        });
    }
    /// SNMPv3 authentication protocol and passphrase.
    Config &auth(AuthProtocol protocol, std::string_view passphrase) {
        std::string s(passphrase);
        return add([protocol, s](snmpx_config *c) {
            return step(snmpx_config_set_auth(c, static_cast<std::uint32_t>(protocol), bytes(s),
                                              s.size()),
                        "auth");
        });
    }
    /// SNMPv3 authentication protocol and localized key (Net-SNMP `-3k`).
    Config &auth_key(AuthProtocol protocol, std::vector<std::uint8_t> key) {
        return add([protocol, key](snmpx_config *c) {
            return step(snmpx_config_set_auth_key(c, static_cast<std::uint32_t>(protocol),
                                                  key.data(), key.size()),
                        "auth_key");
        });
    }
    /// SNMPv3 privacy protocol and passphrase.
    Config &priv(PrivProtocol protocol, std::string_view passphrase) {
        std::string s(passphrase);
        return add([protocol, s](snmpx_config *c) {
            return step(snmpx_config_set_priv(c, static_cast<std::uint32_t>(protocol), bytes(s),
                                              s.size()),
                        "priv");
        });
    }
    /// SNMPv3 privacy protocol and localized key (Net-SNMP `-3K`).
    Config &priv_key(PrivProtocol protocol, std::vector<std::uint8_t> key) {
        return add([protocol, key](snmpx_config *c) {
            return step(snmpx_config_set_priv_key(c, static_cast<std::uint32_t>(protocol),
                                                  key.data(), key.size()),
                        "priv_key");
        });
    }
    /// SNMPv3 contextName.
    Config &context_name(std::string_view name) {
        std::string s(name);
        return add([s](snmpx_config *c) {
            return step(snmpx_config_set_context_name(c, bytes(s), s.size()), "context_name");
        });
    }
    /// SNMPv3 contextEngineID.
    Config &context_engine_id(std::vector<std::uint8_t> id) {
        return add([id](snmpx_config *c) {
            return step(snmpx_config_set_context_engine_id(c, id.data(), id.size()),
                        "context_engine_id");
        });
    }
    /// SNMPv3 authoritative engine ID (skips discovery).
    Config &security_engine_id(std::vector<std::uint8_t> id) {
        return add([id](snmpx_config *c) {
            return step(snmpx_config_set_security_engine_id(c, id.data(), id.size()),
                        "security_engine_id");
        });
    }

    /// Builds the C config: the target, then every setter in the order it was called. The
    /// first failure is returned (e.g. Errc::Invalid for a zero timeout, Errc::NotSupported
    /// for an option this build lacks).
    Result<NativeConfig> build() const {
        snmpx_config *raw = nullptr;
        std::uint32_t rc = snmpx_config_new(target_.c_str(), &raw);
        if (rc != SNMPX_OK) {
            return detail::info_of(rc, ("target '" + target_ + "'").c_str());
        }
        NativeConfig cfg(raw);
        for (const auto &s : steps_) {
            if (auto err = s(raw)) {
                return std::move(*err);
            }
        }
        return cfg;
    }

private:
    using Step = std::function<std::optional<ErrorInfo>(snmpx_config *)>;
    Config &add(Step s) {
        steps_.push_back(std::move(s));
        return *this;
    }
    static std::optional<ErrorInfo> step(std::uint32_t rc, const char *what) {
        if (rc == SNMPX_OK) {
            return std::nullopt;
        }
        return detail::info_of(rc, (std::string("config ") + what).c_str());
    }
    static const std::uint8_t *bytes(const std::string &s) noexcept {
        return reinterpret_cast<const std::uint8_t *>(s.data());
    }

    std::string target_;
    std::vector<Step> steps_;
};

}  // namespace snmpx

#endif  // SNMPX_CONFIG_HPP
