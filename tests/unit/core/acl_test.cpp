#include "ahttp/acl.hpp"

#include <gtest/gtest.h>

using namespace ahttp;

TEST(acl, parse_forms) {
    auto r = parse_acl_rule(false, "0.0.0.0/0");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->describe(), "0.0.0.0/0.0.0.0");
    EXPECT_EQ(parse_acl_rule(true, "10.0.0.0/255.0.0.0")->describe(), "10.0.0.0/255.0.0.0");
    EXPECT_EQ(parse_acl_rule(true, "10.1.2.3")->describe(), "10.1.2.3/255.255.255.255");
    EXPECT_EQ(parse_acl_rule(true, "192.168.0.0/20")->describe(), "192.168.0.0/255.255.240.0");
    EXPECT_TRUE(parse_acl_rule(true, "::1/128"));
    EXPECT_FALSE(parse_acl_rule(true, "bogus"));
    EXPECT_FALSE(parse_acl_rule(true, "1.2.3.4/33"));
    EXPECT_FALSE(parse_acl_rule(true, "1.2.3.4/x"));
}

TEST(acl, last_matching_rule_wins_default_allow) {
    acl_list l;
    l.rules.push_back(*parse_acl_rule(false, "0.0.0.0/0"));
    l.rules.push_back(*parse_acl_rule(true, "127.0.0.0/8"));
    EXPECT_TRUE(acl_allows({l}, "127.0.0.1"));
    EXPECT_FALSE(acl_allows({l}, "8.8.8.8"));
    EXPECT_TRUE(acl_allows({}, "8.8.8.8"));
    EXPECT_TRUE(acl_allows({l}, "::ffff:127.0.0.1")); // a mapped peer is judged as IPv4
    EXPECT_FALSE(acl_allows({l}, "not-an-address"));
}

TEST(acl, any_list_denying_denies) {
    acl_list allow_all;
    acl_list deny_all;
    deny_all.rules.push_back(*parse_acl_rule(false, "0.0.0.0/0"));
    EXPECT_FALSE(acl_allows({allow_all, deny_all}, "127.0.0.1"));
}

TEST(acl, entries_comma_list_with_inversion) {
    auto rules = parse_acl_entries(true, "10.0.0.0/8, !10.1.0.0/255.255.0.0,192.168.1.1");
    ASSERT_TRUE(rules);
    ASSERT_EQ(rules->size(), 3u);
    EXPECT_TRUE((*rules)[0].allow);
    EXPECT_FALSE((*rules)[1].allow);
    EXPECT_EQ((*rules)[1].describe(), "10.1.0.0/255.255.0.0");
    EXPECT_EQ((*rules)[2].describe(), "192.168.1.1/255.255.255.255");

    auto inverted_deny = parse_acl_entries(false, "! 127.0.0.1");
    ASSERT_TRUE(inverted_deny);
    EXPECT_TRUE((*inverted_deny)[0].allow);

    auto v6 = parse_acl_entries(false, "::1,fe80::/10");
    ASSERT_TRUE(v6);
    EXPECT_EQ((*v6)[1].family, AF_INET6);
}

TEST(acl, entries_empty_skipped_invalid_rejected) {
    auto rules = parse_acl_entries(true, "1.2.3.4,,5.6.7.8,");
    ASSERT_TRUE(rules);
    EXPECT_EQ(rules->size(), 2u);
    EXPECT_FALSE(parse_acl_entries(true, ""));
    EXPECT_FALSE(parse_acl_entries(true, " , "));
    EXPECT_FALSE(parse_acl_entries(true, "!"));
    EXPECT_FALSE(parse_acl_entries(true, "1.2.3.4,bogus"));
    EXPECT_FALSE(parse_acl_entries(true, "1.2.3.4/33"));
}

TEST(acl, deny_all_rules) {
    acl_list l;
    l.rules.push_back(deny_all_rule(AF_INET));
    l.rules.push_back(deny_all_rule(AF_INET6));
    EXPECT_FALSE(acl_allows({l}, "127.0.0.1"));
    EXPECT_FALSE(acl_allows({l}, "::1"));
    EXPECT_FALSE(acl_allows({l}, "::ffff:10.0.0.1"));
    EXPECT_EQ(deny_all_rule(AF_INET).describe(), "0.0.0.0/0.0.0.0");
}

TEST(acl, families_do_not_cross) {
    acl_list v4_only;
    v4_only.rules.push_back(*parse_acl_rule(false, "0.0.0.0/0"));
    EXPECT_TRUE(acl_allows({v4_only}, "::1"));               // IPv4 rules never match native IPv6
    EXPECT_FALSE(acl_allows({v4_only}, "::ffff:192.0.2.1")); // but do match IPv4-mapped peers
    acl_list v6_only;
    v6_only.rules.push_back(*parse_acl_rule(false, "::/0"));
    EXPECT_TRUE(acl_allows({v6_only}, "192.0.2.1"));
    EXPECT_TRUE(acl_allows({v6_only}, "::ffff:192.0.2.1")); // a mapped peer is judged as IPv4 only
    EXPECT_FALSE(acl_allows({v6_only}, "2001:db8::1"));
}
