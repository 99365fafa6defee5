// Get, GetNext and GetBulk over SNMPv1 and SNMPv2c against the test agent (ezsnmp-derived
// scenarios: the system group, bulk of 5 OIDs x 10 repetitions, noSuch markers).
#include "support.hpp"

using snmpx::Oid;
using snmpx::ValueType;
using snmpx::Version;
using namespace snmpx_test;

namespace {
std::string version_name(const ::testing::TestParamInfo<Version> &p) {
    return p.param == Version::V1 ? "v1" : "v2c";
}
}  // namespace

class GetTest : public ::testing::TestWithParam<Version> {
protected:
    snmpx::Session s = snmpx::Session::open(community_config(GetParam()));
    bool v1() const { return GetParam() == Version::V1; }
};

TEST_P(GetTest, GetSystemGroup) {
    auto rows = s.get({oids::sysDescr, oids::sysObjectID, oids::sysUpTime, oids::sysName,
                       oids::sysLocation});
    ASSERT_EQ(rows.size(), 5u) << dump(rows);
    EXPECT_EQ(rows[0].oid_text(), oids::sysDescr);
    EXPECT_EQ(rows[0].type(), ValueType::OctetString);
    EXPECT_EQ(rows[0].as_string(), env("SNMPX_TEST_SYS_DESCR"));
    EXPECT_EQ(rows[1].type(), ValueType::ObjectId);
    EXPECT_TRUE(rows[1].as_oid().starts_with(Oid{1, 3, 6, 1, 4, 1, 8072})) << dump(rows);
    EXPECT_EQ(rows[2].type(), ValueType::TimeTicks);
    EXPECT_GT(rows[2].as_uint64(), 0u);
    EXPECT_EQ(rows[3].as_string(), env("SNMPX_TEST_SYS_NAME"));
    EXPECT_EQ(rows[4].as_string(), env("SNMPX_TEST_SYS_LOCATION"));
}

TEST_P(GetTest, GetAcceptsArcsAndMibNames) {
    auto rows = s.get({Oid{1, 3, 6, 1, 2, 1, 1, 5, 0}, "SNMPv2-MIB::sysName.0", "sysDescr.0",
                       ".1.3.6.1.2.1.1.6.0"});
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[0].as_string(), env("SNMPX_TEST_SYS_NAME"));
    EXPECT_EQ(rows[1].oid(), (Oid{1, 3, 6, 1, 2, 1, 1, 5, 0}));
    EXPECT_EQ(rows[2].as_string(), env("SNMPX_TEST_SYS_DESCR"));
    EXPECT_EQ(rows[3].as_string(), env("SNMPX_TEST_SYS_LOCATION"));
}

TEST_P(GetTest, GetNextSystemGroup) {
    auto first = s.get_next({oids::system});
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].oid_text(), oids::sysDescr);
    EXPECT_EQ(first[0].as_string(), env("SNMPX_TEST_SYS_DESCR"));

    auto two = s.get_next({oids::sysDescr, oids::sysName});
    ASSERT_EQ(two.size(), 2u);
    EXPECT_EQ(two[0].oid_text(), oids::sysObjectID);
    EXPECT_EQ(two[1].oid_text(), oids::sysLocation);
    EXPECT_EQ(two[1].as_string(), env("SNMPX_TEST_SYS_LOCATION"));
}

TEST_P(GetTest, MissingObjectsAreMarkersOnV2cAndNoSuchNameOnV1) {
    const char *instance = "1.3.6.1.2.1.1.5.1";  // sysName has only instance .0
    const char *object = "1.3.6.1.99.1.0";       // nothing registered there
    if (!v1()) {
        auto rows = s.get({oids::sysName, instance, object});
        ASSERT_EQ(rows.size(), 3u);
        EXPECT_FALSE(rows[0].is_exception());
        EXPECT_EQ(rows[1].type(), ValueType::NoSuchInstance);
        EXPECT_TRUE(rows[1].is_exception());
        EXPECT_EQ(rows[1].oid_text(), instance);
        EXPECT_EQ(rows[2].type(), ValueType::NoSuchObject);
        EXPECT_EQ(rows[2].format(snmpx::FormatOptions("n")),
                  ".1.3.6.1.99.1.0 = No Such Object available on this agent at this OID");
        EXPECT_FALSE(rows[1].to_int64().has_value());
        EXPECT_FALSE(rows[1].octets().has_value());
    } else {
        // SNMPv1 reports a missing object as noSuchName with its index (RFC 1157 §4.1.2;
        // Net-SNMP names the last one).
        const std::vector<std::string> asked = {oids::sysName, instance, object};
        try {
            s.get({asked[0], asked[1], asked[2]});
            FAIL() << "expected AgentError";
        } catch (const snmpx::AgentError &e) {
            EXPECT_EQ(e.code(), snmpx::Errc::Agent);
            EXPECT_EQ(e.status(), snmpx::ErrorStatus::NoSuchName);
            ASSERT_TRUE(e.index() == 2u || e.index() == 3u) << e.index();
            ASSERT_TRUE(e.failed_oid().has_value());
            EXPECT_EQ(e.failed_oid()->to_string(), asked[e.index() - 1]);
        }
    }
}

