// Formatting options, checked line by line against Net-SNMP's snmpwalk on the same agent
// (-On plus -Ov, -Ox, -Oa, -Ot, -OQ combinations), and per-call options.
#include "support.hpp"

#include <cstdio>
#include <sys/wait.h>

#include <sstream>

using snmpx::FormatOptions;
using snmpx::OidFormat;
using snmpx::StringFormat;
using snmpx::VarBind;
using snmpx::Version;
using namespace snmpx_test;

namespace {
/// Subtrees whose values do not change between two walks: sysDescr..sysObjectID, sysName
/// and sysLocation, the sysORTable (OIDs, strings and constant TimeTicks), interface
/// descriptions, types and physical addresses (hex strings), and IP addresses.
const std::vector<std::string> kRoots = {"1.3.6.1.2.1.1.1", "1.3.6.1.2.1.1.2",
                                         "1.3.6.1.2.1.1.5", "1.3.6.1.2.1.1.6",
                                         "1.3.6.1.2.1.1.9", "1.3.6.1.2.1.2.2.1.2",
                                         "1.3.6.1.2.1.2.2.1.3", "1.3.6.1.2.1.2.2.1.6",
                                         "1.3.6.1.2.1.4.20.1.1"};

/// snmpwalk's output with `flags` for every root, one entry per binding (a value may span
/// lines: continuation lines are joined back with '\n').
std::vector<std::string> snmpwalk(const std::string &flags) {
    std::vector<std::string> lines;
    for (const auto &root : kRoots) {
        std::string cmd = "env MIBS= SNMPCONFPATH=/nonexistent snmpwalk -v2c -c stable -On " +
                          flags + " " + agent() + " " + root + " 2>&1";
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
        std::size_t start = 0;
        while (start < out.size()) {
            std::size_t end = out.find('\n', start);
            if (end == std::string::npos) end = out.size();
            std::string line = out.substr(start, end - start);
            bool continuation = flags.find('v') == std::string::npos ? line.rfind(".1.", 0) != 0
                                                                     : false;
            if (continuation && !lines.empty()) {
                lines.back() += "\n" + line;
            } else {
                lines.push_back(line);
            }
            start = end + 1;
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

/// Equal line by line; on a difference, shows the first differing pair (not the whole walk).
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

FormatOptions with(void (*set)(FormatOptions &)) {
    FormatOptions o;
    set(o);
    return o;
}
}  // namespace

class FormatTest : public ::testing::Test {
protected:
    snmpx::Session s = snmpx::Session::open(community_config(Version::V2c, "stable"));
};

TEST_F(FormatTest, DefaultIsSnmpwalkOn) { EXPECT_TRUE(same(ours(s, {}), snmpwalk(""))); }

TEST_F(FormatTest, ValueOnlyIsOv) {
    EXPECT_TRUE(same(ours(s, with([](FormatOptions &o) { o.value_only = true; })), snmpwalk("-Ov")));
}

TEST_F(FormatTest, HexStringsAreOx) {
    EXPECT_TRUE(same(ours(s, with([](FormatOptions &o) { o.strings = StringFormat::Hex; })), snmpwalk("-Ox")));
}

TEST_F(FormatTest, AsciiStringsAreOa) {
    EXPECT_TRUE(same(ours(s, with([](FormatOptions &o) { o.strings = StringFormat::Ascii; })), snmpwalk("-Oa")));
}

TEST_F(FormatTest, NumericTimeticksAreOt) {
    EXPECT_TRUE(same(ours(s, with([](FormatOptions &o) { o.numeric_timeticks = true; })), snmpwalk("-Ot")));
}

TEST_F(FormatTest, NoTypeLabelIsOQ) {
    EXPECT_TRUE(same(ours(s, with([](FormatOptions &o) { o.show_type = false; })), snmpwalk("-OQ")));
    EXPECT_TRUE(same(ours(s, with([](FormatOptions &o) {
                  o.show_type = false;
                  o.numeric_timeticks = true;
              })), snmpwalk("-OQ -Ot")));
    EXPECT_TRUE(same(ours(s, with([](FormatOptions &o) {
                  o.show_type = false;
                  o.strings = StringFormat::Hex;
              })), snmpwalk("-OQ -Ox")));
}

TEST_F(FormatTest, ValueOnlyWithoutTypes) {
    EXPECT_TRUE(same(ours(s, with([](FormatOptions &o) {
                  o.value_only = true;
                  o.show_type = false;
              })), snmpwalk("-Ov -OQ")));
}

TEST_F(FormatTest, OidWithoutLeadingDot) {
    auto rows = s.get({oids::sysName});
    FormatOptions o;
    o.oid = OidFormat::NumericNoDot;
    EXPECT_EQ(rows[0].format(o), "1.3.6.1.2.1.1.5.0 = STRING: \"" + env("SNMPX_TEST_SYS_NAME") + "\"");
}

TEST_F(FormatTest, OptionsArePerCall) {
    auto rows = s.get({oids::sysName});
    FormatOptions hex;
    hex.strings = StringFormat::Hex;
    const std::string plain = ".1.3.6.1.2.1.1.5.0 = STRING: \"snmpx-test\"";
    ASSERT_EQ(env("SNMPX_TEST_SYS_NAME"), "snmpx-test");
    EXPECT_EQ(rows[0].format(hex), ".1.3.6.1.2.1.1.5.0 = Hex-STRING: 73 6E 6D 70 78 2D 74 65 73 74 ");
    EXPECT_EQ(rows[0].format(), plain);  // nothing persists from the previous call
    std::ostringstream os;
    os << rows[0];
    EXPECT_EQ(os.str(), plain);
    EXPECT_EQ(rows[0].format_value(), "STRING: \"snmpx-test\"");
    EXPECT_NE(hex, FormatOptions());
}

TEST_F(FormatTest, ExceptionsKeepTheirText) {
    auto rows = s.get({"1.3.6.1.2.1.1.5.1"});
    FormatOptions quiet;
    quiet.show_type = false;
    EXPECT_EQ(rows[0].format(quiet),
              ".1.3.6.1.2.1.1.5.1 = No Such Instance currently exists at this OID");
}
