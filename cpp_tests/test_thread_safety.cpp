// The stress test Net-SNMP-based C++ wrappers cannot pass: 256 threads, a bounded run,
// get / walk / bulk_walk over SNMPv1, SNMPv2c and SNMPv3 (several users) against two agents
// with different engine IDs; some threads share one Session per profile, others open and
// destroy their own sessions while the rest run; every thread formats with its own options.
// Pass = zero errors and zero wrong values (and a clean TSan build). Also: init/shutdown
// reference counting from many threads, crossing zero (runtime stop and restart) repeatedly.
//
// Built with SNMPX_TEST_NO_GLOBAL_LIBRARY: each test holds its own snmpx::Library (the
// refcount test must be able to reach zero).
#include "support.hpp"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

using snmpx::FormatOptions;
using snmpx::Oid;
using snmpx::VarBind;
using snmpx::Version;
using namespace snmpx_test;

namespace {

constexpr int kThreads = 256;
constexpr int kOpsPerThread = 3;
const Oid kSysUpTime{1, 3, 6, 1, 2, 1, 1, 3, 0};

/// How a thread talks to an agent.
struct Profile {
    std::string label;
    int agent;  // 0 or 1
    Version version;
    std::function<snmpx::Config()> config;
};

/// What a correct answer looks like for one agent.
struct Expected {
    std::string target;
    std::vector<std::uint8_t> engine_id;
    std::vector<std::string> system_rows;  // format() of each row, sysUpTime as its OID only
};

std::vector<std::string> comparable(const std::vector<VarBind> &rows) {
    std::vector<std::string> out;
    out.reserve(rows.size());
    for (const auto &r : rows) {
        out.push_back(r.oid() == kSysUpTime ? r.oid_text() : r.format());
    }
    return out;
}

/// Each thread's formatting options (must not leak into other threads' output).
FormatOptions options_for(int t) {
    static const char *const letters[] = {"", "n", "v", "sQ"};
    return FormatOptions(letters[t % 4]);
}

/// The sysName line each option set must give.
std::string expected_name_line(int t, const std::string &name) {
    switch (t % 4) {
    case 1:
        return ".1.3.6.1.2.1.1.5.0 = STRING: " + name;
    case 2:
        return "STRING: " + name;
    case 3:
        return "sysName.0 = " + name;
    default:
        return "SNMPv2-MIB::sysName.0 = STRING: " + name;
    }
}

/// Collects failures from every thread (count plus the first few messages).
class Failures {
public:
    void add(const std::string &what) {
        ++count_;
        std::lock_guard<std::mutex> g(m_);
        if (messages_.size() < 20) messages_.push_back(what);
    }
    int count() const { return count_.load(); }
    std::string report() const {
        std::lock_guard<std::mutex> g(m_);
        std::string s;
        for (const auto &m : messages_) s += m + "\n";
        return s;
    }

private:
    std::atomic<int> count_{0};
    mutable std::mutex m_;
    std::vector<std::string> messages_;
};

}  // namespace

