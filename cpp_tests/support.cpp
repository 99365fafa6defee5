// Shared helpers of the C++ wrapper tests, and the global environment that holds one
// snmpx::Library reference for the whole test program.
#include "support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sstream>

namespace snmpx_test {

std::string env(const char *name) {
    const char *v = std::getenv(name);
    if (v == nullptr || v[0] == '\0') {
        std::fprintf(stderr, "%s is not set: run this test through the test_agent launcher\n",
                     name);
        std::exit(2);
    }
    return v;
}

std::string env_or(const char *name, const std::string &fallback) {
    const char *v = std::getenv(name);
    return v != nullptr ? std::string(v) : fallback;
}

snmpx::Config community_config(snmpx::Version v, const std::string &community,
                               const std::string &target) {
    return snmpx::Config(target)
        .version(v)
        .community(community)
        .timeout(2s)
        .retries(2)
        .max_in_flight(32);
}

namespace {

std::vector<std::string> split(const std::string &s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    std::istringstream in(s);
    while (std::getline(in, cur, sep)) {
        out.push_back(cur);
    }
    if (!s.empty() && s.back() == sep) {
        out.emplace_back();
    }
    return out;
}

std::optional<snmpx::AuthProtocol> auth_of(const std::string &s) {
    using A = snmpx::AuthProtocol;
    if (s.empty()) return std::nullopt;
    if (s == "MD5") return A::Md5;
    if (s == "SHA") return A::Sha1;
    if (s == "SHA-224") return A::Sha224;
    if (s == "SHA-256") return A::Sha256;
    if (s == "SHA-384") return A::Sha384;
    if (s == "SHA-512") return A::Sha512;
    std::fprintf(stderr, "unknown auth protocol %s in SNMPX_TEST_V3_USERS\n", s.c_str());
    std::exit(2);
}

std::optional<snmpx::PrivProtocol> priv_of(const std::string &s) {
    using P = snmpx::PrivProtocol;
    if (s.empty()) return std::nullopt;
    if (s == "DES") return P::Des;
    if (s == "AES") return P::Aes128;
    if (s == "AES-192") return P::Aes192;
    if (s == "AES-256") return P::Aes256;
    if (s == "AES-192-C") return P::Aes192C;
    if (s == "AES-256-C") return P::Aes256C;
    std::fprintf(stderr, "unknown priv protocol %s in SNMPX_TEST_V3_USERS\n", s.c_str());
    std::exit(2);
}

snmpx::SecurityLevel level_of(const std::string &s) {
    if (s == "noAuthNoPriv") return snmpx::SecurityLevel::NoAuthNoPriv;
    if (s == "authNoPriv") return snmpx::SecurityLevel::AuthNoPriv;
    if (s == "authPriv") return snmpx::SecurityLevel::AuthPriv;
    std::fprintf(stderr, "unknown level %s in SNMPX_TEST_V3_USERS\n", s.c_str());
    std::exit(2);
}

}  // namespace

const std::vector<V3User> &v3_users() {
    static const std::vector<V3User> users = [] {
        std::vector<V3User> out;
        // Records separated by spaces, fields by commas, "-" for an empty field.
        for (const auto &entry : split(env("SNMPX_TEST_V3_USERS"), ' ')) {
            if (entry.empty()) {
                continue;
            }
            auto f = split(entry, ',');
            if (f.size() != 6) {
                std::fprintf(stderr, "bad SNMPX_TEST_V3_USERS entry '%s'\n", entry.c_str());
                std::exit(2);
            }
            for (auto &field : f) {
                if (field == "-") {
                    field.clear();
                }
            }
            out.push_back(V3User{f[0], level_of(f[1]), auth_of(f[2]), f[3], priv_of(f[4]), f[5]});
        }
        return out;
    }();
    return users;
}

const V3User &v3_user(const std::string &name) {
    for (const auto &u : v3_users()) {
        if (u.name == name) {
            return u;
        }
    }
    std::fprintf(stderr, "SNMPX_TEST_V3_USERS has no user %s\n", name.c_str());
    std::exit(2);
}

snmpx::Config v3_config(const V3User &user, const std::string &target) {
    auto cfg = snmpx::Config(target)
                   .version(snmpx::Version::V3)
                   .timeout(2s)
                   .retries(2)
                   .max_in_flight(32)
                   .security_name(user.name)
                   .security_level(user.level);
    if (user.auth) {
        cfg.auth(*user.auth, user.auth_pass);
    }
    if (user.priv) {
        cfg.priv(*user.priv, user.priv_pass);
    }
    return cfg;
}

SilentPort::SilentPort() {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr *>(&sa), sizeof sa) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr *>(&sa), &len) != 0) {
        std::perror("silent socket");
        std::exit(2);
    }
    target_ = "127.0.0.1:" + std::to_string(ntohs(sa.sin_port));
}

SilentPort::~SilentPort() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

std::string dump(const std::vector<snmpx::VarBind> &rows) {
    std::string s;
    for (const auto &r : rows) {
        s += r.format();
        s += '\n';
    }
    return s;
}

std::vector<std::uint8_t> from_hex(const std::string &hex) {
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        out.push_back(static_cast<std::uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
    }
    return out;
}

#ifndef SNMPX_TEST_NO_GLOBAL_LIBRARY
namespace {
/// Holds one library reference from before the first test to after the last.
class LibraryEnvironment : public ::testing::Environment {
public:
    void SetUp() override { lib_.emplace(snmpx::Library::create().value()); }
    void TearDown() override { lib_.reset(); }

private:
    std::optional<snmpx::Library> lib_;
};

[[maybe_unused]] ::testing::Environment *const library_environment =
    ::testing::AddGlobalTestEnvironment(new LibraryEnvironment);
}  // namespace
#endif

}  // namespace snmpx_test