TEST_P(GetTest, EndOfMibView) {
    // Nothing follows 2.x in the agent's view (the view ends under 1.x).
    if (!v1()) {
        auto rows = s.get_next({"2.999"});
        ASSERT_EQ(rows.size(), 1u);
        EXPECT_EQ(rows[0].type(), ValueType::EndOfMibView);
        EXPECT_TRUE(rows[0].is_exception());
    } else {
        auto r = s.try_get_next({"2.999"});
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, snmpx::Errc::Agent);
        EXPECT_EQ(r.error().status, snmpx::ErrorStatus::NoSuchName);
    }
}

TEST_P(GetTest, BulkOfFiveOidsTimesTenGivesFifty) {
    std::vector<snmpx::OidArg> five = {oids::sysDescr, oids::sysObjectID, oids::sysUpTime,
                                       oids::sysContact, oids::sysName};
    if (v1()) {
        EXPECT_THROW(s.get_bulk(0, 10, five), snmpx::UsageError);
        auto r = s.try_get_bulk(0, 10, five);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, snmpx::Errc::Usage);
        return;
    }
    auto rows = s.get_bulk(0, 10, five);
    ASSERT_EQ(rows.size(), 50u) << dump(rows);
    // RFC 3416 §4.2.3: repetition r of request OID j is binding r*5 + j, each one after the last.
    for (std::size_t j = 0; j < 5; ++j) {
        Oid prev = *Oid::parse(*five[j].text());
        for (std::size_t r = 0; r < 10; ++r) {
            const auto &vb = rows[r * 5 + j];
            EXPECT_GT(vb.oid(), prev) << "repetition " << r << " of " << j;
            prev = vb.oid();
        }
    }
    EXPECT_EQ(rows[0].oid_text(), oids::sysObjectID);
    EXPECT_EQ(rows[4].oid_text(), oids::sysLocation);
}

TEST_P(GetTest, BulkWithNonRepeaters) {
    if (v1()) {
        GTEST_SKIP() << "GetBulk does not exist in SNMPv1 (checked in BulkOfFiveOidsTimesTenGivesFifty)";
    }
    auto rows = s.get_bulk(1, 3, {oids::sysDescr, oids::system});
    ASSERT_EQ(rows.size(), 4u) << dump(rows);
    EXPECT_EQ(rows[0].oid_text(), oids::sysObjectID);  // the non-repeater, once
    EXPECT_EQ(rows[1].oid_text(), oids::sysDescr);     // then three repetitions of system
    EXPECT_EQ(rows[2].oid_text(), oids::sysObjectID);
    EXPECT_EQ(rows[3].oid_text(), oids::sysUpTime);
}

TEST_P(GetTest, NonThrowingFormsGiveTheSameRows) {
    auto a = s.try_get({oids::sysName, oids::sysDescr});
    ASSERT_TRUE(a.ok()) << a.error().message;
    EXPECT_EQ(a->at(0).as_string(), env("SNMPX_TEST_SYS_NAME"));
    auto b = s.try_get_next({oids::sysName});
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(b->at(0).oid_text(), oids::sysLocation);
    auto c = s.try_execute(snmpx::Request::get({oids::sysLocation}));
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c.value().at(0).as_string(), env("SNMPX_TEST_SYS_LOCATION"));
}

TEST_P(GetTest, LongOidListsAreSplitByMaxVarbinds) {
    auto split = snmpx::Session::open(community_config(GetParam()).max_varbinds(2));
    std::vector<snmpx::OidArg> many;
    for (int i = 0; i < 7; ++i) {
        many.emplace_back(i % 2 == 0 ? oids::sysName : oids::sysDescr);
    }
    auto rows = split.get(many);
    ASSERT_EQ(rows.size(), 7u);
    for (int i = 0; i < 7; ++i) {
        EXPECT_EQ(rows[i].oid_text(), i % 2 == 0 ? oids::sysName : oids::sysDescr);
    }
}

TEST_P(GetTest, PeerIsTheResolvedAgentAddress) { EXPECT_EQ(s.peer(), agent()); }

INSTANTIATE_TEST_SUITE_P(Versions, GetTest, ::testing::Values(Version::V1, Version::V2c),
                         version_name);
