// The AMI configuration actions of spec 02 §6.3 below the socket: path confinement (bad-input row 21), the
// GetConfig / GetConfigJSON / ListCategories renderings and every UpdateConfig verb on real files.
#include "manager/config_paths.hpp"
#include "manager/config_render.hpp"
#include "manager/config_update.hpp"

#include "../core/temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace ahttp::manager {
namespace {

namespace fs = std::filesystem;

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// A config dir `<tmp>/etc` with a sibling `<tmp>/etc-evil` and a file outside both.
class ConfigDir : public ::testing::Test {
  protected:
    void SetUp() override {
        etc_ = tmp_.path() + "/etc";
        fs::create_directories(etc_ + "/sub");
        fs::create_directories(tmp_.path() + "/etc-evil");
        tmp_.write("etc/a.conf", "[general]\nk = v\n");
        tmp_.write("etc/sub/b.conf", "[b]\n");
        tmp_.write("etc-evil/x.conf", "[x]\n");
        tmp_.write("secret.conf", "[secret]\npw = 1\n");
        area_ = {etc_, false};
    }
    std::string etc_;
    config_area area_;
    test::temp_dir tmp_;
};

TEST_F(ConfigDir, InsideNamesResolve) {
    auto p = check_config_path("a.conf", area_);
    EXPECT_EQ(p.verdict, path_verdict::inside);
    EXPECT_EQ(p.path, fs::canonical(etc_ + "/a.conf").string());
    EXPECT_EQ(check_config_path("  sub/b.conf \t", area_).verdict, path_verdict::inside);
    EXPECT_EQ(check_config_path("sub/../a.conf", area_).verdict, path_verdict::inside);
    EXPECT_EQ(check_config_path(etc_ + "/a.conf", area_).verdict, path_verdict::inside);
}

TEST_F(ConfigDir, EscapesAreOutside) {
    EXPECT_EQ(check_config_path("../secret.conf", area_).verdict, path_verdict::outside);
    EXPECT_EQ(check_config_path("../../../../../../etc/passwd", area_).verdict, path_verdict::outside);
    EXPECT_EQ(check_config_path("/etc/passwd", area_).verdict, path_verdict::outside);
    EXPECT_EQ(check_config_path(tmp_.path() + "/secret.conf", area_).verdict, path_verdict::outside);
    // [FIX] the prefix sibling is not inside.
    EXPECT_EQ(check_config_path("../etc-evil/x.conf", area_).verdict, path_verdict::outside);
    EXPECT_EQ(check_config_path(tmp_.path() + "/etc-evil/x.conf", area_).verdict, path_verdict::outside);
    // The config dir itself is not a file inside it.
    EXPECT_EQ(check_config_path(".", area_).verdict, path_verdict::outside);
}

TEST_F(ConfigDir, SymlinkEscapingIsOutside) {
    fs::create_symlink(tmp_.path() + "/secret.conf", etc_ + "/link.conf");
    fs::create_directory_symlink(tmp_.path(), etc_ + "/up");
    EXPECT_EQ(check_config_path("link.conf", area_).verdict, path_verdict::outside);
    EXPECT_EQ(check_config_path("up/secret.conf", area_).verdict, path_verdict::outside);
    fs::create_symlink(etc_ + "/a.conf", etc_ + "/alias.conf");
    EXPECT_EQ(check_config_path("alias.conf", area_).verdict, path_verdict::inside);
}

TEST_F(ConfigDir, MissingIsUnresolvable) {
    EXPECT_EQ(check_config_path("nonexist.conf", area_).verdict, path_verdict::unresolvable);
    EXPECT_EQ(check_config_path("/nonexistent/x.conf", area_).verdict, path_verdict::unresolvable);
    EXPECT_EQ(check_config_path("a*.conf", area_).verdict, path_verdict::unresolvable); // never globbed
    config_area nodir{tmp_.path() + "/no-such-etc", false};
    EXPECT_EQ(check_config_path(etc_ + "/a.conf", nodir).verdict, path_verdict::outside);
}

TEST_F(ConfigDir, LiveDangerouslyAdmitsAnything) {
    config_area wild{etc_, true};
    EXPECT_EQ(check_config_path("../secret.conf", wild).verdict, path_verdict::inside);
    auto p = check_config_path("new.conf", wild);
    EXPECT_EQ(p.verdict, path_verdict::inside);
    EXPECT_EQ(p.path, etc_ + "/new.conf");
}

TEST_F(ConfigDir, CreateConfig) {
    EXPECT_EQ(create_config_file("t44.conf", area_), "");
    struct stat st {};
    ASSERT_EQ(::stat((etc_ + "/t44.conf").c_str(), &st), 0);
    EXPECT_EQ(st.st_size, 0);
    EXPECT_EQ(create_config_file("t44.conf", area_), "File exists");
    EXPECT_EQ(create_config_file("sub/c.conf", area_), "");
    EXPECT_EQ(create_config_file("nodir/c.conf", area_), "No such file or directory");
    EXPECT_FALSE(fs::exists(etc_ + "/nodir"));
}

TEST_F(ConfigDir, CreateConfigConfined) {
    EXPECT_EQ(create_config_file("../new.conf", area_), "File requires escalated privileges");
    EXPECT_EQ(create_config_file("../etc-evil/new.conf", area_), "File requires escalated privileges");
    EXPECT_EQ(create_config_file("/tmp/ahttpd-never.conf", area_), "File requires escalated privileges");
    fs::create_directory_symlink(tmp_.path(), etc_ + "/up");
    EXPECT_EQ(create_config_file("up/new.conf", area_), "File requires escalated privileges");
    // A symlink as the last part is never followed (O_EXCL).
    fs::create_symlink(tmp_.path() + "/target.conf", etc_ + "/dangling.conf");
    EXPECT_EQ(create_config_file("dangling.conf", area_), "File exists");
    EXPECT_FALSE(fs::exists(tmp_.path() + "/new.conf"));
    EXPECT_FALSE(fs::exists(tmp_.path() + "/etc-evil/new.conf"));
    EXPECT_FALSE(fs::exists(tmp_.path() + "/target.conf"));
}

// ---- renderings ----

config::model parse(std::string_view text) {
    config::load_options o;
    o.etc_dir = "/nonexistent";
    auto r = config::parse_text(text, "/nonexistent/t.conf", o);
    EXPECT_EQ(r.status, config::load_status::ok);
    return r.data;
}

const char* const sample = "[general]\nenabled = yes\nwebenabled = yes\n\n"
                           "[tpl](!)\nread = user\n\n"
                           "[limited](tpl)\nsecret = limpw\nwrite => user\n\n"
                           "[q]\nx = \"a\\b\"\nx = 2\n";

TEST(ManagerConfigRender, GetConfigAll) {
    EXPECT_EQ(render_get_config(parse(sample), "", ""),
              "Category-000000: general\r\nLine-000000-000000: enabled=yes\r\nLine-000000-000001: webenabled=yes\r\n"
              "Category-000001: limited\r\nTemplates-000001: tpl\r\nLine-000001-000000: read=user\r\n"
              "Line-000001-000001: secret=limpw\r\nLine-000001-000002: write=user\r\n"
              "Category-000002: q\r\nLine-000002-000000: x=\"a\\b\"\r\nLine-000002-000001: x=2\r\n\r\n");
}

TEST(ManagerConfigRender, GetConfigCategoryAndFilter) {
    auto m = parse(sample);
    EXPECT_EQ(render_get_config(m, "GENERAL", ""),
              "Category-000000: general\r\nLine-000000-000000: enabled=yes\r\nLine-000000-000001: webenabled=yes\r\n"
              "\r\n");
    EXPECT_EQ(render_get_config(m, "nonesuch", ""), "No categories found\r\n\r\n");
    EXPECT_EQ(render_get_config(m, "tpl", ""), "No categories found\r\n\r\n");
    EXPECT_EQ(render_get_config(m, "tpl", "TEMPLATES=include"),
              "Category-000000: tpl\r\nIsTemplate-000000: 1\r\nLine-000000-000000: read=user\r\n\r\n");
    EXPECT_EQ(render_get_config(m, "", "TEMPLATES=restrict"),
              "Category-000000: tpl\r\nIsTemplate-000000: 1\r\nLine-000000-000000: read=user\r\n\r\n");
    EXPECT_EQ(render_get_config(m, "", "secret=^lim"),
              "Category-000000: limited\r\nTemplates-000000: tpl\r\nLine-000000-000000: read=user\r\n"
              "Line-000000-000001: secret=limpw\r\nLine-000000-000002: write=user\r\n\r\n");
    EXPECT_EQ(render_get_config(m, "", "nomatch=.*"), "\r\n"); // no Category: no "No categories found"
}

TEST(ManagerConfigRender, GetConfigJson) {
    auto m = parse(sample);
    EXPECT_EQ(render_get_config_json(m, "limited", ""),
              "JSON: {\"limited\":{\"templates\":\"tpl\",\"read\":\"user\",\"secret\":\"limpw\",\"write\":\"user\"}}"
              "\r\n\r\n");
    // [QUIRK] duplicates kept, only \ and " escaped.
    EXPECT_EQ(render_get_config_json(m, "q", ""), "JSON: {\"q\":{\"x\":\"\\\"a\\\\b\\\"\",\"x\":\"2\"}}\r\n\r\n");
    EXPECT_EQ(render_get_config_json(m, "tpl", "TEMPLATES=include"),
              "JSON: {\"tpl\":{\"istemplate\":1,\"read\":\"user\"}}\r\n\r\n");
    EXPECT_EQ(render_get_config_json(m, "nonesuch", ""), "JSON: {}\r\n\r\n");
    EXPECT_EQ(render_get_config_json(parse("[a]\n[b]\nk=a\x01"
                                           "b\n"),
                                     "", ""),
              "JSON: {\"a\":{},\"b\":{\"k\":\"a\x01"
              "b\"}}\r\n\r\n");
}

TEST(ManagerConfigRender, ListCategories) {
    auto m = parse(sample);
    EXPECT_EQ(render_list_categories(m, ""),
              "Category-000000: general\r\nCategory-000001: limited\r\nCategory-000002: q\r\n\r\n");
    EXPECT_EQ(render_list_categories(m, "enabled=yes"), "Category-000000: general\r\n\r\n");
    EXPECT_EQ(render_list_categories(m, "zz=zz"), "Error: no categories found\r\n\r\n");
}

// ---- UpdateConfig verbs ----

message request(std::vector<message::line> lines) {
    return message(std::move(lines));
}

std::string get_all(const config::model& m) {
    return render_get_config(m, "", "TEMPLATES=include");
}

TEST(ManagerConfigUpdate, NewCatAppendInsertBefore) {
    auto m = parse("");
    auto r = apply_updates(m, request({{"Action-000000", "NewCat"},
                                       {"Cat-000000", "c1"},
                                       {"Action-000001", "append"},
                                       {"Cat-000001", "c1"},
                                       {"Var-000001", "k"},
                                       {"Value-000001", "v"},
                                       {"Action-000002", "NewCat"},
                                       {"Cat-000002", "c0"},
                                       {"Match-000002", "C1"}}));
    EXPECT_EQ(r, update_result::ok);
    EXPECT_EQ(get_all(m), "Category-000000: c0\r\nCategory-000001: c1\r\nLine-000001-000000: k=v\r\n\r\n");
}

TEST(ManagerConfigUpdate, StopsAtFirstMissingAction) {
    auto m = parse("");
    auto r = apply_updates(m, request({{"Action-000000", "NewCat"},
                                       {"Cat-000000", "a"},
                                       {"Action-000001", ""},
                                       {"Action-000002", "Frob"},
                                       {"Cat-000002", "a"}}));
    EXPECT_EQ(r, update_result::ok);
    EXPECT_EQ(get_all(m), "Category-000000: a\r\n\r\n");
}

TEST(ManagerConfigUpdate, Errors) {
    auto m = parse("[c1]\nk = v\n[t](!)\n");
    auto run = [&](std::vector<message::line> lines) {
        auto copy = m;
        return apply_updates(copy, request(std::move(lines)));
    };
    EXPECT_EQ(run({{"Action-000000", "Update"}, {"Cat-000000", "c1"}, {"Var-000000", "nokey"}, {"Value-000000", "x"}}),
              update_result::failure_update);
    EXPECT_EQ(run({{"Action-000000", "Frob"}, {"Cat-000000", "c1"}}), update_result::unknown_action);
    EXPECT_EQ(run({{"Action-000000", "Append"}}), update_result::unspecified_category);
    EXPECT_EQ(run({{"Action-000000", "DelCat"}, {"Cat-000000", "zz"}}), update_result::unknown_category);
    EXPECT_EQ(run({{"Action-000000", "RenameCat"}, {"Cat-000000", "c1"}}), update_result::unspecified_argument);
    EXPECT_EQ(run({{"Action-000000", "NewCat"}, {"Cat-000000", "C1"}}), update_result::failure_newcat);
    EXPECT_EQ(run({{"Action-000000", "NewCat"}, {"Cat-000000", "t"}}), update_result::failure_newcat);
    EXPECT_EQ(run({{"Action-000000", "NewCat"}, {"Cat-000000", "n"}, {"Match-000000", "zz"}}),
              update_result::failure_newcat);
    EXPECT_EQ(run({{"Action-000000", "NewCat"}, {"Cat-000000", "n"}, {"Options-000000", "inherit=c1"}}),
              update_result::failure_template); // only templates are inherited
    EXPECT_EQ(run({{"Action-000000", "Delete"}, {"Cat-000000", "c1"}}), update_result::unspecified_argument);
    EXPECT_EQ(run({{"Action-000000", "Delete"}, {"Cat-000000", "c1"}, {"Var-000000", "zz"}}),
              update_result::failure_update);
    EXPECT_EQ(run({{"Action-000000", "Delete"}, {"Cat-000000", "c1"}, {"Line-000000", "5"}}),
              update_result::failure_update);
    EXPECT_EQ(run({{"Action-000000", "Delete"}, {"Cat-000000", "c1"}, {"Line-000000", "-1"}}),
              update_result::unspecified_argument);
    EXPECT_EQ(run({{"Action-000000", "Insert"}, {"Cat-000000", "c1"}, {"Var-000000", "a"}}),
              update_result::unspecified_argument);
    EXPECT_EQ(run({{"Action-000000", "Insert"}, {"Cat-000000", "zz"}, {"Var-000000", "a"}, {"Line-000000", "0"}}),
              update_result::unknown_category);
    EXPECT_EQ(run({{"Action-000000", "EmptyCat"}, {"Cat-000000", "t"}}), update_result::unknown_category);
    // Decoded line breaks would forge lines in the written file.
    EXPECT_EQ(run({{"Action-000000", "Append"},
                   {"Cat-000000", "c1"},
                   {"Var-000000", "k"},
                   {"Value-000000", "x\n#include /etc/passwd"}}),
              update_result::unspecified_argument);
    EXPECT_EQ(run({{"Action-000000", "NewCat"}, {"Cat-000000", "a]\r[b"}}), update_result::unspecified_argument);
    EXPECT_EQ(run({{"Action-000000", "Append"}, {"Cat-000000", "c1"}, {"Var-000000", std::string("k\0z", 3)}}),
              update_result::unspecified_argument);
    // ignoreerror
    EXPECT_EQ(run({{"Action-000000", "DelCat"}, {"Cat-000000", "zz"}, {"Options-000000", "ignoreerror"}}),
              update_result::ok);
    EXPECT_EQ(run({{"Action-000000", "NewCat"}, {"Cat-000000", "c1"}, {"Options-000000", "ignoreerror"}}),
              update_result::ok);
    EXPECT_EQ(run({{"Action-000000", "Delete"},
                   {"Cat-000000", "c1"},
                   {"Var-000000", "zz"},
                   {"Options-000000", "ignoreerror"}}),
              update_result::ok);
    // stops at the first error
    auto copy = m;
    EXPECT_EQ(apply_updates(copy, request({{"Action-000000", "DelCat"},
                                           {"Cat-000000", "zz"},
                                           {"Action-000001", "DelCat"},
                                           {"Cat-000001", "c1"}})),
              update_result::unknown_category);
    EXPECT_EQ(copy.sections.size(), m.sections.size());
    EXPECT_EQ(update_result_text(update_result::unspecified_argument),
              "Problem with category, value, or line (if required)");
}

TEST(ManagerConfigUpdate, UpdateReplacesLastMatchingInPlace) {
    auto m = parse("[c]\nk = a\nk = B\nk = a\nz = 1\n");
    EXPECT_EQ(apply_updates(m, request({{"Action-000000", "Update"},
                                        {"Cat-000000", "c"},
                                        {"Var-000000", "K"},
                                        {"Value-000000", ">new"},
                                        {"Match-000000", "b"}})),
              update_result::ok);
    EXPECT_EQ(get_all(m), "Category-000000: c\r\nLine-000000-000000: k=a\r\nLine-000000-000001: k=new\r\n"
                          "Line-000000-000002: k=a\r\nLine-000000-000003: z=1\r\n\r\n");
    EXPECT_TRUE(m.sections[0].variables[1].object);
    EXPECT_EQ(
        apply_updates(
            m,
            request({{"Action-000000", "Update"}, {"Cat-000000", "c"}, {"Var-000000", "k"}, {"Value-000000", "last"}})),
        update_result::ok);
    EXPECT_EQ(m.sections[0].variables[2].value, "last");
    EXPECT_EQ(m.sections[0].variables[0].value, "a");
}

TEST(ManagerConfigUpdate, DeleteByNameMatchAndLine) {
    auto m = parse("[c]\nk = a\nk = b\nK = a\nz = 1\n");
    EXPECT_EQ(
        apply_updates(
            m, request({{"Action-000000", "Delete"}, {"Cat-000000", "c"}, {"Var-000000", "k"}, {"Match-000000", "A"}})),
        update_result::ok);
    EXPECT_EQ(get_all(m), "Category-000000: c\r\nLine-000000-000000: k=b\r\nLine-000000-000001: z=1\r\n\r\n");
    EXPECT_EQ(apply_updates(m, request({{"Action-000000", "Delete"}, {"Cat-000000", "c"}, {"Line-000000", "1"}})),
              update_result::ok);
    EXPECT_EQ(get_all(m), "Category-000000: c\r\nLine-000000-000000: k=b\r\n\r\n");
}

TEST(ManagerConfigUpdate, InsertPositionsAndEmptyCategoryFix) {
    auto m = parse("[c]\na = 1\nb = 2\n[e]\n");
    auto ins = [&](const char* cat, const char* var, const char* line) {
        return apply_updates(m, request({{"Action-000000", "Insert"},
                                         {"Cat-000000", cat},
                                         {"Var-000000", var},
                                         {"Value-000000", "x"},
                                         {"Line-000000", line}}));
    };
    EXPECT_EQ(ins("c", "first", "0"), update_result::ok);
    EXPECT_EQ(ins("c", "second", "1"), update_result::ok);
    EXPECT_EQ(ins("c", "last", "99"), update_result::ok);
    EXPECT_EQ(ins("e", "only", "3"), update_result::ok); // [FIX] empty category: append, no crash
    EXPECT_EQ(get_all(m), "Category-000000: c\r\nLine-000000-000000: first=x\r\nLine-000000-000001: second=x\r\n"
                          "Line-000000-000002: a=1\r\nLine-000000-000003: b=2\r\nLine-000000-000004: last=x\r\n"
                          "Category-000001: e\r\nLine-000001-000000: only=x\r\n\r\n");
    EXPECT_EQ(ins("c", "bad", "x1"), update_result::unspecified_argument);
}

TEST(ManagerConfigUpdate, RenameEmptyDelCatAndDuplicates) {
    auto m = parse("[a]\nk = 1\n[a]\nk = 2\n[b]\nq = 1\n");
    EXPECT_EQ(apply_updates(m, request({{"Action-000000", "RenameCat"},
                                        {"Cat-000000", "a"},
                                        {"Value-000000", "z"},
                                        {"Options-000000", "catfilter=k=2"}})),
              update_result::ok);
    EXPECT_EQ(apply_updates(m, request({{"Action-000000", "EmptyCat"}, {"Cat-000000", "B"}})), update_result::ok);
    EXPECT_EQ(get_all(m), "Category-000000: a\r\nLine-000000-000000: k=1\r\nCategory-000001: z\r\n"
                          "Line-000001-000000: k=2\r\nCategory-000002: b\r\n\r\n");
    EXPECT_EQ(apply_updates(m, request({{"Action-000000", "NewCat"},
                                        {"Cat-000000", "b"},
                                        {"Options-000000", "allowdups"},
                                        {"Action-000001", "Append"},
                                        {"Cat-000001", "b"},
                                        {"Var-000001", "o"},
                                        {"Value-000001", "v"},
                                        {"Match-000001", "object"}})),
              update_result::ok);
    ASSERT_EQ(m.sections.size(), 4u);
    EXPECT_EQ(m.sections[2].variables.size(), 1u); // Append goes to every `b`
    EXPECT_TRUE(m.sections[3].variables.at(0).object);
    EXPECT_EQ(apply_updates(m, request({{"Action-000000", "DelCat"}, {"Cat-000000", "b"}})), update_result::ok);
    EXPECT_EQ(m.sections.size(), 2u);
}

TEST(ManagerConfigUpdate, TemplatesAndInherit) {
    auto m = parse("[t1](!)\na = 1\n[t2](!)\nb = 2\n");
    EXPECT_EQ(apply_updates(m, request({{"Action-000000", "NewCat"},
                                        {"Cat-000000", "t3"},
                                        {"Options-000000", "template"},
                                        {"Action-000001", "NewCat"},
                                        {"Cat-000001", "s"},
                                        {"Options-000001", "inherit=t1,T2,allowdups"}})),
              update_result::ok);
    ASSERT_EQ(m.sections.size(), 4u);
    EXPECT_TRUE(m.sections[2].is_template);
    const auto& s = m.sections[3];
    EXPECT_EQ(s.bases, (std::vector<std::string>{"t1", "t2"}));
    ASSERT_EQ(s.variables.size(), 2u);
    EXPECT_TRUE(s.variables[0].inherited);
    // Templates are reached only through catfilter TEMPLATES=...
    EXPECT_EQ(apply_updates(m, request({{"Action-000000", "DelCat"}, {"Cat-000000", "t1"}})),
              update_result::unknown_category);
    EXPECT_EQ(apply_updates(m, request({{"Action-000000", "DelCat"},
                                        {"Cat-000000", "t1"},
                                        {"Options-000000", "catfilter=TEMPLATES=include"}})),
              update_result::ok);
}

// Load, update and save real files, as UpdateConfig does (spec 00 §2.6 round trip shape).
TEST_F(ConfigDir, SaveAfterUpdateWritesDestination) {
    tmp_.write("etc/rt.conf", "; HTTP settings\n[general]\nenabled = yes ; turn on\n\n[tpl](!)\nprefix => /ami\n\n"
                              "[site](tpl)\nprefix = /ari\n");
    config::load_options lo;
    lo.etc_dir = etc_;
    lo.with_comments = true;
    auto r = config::load(check_config_path("rt.conf", area_).path, lo);
    ASSERT_EQ(r.status, config::load_status::ok);
    ASSERT_EQ(apply_updates(r.data, request({{"Action-000000", "Append"},
                                             {"Cat-000000", "general"},
                                             {"Var-000000", "bindport"},
                                             {"Value-000000", "8088"}})),
              update_result::ok);
    config::save_options so;
    so.now = 1786031149; // any fixed time
    ASSERT_EQ(config::save(r.data, "rt.conf", lo, so), config::save_status::ok);
    std::string text = read_file(etc_ + "/rt.conf");
    EXPECT_NE(text.find(";! Filename: rt.conf (" + etc_ + "/rt.conf)\n"), std::string::npos) << text;
    EXPECT_NE(text.find("; HTTP settings\n[general]\nenabled = yes   ; turn on\nbindport = 8088\n\n[tpl](!)\n"
                        "prefix => /ami\n\n[site](tpl)\nprefix = /ari\n"),
              std::string::npos)
        << text;
}

} // namespace
} // namespace ahttp::manager
