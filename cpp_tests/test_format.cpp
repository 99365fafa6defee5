// Formatting: Net-SNMP -O letters passed per call to the library's renderer. MIB-independent
// rows are checked line by line against Net-SNMP's snmpwalk on the same agent; MIB-aware
// output (names, DISPLAY-HINTs, enums) against the renderings Net-SNMP gives with the MIBs
// loaded; OID names both ways.
#include "support.hpp"

#include <cstdio>
#include <sys/wait.h>

#include <sstream>

using snmpx::FormatOptions;
using snmpx::Oid;
using snmpx::VarBind;
using snmpx::Version;
using namespace snmpx_test;

namespace {
/// Subtrees whose rendering does not depend on MIB files (no DISPLAY-HINT, enum or name
/// once OIDs are numeric) and whose values do not change: sysObjectID, sysORID (OIDs),
/// sysORUpTime (constant TimeTicks), ipAdEntAddr (IpAddress).
const std::vector<std::string> kRoots = {"1.3.6.1.2.1.1.2", "1.3.6.1.2.1.1.9.1.2",
                                         "1.3.6.1.2.1.1.9.1.4", "1.3.6.1.2.1.4.20.1.1"};

/// snmpwalk's output (no MIBs loaded) with `-O` + `letters` for every root, one line each.
std::vector<std::string> snmpwalk(const std::string &letters) {
    std::vector<std::string> lines;
    for (const auto &root : kRoots) {
        std::string cmd = "env MIBS= SNMPCONFPATH=/nonexistent snmpwalk -v2c -c stable -O" +
                          letters + " " + agent() + " " + root + " 2>&1";
        FILE *p = ::popen(cmd.c_str(), "r");
        if (p == nullptr) {
            ADD_FAILURE() << "cannot run snmpwalk";
            return lines;
        }
        std::string out;
        char buf[4096];
        std::size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) {
            out.append(buf, n);
        }
        int status = ::pclose(p);
        EXPECT_EQ(WEXITSTATUS(status), 0) << cmd << "\n" << out;
        std::istringstream in(out);
        std::string line;
        while (std::getline(in, line)) {
            lines.push_back(line);
        }
    }
    return lines;
}

std::vector<std::string> ours(const snmpx::Session &s, const FormatOptions &opts) {
    std::vector<std::string> out;
    for (const auto &root : kRoots) {
        for (const auto &row : s.walk({root})) {
            out.push_back(row.format(opts));
        }
    }
    return out;
}

/// Equal line by line; on a difference, shows the first differing pair.
::testing::AssertionResult same(const std::vector<std::string> &a,
                                const std::vector<std::string> &b) {
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
        if (a[i] != b[i]) {
            return ::testing::AssertionFailure() << "line " << i << ":\n  ours:     " << a[i]
                                                 << "\n  snmpwalk: " << b[i];
        }
    }
    if (a.size() != b.size()) {
        return ::testing::AssertionFailure() << a.size() << " lines vs " << b.size();
    }
    return ::testing::AssertionSuccess();
}
}  // namespace

class FormatTest : public ::testing::Test {
protected:
    snmpx::Session s = snmpx::Session::open(community_config(Version::V2c, "stable"));
};

TEST_F(FormatTest, LettersMatchSnmpwalk) {
    for (const char *letters : {"n", "nv", "nq", "nQ", "nt", "nqt", "nQt", "nvt", "nx", "na",
                                "ne", "nU", "nT", "nqv", "nqq"}) {
        EXPECT_TRUE(same(ours(s, FormatOptions(letters)), snmpwalk(letters))) << "-O" << letters;
    }
}

TEST_F(FormatTest, BuildersAddLetters) {
    EXPECT_EQ(FormatOptions().numeric_oids().quick().letters(), "nq");
    EXPECT_EQ(FormatOptions().suffix_oids().value_only().numeric_timeticks().letters(), "svt");
    EXPECT_EQ(FormatOptions("n").hex_strings().numeric_enums().no_units().letters(), "nxeU");
    EXPECT_EQ(FormatOptions().full_oids().quick_equals().ascii_strings().letters(), "fQa");
    EXPECT_TRUE(FormatOptions("v").is_value_only());
    EXPECT_FALSE(FormatOptions("vv").is_value_only());  // Net-SNMP toggles
    EXPECT_EQ(FormatOptions("nq"), FormatOptions().numeric_oids().quick());
    EXPECT_NE(FormatOptions("n"), FormatOptions());
}

