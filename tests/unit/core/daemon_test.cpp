#include "core/daemon.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

using namespace ahttp::core;

TEST(daemon_config, directories_and_derived_paths) {
    ahttp::test::temp_dir t;
    std::string conf = t.write("asterisk.conf", "[directories]\nastrundir => /tmp/r\nastvarlibdir => /v\n"
                                                "astdatadir => /d\nastlogdir => /l\n[files]\nastctl = my.ctl\n"
                                                "[options]\nverbose = 2\nexecincludes = yes\n");
    command_line cl;
    cl.config_file = conf;
    cl.verbose = 1;
    main_config mc = read_main_config(cl);
    EXPECT_FALSE(mc.builtin_defaults);
    EXPECT_EQ(mc.dirs.etc, t.path()); // astetcdir defaults to the folder of -C
    EXPECT_EQ(mc.dirs.run, "/tmp/r");
    EXPECT_EQ(mc.control_socket(), "/tmp/r/my.ctl");
    EXPECT_EQ(mc.dirs.db, "/v/astdb");
    EXPECT_EQ(mc.dirs.key, "/d/keys");
    EXPECT_EQ(mc.dirs.log, "/l");
    EXPECT_EQ(mc.verbose, 3); // -v plus [options] verbose
    EXPECT_TRUE(mc.exec_includes);
}

TEST(daemon_config, astdbdir_wins_in_any_order_and_templates_are_ignored) {
    ahttp::test::temp_dir t;
    std::string conf = t.write("a.conf", "[directories]\nastdbdir => /db\nastvarlibdir => /v\nastetcdir => /e\n");
    command_line cl;
    cl.config_file = conf;
    EXPECT_EQ(read_main_config(cl).dirs.db, "/db/astdb");
    EXPECT_EQ(read_main_config(cl).dirs.etc, "/e");
    std::string tmpl = t.write("b.conf", "[directories](!)\nastrundir => /x\n");
    cl.config_file = tmpl;
    EXPECT_EQ(read_main_config(cl).dirs.run, "/var/run/asterisk");
}

TEST(daemon_config, relative_and_missing_files) {
    command_line cl;
    cl.config_file = "ahttpd-unit-surely-missing.conf";
    main_config mc = read_main_config(cl);
    EXPECT_EQ(mc.dirs.config_file, "/etc/asterisk/ahttpd-unit-surely-missing.conf");
    EXPECT_EQ(mc.control_socket(), "/var/run/asterisk/asterisk.ctl");
}

TEST(daemon_config, builtin_defaults_live_under_tmp) {
    main_config mc = read_main_config(command_line{});
    EXPECT_TRUE(mc.builtin_defaults);
    EXPECT_EQ(mc.dirs.run.rfind("/tmp/ahttpd-", 0), 0u);
    EXPECT_EQ(mc.dirs.etc.rfind("/tmp/ahttpd-", 0), 0u);
}
