// Asynchronous operations: futures (throwing and Result forms), callables, cancellation,
// the callback-thread rule.
#include "support.hpp"

#include <atomic>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

using snmpx::Errc;
using snmpx::Request;
using snmpx::Result;
using snmpx::Value;
using snmpx::VarBinds;
using snmpx::Version;
using namespace snmpx_test;
using namespace std::chrono_literals;

namespace {
/// Waits (bounded) until `n` completions were counted.
class Countdown {
public:
    explicit Countdown(int n) : left_(n) {}
    void done() {
        std::lock_guard<std::mutex> g(m_);
        --left_;
        cv_.notify_all();
    }
    bool wait(std::chrono::seconds limit = 30s) {
        std::unique_lock<std::mutex> g(m_);
        return cv_.wait_for(g, limit, [&] { return left_ <= 0; });
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    int left_;
};

template <class T>
T get_bounded(std::future<T> &f) {
    EXPECT_EQ(f.wait_for(30s), std::future_status::ready);
    return f.get();
}
}  // namespace

class AsyncTest : public ::testing::Test {
protected:
    snmpx::Session s = snmpx::Session::open(community_config(Version::V2c));
    snmpx::Session rw = snmpx::Session::open(community_config(Version::V2c, "private"));
};

TEST_F(AsyncTest, EveryOperationHasAFuture) {
    auto get = s.get_async({oids::sysName});
    auto next = s.get_next_async({oids::sysName});
    auto bulk = s.get_bulk_async(0, 3, {oids::system});
    auto set = rw.set_async({{oids::sysContact, Value::octet_string("async contact")}});
    auto walk = s.walk_async({oids::system});
    auto bwalk = s.bulk_walk_async({oids::system});

    EXPECT_EQ(get_bounded(get).at(0).as_string(), env("SNMPX_TEST_SYS_NAME"));
    EXPECT_EQ(get_bounded(next).at(0).oid_text(), oids::sysLocation);
    EXPECT_EQ(get_bounded(bulk).size(), 3u);
    EXPECT_EQ(get_bounded(set).at(0).as_string(), "async contact");
    auto w = get_bounded(walk);
    auto bw = get_bounded(bwalk);
    EXPECT_EQ(w.size(), s.walk({oids::system}).size());
    EXPECT_EQ(w.size(), bw.size());
    EXPECT_EQ(s.get({oids::sysContact}).at(0).as_string(), "async contact");
}

TEST_F(AsyncTest, FuturesCarryTheMirroredException) {
    auto f = rw.set_async({{oids::sysLocation, Value::octet_string("x")}});
    EXPECT_THROW(get_bounded(f), snmpx::AgentError);
    auto bad = s.get_async({"1..3"});  // fails at submission: the future is ready at once
    EXPECT_THROW(get_bounded(bad), snmpx::ParseError);
    auto unknown = s.get_async({"noSuchThingAnywhere.0"});
    EXPECT_THROW(get_bounded(unknown), snmpx::UnknownObjectError);
}

TEST_F(AsyncTest, ResultFuturesNeverThrow) {
    auto ok = s.try_execute_async(Request::get({oids::sysDescr}));
    auto r = get_bounded(ok);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->at(0).as_string(), env("SNMPX_TEST_SYS_DESCR"));
    auto bad = s.try_execute_async(Request::get({"1..3"}));
    auto e = get_bounded(bad);
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.error().code, Errc::Parse);
}

