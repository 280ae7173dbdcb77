#include "core/module_loader.hpp"
#include "log_capture.hpp"

#include <gtest/gtest.h>

using namespace ahttp;
using namespace ahttp::core;

namespace {

class fake_context : public module_context {
public:
    const directories& dirs() const override { return dirs_; }
    config::load_options config_options() const override { return {}; }
    const config::section* http_general() const override { return nullptr; }

private:
    directories dirs_;
};

config::load_result modules_conf(const std::string& text) {
    config::load_options o;
    o.etc_dir = "/nonexistent-ahttpd-test";
    return config::parse_text(text, "/nonexistent-ahttpd-test/modules.conf", o);
}

struct loader_fixture : ::testing::Test {
    fake_context ctx;
    int http_reloads = 0;
    module_loader loader{ctx, {{"http", "HTTP server core", [this] { ++http_reloads; return true; }},
                               {"logger", "Logging", nullptr}}};
};

} // namespace

TEST(module_loader, names_match_with_or_without_so) {
    EXPECT_TRUE(module_name_matches("res_http_websocket.so", "res_http_websocket"));
    EXPECT_TRUE(module_name_matches("res_http_websocket.so", "RES_HTTP_WEBSOCKET.SO"));
    EXPECT_TRUE(module_name_matches("http", "http.so"));
    EXPECT_FALSE(module_name_matches("res_http_websocket.so", "res_http"));
}

TEST_F(loader_fixture, modules_conf_rules) {
    test::log_capture log;
    EXPECT_TRUE(loader.configure(nullptr));
    auto ok = modules_conf("[modules]\nautoload=yes\n");
    EXPECT_TRUE(loader.configure(&ok));
    auto unknown = modules_conf("[modules]\nfoo=bar\n");
    EXPECT_FALSE(loader.configure(&unknown));
    EXPECT_TRUE(log.contains("Unknown configuration option 'foo'"));
    auto builtin = modules_conf("[modules]\nnoload=http\n");
    EXPECT_FALSE(loader.configure(&builtin));
    EXPECT_TRUE(log.contains("http is a built-in module, you cannot specify 'noload'."));
    auto both = modules_conf("[modules]\nrequire=http_status.so\nnoload=http_status\n");
    EXPECT_FALSE(loader.configure(&both));
    EXPECT_TRUE(log.contains("http_status is configured with 'require' and 'noload', this is impossible."));
    auto missing = modules_conf("[other]\nx=1\n");
    EXPECT_FALSE(loader.configure(&missing));
    EXPECT_TRUE(log.contains("'modules.conf' invalid or missing."));
}

TEST_F(loader_fixture, reload_outcomes) {
    ASSERT_TRUE(loader.configure(nullptr));
    ASSERT_TRUE(loader.load_all());
    EXPECT_EQ(loader.reload("http"), module_loader::reload_outcome::success);
    EXPECT_EQ(loader.reload("HTTP.so"), module_loader::reload_outcome::success);
    EXPECT_EQ(http_reloads, 2);
    EXPECT_EQ(loader.reload("logger"), module_loader::reload_outcome::not_supported);
    EXPECT_EQ(loader.reload("nope"), module_loader::reload_outcome::not_found);
    EXPECT_EQ(loader.reload("http_status"), module_loader::reload_outcome::not_found); // parts are hidden
    loader.reload_all();
    EXPECT_EQ(http_reloads, 3);
}

TEST_F(loader_fixture, module_show_and_reload_commands) {
    ASSERT_TRUE(loader.configure(nullptr));
    ASSERT_TRUE(loader.load_all());
    cli::string_console out;
    cli::execute("module show like HTT", out);
    EXPECT_EQ(out.text(), "Module                         Description                              Use Count  Status     "
                          " Support Level\n"
                          "http                           HTTP server core                         0          Running    "
                          "          core\n"
                          "res_http_post.so               HTTP POST mapping                        0          Running    "
                          "          core\n"
                          "res_http_websocket.so          HTTP WebSocket Support                   0          Running    "
                          "          core\n"
                          "3 modules loaded\n");
    out.clear();
    cli::execute("module reload http nope logger", out);
    EXPECT_EQ(out.text(), "Module 'http' reloaded successfully.\nNo such module 'nope'\n"
                          "The module 'logger' does not support reloads\n");
    out.clear();
    cli::execute("module unload http", out);
    EXPECT_EQ(out.text(), "Unable to unload resource http\nCommand 'module unload http' failed.\n");
}
