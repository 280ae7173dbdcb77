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