TEST_F(AsyncTest, CallablesRunOnceEach) {
    constexpr int kRequests = 100;
    Countdown left(kRequests);
    std::atomic<int> ok{0}, bad{0};
    auto destroyed = std::make_shared<std::atomic<int>>(0);
    struct Probe {  // counts destructions of the moved-into-the-library callable
        std::shared_ptr<std::atomic<int>> n;
        explicit Probe(std::shared_ptr<std::atomic<int>> c) : n(std::move(c)) {}
        Probe(Probe &&o) noexcept : n(std::move(o.n)) {}
        ~Probe() {
            if (n) ++*n;
        }
    };
    const std::string name = env("SNMPX_TEST_SYS_NAME");
    for (int i = 0; i < kRequests; ++i) {
        auto probe = std::make_unique<Probe>(destroyed);  // move-only capture
        auto id = s.submit(Request::get({oids::sysName}),
                           [&, probe = std::move(probe)](Result<VarBinds> r) {
                               (r.ok() && r->at(0).octets() == std::optional<std::string_view>(name) ? ok : bad)++;
                               left.done();
                           });
        ASSERT_TRUE(id.ok()) << id.error().message;
    }
    ASSERT_TRUE(left.wait());
    EXPECT_EQ(ok.load(), kRequests);
    EXPECT_EQ(bad.load(), 0);
    // Each callable is released by the library after it ran (bounded wait for the release).
    for (int i = 0; i < 300 && destroyed->load() < kRequests; ++i) {
        std::this_thread::sleep_for(10ms);
    }
    EXPECT_EQ(destroyed->load(), kRequests);
}

TEST_F(AsyncTest, FailedSubmissionDestroysTheCallableWithoutRunningIt) {
    auto destroyed = std::make_shared<int>(0);
    bool ran = false;
    {
        auto guard = std::shared_ptr<void>(nullptr, [destroyed](void *) { ++*destroyed; });
        auto id = s.submit(Request::get({"1..3"}),
                           [&ran, guard](Result<VarBinds>) { ran = true; });
        ASSERT_FALSE(id.ok());
        EXPECT_EQ(id.error().code, Errc::Parse);
    }
    EXPECT_FALSE(ran);
    EXPECT_EQ(*destroyed, 1);
}

TEST_F(AsyncTest, CancelCompletesWithCancelled) {
    SilentPort silent;
    auto quiet = snmpx::Session::open(snmpx::Config(silent.target()).timeout(30s).retries(0));
    std::promise<Errc> code;
    auto f = code.get_future();
    auto id = quiet.submit(Request::get({oids::sysName}), [&code](Result<VarBinds> r) {
        code.set_value(r.code());
    });
    ASSERT_TRUE(id.ok());
    ASSERT_TRUE(quiet.cancel(*id).ok());
    ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
    EXPECT_EQ(f.get(), Errc::Cancelled);
    // Cancelling a finished request does nothing.
    EXPECT_TRUE(quiet.cancel(*id).ok());
}

TEST_F(AsyncTest, TimeoutThroughAFuture) {
    SilentPort silent;
    auto quiet = snmpx::Session::open(snmpx::Config(silent.target()).timeout(0.2s).retries(1));
    auto f = quiet.get_async({oids::sysName});
    EXPECT_THROW(get_bounded(f), snmpx::TimeoutError);
}

TEST_F(AsyncTest, BlockingCallsInsideACallbackAreRefused) {
    std::promise<Errc> inner;
    auto f = inner.get_future();
    auto id = s.submit(Request::get({oids::sysName}), [this, &inner](Result<VarBinds>) {
        // A blocking call on the I/O thread would deadlock: the library refuses it.
        inner.set_value(s.try_get({oids::sysName}).code());
    });
    ASSERT_TRUE(id.ok());
    ASSERT_EQ(f.wait_for(30s), std::future_status::ready);
    EXPECT_EQ(f.get(), Errc::CallbackThread);
}

TEST_F(AsyncTest, CallbacksMaySubmitMore) {
    std::promise<std::string> second;
    auto f = second.get_future();
    auto id = s.submit(Request::get({oids::sysName}), [this, &second](Result<VarBinds>) {
        auto again = s.submit(Request::get({oids::sysDescr}), [&second](Result<VarBinds> r) {
            second.set_value(r.ok() ? std::string(r->at(0).octets().value_or("?"))
                                    : r.error().message);
        });
        if (!again.ok()) {
            second.set_value("submit failed: " + again.error().message);
        }
    });
    ASSERT_TRUE(id.ok());
    ASSERT_EQ(f.wait_for(30s), std::future_status::ready);
    EXPECT_EQ(f.get(), env("SNMPX_TEST_SYS_DESCR"));
}
