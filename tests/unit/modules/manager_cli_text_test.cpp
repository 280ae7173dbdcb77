// Manager CLI texts of spec 00 §5.4 (incl. checks 10, 11 and 12 of spec 00 §10).
#include "manager/manager_cli_text.hpp"
#include "manager/permissions.hpp"

#include <gtest/gtest.h>

namespace ahttp::manager {
namespace {

manager_settings settings_of(std::string_view text) {
    config::load_options options;
    options.etc_dir = "/nonexistent";
    auto r = config::parse_text(text, "manager.conf", options);
    EXPECT_EQ(r.status, config::load_status::ok);
    return parse_manager_settings(r.data, nullptr, nullptr, "/keys");
}

TEST(ManagerCliText, ShowUsersCheck10) {
    auto s = settings_of("[general]\nenabled=yes\n[admin]\nsecret=a\n[ops]\nsecret=o\n");
    EXPECT_EQ(show_users_text(s),
              "\nusername\n--------\nadmin\nops\n-------------------\n2 manager users configured.\n");
}

TEST(ManagerCliText, ShowUsersNone) {
    EXPECT_EQ(show_users_text(settings_of("[general]\nenabled=yes\n")), "There are no manager users.\n");
}

TEST(ManagerCliText, ShowUserUnknownCheck11) {
    auto s = settings_of("[admin]\nsecret=a\n");
    EXPECT_EQ(show_user_text(s, "nobody"), "There is no manager called nobody\n");
}

TEST(ManagerCliText, ShowUserBlock) {
    auto s = settings_of("[general]\nallowmultiplelogin=no\n[Admin]\nsecret=a\nread=all\nwrite=system,config\n"
                         "setvar=A=1\nsetvar=B=two\n");
    EXPECT_EQ(show_user_text(s, "admin"), "\n"
                                          "          username: Admin\n"
                                          "            secret: <Set>\n"
                                          "               ACL: no\n"
                                          "         read perm: system,call,log,verbose,command,agent,user,config,"
                                          "dtmf,reporting,cdr,dialplan,originate,agi,cc,aoc,test,security,message,"
                                          "all\n"
                                          "        write perm: system,config\n"
                                          "   displayconnects: yes\n"
                                          "allowmultiplelogin: no\n"
                                          "         Variables: \n"
                                          "                 A = 1\n"
                                          "                 B = two\n");
}

TEST(ManagerCliText, ShowUserWithoutSecretPermsAndWithAcl) {
    auto s = settings_of("[general]\ndisplayconnects=no\n[u]\ndeny=0.0.0.0/0\npermit=127.0.0.1\n");
    EXPECT_EQ(show_user_text(s, "u"), "\n"
                                      "          username: u\n"
                                      "            secret: (N/A)\n"
                                      "               ACL: yes\n"
                                      "         read perm: <none>\n"
                                      "        write perm: <none>\n"
                                      "   displayconnects: no\n"
                                      "allowmultiplelogin: yes\n"
                                      "         Variables: \n"
                                      "\nCurrent ACL: (permit/deny)\n"
                                      "    0: deny   - 0.0.0.0/0.0.0.0\n"
                                      "    1: allow  - 127.0.0.1/255.255.255.255\n");
}

const std::string connected_header = "  Username         IP Address                                               "
                                     "Start       Elapsed     FileDes   HttpCnt   ReadPerms   WritePerms\n";

TEST(ManagerCliText, ShowConnectedEmptyCheck12) {
    EXPECT_EQ(show_connected_text({}), connected_header + "0 users connected.\n");
}

TEST(ManagerCliText, ShowConnectedRows) {
    std::vector<connected_row> rows;
    rows.push_back({"admin", "127.0.0.1", 1717171717, 42, -1, 1, 524287, 2147483647});
    rows.push_back({"averyveryverylongusername", "::1", 1717171700, 59, 17, 0, 0, 64});
    std::string expected = connected_header;
    expected += "  admin            127.0.0.1                                                1717171717  42          "
                "-1        1         0000524287  2147483647\n";
    expected += "  averyveryverylo  ::1                                                      1717171700  59          "
                "17        0         0000000000  0000000064\n";
    expected += "2 users connected.\n";
    EXPECT_EQ(show_connected_text(rows), expected);
}

TEST(ManagerCliText, ShowSettings) {
    auto s = settings_of("[general]\nenabled=yes\nwebenabled=yes\nhttptimeout=60\nchannelvars=A,B\n"
                         "disabledevents=VarSet\n");
    settings_facts facts{"[::]:5038", "Disabled"};
    EXPECT_EQ(show_settings_text(s, facts), "\nGlobal Settings:\n----------------\n"
                                            "  Manager (AMI):             Yes            \n"
                                            "  Web Manager (AMI/HTTP):    Yes            \n"
                                            "  TCP Bindaddress:           [::]:5038      \n"
                                            "  HTTP Timeout (seconds):    60             \n"
                                            "  TLS Enable:                No             \n"
                                            "  TLS Bindaddress:           Disabled       \n"
                                            "  TLS Certfile:              /keys/asterisk.pem\n"
                                            "  TLS Privatekey:                           \n"
                                            "  TLS Cipher:                               \n"
                                            "  Allow multiple login:      Yes            \n"
                                            "  Display connects:          Yes            \n"
                                            "  Timestamp events:          No             \n"
                                            "  Channel vars:              A,B\n"
                                            "  Disabled events:           VarSet\n"
                                            "  Debug:                     No             \n");
}

TEST(ManagerCliText, ShowSettingsCutsLongValues) {
    auto s = settings_of("[general]\ntlscertfile=/" + std::string(70, 'c') + "\n");
    std::string text = show_settings_text(s, {"Disabled", "Disabled"});
    EXPECT_NE(text.find("  TLS Certfile:              /" + std::string(54, 'c') + "\n"), std::string::npos);
}

} // namespace
} // namespace ahttp::manager

namespace ahttp::manager {
namespace {

action_table sample_actions() {
    action_table t;
    registered_action ping;
    ping.name = "Ping";
    ping.synopsis = "Keepalive command.";
    t.push_back(ping);
    registered_action ue;
    ue.name = "UserEvent";
    ue.synopsis = "Send an arbitrary event.";
    ue.privilege = perm_user;
    t.push_back(ue);
    return t;
}

TEST(ManagerCliText, ShowCommandUndocumentedForm) {
    EXPECT_EQ(show_command_text(sample_actions(), {"userevent"}),
              "Action: UserEvent\nSynopsis: Send an arbitrary event.\nPrivilege: user,all\n\n");
    EXPECT_EQ(show_command_text(sample_actions(), {"PING"}),
              "Action: Ping\nSynopsis: Keepalive command.\nPrivilege: <none>\n\n");
}

TEST(ManagerCliText, ShowCommandArgumentOrderAndUnknownNames) {
    EXPECT_EQ(show_command_text(sample_actions(), {"nonesuch"}), "");
    EXPECT_EQ(show_command_text(sample_actions(), {"UserEvent", "nonesuch", "Ping", "ping"}),
              "Action: UserEvent\nSynopsis: Send an arbitrary event.\nPrivilege: user,all\n\n"
              "Action: Ping\nSynopsis: Keepalive command.\nPrivilege: <none>\n\n"
              "Action: Ping\nSynopsis: Keepalive command.\nPrivilege: <none>\n\n");
    EXPECT_EQ(show_command_text(sample_actions(), {}), "");
}

} // namespace
} // namespace ahttp::manager
