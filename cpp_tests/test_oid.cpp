// snmpx::Oid: parsing, text, ordering, subtree tests (no agent needed).
#include "support.hpp"

using snmpx::Oid;

TEST(Oid, ParsesNumericTextWithAndWithoutLeadingDot) {
    auto a = Oid::parse("1.3.6.1.2.1.1.5.0");
    auto b = Oid::parse(".1.3.6.1.2.1.1.5.0");
    ASSERT_TRUE(a.has_value());
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(*a, *b);
    EXPECT_EQ(*a, (Oid{1, 3, 6, 1, 2, 1, 1, 5, 0}));
    EXPECT_EQ(a->size(), 9u);
    EXPECT_EQ((*a)[6], 1u);
}

TEST(Oid, ParsesTheLargestArc) {
    auto a = Oid::parse("1.3.4294967295");
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ((*a)[2], 4294967295u);
}

TEST(Oid, RejectsMalformedText) {
    for (const char *bad : {"", ".", "1..3", "1.3.", "..1", "1.3.x", "sysName.0", "1.3.4294967296",
                            "1.3.-1", " 1.3", "1.3 "}) {
        EXPECT_FALSE(Oid::parse(bad).has_value()) << bad;
    }
}

TEST(Oid, FormatsAsText) {
    Oid o{1, 3, 6, 1};
    EXPECT_EQ(o.to_string(), "1.3.6.1");
    EXPECT_EQ(o.to_string(true), ".1.3.6.1");
    EXPECT_EQ(Oid().to_string(), "");
}

TEST(Oid, OrdersLexicographicallyLikeAWalk) {
    Oid a{1, 3, 6, 1, 2};
    Oid b{1, 3, 6, 1, 2, 1};
    Oid c{1, 3, 6, 1, 10};
    EXPECT_LT(a, b);
    EXPECT_LT(b, c);
    EXPECT_GT(c, a);
    EXPECT_LE(a, a);
    EXPECT_GE(c, c);
    EXPECT_NE(a, b);
}

TEST(Oid, SubtreeMembershipAndChildren) {
    Oid system{1, 3, 6, 1, 2, 1, 1};
    Oid name = system.child(5).child(0);
    EXPECT_EQ(name.to_string(), "1.3.6.1.2.1.1.5.0");
    EXPECT_TRUE(name.starts_with(system));
    EXPECT_TRUE(system.starts_with(system));
    EXPECT_FALSE(system.starts_with(name));
    EXPECT_FALSE((Oid{1, 3, 6, 1, 2, 1, 10}).starts_with(system));
    EXPECT_TRUE(name.starts_with(Oid()));
}

TEST(Oid, ConstructsFromArcArraysAndVectors) {
    const std::uint32_t arcs[] = {1, 3, 6};
    EXPECT_EQ(Oid(arcs, 3), (Oid{1, 3, 6}));
    EXPECT_EQ(Oid(std::vector<std::uint32_t>{1, 3, 6}), (Oid{1, 3, 6}));
    const Oid o{1, 3, 6};
    std::vector<std::uint32_t> seen(o.begin(), o.end());
    EXPECT_EQ(seen, (std::vector<std::uint32_t>{1, 3, 6}));
}
