// The non-throwing API, compiled with -fno-exceptions: Library::create, Session::try_open,
// try_ operations, Result futures, callables, try_walk_rows and the optional accessors.
#include "support.hpp"

#if SNMPX_CPP_EXCEPTIONS
#error "this test must be compiled with -fno-exceptions"
#endif

using snmpx::Errc;
using snmpx::Request;
using snmpx::Result;
using snmpx::Value;
using snmpx::VarBinds;
using snmpx::Version;
using namespace snmpx_test;
using namespace std::chrono_literals;

TEST(NoExceptions, LibraryAndSession) {
    auto lib = snmpx::Library::create();
    ASSERT_TRUE(lib.ok());
    auto s = snmpx::Session::try_open(community_config(Version::V2c));
    ASSERT_TRUE(s.ok()) << s.error().message;
    auto rows = s->try_get({oids::sysName, oids::sysUpTime});
    ASSERT_TRUE(rows.ok()) << rows.error().message;
    EXPECT_EQ(rows->at(0).octets().value_or(""), env("SNMPX_TEST_SYS_NAME"));
    EXPECT_FALSE(rows->at(0).to_int64().has_value());
    EXPECT_TRUE(rows->at(1).to_uint64().has_value());
    EXPECT_FALSE(rows->at(1).octets().has_value());
}

TEST(NoExceptions, EveryOperation) {
    auto s = std::move(snmpx::Session::try_open(community_config(Version::V2c, "private")).value());
    EXPECT_TRUE(s.try_get_next({oids::sysName}).ok());
    auto bulk = s.try_get_bulk(0, 10, {oids::sysDescr, oids::sysObjectID, oids::sysUpTime,
                                       oids::sysContact, oids::sysName});
    ASSERT_TRUE(bulk.ok());
    EXPECT_EQ(bulk->size(), 50u);
    auto set = s.try_set({{oids::sysContact, Value::octet_string("no exceptions")}});
    ASSERT_TRUE(set.ok()) << set.error().message;
    auto walk = s.try_walk({oids::system});
    auto bwalk = s.try_bulk_walk({oids::system});
    ASSERT_TRUE(walk.ok());
    ASSERT_TRUE(bwalk.ok());
    EXPECT_EQ(walk->size(), bwalk->size());
    std::size_t streamed = 0;
    auto w = s.try_walk_rows({oids::system});
    for (const auto &row : w) {
        (void)row;
        ++streamed;
    }
    EXPECT_FALSE(w.error().has_value());
    EXPECT_EQ(streamed, walk->size());
}

TEST(NoExceptions, ErrorsAreValues) {
    auto s = std::move(snmpx::Session::try_open(community_config(Version::V2c, "private")).value());
    auto refused = s.try_set({{oids::sysLocation, Value::octet_string("x")}});
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.code(), Errc::Agent);
    EXPECT_EQ(refused.error().status, snmpx::ErrorStatus::NotWritable);
    ASSERT_TRUE(refused.error().failed_oid.has_value());
    EXPECT_EQ(refused.error().failed_oid->to_string(), oids::sysLocation);
    EXPECT_EQ(s.try_get({"1..3"}).code(), Errc::Parse);
    EXPECT_EQ(snmpx::Session::try_open(snmpx::Config("no-such-host.invalid")).code(),
              Errc::Resolve);
    SilentPort silent;
    auto quiet = std::move(
        snmpx::Session::try_open(snmpx::Config(silent.target()).timeout(0.2s).retries(0)).value());
    EXPECT_EQ(quiet.try_get({oids::sysName}).code(), Errc::Timeout);
}

TEST(NoExceptions, AsyncForms) {
    auto s = std::move(snmpx::Session::try_open(community_config(Version::V2c)).value());
    auto f = s.try_execute_async(Request::get({oids::sysDescr}));
    ASSERT_EQ(f.wait_for(30s), std::future_status::ready);
    auto r = f.get();
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->at(0).octets().value_or(""), env("SNMPX_TEST_SYS_DESCR"));

    std::promise<Errc> code;
    auto done = code.get_future();
    auto id = s.submit(Request::get({oids::sysName}),
                       [&code](Result<VarBinds> res) { code.set_value(res.code()); });
    ASSERT_TRUE(id.ok());
    ASSERT_EQ(done.wait_for(30s), std::future_status::ready);
    EXPECT_EQ(done.get(), Errc::Ok);
}
