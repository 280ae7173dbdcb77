// AMI action families without sockets (spec 02 §6.2, §6.4-§6.6): astdb, variables, state lists, telephony
// error forms, module checks. Exact texts and the order of checks.
#include "ahttp/global_vars.hpp"
#include "core/astdb/astdb.hpp"
#include "core/astdb_access.hpp"
#include "manager/dispatch.hpp"
#include "manager/permissions.hpp"
#include "manager/runtime.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

using namespace ahttp::manager;

namespace {

struct actions_fixture : ::testing::Test {
    std::shared_ptr<runtime> rt = std::make_shared<runtime>();
    std::vector<action_registration> builtins = register_builtin_actions();

    std::string run(std::uint32_t write, std::vector<message::line> lines) {
        auto s = rt->sessions.acquire_cookie(0, "127.0.0.1", 0);
        s->authenticated = true;
        s->user = "u";
        s->write_perm = write;
        auto call = std::make_shared<action_call>();
        call->rt = rt;
        call->settings = rt->settings();
        call->sess = s;
        call->msg = message(std::move(lines));
        call->out = response_writer(std::string(call->msg.get("ActionID")));
        std::string result = "<not finished>";
        call->done = [&](std::string ami) { result = std::move(ami); };
        dispatch(call);
        return result;
    }
    static std::string error(std::string_view text) {
        return "Response: Error\r\nMessage: " + std::string(text) + "\r\n\r\n";
    }
};

} // namespace

TEST_F(actions_fixture, AstdbActionsUseThePublishedDatabase) {
    std::string pattern = (std::filesystem::temp_directory_path() / "ahttp-amidb-XXXXXX").string();
    ASSERT_TRUE(::mkdtemp(pattern.data()));
    {
        ahttp::astdb db;
        ASSERT_TRUE(db.open(pattern + "/astdb"));
        ahttp::set_process_astdb(&db);
        EXPECT_EQ(run(perm_all, {{"Action", "DBPut"}, {"Family", "f%"}, {"Key", "k"}, {"Val", "v"}}),
                  "Response: Success\r\nMessage: Updated database successfully\r\n\r\n");
        run(perm_all, {{"Action", "DBPut"}, {"Family", "fX"}, {"Key", "k"}, {"Val", "w"}});
        EXPECT_EQ(run(perm_all, {{"Action", "DBGetTree"}, {"Family", "f%"}}),
                  "Response: Success\r\nEventList: start\r\nMessage: Result will follow\r\n\r\n"
                  "Event: DBGetTreeResponse\r\nKey: /f%/k\r\nVal: v\r\n\r\n"
                  "Event: DBGetTreeComplete\r\nEventList: Complete\r\nListItems: 1\r\n\r\n");
        EXPECT_EQ(run(perm_all, {{"Action", "DBDelTree"}, {"Family", "nothing"}}), error("Database entry not found"));
        ahttp::set_process_astdb(nullptr);
        EXPECT_EQ(run(perm_all, {{"Action", "DBPut"}, {"Family", "f"}, {"Key", "k"}}), error("Failed to update entry"));
        EXPECT_EQ(run(perm_all, {{"Action", "DBDelTree"}, {"Family", "f"}}), error("Database unavailable"));
        EXPECT_EQ(run(perm_all, {{"Action", "DBGetTree"}}),
                  "Response: Success\r\nEventList: start\r\nMessage: Result will follow\r\n\r\n"
                  "Event: DBGetTreeComplete\r\nEventList: Complete\r\nListItems: 0\r\n\r\n");
    }
    std::filesystem::remove_all(pattern);
}

TEST_F(actions_fixture, GetvarChecksSystemBeforeChannel) {
    EXPECT_EQ(run(perm_call, {{"Action", "Getvar"}, {"Variable", "X(SHELL)"}, {"Channel", "A/1"}}),
              error("GetVar Access Forbidden: Variable"));
    EXPECT_EQ(run(perm_system | perm_call, {{"Action", "Getvar"}, {"Variable", "X(SHELL)"}, {"Channel", "A/1"}}),
              error("No such channel"));
    ASSERT_TRUE(ahttp::globals::set("UNIT_ACT_V", "x\"y"));
    EXPECT_EQ(run(perm_reporting, {{"Action", "Getvar"}, {"Variable", "UNIT_ACT_V"}, {"ActionID", "1"}}),
              "Response: Success\r\nActionID: 1\r\nVariable: UNIT_ACT_V\r\nValue: x\"y\r\n\r\n");
    EXPECT_EQ(run(perm_reporting, {{"Action", "Setvar"}, {"Variable", "UNIT_ACT_V"}}),
              error("Permission denied")); // Setvar needs call
    EXPECT_EQ(run(perm_call, {{"Action", "Setvar"}, {"Variable", "UNIT_ACT_V"}}),
              "Response: Success\r\nMessage: Variable Set\r\n\r\n");
    EXPECT_EQ(ahttp::globals::get("UNIT_ACT_V"), "");
    EXPECT_EQ(
        run(perm_call, {{"Action", "Setvar"}, {"Variable", std::string(ahttp::globals::max_name_length + 1, 'n')}}),
        error("Variable not set"));
    ahttp::globals::erase("UNIT_ACT_V");
}

