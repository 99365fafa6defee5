// SNMPv3 (USM, RFC 3414): every operation for several users across the security levels and
// auth x priv pairs, and the authentication failures (codes 32-38).
// A build whose C ABI lacks SNMPv3 makes these tests fail with Errc::NotSupported; they are
// never skipped.
#include "support.hpp"

using snmpx::Errc;
using snmpx::Oid;
using snmpx::Value;
using namespace snmpx_test;

namespace {
/// Users covering noAuthNoPriv, authNoPriv and authPriv with each auth protocol family and
/// every privacy protocol (DES, AES-128, the Blumenthal and Reeder AES-192/256 variants).
const char *const kUsers[] = {
    "noauth",           "auth_md5",          "auth_sha512",        "priv_md5_des",
    "priv_sha_aes",     "priv_sha224_aes192", "priv_sha256_aes256", "priv_sha384_aes192c",
    "priv_sha512_aes256c",
};

std::string param_name(const ::testing::TestParamInfo<const char *> &p) { return p.param; }
}  // namespace

class V3Test : public ::testing::TestWithParam<const char *> {
protected:
    const V3User &user = v3_user(GetParam());
    snmpx::Session open() {
        auto r = snmpx::Session::try_open(v3_config(user));
        if (!r.ok()) {
            ADD_FAILURE() << "opening a v3 session for " << user.name << " failed: "
                          << r.error().message << " (code " << static_cast<int>(r.code()) << ")";
        }
        return std::move(r).value();
    }
};

TEST_P(V3Test, GetGetNextGetBulk) {
    auto s = open();
    auto rows = s.get({oids::sysName, oids::sysDescr});
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].as_string(), env("SNMPX_TEST_SYS_NAME"));
    EXPECT_EQ(rows[1].as_string(), env("SNMPX_TEST_SYS_DESCR"));
    auto next = s.get_next({oids::sysName});
    EXPECT_EQ(next.at(0).oid_text(), oids::sysLocation);
    auto bulk = s.get_bulk(0, 10, {oids::sysDescr, oids::sysObjectID, oids::sysUpTime,
                                   oids::sysContact, oids::sysName});
    EXPECT_EQ(bulk.size(), 50u);
    // The agent's engine ID, read through the session, is the one the launcher reported.
    auto engine = s.get({oids::snmpEngineID});
    auto id = engine.at(0).as_bytes();
    EXPECT_EQ(id, from_hex(env("SNMPX_TEST_ENGINE_ID")));
}

TEST_P(V3Test, WalkAndBulkWalk) {
    auto s = open();
    auto walked = s.walk({oids::system});
    auto bulk = s.bulk_walk({oids::system});
    ASSERT_FALSE(walked.empty());
    ASSERT_EQ(walked.size(), bulk.size());
    for (std::size_t i = 0; i < walked.size(); ++i) {
        EXPECT_EQ(walked[i].oid(), bulk[i].oid());
    }
    std::size_t streamed = 0;
    for (const auto &row : s.walk_rows({oids::system}, snmpx::Operation::BulkWalk)) {
        EXPECT_TRUE(row.oid().starts_with(Oid{1, 3, 6, 1, 2, 1, 1}));
        ++streamed;
    }
    EXPECT_EQ(streamed, walked.size());
}

TEST_P(V3Test, SetThenGetAndAsync) {
    auto s = open();
    std::string text = std::string("v3 contact of ") + user.name;
    auto set = s.set({{oids::sysContact, Value::octet_string(text)}});
    EXPECT_EQ(set.at(0).as_string(), text);
    auto f = s.get_async({oids::sysContact});
    ASSERT_EQ(f.wait_for(std::chrono::seconds(30)), std::future_status::ready);
    EXPECT_EQ(f.get().at(0).as_string(), text);
    auto refused = s.try_set({{oids::sysLocation, Value::octet_string("x")}});
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().status, snmpx::ErrorStatus::NotWritable);
}

INSTANTIATE_TEST_SUITE_P(Users, V3Test, ::testing::ValuesIn(kUsers), param_name);

TEST(V3Errors, WrongAuthPassphrase) {
    V3User u = v3_user("priv_sha256_aes");
    u.auth_pass = "not-the-right-passphrase";
    auto s = snmpx::Session::try_open(v3_config(u));
    ASSERT_TRUE(s.ok()) << s.error().message;
    try {
        s->get({oids::sysName});
        FAIL() << "expected AuthenticationError";
    } catch (const snmpx::AuthenticationError &e) {
        EXPECT_EQ(e.code(), Errc::V3Authentication) << e.what();
    }
}

TEST(V3Errors, UnknownUser) {
    V3User u = v3_user("auth_sha");
    u.name = "nobody_here";
    auto s = snmpx::Session::try_open(v3_config(u));
    ASSERT_TRUE(s.ok()) << s.error().message;
    auto r = s->try_get({oids::sysName});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), Errc::V3UnknownUser) << r.error().message;
    EXPECT_TRUE(snmpx::is_authentication_error(r.code()));
}

TEST(V3Errors, LevelAboveTheUsersIsRefused) {
    V3User u = v3_user("auth_sha");  // authNoPriv user asked for authPriv
    u.level = snmpx::SecurityLevel::AuthPriv;
    u.priv = snmpx::PrivProtocol::Aes128;
    u.priv_pass = "some-privacy-pass";
    auto s = snmpx::Session::try_open(v3_config(u));
    ASSERT_TRUE(s.ok()) << s.error().message;
    auto r = s->try_get({oids::sysName});
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(snmpx::is_authentication_error(r.code()) || r.code() == Errc::Timeout)
        << r.error().message;
}

TEST(V3Errors, WrongPrivPassphraseIsNotAnswered) {
    // RFC 3414 §3.2 step 8: a PDU that does not decrypt is dropped (usmStatsDecryptionErrors
    // may be reported); either way no data comes back.
    V3User u = v3_user("priv_sha_aes");
    u.priv_pass = "not-the-right-privacy-pass";
    auto s = snmpx::Session::try_open(v3_config(u).timeout(std::chrono::milliseconds(500)).retries(0));
    ASSERT_TRUE(s.ok()) << s.error().message;
    auto r = s->try_get({oids::sysName});
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.code() == Errc::V3Decryption || r.code() == Errc::Timeout)
        << r.error().message;
}
