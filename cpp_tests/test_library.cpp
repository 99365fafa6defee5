// snmpx::Library: RAII init/shutdown references (the global test environment holds one).
#include "support.hpp"

#include <type_traits>

TEST(Library, EachObjectHoldsOneReference) {
    auto base = snmpx::Library::init_count();
    ASSERT_GE(base, 1u);  // the test environment's
    {
        snmpx::Library a;
        EXPECT_EQ(snmpx::Library::init_count(), base + 1);
        {
            snmpx::Library b;
            EXPECT_EQ(snmpx::Library::init_count(), base + 2);
        }
        EXPECT_EQ(snmpx::Library::init_count(), base + 1);
    }
    EXPECT_EQ(snmpx::Library::init_count(), base);
}

TEST(Library, MovingTransfersTheReference) {
    auto base = snmpx::Library::init_count();
    snmpx::Library a;
    snmpx::Library b(std::move(a));
    EXPECT_FALSE(a.owns_reference());  // NOLINT(bugprone-use-after-move): checked on purpose
    EXPECT_TRUE(b.owns_reference());
    EXPECT_EQ(snmpx::Library::init_count(), base + 1);
    snmpx::Library c;
    EXPECT_EQ(snmpx::Library::init_count(), base + 2);
    c = std::move(b);  // c's own reference is dropped
    EXPECT_EQ(snmpx::Library::init_count(), base + 1);
    EXPECT_TRUE(c.owns_reference());
}

TEST(Library, CreateIsTheNonThrowingForm) {
    auto base = snmpx::Library::init_count();
    {
        auto lib = snmpx::Library::create();
        ASSERT_TRUE(lib.ok());
        EXPECT_TRUE(lib->owns_reference());
        EXPECT_EQ(snmpx::Library::init_count(), base + 1);
    }
    EXPECT_EQ(snmpx::Library::init_count(), base);
}

TEST(Library, IsMoveOnly) {
    static_assert(!std::is_copy_constructible_v<snmpx::Library>);
    static_assert(!std::is_copy_assignable_v<snmpx::Library>);
    static_assert(std::is_nothrow_move_constructible_v<snmpx::Library>);
    static_assert(!std::is_copy_constructible_v<snmpx::Session>);
    static_assert(std::is_nothrow_move_constructible_v<snmpx::Session>);
    static_assert(std::is_copy_constructible_v<snmpx::VarBind>);
    SUCCEED();
}

TEST(Library, ReportsItsVersion) {
    EXPECT_EQ(snmpx::Library::version(), SNMPX_VERSION_STRING);
}

TEST(Library, HandlesAreFreedByTheWrappers) {
    auto before = snmpx::Library::live_handles();
    {
        auto s = snmpx::Session::open(snmpx_test::community_config(snmpx::Version::V2c));
        auto rows = s.get({snmpx_test::oids::sysName});
        auto copy = rows;  // copies share the response
        rows.clear();
        EXPECT_GT(snmpx::Library::live_handles(), before);
        EXPECT_EQ(copy.at(0).as_string(), snmpx_test::env("SNMPX_TEST_SYS_NAME"));
        for (const auto &row : s.walk_rows({snmpx_test::oids::system})) {
            (void)row;
        }
    }
    EXPECT_EQ(snmpx::Library::live_handles(), before);
}