TEST_F(actions_fixture, OriginateStopsAtTheFirstError) {
    auto originate = [&](std::uint32_t write, std::vector<message::line> extra) {
        extra.insert(extra.begin(), {"Action", "Originate"});
        return run(write, std::move(extra));
    };
    EXPECT_EQ(originate(perm_originate, {{"Priority", "x"}}), error("Channel not specified"));
    EXPECT_EQ(originate(perm_originate, {{"Channel", "bad"}, {"Priority", "x"}, {"Timeout", "y"}}),
              error("Invalid priority"));
    EXPECT_EQ(originate(perm_originate, {{"Channel", "bad"}, {"Priority", " -3z"}, {"Timeout", "y"}}),
              error("Invalid timeout"));
    EXPECT_EQ(originate(perm_originate, {{"Channel", "bad"}, {"Application", "System"}}), error("Invalid channel"));
    EXPECT_EQ(originate(perm_originate, {{"Channel", "A/1"}, {"OtherChannelId", std::string(151, 'u')}}),
              error("Uniqueid length exceeds maximum of 150\n"));
    EXPECT_EQ(originate(perm_originate, {{"Channel", "A/1"}, {"ChannelId", std::string(150, 'u')}}),
              error("Originate with 'Exten' requires 'Context' and 'Priority'"));
    // Queue's AGI argument needs agi or system; other blacklisted names need system
    std::vector<message::line> queue = {{"Channel", "A/1"}, {"Application", "Queue"}, {"Data", "q,t,,\"a,b\",5,agi"}};
    EXPECT_EQ(originate(perm_originate, queue), error("Originate Access Forbidden: app or data blacklisted"));
    EXPECT_EQ(originate(perm_originate | perm_agi, queue), error("Originate failed"));
    std::vector<message::line> shell = {{"Channel", "A/1"}, {"Application", "NoOp"}, {"Data", "${SHELL(x)}"}};
    EXPECT_EQ(originate(perm_originate | perm_agi, shell),
              error("Originate Access Forbidden: app or data blacklisted"));
    EXPECT_EQ(originate(perm_originate | perm_system, shell), error("Originate failed"));
    EXPECT_EQ(originate(perm_originate, {{"Channel", "A/1"}, {"Application", "NoOp"}, {"Data", "${shell(x)}"}}),
              error("Originate failed")); // function names are case-sensitive
}

TEST_F(actions_fixture, HangupForms) {
    EXPECT_EQ(run(perm_call, {{"Action", "Hangup"}}), error("No channel specified"));
    EXPECT_EQ(run(perm_call, {{"Action", "Hangup"}, {"Channel", "A/1"}}), error("No such channel"));
    EXPECT_EQ(run(perm_call, {{"Action", "Hangup"}, {"Channel", "/a"}}),
              error("Regex format invalid, Channel param should be /regex/"));
    EXPECT_EQ(run(perm_call, {{"Action", "Hangup"}, {"Channel", "/[/"}}), error("Regex compile failed on: /[/"));
    EXPECT_EQ(run(perm_call, {{"Action", "Hangup"}, {"Channel", "//"}}),
              "Response: Success\r\nEventList: start\r\nMessage: Channels hung up will follow\r\n\r\n"
              "Event: ChannelsHungupListComplete\r\nEventList: Complete\r\nListItems: 0\r\n\r\n");
}

TEST_F(actions_fixture, StatusAndStateQueries) {
    EXPECT_EQ(run(perm_call, {{"Action", "Status"}, {"Variables", "EVAL"}, {"Channel", "A/1"}}),
              error("Status Access Forbidden: Variables"));
    EXPECT_EQ(run(perm_system, {{"Action", "Status"}, {"Variables", "EVAL"}, {"Channel", "A/1"}}),
              error("No such channel"));
    EXPECT_EQ(run(perm_call, {{"Action", "ExtensionState"}, {"Exten", "1"}, {"Context", "c"}}),
              "Response: Success\r\nMessage: Extension Status\r\nExten: 1\r\nContext: c\r\nHint: \r\nStatus: -1\r\n"
              "StatusText: Unknown\r\n\r\n");
    EXPECT_EQ(run(perm_user, {{"Action", "MailboxCount"}, {"Mailbox", "1"}}), error("Permission denied"));
}

TEST_F(actions_fixture, ModuleLoadStopsAfterTheFirstError) {
    EXPECT_EQ(run(perm_system, {{"Action", "ModuleLoad"}}), error("Incomplete ModuleLoad action."));
    EXPECT_EQ(run(perm_system, {{"Action", "ModuleLoad"}, {"LoadType", "load"}}), error("Need module name"));
    EXPECT_EQ(run(perm_system, {{"Action", "ModuleLoad"}, {"LoadType", "load"}, {"Module", "/x/y.so"}}),
              error("Module must be in the configured modules directory."));
    EXPECT_EQ(run(perm_system, {{"Action", "ModuleLoad"}, {"LoadType", "unload"}, {"Module", "no_such_mod"}}),
              error("Module not found."));
    EXPECT_EQ(run(perm_config, {{"Action", "ModuleCheck"}, {"Module", "manager"}}), error("Permission denied"));
}