TEST(ThreadSafety, TwoHundredFiftySixThreadsMixedVersionsTwoAgents) {
    snmpx::Library lib;
    const std::string name = env("SNMPX_TEST_SYS_NAME");
    const std::string descr = env("SNMPX_TEST_SYS_DESCR");
    Expected agents[2];
    agents[0].target = env("SNMPX_TEST_AGENT");
    agents[1].target = env("SNMPX_TEST_AGENT2");
    agents[0].engine_id = from_hex(env("SNMPX_TEST_ENGINE_ID"));
    agents[1].engine_id = from_hex(env("SNMPX_TEST_ENGINE_ID2"));
    ASSERT_NE(agents[0].engine_id, agents[1].engine_id) << "the agents must differ";
    for (auto &a : agents) {
        auto s = snmpx::Session::open(community_config(Version::V2c, "public", a.target));
        a.system_rows = comparable(s.walk({oids::system}));
        ASSERT_GT(a.system_rows.size(), 8u);
    }

    std::vector<Profile> profiles;
    for (int a = 0; a < 2; ++a) {
        std::string t = agents[a].target;
        profiles.push_back({"v1@" + std::to_string(a), a, Version::V1,
                            [t] { return community_config(Version::V1, "public", t); }});
        profiles.push_back({"v2c@" + std::to_string(a), a, Version::V2c,
                            [t] { return community_config(Version::V2c, "public", t); }});
    }
    const std::pair<const char *, int> v3[] = {
        {"noauth", 0},       {"auth_sha256", 1},    {"priv_sha_aes", 0},
        {"priv_md5_des", 1}, {"priv_sha512_aes256c", 0}, {"priv_sha384_aes192", 1}};
    for (const auto &[user, a] : v3) {
        std::string t = agents[a].target;
        const V3User &u = v3_user(user);
        profiles.push_back({std::string("v3:") + user + "@" + std::to_string(a), a, Version::V3,
                            [&u, t] { return v3_config(u, t); }});
    }

    // One shared Session per profile.
    std::vector<std::unique_ptr<snmpx::Session>> shared;
    for (const auto &p : profiles) {
        auto s = snmpx::Session::try_open(p.config());
        ASSERT_TRUE(s.ok()) << p.label << ": " << s.error().message;
        shared.push_back(std::make_unique<snmpx::Session>(std::move(s).value()));
    }

    Failures failures;
    std::atomic<int> ops{0}, sessions_opened{0};
    auto worker = [&](int t) {
        const Profile &p = profiles[static_cast<std::size_t>(t) % profiles.size()];
        const Expected &want = agents[p.agent];
        const bool own = t % 3 == 0;  // a third of the threads open their own sessions
        const FormatOptions opts = options_for(t);
        const std::string tag = "thread " + std::to_string(t) + " " + p.label + ": ";
        for (int i = 0; i < kOpsPerThread; ++i) {
            std::unique_ptr<snmpx::Session> mine;
            if (own) {
                auto s = snmpx::Session::try_open(p.config());
                if (!s.ok()) {
                    failures.add(tag + "open: " + s.error().message);
                    continue;
                }
                mine = std::make_unique<snmpx::Session>(std::move(s).value());
                ++sessions_opened;
            }
            const snmpx::Session &s = own ? *mine : *shared[static_cast<std::size_t>(t) % profiles.size()];
            switch ((t + i) % 3) {
            case 0: {
                auto r = s.try_get({oids::sysName, oids::sysDescr, oids::snmpEngineID});
                if (!r.ok()) {
                    failures.add(tag + "get: " + r.error().message);
                    break;
                }
                const auto &rows = *r;
                if (rows.size() != 3 || rows[0].octets() != std::optional<std::string_view>(name) ||
                    rows[1].octets() != std::optional<std::string_view>(descr)) {
                    failures.add(tag + "get: wrong values\n" + dump(rows));
                    break;
                }
                auto engine = rows[2].octets().value_or("");
                if (std::vector<std::uint8_t>(engine.begin(), engine.end()) != want.engine_id) {
                    failures.add(tag + "get: engine ID of the other agent");
                }
                std::string line = rows[0].format(opts);
                if (line != expected_name_line(t, name)) {
                    failures.add(tag + "format leaked or wrong: '" + line + "'");
                }
                break;
            }
            case 1: {
                auto r = s.try_walk({oids::system});
                if (!r.ok()) {
                    failures.add(tag + "walk: " + r.error().message);
                } else if (comparable(*r) != want.system_rows) {
                    failures.add(tag + "walk: wrong rows\n" + dump(*r));
                }
                break;
            }
            default: {
                std::vector<VarBind> rows;
                if (p.version == Version::V1) {  // no GetBulk in v1: the streaming walk
                    auto w = s.try_walk_rows({oids::system});
                    for (const auto &row : w) rows.push_back(row);
                    if (w.error()) {
                        failures.add(tag + "walk_rows: " + w.error()->message);
                        break;
                    }
                } else {
                    auto r = s.try_bulk_walk({oids::system});
                    if (!r.ok()) {
                        failures.add(tag + "bulk_walk: " + r.error().message);
                        break;
                    }
                    rows = std::move(r).value();
                }
                if (comparable(rows) != want.system_rows) {
                    failures.add(tag + "bulk_walk: wrong rows\n" + dump(rows));
                }
                break;
            }
            }
            ++ops;
        }
    };

    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back(worker, t);
    }
    for (auto &th : threads) {
        th.join();
    }
    EXPECT_EQ(failures.count(), 0) << failures.report();
    EXPECT_EQ(ops.load(), kThreads * kOpsPerThread);
    EXPECT_GT(sessions_opened.load(), 0);
    std::printf("%d threads, %d operations, %d sessions opened and closed during the run, "
                "%zu profiles\n",
                kThreads, ops.load(), sessions_opened.load(), profiles.size());
}

