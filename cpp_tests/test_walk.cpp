// walk, bulk_walk and the streaming range-for walk (ezsnmp-derived: walk and bulk_walk of
// system give the same rows; a multi-root bulk_walk covers every root).
#include "support.hpp"

#include <map>

using snmpx::Oid;
using snmpx::Operation;
using snmpx::VarBind;
using snmpx::Version;
using namespace snmpx_test;

namespace {
const Oid kSystem{1, 3, 6, 1, 2, 1, 1};
const Oid kSysUpTime{1, 3, 6, 1, 2, 1, 1, 3, 0};

/// Rows as comparable text; sysUpTime's value changes between two walks, so only its OID.
std::vector<std::string> comparable(const std::vector<VarBind> &rows) {
    std::vector<std::string> out;
    for (const auto &r : rows) {
        out.push_back(r.oid() == kSysUpTime ? r.oid_text() : r.format());
    }
    return out;
}

void expect_walk_shape(const std::vector<VarBind> &rows, const Oid &root) {
    ASSERT_FALSE(rows.empty());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_TRUE(rows[i].oid().starts_with(root)) << rows[i].format();
        EXPECT_FALSE(rows[i].is_exception()) << rows[i].format();
        if (i > 0) {
            EXPECT_LT(rows[i - 1].oid(), rows[i].oid()) << "rows not increasing at " << i;
        }
    }
}

std::string version_name(const ::testing::TestParamInfo<Version> &p) {
    return p.param == Version::V1 ? "v1" : "v2c";
}
}  // namespace

class WalkTest : public ::testing::TestWithParam<Version> {
protected:
    snmpx::Session s = snmpx::Session::open(community_config(GetParam(), "stable"));
    bool v1() const { return GetParam() == Version::V1; }
};

TEST_P(WalkTest, WalkOfSystem) {
    auto rows = s.walk({oids::system});
    expect_walk_shape(rows, kSystem);
    EXPECT_EQ(rows.front().oid_text(), oids::sysDescr);
    bool saw_name = false;
    for (const auto &r : rows) {
        if (r.oid_text() == oids::sysName) {
            saw_name = true;
            EXPECT_EQ(r.as_string(), env("SNMPX_TEST_SYS_NAME"));
        }
    }
    EXPECT_TRUE(saw_name) << dump(rows);
}

TEST_P(WalkTest, WalkAndBulkWalkGiveTheSameRows) {
    auto walked = s.walk({oids::system});
    if (v1()) {
        EXPECT_THROW(s.bulk_walk({oids::system}), snmpx::UsageError);
        return;
    }
    auto bulk = s.bulk_walk({oids::system});
    expect_walk_shape(bulk, kSystem);
    EXPECT_EQ(comparable(walked), comparable(bulk));
}

TEST_P(WalkTest, MultiRootWalkCoversEveryRoot) {
    const std::vector<Oid> roots = {kSystem, Oid{1, 3, 6, 1, 2, 1, 2, 2, 1, 2},
                                    Oid{1, 3, 6, 1, 6, 3, 10, 2, 1}};
    std::vector<snmpx::OidArg> args(roots.begin(), roots.end());
    auto rows = v1() ? s.walk(args) : s.bulk_walk(args);
    std::map<std::size_t, std::vector<VarBind>> by_root;
    for (const auto &r : rows) {
        std::size_t hits = 0;
        for (std::size_t i = 0; i < roots.size(); ++i) {
            if (r.oid().starts_with(roots[i])) {
                by_root[i].push_back(r);
                ++hits;
            }
        }
        EXPECT_EQ(hits, 1u) << r.format();
    }
    ASSERT_EQ(by_root.size(), roots.size()) << dump(rows);
    for (std::size_t i = 0; i < roots.size(); ++i) {
        auto single = s.walk({roots[i]});
        EXPECT_EQ(comparable(by_root[i]), comparable(single)) << roots[i].to_string();
    }
}

