// Permission classes of spec 02 §4.3 and the CLI list of spec 00 §5.4.
#include "manager/permissions.hpp"

#include <gtest/gtest.h>

namespace ahttp::manager {
namespace {

TEST(ManagerPermissions, TableBitsAndOrder) {
    auto classes = permission_classes();
    ASSERT_EQ(classes.size(), 20u);
    EXPECT_EQ(classes.front().name, "system");
    EXPECT_EQ(classes.front().bits, 1u);
    EXPECT_EQ(classes[13].name, "agi");
    EXPECT_EQ(classes[13].bits, 1u << 13);
    EXPECT_EQ(classes[14].name, "cc"); // bit 14 is the unnamed hook-response class
    EXPECT_EQ(classes[14].bits, 1u << 15);
    EXPECT_EQ(classes[18].name, "message");
    EXPECT_EQ(classes[18].bits, 1u << 30);
    EXPECT_EQ(classes.back().name, "all");
    EXPECT_EQ(classes.back().bits, 0x7fffffffu);
}

TEST(ManagerPermissions, ParseExactCaseInsensitive) {
    EXPECT_EQ(parse_permissions("system,call"), perm_system | perm_call);
    EXPECT_EQ(parse_permissions("SYSTEM,Reporting"), perm_system | perm_reporting);
    EXPECT_EQ(parse_permissions("system, config , user"), perm_system | perm_config | perm_user);
    EXPECT_EQ(parse_permissions("all"), perm_all);
    EXPECT_EQ(parse_permissions("ALL"), perm_all);
    EXPECT_EQ(parse_permissions("none"), 0u);
    EXPECT_EQ(parse_permissions(""), 0u);
    EXPECT_EQ(parse_permissions("security,message"), perm_security | perm_message);
}

TEST(ManagerPermissions, ParseFixNoPrefixNoEmptyTokenGrant) {
    // Asterisk: `sys` means system, `a` means agent|agi|aoc|all, an empty token means everything.
    std::vector<std::string> unknown;
    EXPECT_EQ(parse_permissions("sys", &unknown), 0u);
    EXPECT_EQ(parse_permissions("a", &unknown), 0u);
    EXPECT_EQ(parse_permissions(",system", &unknown), perm_system);
    EXPECT_EQ(parse_permissions("system,,call", &unknown), perm_system | perm_call);
    EXPECT_EQ(parse_permissions("systems", &unknown), 0u);
    EXPECT_EQ(unknown, (std::vector<std::string>{"sys", "a", "systems"}));
}

TEST(ManagerPermissions, PrivilegeStringsOfTheSpec) {
    EXPECT_EQ(privilege_string(perm_user), "user,all");
    EXPECT_EQ(privilege_string(perm_system | perm_reporting), "system,reporting,all");
    EXPECT_EQ(privilege_string(0), "<none>");
    EXPECT_EQ(privilege_string(perm_security), "security,all");
    EXPECT_EQ(privilege_string(perm_system | perm_config), "system,config,all");
    EXPECT_EQ(privilege_string(perm_hook_response), "all"); // unnamed bit: only `all` shares it
    EXPECT_EQ(privilege_string(perm_all), "system,call,log,verbose,command,agent,user,config,dtmf,reporting,cdr,"
                                          "dialplan,originate,agi,cc,aoc,test,security,message,all");
}

TEST(ManagerPermissions, CliListNeedsAllBits) {
    EXPECT_EQ(permission_list(0), "<none>");
    EXPECT_EQ(permission_list(perm_user), "user");
    EXPECT_EQ(permission_list(perm_system | perm_config), "system,config");
    EXPECT_EQ(permission_list(perm_all), "system,call,log,verbose,command,agent,user,config,dtmf,reporting,cdr,"
                                         "dialplan,originate,agi,cc,aoc,test,security,message,all");
    EXPECT_EQ(permission_list(perm_all & ~perm_message), "system,call,log,verbose,command,agent,user,config,dtmf,"
                                                         "reporting,cdr,dialplan,originate,agi,cc,aoc,test,security");
    EXPECT_EQ(permission_list(perm_hook_response), "<none>");
}

TEST(ManagerPermissions, ActionNeedsOneSharedBit) {
    EXPECT_TRUE(may_run_action(0, 0));
    EXPECT_TRUE(may_run_action(perm_config, perm_system | perm_config)); // check 68: GetConfig as cfgonly
    EXPECT_FALSE(may_run_action(perm_config, perm_system));              // check 68: ModuleCheck
    EXPECT_FALSE(may_run_action(0, perm_user));
    EXPECT_TRUE(may_run_action(perm_all, perm_originate));
}

TEST(ManagerPermissions, EventNeedsAllBits) {
    EXPECT_FALSE(may_receive_event(perm_system, perm_user)); // check 68: cfgonly misses UserEvent
    EXPECT_TRUE(may_receive_event(perm_system, perm_system));
    EXPECT_FALSE(may_receive_event(perm_system, perm_system | perm_reporting));
    EXPECT_TRUE(may_receive_event(perm_system | perm_reporting, perm_system | perm_reporting));
    EXPECT_TRUE(may_receive_event(0, 0));
    EXPECT_TRUE(may_receive_event(perm_all, perm_security));
}

} // namespace
} // namespace ahttp::manager
