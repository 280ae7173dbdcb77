// manager.conf parsing of spec 02 §4.1, §4.2 and §4.4.
#include "manager/manager_config.hpp"
#include "manager/permissions.hpp"

#include "../core/log_capture.hpp"

#include <gtest/gtest.h>

namespace ahttp::manager {
namespace {

config::model parse(std::string_view text, std::string_view path = "manager.conf") {
    config::load_options options;
    options.etc_dir = "/nonexistent";
    auto r = config::parse_text(text, path, options);
    EXPECT_EQ(r.status, config::load_status::ok);
    return r.data;
}

manager_settings settings_of(std::string_view text, const manager_settings* previous = nullptr,
                             const config::model* acl_conf = nullptr) {
    auto conf = parse(text);
    return parse_manager_settings(conf, acl_conf, previous, "/keys");
}

TEST(ManagerConfig, Defaults) {
    auto s = settings_of("");
    EXPECT_FALSE(s.enabled);
    EXPECT_FALSE(s.web_enabled);
    EXPECT_EQ(s.port, 5038);
    EXPECT_EQ(s.bind_address, "::");
    EXPECT_FALSE(s.tls_enabled);
    EXPECT_EQ(s.tls_bind_address, "::");
    EXPECT_EQ(s.tls_port, 5039);
    EXPECT_EQ(s.tls_cert_file, "/keys/asterisk.pem");
    EXPECT_EQ(s.tls_private_key, "");
    EXPECT_EQ(s.tls_cipher, "");
    EXPECT_TRUE(s.display_connects);
    EXPECT_FALSE(s.timestamp_events);
    EXPECT_FALSE(s.broken_events_action);
    EXPECT_TRUE(s.allow_multiple_login);
    EXPECT_EQ(s.auth_timeout, 30);
    EXPECT_EQ(s.auth_limit, 50);
    EXPECT_EQ(s.http_timeout, 60);
    EXPECT_TRUE(s.channel_vars.empty());
    EXPECT_TRUE(s.disabled_events.empty());
    EXPECT_FALSE(s.debug);
    EXPECT_TRUE(s.users.empty());
}

TEST(ManagerConfig, GeneralValuesCaseInsensitiveKeys) {
    auto s = settings_of("[General]\nEnabled = YES\nwebenabled = on\nPORT = 15038\ntlsenable = y\n"
                         "tlscertfile = /c.pem\ntlsprivatekey = /k.pem\ntlscipher = HIGH\ndisplayconnects = no\n"
                         "timestampevents = 1\nbrokeneventsaction = true\nallowmultiplelogin = off\n"
                         "authtimeout = 5\nauthlimit = 7\nhttptimeout = 90\nchannelvars = A, B,,C\n"
                         "disabledevents = Newexten,VarSet\ndebug = t\n");
    EXPECT_TRUE(s.enabled);
    EXPECT_TRUE(s.web_enabled);
    EXPECT_EQ(s.port, 15038);
    EXPECT_TRUE(s.tls_enabled);
    EXPECT_EQ(s.tls_cert_file, "/c.pem");
    EXPECT_EQ(s.tls_private_key, "/k.pem");
    EXPECT_EQ(s.tls_cipher, "HIGH");
    EXPECT_FALSE(s.display_connects);
    EXPECT_TRUE(s.timestamp_events);
    EXPECT_TRUE(s.broken_events_action);
    EXPECT_FALSE(s.allow_multiple_login);
    EXPECT_EQ(s.auth_timeout, 5);
    EXPECT_EQ(s.auth_limit, 7);
    EXPECT_EQ(s.http_timeout, 90);
    EXPECT_EQ(s.channel_vars, (std::vector<std::string>{"A", "B", "C"}));
    EXPECT_EQ(s.disabled_events, (std::vector<std::string>{"Newexten", "VarSet"}));
    EXPECT_TRUE(s.is_event_disabled("VarSet"));
    EXPECT_FALSE(s.is_event_disabled("varset")); // case-sensitive
    EXPECT_TRUE(s.debug);
}

TEST(ManagerConfig, NonTrueBooleansAreFalse) {
    auto s = settings_of("[general]\nenabled = maybe\ndisplayconnects = maybe\n");
    EXPECT_FALSE(s.enabled);
    EXPECT_FALSE(s.display_connects);
}

TEST(ManagerConfig, PortRange) {
    test::log_capture log;
    EXPECT_EQ(settings_of("[general]\nport = 1024\n").port, 1024);
    EXPECT_EQ(settings_of("[general]\nport = 65535\n").port, 65535);
    EXPECT_EQ(log.size(), 0u);
    EXPECT_EQ(settings_of("[general]\nport = 1023\n").port, 5038);
    EXPECT_TRUE(log.contains("Invalid port number '1023'"));
    EXPECT_EQ(settings_of("[general]\nport = 65536\n").port, 5038);
    EXPECT_EQ(settings_of("[general]\nport = x\n").port, 5038);
}

TEST(ManagerConfig, BindAddress) {
    EXPECT_EQ(settings_of("[general]\nbindaddr = 127.0.0.1\n").bind_address, "127.0.0.1");
    EXPECT_EQ(settings_of("[general]\nbindaddr = ::1\n").bind_address, "::1");
    EXPECT_EQ(settings_of("[general]\nbindaddr = [::1]\n").bind_address, "::1");
    EXPECT_EQ(settings_of("[general]\nbindaddr = 0.0.0.0\n").bind_address, "0.0.0.0");
    // A port in the address is ignored.
    auto s = settings_of("[general]\nbindaddr = 127.0.0.1:6000\n");
    EXPECT_EQ(s.bind_address, "127.0.0.1");
    EXPECT_EQ(s.port, 5038);
    EXPECT_EQ(settings_of("[general]\nbindaddr = [::1]:6000\nport=7000\n").port, 7000);

    test::log_capture log;
    EXPECT_EQ(settings_of("[general]\nbindaddr = nowhere\n").bind_address, "::");
    EXPECT_TRUE(log.contains("Invalid bindaddr 'nowhere'"));
    EXPECT_EQ(settings_of("[general]\nbindaddr = 1.2.3.4:99999\n").bind_address, "::");
}

TEST(ManagerConfig, TlsBindAddress) {
    auto dflt = settings_of("[general]\nbindaddr = 10.0.0.1\n");
    EXPECT_EQ(dflt.tls_bind_address, "10.0.0.1");
    EXPECT_EQ(dflt.tls_port, 5039);
    auto own = settings_of("[general]\ntlsbindaddr = 10.0.0.2:6039\n");
    EXPECT_EQ(own.tls_bind_address, "10.0.0.2");
    EXPECT_EQ(own.tls_port, 6039);
    auto no_port = settings_of("[general]\ntlsbindaddr = 10.0.0.2\n");
    EXPECT_EQ(no_port.tls_port, 5039);
    auto same_port = settings_of("[general]\nport = 6000\ntlsbindaddr = [::1]:6000\n");
    EXPECT_EQ(same_port.tls_bind_address, "::1");
    EXPECT_EQ(same_port.tls_port, 5039);
    test::log_capture log;
    auto bad = settings_of("[general]\nbindaddr = 10.0.0.1\ntlsbindaddr = bogus\n");
    EXPECT_EQ(bad.tls_bind_address, "10.0.0.1");
    EXPECT_TRUE(log.contains("Invalid tlsbindaddr 'bogus'"));
}

TEST(ManagerConfig, LowerBoundsKeepValues) {
    test::log_capture log;
    auto s = settings_of("[general]\nauthtimeout = 0\nauthlimit = -3\nhttptimeout = 0\n");
    EXPECT_EQ(s.auth_timeout, 30);
    EXPECT_EQ(s.auth_limit, 50);
    EXPECT_EQ(s.http_timeout, 60);
    EXPECT_TRUE(log.contains("authtimeout"));
    EXPECT_TRUE(log.contains("authlimit"));
    EXPECT_TRUE(log.contains("httptimeout"));
    // A bad later line keeps the earlier value.
    EXPECT_EQ(settings_of("[general]\nhttptimeout = 30\nhttptimeout = -1\n").http_timeout, 30);
}

TEST(ManagerConfig, UnknownAndRefusedTlsKeywords) {
    test::log_capture log;
    auto s = settings_of("[general]\nfrobnicate = 1\ntlscafile = /ca.pem\ntlsverifyclient = yes\n");
    EXPECT_TRUE(log.contains("Invalid keyword <frobnicate> = <1>"));
    EXPECT_TRUE(log.contains("Invalid keyword <tlscafile>"));
    EXPECT_TRUE(log.contains("Invalid keyword <tlsverifyclient>"));
    EXPECT_TRUE(s.users.empty()); // [general] is not a user
}

TEST(ManagerConfig, ReloadResetsWebenabledButNotAllowmultiplelogin) {
    auto first = settings_of("[general]\nenabled=yes\nwebenabled=yes\nallowmultiplelogin=no\nhttptimeout=10\n");
    EXPECT_TRUE(first.web_enabled);
    EXPECT_FALSE(first.allow_multiple_login);
    auto second = settings_of("[general]\nenabled=yes\n[u]\nsecret=x\n", &first);
    EXPECT_FALSE(second.web_enabled);                   // [FIX]
    EXPECT_FALSE(second.allow_multiple_login);          // [QUIRK]
    EXPECT_EQ(second.http_timeout, 60);                 // everything else back to defaults
    EXPECT_FALSE(second.users[0].allow_multiple_login); // per-user default follows [general]
    auto third = settings_of("[general]\nallowmultiplelogin=yes\n", &second);
    EXPECT_TRUE(third.allow_multiple_login);
}

const char* users_conf = "[general]\nenabled = yes\ndisplayconnects = no\n"
                         "[admin]\nsecret = adminpw\nread = all\nwrite = all\n"
                         "[Limited]\nsecret = limpw\nread = user\nwrite = user\nwritetimeout = 250\n"
                         "displayconnects = yes\nallowmultiplelogin = no\nsetvar = A=1\nsetvar = B = x=y\n"
                         "[nosecret]\nread = system\n"
                         "[emptysecret]\nsecret =\n";

TEST(ManagerConfig, Users) {
    auto s = settings_of(users_conf);
    ASSERT_EQ(s.users.size(), 4u);
    EXPECT_EQ(s.users[0].name, "admin");
    EXPECT_EQ(s.users[1].name, "Limited");

    const manager_user* admin = s.find_user("ADMIN");
    ASSERT_NE(admin, nullptr);
    EXPECT_EQ(admin->secret, std::optional<std::string>("adminpw"));
    EXPECT_EQ(admin->read_perm, perm_all);
    EXPECT_EQ(admin->write_perm, perm_all);
    EXPECT_EQ(admin->write_timeout_ms, 100);
    EXPECT_FALSE(admin->display_connects); // [general] value
    EXPECT_TRUE(admin->allow_multiple_login);
    EXPECT_FALSE(admin->has_acl());
    EXPECT_TRUE(admin->filters.empty());

    const manager_user* limited = s.find_user("limited");
    ASSERT_NE(limited, nullptr);
    EXPECT_EQ(limited->name, "Limited");
    EXPECT_EQ(limited->read_perm, perm_user);
    EXPECT_EQ(limited->write_perm, perm_user);
    EXPECT_EQ(limited->write_timeout_ms, 250);
    EXPECT_TRUE(limited->display_connects);
    EXPECT_FALSE(limited->allow_multiple_login);
    ASSERT_EQ(limited->variables.size(), 2u);
    EXPECT_EQ(limited->variables[0], (std::pair<std::string, std::string>{"A", "1"}));
    EXPECT_EQ(limited->variables[1], (std::pair<std::string, std::string>{"B", "x=y"}));

    EXPECT_FALSE(s.find_user("nosecret")->secret);
    EXPECT_EQ(s.find_user("nosecret")->write_perm, 0u);
    EXPECT_FALSE(s.find_user("emptysecret")->secret);
    EXPECT_EQ(s.find_user("nobody"), nullptr);
}

TEST(ManagerConfig, UserValueWarnings) {
    test::log_capture log;
    auto s = settings_of("[u]\nwritetimeout = 99\nread = sys,call\nsetvar = novalue\nsetvar = =x\nfoo = bar\n");
    const manager_user& u = s.users.at(0);
    EXPECT_EQ(u.write_timeout_ms, 100);
    EXPECT_TRUE(log.contains("Invalid writetimeout '99'"));
    EXPECT_EQ(u.read_perm, perm_call);
    EXPECT_TRUE(log.contains("Unknown permission class 'sys'"));
    EXPECT_TRUE(u.variables.empty());
    EXPECT_TRUE(log.contains("Invalid setvar 'novalue'"));
}

TEST(ManagerConfig, UserEventFilters) {
    test::log_capture log;
    auto s = settings_of("[u]\neventfilter = !Newexten\neventfilter(name(Newchannel)) =\n"
                         "EventFilter(action(exclude),header(Channel),method(starts_with)) = Local/\n"
                         "eventfilter = (\neventfilter(name(A),method(bogus)) = x\n");
    const manager_user& u = s.users.at(0);
    EXPECT_EQ(u.filters.includes().size(), 1u);
    EXPECT_EQ(u.filters.excludes().size(), 2u);
    EXPECT_TRUE(log.contains("Ignoring eventfilter = ("));
    EXPECT_TRUE(log.contains("Ignoring eventfilter(name(A),method(bogus)) = x"));
    EXPECT_TRUE(u.filters.allows("Event: Newchannel\r\nChannel: PJSIP/a\r\n\r\n"));
    EXPECT_FALSE(u.filters.allows("Event: Newchannel\r\nChannel: Local/a\r\n\r\n"));
    EXPECT_FALSE(u.filters.allows("Event: Hangup\r\n\r\n"));
}

TEST(ManagerConfig, TemplatesAreNotUsersButInherit) {
    auto s = settings_of("[base](!)\nread = system\nsecret = s\n[ops](base)\nwrite = config\n");
    ASSERT_EQ(s.users.size(), 1u);
    EXPECT_EQ(s.users[0].name, "ops");
    EXPECT_EQ(s.users[0].read_perm, perm_system);
    EXPECT_EQ(s.users[0].write_perm, perm_config);
}

TEST(ManagerConfig, RepeatedSectionReplacesInPlace) {
    auto s = settings_of("[a]\nsecret=1\n[b]\nsecret=2\n[A]\nsecret=3\n");
    ASSERT_EQ(s.users.size(), 2u);
    EXPECT_EQ(s.users[0].name, "A");
    EXPECT_EQ(*s.users[0].secret, "3");
    EXPECT_EQ(s.users[1].name, "b");
}

TEST(ManagerConfig, BaselineAclOrderedLastMatchWins) {
    auto s = settings_of("[u]\ndeny = 0.0.0.0/0.0.0.0\npermit = 127.0.0.0/8, 10.0.0.0/8,!10.1.0.0/16\n"
                         "permit = 192.168.1.1\n");
    const manager_user& u = s.users.at(0);
    EXPECT_TRUE(u.has_acl());
    EXPECT_TRUE(user_allows_address(u, "127.0.0.1"));
    EXPECT_TRUE(user_allows_address(u, "10.2.3.4"));
    EXPECT_FALSE(user_allows_address(u, "10.1.3.4"));
    EXPECT_TRUE(user_allows_address(u, "192.168.1.1"));
    EXPECT_FALSE(user_allows_address(u, "192.168.1.2"));
    EXPECT_FALSE(user_allows_address(u, "8.8.8.8"));
    // IPv4 rules apply to IPv4-mapped IPv6 peers, never to native IPv6 ones.
    EXPECT_TRUE(user_allows_address(u, "::ffff:127.0.0.1"));
    EXPECT_FALSE(user_allows_address(u, "::ffff:8.8.8.8"));
    EXPECT_TRUE(user_allows_address(u, "::1"));
    EXPECT_FALSE(user_allows_address(u, "garbage"));
}

TEST(ManagerConfig, Ipv6RulesDoNotMatchIpv4) {
    auto s = settings_of("[u]\ndeny = ::/0\npermit = ::1\n");
    const manager_user& u = s.users.at(0);
    EXPECT_TRUE(user_allows_address(u, "::1"));
    EXPECT_FALSE(user_allows_address(u, "2001:db8::1"));
    EXPECT_TRUE(user_allows_address(u, "8.8.8.8"));
    EXPECT_TRUE(user_allows_address(u, "::ffff:8.8.8.8"));
}

TEST(ManagerConfig, NoAclAllowsEverybody) {
    auto s = settings_of("[u]\nsecret=x\n");
    EXPECT_TRUE(user_allows_address(s.users.at(0), "203.0.113.9"));
    EXPECT_TRUE(user_allows_address(s.users.at(0), "2001:db8::9"));
}

TEST(ManagerConfig, InvalidAclLineDeletesUser) {
    test::log_capture log;
    auto s = settings_of("[good]\npermit=127.0.0.1\n[bad]\nsecret=x\npermit = 127.0.0.1,300.1.1.1\n[worse]\ndeny=\n");
    ASSERT_EQ(s.users.size(), 1u);
    EXPECT_EQ(s.users[0].name, "good");
    EXPECT_TRUE(log.contains("manager user 'bad' is not loaded"));
    EXPECT_TRUE(log.contains("manager user 'worse' is not loaded"));
}

TEST(ManagerConfig, NamedAclsFromAclConf) {
    auto acl_conf = parse("[local]\ndeny = 0.0.0.0/0\npermit = 127.0.0.0/8\n[office]\npermit = !10.9.0.0/16\n"
                          "[broken]\npermit = 127.0.0.1\ndeny = nonsense\n",
                          "acl.conf");
    test::log_capture log;
    auto s = settings_of("[a]\nacl = local\n[b]\nacl = LOCAL, office\n[c]\ndeny = 127.0.0.2\nacl = local\n"
                         "[d]\nacl = missing\n[e]\nacl = broken\n",
                         nullptr, &acl_conf);
    ASSERT_EQ(s.users.size(), 5u);
    const auto& a = *s.find_user("a");
    EXPECT_TRUE(a.has_acl());
    EXPECT_TRUE(user_allows_address(a, "127.0.0.1"));
    EXPECT_FALSE(user_allows_address(a, "10.0.0.1"));
    // Every named ACL must pass.
    const auto& b = *s.find_user("b");
    EXPECT_TRUE(user_allows_address(b, "127.0.0.1"));
    acl_list office = b.acls.at(2);
    EXPECT_EQ(office.name, "office");
    EXPECT_FALSE(user_allows_address(b, "10.9.1.1"));
    // And the baseline list too.
    const auto& c = *s.find_user("c");
    EXPECT_TRUE(user_allows_address(c, "127.0.0.1"));
    EXPECT_FALSE(user_allows_address(c, "127.0.0.2"));
    // A missing named ACL denies everybody; so does one with an invalid line.
    const auto& d = *s.find_user("d");
    EXPECT_TRUE(d.has_acl());
    EXPECT_FALSE(user_allows_address(d, "127.0.0.1"));
    EXPECT_FALSE(user_allows_address(d, "::1"));
    EXPECT_TRUE(log.contains("ACL 'missing' of manager user 'd' is not defined in acl.conf"));
    EXPECT_FALSE(user_allows_address(*s.find_user("e"), "127.0.0.1"));
    EXPECT_TRUE(log.contains("ACL 'broken'"));
}

TEST(ManagerConfig, NamedAclWithoutAclConfDenies) {
    auto s = settings_of("[a]\nacl = local\n");
    EXPECT_FALSE(user_allows_address(s.users.at(0), "127.0.0.1"));
}

TEST(ManagerConfig, BindText) {
    EXPECT_EQ(bind_text("::", 5038), "[::]:5038");
    EXPECT_EQ(bind_text("127.0.0.1", 5039), "127.0.0.1:5039");
}

} // namespace
} // namespace ahttp::manager
