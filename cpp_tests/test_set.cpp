// Set over SNMPv1 and SNMPv2c: set then get (sysContact: the harness configures sysLocation,
// which makes it read-only), notWritable with the failed OID, wrong types, typed values.
#include "support.hpp"

#include <unistd.h>

using snmpx::Binding;
using snmpx::ErrorStatus;
using snmpx::Value;
using snmpx::Version;
using namespace snmpx_test;

namespace {
std::string version_name(const ::testing::TestParamInfo<Version> &p) {
    return p.param == Version::V1 ? "v1" : "v2c";
}
std::string unique_text(const char *what) {
    static int n = 0;
    return std::string("snmpx-cpp ") + what + " " + std::to_string(::getpid()) + "-" +
           std::to_string(++n);
}
}  // namespace

class SetTest : public ::testing::TestWithParam<Version> {
protected:
    snmpx::Session rw = snmpx::Session::open(community_config(GetParam(), "private"));
    bool v1() const { return GetParam() == Version::V1; }
};

TEST_P(SetTest, SetThenGet) {
    auto text = unique_text("contact");
    auto rows = rw.set({{oids::sysContact, Value::octet_string(text)}});
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].oid_text(), oids::sysContact);
    EXPECT_EQ(rows[0].as_string(), text);
    auto got = rw.get({oids::sysContact});
    EXPECT_EQ(got.at(0).as_string(), text);
    // The read-only community sees the new value too.
    auto ro = snmpx::Session::open(community_config(GetParam(), "public"));
    EXPECT_EQ(ro.get({oids::sysContact}).at(0).as_string(), text);
}

TEST_P(SetTest, NotWritableNamesTheFailedOid) {
    // The second binding is refused: error-index 2 points at sysLocation (RFC 3416 §4.2.5).
    try {
        rw.set({{oids::sysContact, Value::octet_string("x")},
                {oids::sysLocation, Value::octet_string("elsewhere")}});
        FAIL() << "expected AgentError";
    } catch (const snmpx::AgentError &e) {
        // SNMPv1 has no notWritable; agents map it to noSuchName (RFC 3584 §4.4).
        EXPECT_EQ(e.status(), v1() ? ErrorStatus::NoSuchName : ErrorStatus::NotWritable);
        EXPECT_EQ(e.index(), 2u);
        ASSERT_TRUE(e.failed_oid().has_value());
        EXPECT_EQ(e.failed_oid()->to_string(), oids::sysLocation);
        EXPECT_NE(std::string(e.what()).find(oids::sysLocation), std::string::npos) << e.what();
    }
    // sysLocation is unchanged.
    EXPECT_EQ(rw.get({oids::sysLocation}).at(0).as_string(), env("SNMPX_TEST_SYS_LOCATION"));
}

TEST_P(SetTest, NonThrowingSetReportsTheStatus) {
    auto r = rw.try_set({{oids::sysLocation, Value::octet_string("elsewhere")}});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, snmpx::Errc::Agent);
    EXPECT_EQ(r.error().index, 1u);
    ASSERT_TRUE(r.error().failed_oid.has_value());
    EXPECT_EQ(r.error().failed_oid->to_string(), oids::sysLocation);
}

TEST_P(SetTest, WrongTypeIsRefused) {
    try {
        rw.set({{oids::sysContact, Value::integer(5)}});
        FAIL() << "expected AgentError";
    } catch (const snmpx::AgentError &e) {
        EXPECT_EQ(e.status(), v1() ? ErrorStatus::BadValue : ErrorStatus::WrongType);
        EXPECT_EQ(e.index(), 1u);
    }
}

TEST_P(SetTest, ReadOnlyCommunityCannotSet) {
    auto ro = snmpx::Session::open(community_config(GetParam(), "public"));
    auto r = ro.try_set({{oids::sysContact, Value::octet_string("nope")}});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, snmpx::Errc::Agent);
    EXPECT_EQ(r.error().status, v1() ? ErrorStatus::NoSuchName : ErrorStatus::NoAccess);
}

TEST_P(SetTest, EveryValueTypeIsEncoded) {
    // Each typed value reaches the agent with its own tag: sysContact (DisplayString) accepts
    // only OCTET STRING, so every other type comes back as a type error for binding 1.
    std::vector<Value> wrong = {
        Value::integer(-7),           Value::counter32(1),  Value::gauge32(2),
        Value::timeticks(3),          Value::ip_address({10, 0, 0, 1}),
        Value::object_id({1, 3, 6}),  Value::opaque("\x01"),
    };
    for (const auto &v : wrong) {
        auto r = rw.try_set({{oids::sysContact, v}});
        ASSERT_FALSE(r.ok()) << static_cast<int>(v.type());
        EXPECT_EQ(r.error().status, v1() ? ErrorStatus::BadValue : ErrorStatus::WrongType)
            << static_cast<int>(v.type());
    }
    auto bytes = std::vector<std::uint8_t>{'o', 'k', '\t', '!'};
    auto rows = rw.set({{oids::sysContact, Value::octet_string(bytes)}});
    EXPECT_EQ(rows.at(0).as_bytes(), bytes);
}

TEST_P(SetTest, BadOidTextFailsBeforeSending) {
    auto bad = rw.try_set({{"1..3", Value::integer(1)}});
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, snmpx::Errc::Parse);
    EXPECT_THROW(rw.set({{"1..3", Value::integer(1)}}), snmpx::ParseError);
}

INSTANTIATE_TEST_SUITE_P(Versions, SetTest, ::testing::Values(Version::V1, Version::V2c),
                         version_name);
