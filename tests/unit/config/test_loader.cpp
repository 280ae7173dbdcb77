// Rules of spec 00 §1 (reader) beyond the worked examples, and the §9 fixes W1, W3, W4, W5.
#include "config/loader.hpp"

#include "ahttp/config.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

namespace ahttp::config {
namespace {

using testing::log_capture;
using testing::temp_dir;
using testing::vars_of;
using strings = std::vector<std::string>;

class ConfigLoader : public ::testing::Test {
  protected:
    load_result parse(std::string_view text, load_options o) {
        dir_.write("x.conf", text);
        return load("x.conf", o);
    }
    load_result parse(std::string_view text) { return parse(text, dir_.options()); }
    std::string path(const std::string& name = "x.conf") const { return dir_.file(name); }

    temp_dir dir_;
    log_capture log_;
};

// ---- §1.1 file resolution --------------------------------------------------------------------------------

TEST_F(ConfigLoader, ResolveName) {
    EXPECT_EQ(detail::resolve_name("/abs/x.conf", "/etc/asterisk"), "/abs/x.conf");
    EXPECT_EQ(detail::resolve_name("sub/x.conf", "/etc/asterisk"), "/etc/asterisk/sub/x.conf");
}

TEST_F(ConfigLoader, MissingTopLevelIsMissingNotInvalid) {
    auto r = load("nothere.conf", dir_.options());
    EXPECT_EQ(r.status, load_status::missing);
    EXPECT_EQ(log_.problems(), 0u);
    EXPECT_TRUE(r.data.files.empty());
}

TEST_F(ConfigLoader, AbsoluteTopLevelName) {
    dir_.write("abs.conf", "[g]\nk=1\n");
    load_options o;
    o.etc_dir = "/nonexistent-etc";
    auto r = load(dir_.file("abs.conf"), o);
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_EQ(r.data.files.at(0).path, dir_.file("abs.conf"));
    EXPECT_EQ(r.data.sections.at(0).file, dir_.file("abs.conf"));
}

TEST_F(ConfigLoader, IncludeResolvesAgainstEtcDirNotIncludingFile) {
    dir_.write("sub/b.conf", "#include \"x2.conf\"\n");
    dir_.write("x2.conf", "k=top\n");
    dir_.write("sub/x2.conf", "k=sub\n");
    auto r = parse("[g]\n#include sub/b.conf\n");
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_EQ(r.data.value("g", "k"), "top");
}

TEST_F(ConfigLoader, GlobIncludeReadsMatchesSorted) {
    dir_.write("inc/b.conf", "k=b\n");
    dir_.write("inc/a.conf", "k=a\n");
    dir_.write("inc/c.txt", "k=c\n");
    auto r = parse("[g]\n#include inc/*.conf\n");
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_EQ(vars_of(*r.data.find_section("g")), (strings{"k=a", "k=b"}));
    EXPECT_TRUE(r.always_changed); // a glob with more than one match
    EXPECT_EQ(r.data.includes.at(0).argument, "inc/*.conf");
    EXPECT_EQ(r.data.find_section("g")->variables[1].file, dir_.file("inc/b.conf"));
}

TEST_F(ConfigLoader, BraceExpansion) {
    dir_.write("p.conf", "k=p\n");
    dir_.write("q.conf", "k=q\n");
    auto r = parse("[g]\n#include {q,p}.conf\n");
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_EQ(vars_of(*r.data.find_section("g")), (strings{"k=q", "k=p"}));
}

TEST_F(ConfigLoader, TopLevelGlobContinuesSectionAcrossFiles) {
    dir_.write("m1.conf", "[g]\na=1\n");
    dir_.write("m2.conf", "b=2\n");
    auto r = load("m*.conf", dir_.options());
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_EQ(vars_of(*r.data.find_section("g")), (strings{"a=1", "b=2"}));
    EXPECT_TRUE(r.always_changed);
    ASSERT_EQ(r.data.files.size(), 2u);
    EXPECT_EQ(r.data.files[0].path, dir_.file("m1.conf"));
}

TEST_F(ConfigLoader, NotARegularFile) {
    std::filesystem::create_directories(dir_.file("d.conf"));
    auto r = parse("[g]\n#tryinclude d.conf\nk=1\n");
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_TRUE(log_.has(log_level::warning, "'" + dir_.file("d.conf") + "' is not a regular file, ignoring"));
}

TEST_F(ConfigLoader, LongPathsAndNamesAreNotTruncatedW1) {
    std::string name(300, 'n');
    std::string file = std::string(200, 'f') + ".conf";
    dir_.write(file, "k=1\n");
    auto r = parse("[" + name + "]\n#include " + file + "\n");
    ASSERT_EQ(r.status, load_status::ok) << log_.dump();
    EXPECT_EQ(r.data.value(name, "k"), "1");
}

// ---- §1.2 physical lines ---------------------------------------------------------------------------------

TEST_F(ConfigLoader, NulEndsLineContent) {
    auto r = parse(std::string_view("[g]\nk=ab\0;junk\nz=1\n", 19));
    EXPECT_EQ(r.data.value("g", "k"), "ab");
    EXPECT_EQ(r.data.value("g", "z"), "1");
    EXPECT_EQ(log_.problems(), 0u);
}

TEST_F(ConfigLoader, BomOnlyOnFirstLine) {
    auto r = parse("[g]\n\xEF\xBB\xBFk=1\n");
    EXPECT_EQ(r.data.value("g", "\xEF\xBB\xBFk"), "1");
}

TEST_F(ConfigLoader, LineNumbersArePerFile) {
    dir_.write("inc.conf", "\n\nbad line\n");
    auto r = parse("[g]\n\n\n\n#include inc.conf\n");
    EXPECT_EQ(r.status, load_status::ok);
    EXPECT_TRUE(log_.has(log_level::warning, "No '=' (equal sign) in line 3 of " + path("inc.conf")));
}

TEST_F(ConfigLoader, TrailingBackslashIsOrdinary) {
    auto r = parse("[g]\na = x\\\nb = y\n");
    EXPECT_EQ(r.data.value("g", "a"), "x\\");
    EXPECT_EQ(r.data.value("g", "b"), "y");
}

// ---- §1.3 comments ---------------------------------------------------------------------------------------

TEST_F(ConfigLoader, BlockCommentSpanningLines) {
    auto r = parse("[g]\na=1 ;-- start\nb=2\n--; c=3\n");
    EXPECT_EQ(vars_of(*r.data.find_section("g")), (strings{"a=1", "c=3"}));
}

TEST_F(ConfigLoader, NestLimitError) {
    std::string text = "[g]\n";
    for (int i = 0; i < 129; ++i)
        text += ";--\n";
    auto r = parse(text);
    EXPECT_EQ(r.status, load_status::ok);
    EXPECT_TRUE(log_.has(log_level::error, "Maximum nest limit of 128 reached."));
    EXPECT_TRUE(log_.has(log_level::warning, "Unterminated comment detected beginning on line 129"));
}

TEST_F(ConfigLoader, StrayCommentEndWarnsAndKeepsParsingW3) {
    auto r = parse("[g]\nx = a--;b ;c\ny = 2\n");
    EXPECT_EQ(r.data.value("g", "x"), "a--;b");
    EXPECT_EQ(r.data.value("g", "y"), "2");
    EXPECT_TRUE(log_.has(log_level::warning,
                         "Comment end '--;' without a comment start in line 2 of " + path() + ", kept as text"));
}

// ---- §1.5 section headers --------------------------------------------------------------------------------

TEST_F(ConfigLoader, HeaderJunkAfterBracketIgnored) {
    auto r = parse("[foo] junk\nk=1\n[]\nz=2\n");
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_EQ(r.data.value("foo", "k"), "1");
    EXPECT_EQ(r.data.value("", "z"), "2");
    EXPECT_EQ(log_.problems(), 0u);
}

TEST_F(ConfigLoader, NameStopsAtFirstBracket) {
    auto r = parse("[a]b](c)\nk=1\n");
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_EQ(r.data.value("a", "k"), "1");
}

TEST_F(ConfigLoader, UnclosedParenthesis) {
    auto r = parse("[t](!)\n[a](t\nk=1\n");
    EXPECT_EQ(r.status, load_status::invalid);
    EXPECT_TRUE(log_.has(log_level::warning, "parse error: no closing ')', line 2 of " + path()));
}

TEST_F(ConfigLoader, OptionsAfterParenIgnored) {
    auto r = parse("[t](!) (x) junk\nk=1\n");
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_TRUE(r.data.sections.at(0).is_template);
}

TEST_F(ConfigLoader, TemplateBangIsCaseInsensitiveAndUntrimmed) {
    auto r = parse("[t]( !)\n");
    EXPECT_EQ(r.status, load_status::invalid);
    EXPECT_TRUE(log_.contains("Inheritance requested, but category ' !' does not exist, line 1 of"));
}

TEST_F(ConfigLoader, InheritanceIsASnapshot) {
    auto r = parse("[b]\nk=1\n[a](b)\n[b](+)\nk=2\nn=3\n");
    EXPECT_EQ(vars_of(*r.data.find_section("a")), strings{"k=1 (i)"});
    EXPECT_EQ(r.data.value("b", "k"), "2");
}

TEST_F(ConfigLoader, InheritFromNonTemplateAndTemplateFlagWithBases) {
    auto r = parse("[b]\nk=1\n[t](!,b)\nz=2\n");
    const section& t = r.data.sections.at(1);
    EXPECT_TRUE(t.is_template);
    EXPECT_EQ(t.bases, strings{"b"});
    EXPECT_EQ(vars_of(t), (strings{"k=1 (i)", "z=2"}));
}

TEST_F(ConfigLoader, MissingBaseIsInvalid) {
    auto r = parse("[a](nope)\n");
    EXPECT_EQ(r.status, load_status::invalid);
    EXPECT_TRUE(
        log_.has(log_level::warning, "Inheritance requested, but category 'nope' does not exist, line 1 of " + path()));
}

TEST_F(ConfigLoader, BaseMustBeDefinedEarlier) {
    auto r = parse("[a](b)\n[b]\n");
    EXPECT_EQ(r.status, load_status::invalid);
}

TEST_F(ConfigLoader, AppendToMissingSection) {
    auto r = parse("[a]\n[b](+)\nk=1\n");
    EXPECT_EQ(r.status, load_status::invalid);
    EXPECT_TRUE(log_.has(log_level::warning,
                         "Category addition requested, but category 'b' does not exist, line 2 of " + path()));
}

TEST_F(ConfigLoader, AppendSkipsTemplatesWithoutFilter) {
    auto r = parse("[t](!)\nk=1\n[t](+)\nz=1\n");
    EXPECT_EQ(r.status, load_status::invalid);
    log_.clear();
    auto ok = parse("[t](!)\nk=1\n[t](+TEMPLATES=include)\nz=1\n");
    ASSERT_EQ(ok.status, load_status::ok) << log_.dump();
    EXPECT_EQ(vars_of(ok.data.sections.at(0)), (strings{"k=1", "z=1"}));
}

TEST_F(ConfigLoader, AppendTargetsFirstMatchingSection) {
    auto r = parse("[a]\nx=1\n[a]\nx=2\n[a](+)\ny=3\n");
    EXPECT_EQ(vars_of(r.data.sections.at(0)), (strings{"x=1", "y=3"}));
    EXPECT_EQ(vars_of(r.data.sections.at(1)), strings{"x=2"});
}

TEST_F(ConfigLoader, AppendFilterSelectsSection) {
    auto r = parse("[a]\ntype=peer\n[a]\ntype=user\n[a](+type=^user$)\ny=3\n");
    ASSERT_EQ(r.status, load_status::ok) << log_.dump();
    EXPECT_EQ(vars_of(r.data.sections.at(1)), (strings{"type=user", "y=3"}));
}

TEST_F(ConfigLoader, AppendWithTemplateAndBases) {
    // Items before `+` gather into the new header, then move to the target; later items apply to the target.
    auto r = parse("[t](!)\nk=1\n[a]\nx=1\n[a](t,+,!)\ny=2\n");
    ASSERT_EQ(r.status, load_status::ok) << log_.dump();
    ASSERT_EQ(r.data.sections.size(), 2u);
    const section& a = r.data.sections[1];
    EXPECT_TRUE(a.is_template);
    EXPECT_EQ(vars_of(a), (strings{"x=1", "k=1 (i)", "y=2"}));
    auto r2 = parse("[t](!)\nk=1\n[a]\nx=1\n[a](+,t)\ny=2\n");
    EXPECT_EQ(r2.data.sections[1].bases, strings{"t"});
    EXPECT_EQ(vars_of(r2.data.sections[1]), (strings{"x=1", "k=1 (i)", "y=2"}));
}

TEST_F(ConfigLoader, ManySameNamedTemplatesStayFast) {
    // Lookups go through an index: 40000 appends behind 40000 templates must not be quadratic.
    std::string text;
    for (int i = 0; i < 40000; ++i)
        text += "[a](!)\n";
    text += "[a]\n";
    for (int i = 0; i < 40000; ++i)
        text += "[a](+)\nv+=x\n";
    auto r = parse(text);
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_EQ(r.data.value("a", "v").size(), 40000u);
}

// ---- §1.7 variables --------------------------------------------------------------------------------------

TEST_F(ConfigLoader, NameMayContainBlanksValueMayContainEquals) {
    auto r = parse("[g]\nmy var = a=b\nempty =\n");
    EXPECT_EQ(r.data.value("g", "my var"), "a=b");
    ASSERT_NE(r.data.find_section("g")->find("empty"), nullptr);
    EXPECT_EQ(r.data.value("g", "empty", "x"), "");
}

TEST_F(ConfigLoader, EscapedEquals) {
    auto r = parse("[g]\n\\==x\n\\+=y\n");
    EXPECT_EQ(vars_of(*r.data.find_section("g")), (strings{"==x", "+=y"}));
}

TEST_F(ConfigLoader, InvalidEscape) {
    auto r = parse("[g]\n\\ x=1\n");
    EXPECT_EQ(r.status, load_status::invalid);
    EXPECT_TRUE(log_.has(log_level::error, "Invalid escape in line 2 of " + path()));
    auto r2 = parse("[g]\n\\\n");
    EXPECT_EQ(r2.status, load_status::invalid);
}

TEST_F(ConfigLoader, NoEqualsAndNoNameWarnAndContinue) {
    auto r = parse("[g]\njunk\n= x\n+= y\nk=1\n");
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_EQ(vars_of(*r.data.find_section("g")), strings{"k=1"});
    EXPECT_TRUE(log_.has(log_level::warning, "No '=' (equal sign) in line 2 of " + path()));
    EXPECT_TRUE(log_.has(log_level::warning, "No variable name in line 3 of " + path()));
    EXPECT_TRUE(log_.has(log_level::warning, "No variable name in line 4 of " + path()));
}

TEST_F(ConfigLoader, PlusEqualsDetails) {
    auto r = parse("[g]\na => 1\nb = x\na += 2\nc += new\nb +=  \n");
    const section& g = *r.data.find_section("g");
    EXPECT_EQ(vars_of(g), (strings{"a=1 2 (o)", "b=x", "c=new"}));
}

TEST_F(ConfigLoader, PlusEqualsAppliesToLastExactMatch) {
    auto r = parse("[g]\na=1\na=2\na+=3\n");
    EXPECT_EQ(vars_of(*r.data.find_section("g")), (strings{"a=1", "a=23"}));
}

TEST_F(ConfigLoader, PlusEqualsOnInheritedVariable) {
    auto r = parse("[t](!)\na=1\n[s](t)\na+=2\n");
    EXPECT_EQ(vars_of(*r.data.find_section("s")), strings{"a=12 (i)"});
}

TEST_F(ConfigLoader, DuplicatesKeptInOrder) {
    auto r = parse("[g]\nk=1\nK=2\nk=3\n");
    EXPECT_EQ(vars_of(*r.data.find_section("g")), (strings{"k=1", "K=2", "k=3"}));
    EXPECT_EQ(r.data.value("g", "k"), "3");
}

TEST_F(ConfigLoader, VariableRecordsFileAndLine) {
    auto r = parse("[g]\n\nk=1\n");
    const variable& v = r.data.find_section("g")->variables.at(0);
    EXPECT_EQ(v.file, path());
    EXPECT_EQ(v.line, 3);
    EXPECT_EQ(r.data.sections.at(0).line, 1);
}

// ---- §1.8 directives -------------------------------------------------------------------------------------

TEST_F(ConfigLoader, DirectiveNamesAndQuoting) {
    dir_.write("q.conf", "a=1\n");
    dir_.write("r.conf", "b=2\n");
    auto r = parse("[g]\n#INCLUDE <q.conf>\n#TryInclude \"r.conf\"\n#include\"q.conf\"\n");
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_EQ(vars_of(*r.data.find_section("g")), (strings{"a=1", "b=2"}));
    EXPECT_TRUE(log_.has(log_level::warning, "Unknown directive '#include\"q.conf\"' at line 4 of " + path()));
    ASSERT_EQ(r.data.includes.size(), 2u);
    EXPECT_EQ(r.data.includes[0].kind, include_kind::include);
    EXPECT_EQ(r.data.includes[0].argument, "q.conf");
    EXPECT_EQ(r.data.includes[1].kind, include_kind::tryinclude);
    EXPECT_EQ(r.data.includes[1].line, 3);
}

TEST_F(ConfigLoader, QuotesKeptWhenUnbalanced) {
    auto r = parse("[g]\n#tryinclude \"x.conf\n");
    EXPECT_EQ(r.data.includes.at(0).argument, "\"x.conf");
}

TEST_F(ConfigLoader, DirectiveWithoutArgument) {
    load_options o = dir_.options();
    auto r = parse("[g]\n#include\n#tryinclude   \n#exec\n", o);
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_TRUE(
        log_.has(log_level::warning, "Directive '#include' needs an argument (filename) at line 2 of " + path()));
    EXPECT_TRUE(
        log_.has(log_level::warning, "Directive '#tryinclude' needs an argument (filename) at line 3 of " + path()));
    EXPECT_TRUE(log_.contains("Cannot perform #exec unless execincludes"));
    log_.clear();
    o.exec_includes = true;
    parse("[g]\n#exec\n", o);
    EXPECT_TRUE(log_.has(log_level::warning,
                         "Directive '#exec' needs an argument (/path/to/executable) at line 2 of " + path()));
}

TEST_F(ConfigLoader, IncludeRestoresParentSection) {
    dir_.write("inc.conf", "a=1\n[other]\nb=2\n");
    auto r = parse("[g]\n#include inc.conf\nc=3\n");
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_EQ(vars_of(*r.data.find_section("g")), (strings{"a=1", "c=3"}));
    EXPECT_EQ(vars_of(*r.data.find_section("other")), strings{"b=2"});
}

TEST_F(ConfigLoader, IncludedFileWithoutSectionAtTopLevelIsInvalid) {
    dir_.write("inc.conf", "a=1\n");
    auto r = parse("#include inc.conf\n[g]\n");
    EXPECT_EQ(r.status, load_status::invalid);
    EXPECT_TRUE(log_.contains("parse error: No category context for line 1 of " + path("inc.conf")));
}

TEST_F(ConfigLoader, IncludeDepthLimit) {
    for (int i = 1; i <= 10; ++i)
        dir_.write(fmt::format("l{}.conf", i), fmt::format("k{}=1\n#include l{}.conf\n", i, i + 1));
    dir_.write("l11.conf", "k11=1\n");
    auto r = parse("[g]\n#include l1.conf\n");
    EXPECT_EQ(r.status, load_status::invalid);
    EXPECT_TRUE(log_.has(log_level::warning, "Maximum Include level (10) exceeded"));
    EXPECT_TRUE(log_.has(log_level::error, "The file 'l10.conf' was listed as a #include but it does not exist."));
    // W4: the failing included file is named with its line.
    EXPECT_TRUE(log_.contains("Included file '" + path("l9.conf") + "' is invalid (line 2 of " + path("l9.conf")));
}

TEST_F(ConfigLoader, IncludeDepthLimitWithTryIncludeIsQuiet) {
    for (int i = 1; i <= 10; ++i)
        dir_.write(fmt::format("l{}.conf", i), fmt::format("k{}=1\n#tryinclude l{}.conf\n", i, i + 1));
    dir_.write("l11.conf", "k11=1\n");
    auto r = parse("[g]\n#tryinclude l1.conf\n");
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_EQ(r.data.find_section("g")->variables.size(), 9u); // x.conf is level 1, l1..l9 are read
    EXPECT_TRUE(log_.has(log_level::warning, "Maximum Include level (10) exceeded"));
    EXPECT_EQ(log_.problems(), 1u) << log_.dump();
}

TEST_F(ConfigLoader, SameFileIncludedTwiceIsRenamed) {
    dir_.write("inc.conf", "k=1\n");
    dir_.write("inc.conf~~1", "occupied\n");
    auto r = parse("[g]\n#include inc.conf\n#include inc.conf\n#tryinclude inc.conf\n");
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_TRUE(log_.has(log_level::warning, "'" + path() +
                                                 "', line 3:  Same File included more than once! This data "
                                                 "will be saved in inc.conf~~2 if saved back to disk."));
    EXPECT_TRUE(log_.contains("This data will be saved in inc.conf~~3 if"));
    ASSERT_EQ(r.data.includes.size(), 3u);
    EXPECT_EQ(r.data.includes[0].argument, "inc.conf");
    EXPECT_EQ(r.data.includes[1].argument, "inc.conf~~2");
    EXPECT_EQ(r.data.includes[2].argument, "inc.conf~~3");
    const auto& vars = r.data.find_section("g")->variables;
    ASSERT_EQ(vars.size(), 3u);
    EXPECT_EQ(vars[0].file, path("inc.conf"));
    EXPECT_EQ(vars[1].file, path("inc.conf~~2"));
    EXPECT_EQ(vars[2].file, path("inc.conf~~3"));
}

TEST_F(ConfigLoader, ErrorInIncludedFileInvalidatesLoadW4) {
    dir_.write("inc.conf", "a=1\n[broken\nb=2\n");
    auto r = parse("[g]\n#include inc.conf\nc=3\n");
    EXPECT_EQ(r.status, load_status::invalid);
    EXPECT_TRUE(log_.has(log_level::warning, "parse error: no closing ']', line 2 of " + path("inc.conf")));
    EXPECT_TRUE(log_.has(log_level::error, "Included file '" + path("inc.conf") + "' is invalid (line 2 of " +
                                               path("inc.conf") + "), included from line 2 of " + path()));
    EXPECT_EQ(r.data.find_section("g")->find("c"), nullptr); // reading stopped
}

TEST_F(ConfigLoader, ErrorInTryIncludedFileAlsoInvalidatesW4) {
    dir_.write("inc.conf", "\\ bad\n");
    auto r = parse("[g]\n#tryinclude inc.conf\n");
    EXPECT_EQ(r.status, load_status::invalid);
}

TEST_F(ConfigLoader, IndirectIncludeLoopW5) {
    dir_.write("a.conf", "[s]\n#include b.conf\n");
    dir_.write("b.conf", "k=1\n#include a.conf\n");
    auto r = load("a.conf", dir_.options());
    EXPECT_EQ(r.status, load_status::invalid);
    EXPECT_TRUE(log_.has(log_level::error,
                         "Include loop: '" + path("a.conf") + "' is already being read, line 2 of " + path("b.conf")));
    EXPECT_FALSE(log_.contains("Maximum Include level"));
}

TEST_F(ConfigLoader, TryIncludeLoopIsLoggedButNotFatalW5) {
    dir_.write("a.conf", "[s]\nk=1\n#tryinclude a.conf\nz=2\n");
    auto r = load("a.conf", dir_.options());
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_EQ(vars_of(*r.data.find_section("s")), (strings{"k=1", "z=2"}));
    EXPECT_TRUE(log_.contains("Include loop:"));
}

TEST_F(ConfigLoader, SymlinkLoopDetectedByIdentity) {
    dir_.write("real.conf", "[s]\n#include alias.conf\n");
    std::filesystem::create_symlink(dir_.file("real.conf"), dir_.file("alias.conf"));
    auto r = load("real.conf", dir_.options());
    EXPECT_EQ(r.status, load_status::invalid);
    EXPECT_TRUE(log_.contains("Include loop: '" + path("alias.conf") + "'"));
}

TEST_F(ConfigLoader, SameFileTwiceWithoutLoopIsFine) {
    dir_.write("inc.conf", "k=1\n");
    dir_.write("mid.conf", "#include inc.conf\n");
    auto r = parse("[g]\n#include inc.conf\n#include mid.conf\n");
    ASSERT_EQ(r.status, load_status::ok) << log_.dump();
    EXPECT_EQ(r.data.find_section("g")->variables.size(), 2u);
}

// ---- work limits (bad input) -----------------------------------------------------------------------------

TEST_F(ConfigLoader, TemplateExplosionIsCapped) {
    std::string text = "[a]\nk=v\n";
    std::string prev = "a";
    for (int level = 0; level < 6; ++level) {
        std::string name = "s" + std::to_string(level);
        text += "[" + name + "](";
        for (int i = 0; i < 400; ++i)
            text += (i ? "," : "") + prev;
        text += ")\n";
        prev = name;
    }
    load_options o = dir_.options();
    o.max_variables = 100000;
    auto r = parse(text, o);
    EXPECT_EQ(r.status, load_status::invalid);
    EXPECT_TRUE(log_.has(log_level::error, "Too many variables (more than 100000), line 4 of " + path()));
}

TEST_F(ConfigLoader, IncludeExplosionIsCapped) {
    std::string body = "k=1\n";
    for (int i = 0; i < 10; ++i)
        body += "#include leaf.conf\n";
    dir_.write("leaf.conf", "k=2\n");
    dir_.write("mid.conf", "#include leafs.conf\n#include leafs.conf\n#include leafs.conf\n");
    dir_.write("leafs.conf", body);
    std::string text = "[g]\n";
    for (int i = 0; i < 50; ++i)
        text += "#include mid.conf\n";
    load_options o = dir_.options();
    o.max_files = 200;
    auto r = parse(text, o);
    EXPECT_EQ(r.status, load_status::invalid);
    EXPECT_TRUE(log_.contains("Too many files read (more than 200)"));
}

// ---- stamps ----------------------------------------------------------------------------------------------

TEST_F(ConfigLoader, StampsListEveryFileRead) {
    dir_.write("inc.conf", "k=1\n");
    auto r = parse("[g]\n#include inc.conf\n#tryinclude gone.conf\n");
    ASSERT_EQ(r.stamps.size(), 3u);
    EXPECT_EQ(r.stamps[0].path, path());
    EXPECT_EQ(r.stamps[1].path, path("inc.conf"));
    EXPECT_EQ(r.stamps[1].size, 4);
    EXPECT_EQ(r.stamps[2].path, path("gone.conf"));
    EXPECT_EQ(r.stamps[2].size, -1);
    EXPECT_FALSE(r.always_changed);
}

// ---- parse_text ------------------------------------------------------------------------------------------

TEST_F(ConfigLoader, ParseTextUsesPathForMessagesAndIncludes) {
    dir_.write("inc.conf", "k=1\n");
    auto r = parse_text("[g]\n#include inc.conf\njunk\n", "mem.conf", dir_.options());
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_EQ(r.data.value("g", "k"), "1");
    EXPECT_TRUE(log_.has(log_level::warning, "No '=' (equal sign) in line 3 of " + path("mem.conf")));
    EXPECT_EQ(r.data.files.at(0).path, path("mem.conf"));
    EXPECT_TRUE(r.stamps.size() == 1u && r.stamps[0].path == path("inc.conf"));
}

TEST_F(ConfigLoader, ParseTextSelfIncludeIsALoop) {
    dir_.write("mem.conf", "[x]\n");
    auto r = parse_text("[g]\n#include mem.conf\n", "mem.conf", dir_.options());
    EXPECT_EQ(r.status, load_status::invalid);
    EXPECT_TRUE(log_.contains("Include loop"));
}

TEST_F(ConfigLoader, ParseTextEmptyIsOk) {
    auto r = parse_text("", "mem.conf", dir_.options());
    EXPECT_EQ(r.status, load_status::ok);
    EXPECT_TRUE(r.data.sections.empty());
}

// ---- bad input (bad-input.md row 33) ---------------------------------------------------------------------

TEST_F(ConfigLoader, BadInputRow33) {
    EXPECT_EQ(parse("[unterminated\n").status, load_status::invalid);
    EXPECT_TRUE(log_.contains("line 1 of " + path()));
    EXPECT_EQ(parse("[g]\n" + std::string(1 << 20, 'z') + "\n").status, load_status::ok);
    EXPECT_EQ(parse("[g]\n#include missing.conf\n").status, load_status::invalid);
    EXPECT_EQ(parse("[a](missing_template)\n").status, load_status::invalid);
    EXPECT_TRUE(
        log_.contains("Inheritance requested, but category 'missing_template' does not exist, line 1 of " + path()));
    dir_.write("loop.conf", "#include x.conf\n");
    EXPECT_EQ(parse("[g]\n#include loop.conf\n").status, load_status::invalid);
}

} // namespace
} // namespace ahttp::config
