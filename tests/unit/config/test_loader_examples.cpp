// Spec 00 §1.12 worked examples 1-28 and §10 acceptance checks 21-36, at the parse level.
#include "ahttp/config.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace ahttp::config {
namespace {

using testing::log_capture;
using testing::temp_dir;
using testing::vars_of;
using strings = std::vector<std::string>;

class ConfigExamples : public ::testing::Test {
  protected:
    load_result parse(std::string_view text, load_options o = {}) {
        if (o.etc_dir == "/etc/asterisk")
            o.etc_dir = dir_.path();
        dir_.write("x.conf", text);
        return load("x.conf", o);
    }
    std::string path() const { return dir_.file("x.conf"); }
    std::vector<std::string> names(const load_result& r) const {
        std::vector<std::string> out;
        for (const auto* s : r.data.visible_sections())
            out.push_back(s->name);
        return out;
    }

    temp_dir dir_;
    log_capture log_;
};

TEST_F(ConfigExamples, Ex01LineComment) {
    auto r = parse("[general]\nenabled = yes ; on\n");
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_EQ(vars_of(*r.data.find_section("general")), strings{"enabled=yes"});
}

TEST_F(ConfigExamples, Ex02EscapedSemicolon) {
    EXPECT_EQ(parse("[g]\nsecret = abc\\;def\n").data.value("g", "secret"), "abc;def");
}

TEST_F(ConfigExamples, Ex03DoubleBackslash) {
    EXPECT_EQ(parse(R"([g]
path = C:\\dir\\;x
)")
                  .data.value("g", "path"),
              R"(C:\\dir\;x)");
}

TEST_F(ConfigExamples, Ex04QuotesAreNotSpecial) {
    EXPECT_EQ(parse("[g]\na = \"x;y\"\n").data.value("g", "a"), "\"x");
}

TEST_F(ConfigExamples, Ex05ObjectFlag) {
    auto r = parse("[g]\na=>b\nc = > d\n");
    EXPECT_EQ(vars_of(*r.data.find_section("g")), (strings{"a=b (o)", "c=> d"}));
}

TEST_F(ConfigExamples, Ex06SectionNameIsVerbatim) {
    auto r = parse("[ g ]\nk=1\n");
    EXPECT_EQ(r.data.find_section("g"), nullptr);
    ASSERT_NE(r.data.find_section(" g "), nullptr);
}

TEST_F(ConfigExamples, Ex07BlankBeforeOptionsDisablesThem) {
    auto r = parse("[g] (!)\nk=1\n");
    ASSERT_NE(r.data.find_section("g"), nullptr);
    EXPECT_FALSE(r.data.find_section("g")->is_template);
    EXPECT_EQ(log_.problems(), 0u);
}

TEST_F(ConfigExamples, Ex08TemplateInheritance) {
    auto r = parse("[t](!)\nk=1\nz=9\n[a](t)\nk=2\n");
    ASSERT_EQ(r.data.sections.size(), 2u);
    EXPECT_TRUE(r.data.sections[0].is_template);
    EXPECT_EQ(vars_of(r.data.sections[0]), (strings{"k=1", "z=9"}));
    EXPECT_EQ(vars_of(*r.data.find_section("a")), (strings{"k=1 (i)", "z=9 (i)", "k=2"}));
    EXPECT_EQ(r.data.value("a", "k"), "2");
    EXPECT_EQ(names(r), strings{"a"});
    EXPECT_EQ(r.data.find_section("a")->bases, strings{"t"});
}

TEST_F(ConfigExamples, Ex09SeveralBases) {
    auto r = parse("[t1](!)\nx=1\n[t2](!)\nx=2\ny=2\n[a](t1,t2)\n");
    EXPECT_EQ(vars_of(*r.data.find_section("a")), (strings{"x=1 (i)", "x=2 (i)", "y=2 (i)"}));
    EXPECT_EQ(r.data.value("a", "x"), "2");
}

TEST_F(ConfigExamples, Ex10BlankInBaseList) {
    auto r = parse("[t](!)\nk=1\n[a](t )\n");
    EXPECT_EQ(r.status, load_status::invalid);
    EXPECT_TRUE(
        log_.has(log_level::warning, "Inheritance requested, but category 't ' does not exist, line 3 of " + path()));
}

TEST_F(ConfigExamples, Ex11AppendSection) {
    auto r = parse("[a]\nx=1\n[b]\ny=2\n[a](+)\nz=3\n");
    ASSERT_EQ(r.data.sections.size(), 2u);
    EXPECT_EQ(vars_of(r.data.sections[0]), (strings{"x=1", "z=3"}));
    EXPECT_EQ(vars_of(r.data.sections[1]), (strings{"y=2"}));
}

TEST_F(ConfigExamples, Ex12DuplicateSections) {
    auto r = parse("[a]\nx=1\n[a]\nx=2\n");
    EXPECT_EQ(names(r), (strings{"a", "a"}));
    EXPECT_EQ(r.data.value("a", "x"), "1");
}

TEST_F(ConfigExamples, Ex13PlusEqualsIsCaseSensitive) {
    auto r = parse("[g]\nv = 1\nv += 2\nV += 3\n");
    EXPECT_EQ(vars_of(*r.data.find_section("g")), (strings{"v=1 2", "V=3"}));
}

TEST_F(ConfigExamples, Ex14EscapedFirstByte) {
    auto r = parse("[g]\n\\#x = 1\n\\[y] = 2\n");
    EXPECT_EQ(vars_of(*r.data.find_section("g")), (strings{"#x=1", "[y]=2"}));
}

TEST_F(ConfigExamples, Ex15InlineBlockComment) {
    EXPECT_EQ(parse("[g]\na = 1 ;-- old --; 2\n").data.value("g", "a"), "1  2");
}

TEST_F(ConfigExamples, Ex16SelfIncludeIsStoppedW5) {
    // Asterisk reads a.conf 11 times; the W5 fix refuses the loop and makes the load invalid.
    dir_.write("a.conf", "[s]\nk=v\n#include a.conf\n");
    auto r = load("a.conf", dir_.options());
    EXPECT_EQ(r.status, load_status::invalid);
    EXPECT_TRUE(log_.contains("Include loop: '" + dir_.file("a.conf") + "' is already being read, line 3 of " +
                              dir_.file("a.conf")));
    EXPECT_EQ(r.data.sections.size(), 1u);
}

TEST_F(ConfigExamples, Ex17TryIncludeMissingIsSilent) {
    auto r = parse("[g]\n#tryinclude nothere.conf\nk=1\n");
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_EQ(vars_of(*r.data.find_section("g")), strings{"k=1"});
    EXPECT_EQ(log_.problems(), 0u) << log_.dump();
}

TEST_F(ConfigExamples, Ex18IncludeMissingIsInvalid) {
    auto r = parse("[g]\n#include nothere.conf\nk=1\n");
    EXPECT_EQ(r.status, load_status::invalid);
    EXPECT_TRUE(log_.has(log_level::error, "The file 'nothere.conf' was listed as a #include but it does not exist."));
}

TEST_F(ConfigExamples, Ex19IncludedFileContinuesSection) {
    dir_.write("http_custom.conf", "enabled=yes\n");
    auto r = parse("[general]\n#include \"http_custom.conf\"\n");
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_EQ(r.data.value("general", "enabled"), "yes");
}

TEST_F(ConfigExamples, Ex20ExecOffAndOn) {
    auto off = parse("[g]\n#exec /bin/echo k=1\n");
    ASSERT_EQ(off.status, load_status::ok);
    EXPECT_TRUE(off.data.find_section("g")->variables.empty());
    EXPECT_TRUE(log_.has(log_level::warning, "Cannot perform #exec unless execincludes option is enabled in "
                                             "asterisk.conf (options section)!"));
    load_options o = dir_.options();
    o.exec_includes = true;
    auto on = parse("[g]\n#exec /bin/echo k=1\n", o);
    ASSERT_EQ(on.status, load_status::ok);
    EXPECT_EQ(vars_of(*on.data.find_section("g")), strings{"k=1"});
    EXPECT_TRUE(on.always_changed);
}

TEST_F(ConfigExamples, Ex21UnclosedSection) {
    auto r = parse("[general\nk=1\n");
    EXPECT_EQ(r.status, load_status::invalid);
    EXPECT_TRUE(log_.has(log_level::warning, "parse error: no closing ']', line 1 of " + path()));
}

TEST_F(ConfigExamples, Ex22NoCategoryContext) {
    auto r = parse("k=1\n[g]\n");
    EXPECT_EQ(r.status, load_status::invalid);
    EXPECT_TRUE(log_.has(log_level::warning, "parse error: No category context for line 1 of " + path()));
}

TEST_F(ConfigExamples, Ex23UnterminatedBlockComment) {
    auto r = parse("[g]\n;--\n[h]\nk=1\n");
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_EQ(names(r), strings{"g"});
    EXPECT_TRUE(log_.has(log_level::warning, "Unterminated comment detected beginning on line 2"));
}

TEST_F(ConfigExamples, Ex24TripleDashIsLineComment) {
    auto r = parse("[g]\n;--- not a block\nk=1\n");
    EXPECT_EQ(vars_of(*r.data.find_section("g")), strings{"k=1"});
}

TEST_F(ConfigExamples, Ex25HugeLineSkipped) {
    auto r = parse("[g]\na=1\n" + std::string(1024 * 1024, 'x') + "\nb=2\nc\n");
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_EQ(vars_of(*r.data.find_section("g")), (strings{"a=1", "b=2"}));
    EXPECT_TRUE(
        log_.has(log_level::warning, "Line 3 too long, skipping. It begins with: " + std::string(32, 'x') + "..."));
    // Numbering continues after the skipped line.
    EXPECT_TRUE(log_.has(log_level::warning, "No '=' (equal sign) in line 5 of " + path()));
}

TEST_F(ConfigExamples, Ex26BomAndInvalidUtf8) {
    auto r = parse("\xEF\xBB\xBF[g]\nk=\xC3\x28\n");
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_EQ(r.data.value("g", "k"), "\xC3\x28");
}

TEST_F(ConfigExamples, Ex27CrIsBlank) {
    EXPECT_EQ(parse("[g]\r\nk = v \r\n").data.value("g", "k"), "v");
}

TEST_F(ConfigExamples, Ex28HashComments) {
    auto r = parse("[g]\n# comment\n#comment\n");
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_TRUE(log_.has(log_level::warning, "Unknown directive '#' at line 2 of " + path()));
    EXPECT_TRUE(log_.has(log_level::warning, "Unknown directive '#comment' at line 3 of " + path()));
}

// ---- §10 acceptance checks 21-36 -------------------------------------------------------------------------

TEST_F(ConfigExamples, Check21) {
    auto r = parse("[general]\nenabled = yes ; c\nbindport=8088\n");
    EXPECT_EQ(r.data.value("general", "enabled"), "yes");
    EXPECT_EQ(r.data.value("general", "bindport"), "8088");
}

TEST_F(ConfigExamples, Check22) {
    auto r = parse("[general\nenabled=yes\n");
    EXPECT_EQ(r.status, load_status::invalid);
    EXPECT_TRUE(log_.contains("parse error: no closing ']', line 1 of " + dir_.path() + "/x.conf"));
}

TEST_F(ConfigExamples, Check23) {
    auto r = parse("[g]\n#include missing.conf\n");
    EXPECT_EQ(r.status, load_status::invalid);
    EXPECT_TRUE(log_.contains("The file 'missing.conf' was listed as a #include but it does not exist."));
}

TEST_F(ConfigExamples, Check24) {
    auto r = parse("[g]\n#tryinclude missing*.conf\nk=1\n");
    EXPECT_EQ(r.status, load_status::ok);
    EXPECT_EQ(r.data.value("g", "k"), "1");
    EXPECT_EQ(log_.problems(), 0u) << log_.dump();
}

TEST_F(ConfigExamples, Check25LoopTerminates) {
    dir_.write("loop.conf", "[s]\nk=v\n#include loop.conf\n");
    auto r = load("loop.conf", dir_.options());
    // W5: the loop is refused at once instead of running into the include limit.
    EXPECT_EQ(r.status, load_status::invalid);
    EXPECT_TRUE(log_.contains("Include loop:"));
}

TEST_F(ConfigExamples, Check26) {
    auto r = parse("[g]\na=1\n" + std::string(1048576, 'x') + "\nb=2\n");
    EXPECT_EQ(r.data.value("g", "a"), "1");
    EXPECT_EQ(r.data.value("g", "b"), "2");
    EXPECT_TRUE(log_.contains("Line 3 too long, skipping. It begins with: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..."));
}

TEST_F(ConfigExamples, Check27) {
    auto r = parse("[g]\nk=\xff\xfe\xc3\x28\n");
    EXPECT_EQ(r.status, load_status::ok);
    EXPECT_EQ(r.data.value("g", "k"), "\xff\xfe\xc3\x28");
    EXPECT_TRUE(log_.records().empty());
}

TEST_F(ConfigExamples, Check28) {
    EXPECT_EQ(parse("[g]\nv=1\nv+=2\n").data.value("g", "v"), "12");
    EXPECT_EQ(parse("[g]\nv=1\nv += 2\n").data.value("g", "v"), "1 2");
}

TEST_F(ConfigExamples, Check29) {
    auto r = parse("[t](!)\nk=1\n[a](t)\n");
    EXPECT_EQ(names(r), strings{"a"});
    EXPECT_EQ(r.data.value("a", "k"), "1");
}

TEST_F(ConfigExamples, Check30) {
    auto r = parse("[a]\nx=1\n[a]\nx=2\n");
    EXPECT_EQ(r.data.value("a", "x"), "1");
    EXPECT_EQ(names(r), (strings{"a", "a"}));
}

TEST_F(ConfigExamples, Check31ParseLevel) {
    EXPECT_EQ(parse("[g]\nk = a\\;b ; c\n").data.value("g", "k"), "a;b");
    // The round trip half is in test_writer.cpp.
}

TEST_F(ConfigExamples, Check32) {
    auto r = parse("[g]\nk=1\n#exec /bin/echo j=2\n");
    EXPECT_EQ(r.data.value("g", "k"), "1");
    EXPECT_EQ(r.data.find_section("g")->find("j"), nullptr);
    EXPECT_TRUE(log_.contains(
        "Cannot perform #exec unless execincludes option is enabled in asterisk.conf (options section)!"));
}

TEST_F(ConfigExamples, Check33) {
    auto r = parse("[g]\n;-- unterminated\nk=1\n");
    EXPECT_EQ(r.status, load_status::ok);
    EXPECT_TRUE(r.data.find_section("g")->variables.empty());
    EXPECT_TRUE(log_.contains("Unterminated comment detected beginning on line 2"));
}

TEST_F(ConfigExamples, Check34StrayCommentEndW3) {
    auto r = parse("[g]\nx = a--;b\ny = 2\n");
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_EQ(r.data.value("g", "x"), "a--;b");
    EXPECT_EQ(r.data.value("g", "y"), "2");
    EXPECT_EQ(log_.problems(), 1u) << log_.dump();
    EXPECT_TRUE(log_.contains("line 2 of " + path()));
    EXPECT_FALSE(log_.contains("Unterminated comment"));
}

TEST_F(ConfigExamples, Check35) {
    auto r = parse("k=1\n");
    EXPECT_EQ(r.status, load_status::invalid);
    EXPECT_TRUE(log_.contains("parse error: No category context for line 1 of"));
}

TEST_F(ConfigExamples, Check36) {
    EXPECT_EQ(parse("\xEF\xBB\xBF[g]\r\nk = v \r\n").data.value("g", "k"), "v");
}

} // namespace
} // namespace ahttp::config