TEST_F(FormatTest, MibAwareRendering) {
    // What Net-SNMP 5.9 prints with the standard MIBs loaded (names, DisplayString's "255a"
    // hint, IANAifType enums, PhysAddress's "1x:" hint).
    auto rows = s.get({oids::sysName, oids::sysObjectID, "1.3.6.1.2.1.2.2.1.3.1"});
    EXPECT_EQ(rows[0].format(), "SNMPv2-MIB::sysName.0 = STRING: snmpx-test");
    EXPECT_EQ(rows[0].format(FormatOptions("n")), ".1.3.6.1.2.1.1.5.0 = STRING: snmpx-test");
    EXPECT_EQ(rows[0].format(FormatOptions("s")), "sysName.0 = STRING: snmpx-test");
    EXPECT_EQ(rows[0].format(FormatOptions("sQ")), "sysName.0 = snmpx-test");
    EXPECT_EQ(rows[0].format_value(), "STRING: snmpx-test");
    EXPECT_EQ(rows[0].format_value(FormatOptions("q")), "snmpx-test");
    EXPECT_EQ(rows[0].format_value(FormatOptions("v")), "STRING: snmpx-test");  // v not toggled off
    EXPECT_EQ(rows[1].format(FormatOptions("s")), "sysObjectID.0 = OID: netSnmpAgentOIDs.10");
    EXPECT_EQ(rows[2].format(), "IF-MIB::ifType.1 = INTEGER: softwareLoopback(24)");
    EXPECT_EQ(rows[2].format(FormatOptions("e")), "IF-MIB::ifType.1 = INTEGER: 24");
    EXPECT_EQ(rows[2].oid_name(), "IF-MIB::ifType.1");
    EXPECT_EQ(rows[2].oid_name(FormatOptions("n")), ".1.3.6.1.2.1.2.2.1.3.1");
    std::ostringstream os;
    os << rows[0];
    EXPECT_EQ(os.str(), "SNMPv2-MIB::sysName.0 = STRING: snmpx-test");
}

TEST_F(FormatTest, OptionsArePerCall) {
    auto rows = s.get({oids::sysName});
    EXPECT_EQ(rows[0].format(FormatOptions("nQ")), ".1.3.6.1.2.1.1.5.0 = snmpx-test");
    EXPECT_EQ(rows[0].format(), "SNMPv2-MIB::sysName.0 = STRING: snmpx-test");  // nothing stuck
}

TEST_F(FormatTest, UnknownLettersAreUsageErrors) {
    auto rows = s.get({oids::sysName});
    auto r = rows[0].try_format(FormatOptions("nZ"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), snmpx::Errc::Usage);
    EXPECT_THROW(rows[0].format(FormatOptions("!")), snmpx::UsageError);
    EXPECT_EQ(snmpx::try_format_oid(Oid{1, 3}, FormatOptions("Z")).code(), snmpx::Errc::Usage);
}

TEST_F(FormatTest, ExceptionsKeepTheirText) {
    auto rows = s.get({"1.3.6.1.2.1.1.5.1"});
    EXPECT_EQ(rows[0].format(FormatOptions("nQ")),
              ".1.3.6.1.2.1.1.5.1 = No Such Instance currently exists at this OID");
}

TEST_F(FormatTest, NamesResolveBothWays) {
    EXPECT_EQ(snmpx::resolve("sysName.0"), (Oid{1, 3, 6, 1, 2, 1, 1, 5, 0}));
    EXPECT_EQ(snmpx::resolve("IF-MIB::ifDescr.3"), (Oid{1, 3, 6, 1, 2, 1, 2, 2, 1, 2, 3}));
    EXPECT_EQ(snmpx::resolve(".1.3.6.1"), (Oid{1, 3, 6, 1}));
    EXPECT_EQ(snmpx::format_oid(Oid{1, 3, 6, 1, 2, 1, 2, 2, 1, 2, 3}), "IF-MIB::ifDescr.3");
    EXPECT_EQ(snmpx::format_oid(Oid{1, 3, 6, 1, 2, 1, 1, 5, 0}, FormatOptions("s")), "sysName.0");
    auto unknown = snmpx::try_resolve("noSuchThingAnywhere.0");
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.code(), snmpx::Errc::MibUnknownObject);
    EXPECT_THROW(snmpx::resolve("noSuchThingAnywhere.0"), snmpx::UnknownObjectError);
    EXPECT_EQ(snmpx::try_resolve("1..3").code(), snmpx::Errc::Parse);
}