TEST(ThreadSafety, InitShutdownRefcountFromManyThreads) {
    ASSERT_EQ(snmpx::Library::init_count(), 0u) << "this test needs no reference held";
    const auto handles = snmpx::Library::live_handles();
    constexpr int kWorkers = 64;
    constexpr int kRounds = 10;
    const std::string name = env("SNMPX_TEST_SYS_NAME");
    Failures failures;
    std::atomic<int> gets{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kWorkers; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kRounds; ++i) {
                // The count crosses zero whenever every thread is between iterations: the
                // runtime then stops and the next Library starts a new one.
                auto lib = snmpx::Library::create();
                if (!lib.ok()) {
                    failures.add("init: " + lib.error().message);
                    continue;
                }
                if ((t + i) % 2 == 0) {
                    continue;  // init/shutdown only
                }
                auto s = snmpx::Session::try_open(community_config(Version::V2c));
                if (!s.ok()) {
                    failures.add("open: " + s.error().message);
                    continue;
                }
                auto r = s->try_get({oids::sysName});
                if (!r.ok()) {
                    failures.add("get: " + r.error().message);
                } else if (r->at(0).octets() != std::optional<std::string_view>(name)) {
                    failures.add("get: wrong value");
                } else {
                    ++gets;
                }
            }
        });
    }
    for (auto &th : threads) {
        th.join();
    }
    EXPECT_EQ(failures.count(), 0) << failures.report();
    EXPECT_EQ(gets.load(), kWorkers * kRounds / 2);
    EXPECT_EQ(snmpx::Library::init_count(), 0u);
    EXPECT_EQ(snmpx::Library::live_handles(), handles);
    // And the library starts again afterwards.
    snmpx::Library again;
    auto s = snmpx::Session::open(community_config(Version::V2c));
    EXPECT_EQ(s.get({oids::sysName}).at(0).as_string(), name);
}

TEST(ThreadSafety, VarBindsAreSharedAcrossThreads) {
    snmpx::Library lib;
    auto s = snmpx::Session::open(community_config(Version::V2c, "stable"));
    auto rows = s.walk({oids::system});
    const auto want = comparable(rows);
    Failures failures;
    std::vector<std::thread> threads;
    for (int t = 0; t < 32; ++t) {
        // Every thread gets its own copy of the same rows (made here), formats and drops
        // it; the last copy frees the response, whichever thread holds it.
        threads.emplace_back([&, t, mine = rows] {
            FormatOptions opts = options_for(t);
            for (const auto &r : mine) {
                (void)r.format(opts);
            }
            if (comparable(mine) != want) {
                failures.add("rows changed under thread " + std::to_string(t));
            }
        });
    }
    rows.clear();  // the main thread's copies go while the others work
    for (auto &th : threads) {
        th.join();
    }
    EXPECT_EQ(failures.count(), 0) << failures.report();
}