TEST_P(WalkTest, RangeForWalkStreamsTheSameRows) {
    auto all = s.walk({oids::system});
    std::vector<VarBind> streamed;
    for (const VarBind &row : s.walk_rows({oids::system})) {
        streamed.push_back(row);
    }
    EXPECT_EQ(comparable(all), comparable(streamed));
    if (!v1()) {
        std::vector<VarBind> bulk;
        for (const auto &row : s.walk_rows({oids::system}, Operation::BulkWalk)) {
            bulk.push_back(row);
        }
        EXPECT_EQ(comparable(all), comparable(bulk));
    }
}

TEST_P(WalkTest, RowsOutliveTheWalkAndTheSession) {
    std::vector<VarBind> kept;
    {
        auto own = snmpx::Session::open(community_config(GetParam(), "stable"));
        auto walk = own.walk_rows({oids::system});
        for (const auto &row : walk) {
            kept.push_back(row);
        }
        EXPECT_TRUE(walk.done());
        EXPECT_FALSE(walk.error().has_value());
    }
    ASSERT_FALSE(kept.empty());
    EXPECT_EQ(kept.front().as_string(), env("SNMPX_TEST_SYS_DESCR"));
}

TEST_P(WalkTest, NextGivesRowsUntilTheEnd) {
    auto walk = s.try_walk_rows({oids::system});
    std::size_t n = 0;
    while (auto row = walk.next()) {
        EXPECT_TRUE(row->oid().starts_with(kSystem));
        ++n;
    }
    EXPECT_EQ(n, s.walk({oids::system}).size());
    EXPECT_FALSE(walk.next().has_value());  // stays ended
    EXPECT_FALSE(walk.error().has_value());
}

TEST_P(WalkTest, AFailedWalkThrowsFromTheLoopAfterItsRows) {
    // At most 3 requests: the system walk needs more, so the walk ends with Errc::Limit.
    auto limited = snmpx::Session::open(community_config(GetParam(), "stable")
                                            .walk_max_requests(3)
                                            .max_repetitions(2));
    std::size_t seen = 0;
    try {
        for (const auto &row : limited.walk_rows({oids::system})) {
            (void)row;
            ++seen;
        }
        FAIL() << "expected LimitError";
    } catch (const snmpx::LimitError &e) {
        EXPECT_EQ(e.code(), snmpx::Errc::Limit);
    }
    EXPECT_EQ(seen, 3u);  // one row per GetNext request

    auto quiet = limited.try_walk_rows({oids::system});
    std::size_t rows = 0;
    for (const auto &row : quiet) {
        (void)row;
        ++rows;
    }
    EXPECT_EQ(rows, 3u);
    ASSERT_TRUE(quiet.error().has_value());
    EXPECT_EQ(quiet.error()->code, snmpx::Errc::Limit);
    EXPECT_THROW(limited.walk({oids::system}), snmpx::LimitError);
}

TEST_P(WalkTest, WalkOfAnEmptySubtreeHasNoRows) {
    auto rows = s.walk({"1.3.6.1.2.1.1.9.1.2.999999"});
    EXPECT_TRUE(rows.empty()) << dump(rows);
    std::size_t n = 0;
    for (const auto &row : s.walk_rows({"1.3.6.1.2.1.1.9.1.2.999999"})) {
        (void)row;
        ++n;
    }
    EXPECT_EQ(n, 0u);
}

TEST_P(WalkTest, BadRootFailsAtStart) {
    EXPECT_THROW(s.walk_rows({"1..3"}), snmpx::ParseError);
    auto w = s.try_walk_rows({"1..3"});
    EXPECT_TRUE(w.done());
    ASSERT_TRUE(w.error().has_value());
    EXPECT_EQ(w.error()->code, snmpx::Errc::Parse);
    EXPECT_EQ(w.begin(), w.end());
    EXPECT_THROW(s.walk_rows({oids::system}, Operation::Get), snmpx::UsageError);
}

INSTANTIATE_TEST_SUITE_P(Versions, WalkTest, ::testing::Values(Version::V1, Version::V2c),
                         version_name);
