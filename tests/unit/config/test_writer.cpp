// The writer of spec 00 §2: byte-exact round trip, comments, templates, includes and the §9 fixes.
#include "ahttp/config.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <ctime>

namespace ahttp::config {
namespace {

using testing::log_capture;
using testing::make_var;
using testing::temp_dir;
using testing::vars_of;
using strings = std::vector<std::string>;

constexpr std::time_t aug_6_2026 = 1786031149; // Thu Aug  6 15:45:49 2026 UTC

class ConfigWriter : public ::testing::Test {
  protected:
    void SetUp() override {
        const char* tz = std::getenv("TZ");
        had_tz_ = tz != nullptr;
        if (tz)
            old_tz_ = tz;
        ::setenv("TZ", "UTC", 1);
        ::tzset();
    }
    void TearDown() override {
        if (had_tz_)
            ::setenv("TZ", old_tz_.c_str(), 1);
        else
            ::unsetenv("TZ");
        ::tzset();
    }

    save_options at(std::time_t when = aug_6_2026) {
        save_options o;
        o.now = when;
        return o;
    }
    std::string header(const std::string& dst, const std::string& path,
                       const std::string& date = "Thu Aug  6 15:45:49 2026") const {
        std::string name = dst == path ? dst : dst + " (" + path + ")";
        return ";!\n;! Automatically generated configuration file\n;! Filename: " + name +
               "\n;! Generator: Manager\n;! Creation Date: " + date + "\n;!\n";
    }
    // Loads `name` for rewriting, saves it back to itself and returns the new main file text.
    std::string round_trip(const std::string& name, save_options o) {
        auto r = load(name, dir_.options(true));
        EXPECT_EQ(r.status, load_status::ok) << log_.dump();
        EXPECT_EQ(save(r.data, name, dir_.options(true), o), save_status::ok) << log_.dump();
        return dir_.read(name);
    }
    std::string round_trip(const std::string& name) { return round_trip(name, at()); }
    // Body of a rendered main file (without the six header lines).
    std::string body_of(std::string_view text, const std::string& dst = "x.conf") {
        std::string h = header(dst, dir_.file(dst));
        EXPECT_EQ(text.substr(0, h.size()), h);
        return std::string(text.substr(std::min(h.size(), text.size())));
    }
    std::string render_main(std::string_view text, save_options o = {}) {
        if (o.now == 0)
            o.now = aug_6_2026;
        dir_.write("x.conf", text);
        auto r = load("x.conf", dir_.options(true));
        EXPECT_EQ(r.status, load_status::ok) << log_.dump();
        auto files = render(r.data, "x.conf", dir_.options(true), o);
        EXPECT_FALSE(files.empty());
        return files.empty() ? std::string() : body_of(files[0].text);
    }

    temp_dir dir_;
    log_capture log_;
    bool had_tz_ = false;
    std::string old_tz_;
};

constexpr std::string_view rt_input = "; HTTP settings\n"
                                      "[general]\n"
                                      "enabled = yes ; turn on\n"
                                      "bindport=8088\n"
                                      "servername = Asterisk\\;PBX\n"
                                      "\n"
                                      ";; templates\n"
                                      "[tpl](!)\n"
                                      "prefix => /ami\n"
                                      "\n"
                                      "[site](tpl)\n"
                                      "prefix = /ari\n";

constexpr std::string_view rt_body = "; HTTP settings\n"
                                     "[general]\n"
                                     "enabled = yes   ; turn on\n"
                                     "bindport = 8088\n"
                                     "servername = Asterisk\\;PBX\n"
                                     "\n"
                                     ";; templates\n"
                                     "[tpl](!)\n"
                                     "prefix => /ami\n"
                                     "\n"
                                     "[site](tpl)\n"
                                     "prefix = /ari\n";

TEST_F(ConfigWriter, ByteExactRoundTripSpec26) {
    dir_.write("rt.conf", rt_input);
    std::string first = round_trip("rt.conf");
    EXPECT_EQ(first, header("rt.conf", dir_.file("rt.conf")) + std::string(rt_body));
    EXPECT_EQ(log_.problems(), 0u) << log_.dump();

    // A second save is identical except for the date line.
    std::string second = round_trip("rt.conf", at(aug_6_2026 + 86400 + 3600));
    EXPECT_EQ(second, header("rt.conf", dir_.file("rt.conf"), "Fri Aug  7 16:45:49 2026") + std::string(rt_body));
}

TEST_F(ConfigWriter, CtimeFormatPadsDay) {
    dir_.write("x.conf", "[g]\n");
    auto r = load("x.conf", dir_.options(true));
    auto files = render(r.data, "x.conf", dir_.options(true), at(1767225600)); // 2026-01-01 00:00:00 UTC
    EXPECT_NE(files.at(0).text.find(";! Creation Date: Thu Jan  1 00:00:00 2026\n"), std::string::npos);
    auto later = render(r.data, "x.conf", dir_.options(true), at(1767225600 + 86400 * 20 + 3 * 3600 + 61));
    EXPECT_NE(later.at(0).text.find(";! Creation Date: Wed Jan 21 03:01:01 2026\n"), std::string::npos);
}

TEST_F(ConfigWriter, HeaderNamesDestinationAndPath) {
    dir_.write("x.conf", "[g]\n");
    auto r = load("x.conf", dir_.options(true));
    save_options o = at();
    o.generator = "Test";
    auto files = render(r.data, dir_.file("x.conf"), dir_.options(true), o);
    EXPECT_NE(files.at(0).text.find(";! Filename: " + dir_.file("x.conf") + "\n;! Generator: Test\n"),
              std::string::npos);
    // A different destination: the source's items go there.
    auto other = render(r.data, "y.conf", dir_.options(true), at());
    EXPECT_EQ(other.at(0).path, dir_.file("y.conf"));
    EXPECT_EQ(other[0].text, header("y.conf", dir_.file("y.conf")) + "[g]\n");
}

TEST_F(ConfigWriter, Check31EscapedSemicolonAndComment) {
    EXPECT_EQ(render_main("[g]\nk = a\\;b ; c\n"), "[g]\nk = a\\;b   ; c\n");
}

TEST_F(ConfigWriter, SameLineCommentSpacing) {
    EXPECT_EQ(render_main("[g]\nk = v;c\n"), "[g]\nk = v  ;c\n");
    EXPECT_EQ(render_main("[g]\nk = v  ; c\n"), "[g]\nk = v  ; c\n");   // two SP dropped, two added
    EXPECT_EQ(render_main("[g]\nk = v   ; c\n"), "[g]\nk = v   ; c\n"); // stable form
    EXPECT_EQ(render_main("[g]\nk = v\t; c\n"), "[g]\nk = v  \t; c\n");
    EXPECT_EQ(render_main("[g] ; hdr\n"), "[g] ; hdr\n");
}

TEST_F(ConfigWriter, SecondSaveIsStable) {
    dir_.write("x.conf", "; top\n[g] ;h\nk = v;c\n\n\n; mid\na=>b\n[t](!)\nz=1\n[s](t)\nz=2\ny=3 ; end\n; trailing\n");
    std::string once = round_trip("x.conf");
    std::string twice = round_trip("x.conf");
    EXPECT_EQ(once, twice);
}

TEST_F(ConfigWriter, WhitespaceNormalisedAndPlusEqualsMerged) {
    EXPECT_EQ(render_main("[g]\n  a=1\nb   =>   2\na += 3\n"), "[g]\na = 1 3\nb => 2\n");
}

TEST_F(ConfigWriter, CommentLinesBlankLinesAndTrailing) {
    EXPECT_EQ(render_main("; one\n   ; indented\n\n \t \n[g]\nk=1\n; after\n\n"),
              "; one\n   ; indented\n\n\n[g]\nk = 1\n; after\n\n");
}

TEST_F(ConfigWriter, OldHeaderLinesAreDropped) {
    EXPECT_EQ(render_main(";!\n;! old header\n[g]\n;! user note\nk=1\n"), "[g]\nk = 1\n");
}

TEST_F(ConfigWriter, BlockCommentsStayCommentedW2) {
    // Spec 00 §2.6 counter-example: Asterisk activates `x = 1`; the W2 fix keeps the block verbatim.
    std::string body = render_main("[a]\n;-- old\nx = 1\n--;\ny = 2\n");
    EXPECT_EQ(body, "[a]\n;-- old\nx = 1\n--;\ny = 2\n");
    dir_.write("y.conf", header("y.conf", dir_.file("y.conf")) + body);
    auto again = load("y.conf", dir_.options());
    EXPECT_EQ(vars_of(*again.data.find_section("a")), strings{"y=2"});
}

TEST_F(ConfigWriter, BlockCommentsAroundDataKeepMeaningW2) {
    std::string text = "[a]\nk = 1 ;-- open\nhidden = 1\nstill --; z = 2 ; c\nw = 1 ;-- x --; 2\n";
    std::string body = render_main(text);
    EXPECT_EQ(body, "[a]\nk = 1   ;-- open\nhidden = 1\nstill --;\nz = 2   ; c\nw = 1  2   ;-- x --;\n");
    dir_.write("y.conf", body);
    auto again = load("y.conf", dir_.options());
    auto orig = load("x.conf", dir_.options());
    EXPECT_EQ(vars_of(*again.data.find_section("a")), vars_of(*orig.data.find_section("a")));
}

TEST_F(ConfigWriter, IgnoredLinesAreKeptVerbatim) {
    EXPECT_EQ(render_main("[g]\n# note\njunk line ; c\nk=1\n#exec /bin/echo\n"),
              "[g]\n# note\njunk line ; c\nk = 1\n#exec /bin/echo\n");
}

TEST_F(ConfigWriter, LastLineWithoutLfGetsOne) {
    EXPECT_EQ(render_main("[g]\nk = v ; c"), "[g]\nk = v   ; c\n");
    EXPECT_EQ(render_main("[g]\nk = v"), "[g]\nk = v\n");
}

TEST_F(ConfigWriter, NamesThatNeedEscapes) {
    std::string body = render_main("[g]\n\\[x] = 1\n\\#y = 2\n\\\\z = 3\nv = a\\\\;b\n\\==e\n[s\\;t]\n");
    EXPECT_EQ(body, "[g]\n\\[x] = 1\n\\#y = 2\n\\\\z = 3\nv = a\\\\;b\n\\= = e\n[s\\;t]\n");
    dir_.write("y.conf", body);
    auto again = load("y.conf", dir_.options());
    auto orig = load("x.conf", dir_.options());
    EXPECT_EQ(vars_of(*again.data.find_section("g")), vars_of(*orig.data.find_section("g")));
    EXPECT_NE(again.data.find_section("s;t"), nullptr);
}

TEST_F(ConfigWriter, GapFilling) {
    dir_.write("x.conf", "[g]\na=1\nb=2\nc=3\nd=4\ne=5\nf=6\ng=7\nh=8\n");
    auto r = load("x.conf", dir_.options(true));
    auto& vars = r.data.sections[0].variables;
    // Delete b (one line lost) and d..g (four lines lost, then h is 5 lines after c... one blank).
    vars.erase(vars.begin() + 1);                   // b
    vars.erase(vars.begin() + 2, vars.begin() + 6); // d e f g
    auto files = render(r.data, "x.conf", dir_.options(true), at());
    EXPECT_EQ(body_of(files.at(0).text), "[g]\na = 1\n\nc = 3\n\n\n\n\nh = 8\n");
    vars.erase(vars.begin() + 1); // c too: h is now 6 lines after a -> one blank line
    files = render(r.data, "x.conf", dir_.options(true), at());
    EXPECT_EQ(body_of(files.at(0).text), "[g]\na = 1\n\nh = 8\n");
}

TEST_F(ConfigWriter, InMemoryObjectsGoToMainFileWithoutGaps) {
    dir_.write("inc.conf", "[i]\nx=1\n");
    dir_.write("x.conf", "[g]\na=1\n\n\n#include inc.conf\n");
    auto r = load("x.conf", dir_.options(true));
    ASSERT_EQ(r.status, load_status::ok);
    section fresh;
    fresh.name = "new";
    fresh.variables.push_back(make_var("n", "1"));
    r.data.sections.push_back(fresh);
    r.data.sections[0].variables.push_back(make_var("b", "2"));
    r.data.sections[1].variables.push_back(make_var("y", "2")); // into the included file's section
    auto files = render(r.data, "x.conf", dir_.options(true), at());
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(body_of(files[0].text), "[g]\na = 1\nb = 2\n[new]\nn = 1\n\n\n#include \"inc.conf\"\n");
    EXPECT_EQ(files[1].path, dir_.file("inc.conf"));
    EXPECT_EQ(files[1].text, header("x.conf", dir_.file("inc.conf")) + "[i]\nx = 1\ny = 2\n");
}

TEST_F(ConfigWriter, TemplatesAndBasesFormatting) {
    // Inherited values are not written into templates; [a] materialises the last inherited x and y.
    EXPECT_EQ(render_main("[t1](!)\nx=1\n[t2](!,t1)\ny=2\n[a](t1,t2)\nz=3\n"),
              "[t1](!)\nx = 1\n[t2](!,t1)\ny = 2\n[a](t1,t2)\nx = 1\ny = 2\nz = 3\n");
}

TEST_F(ConfigWriter, PreserveEffectiveContextRules) {
    std::string text = "[t](!)\nk=1\nm=5\n[a](t)\nk=1\nm=6\nn=7\n";
    // Preserve on: inherited k and m are followed by own ones (not written); own k equals the template's.
    // The dropped own k leaves a gap line (spec 00 §2.3).
    EXPECT_EQ(render_main(text), "[t](!)\nk = 1\nm = 5\n[a](t)\n\nm = 6\nn = 7\n");
    // An inherited value that nothing overrides is materialised.
    EXPECT_EQ(render_main("[t](!)\nk=1\n[a](t)\nz=2\n"), "[t](!)\nk = 1\n[a](t)\nk = 1\nz = 2\n");
    save_options off = at();
    off.preserve_effective_context = false;
    EXPECT_EQ(render_main("[t](!)\nk=1\n[a](t)\nz=2\n", off), "[t](!)\nk = 1\n[a](t)\nz = 2\n");
    EXPECT_EQ(render_main(text, off), "[t](!)\nk = 1\nm = 5\n[a](t)\n\nm = 6\nn = 7\n");
}

TEST_F(ConfigWriter, ParentValueComesFromLastBaseDefiningIt) {
    // x: t1 says 1, t2 says 2 -> parent is 2, so own x=2 is dropped and own y=1 (t1's y) is kept.
    EXPECT_EQ(render_main("[t1](!)\nx=1\ny=1\n[t2](!)\nx=2\n[a](t1,t2)\nx=2\ny=1\n"),
              "[t1](!)\nx = 1\ny = 1\n[t2](!)\nx = 2\n[a](t1,t2)\n");
}

TEST_F(ConfigWriter, InMemorySectionWithBasesNeverMaterialises) {
    dir_.write("x.conf", "[t](!)\nk=1\n");
    auto r = load("x.conf", dir_.options(true));
    section s;
    s.name = "m";
    s.bases = {"t"};
    s.variables = {make_var("k", "1", true), make_var("k", "1"), make_var("z", "2")};
    r.data.sections.push_back(s);
    auto files = render(r.data, "x.conf", dir_.options(true), at());
    EXPECT_EQ(body_of(files.at(0).text), "[t](!)\nk = 1\n[m](t)\nz = 2\n");
}

TEST_F(ConfigWriter, AppendBlocksMergeIntoFirstSection) {
    EXPECT_EQ(render_main("[a]\nx=1\n[b]\ny=2\n[a](+)\nz=3\n"), "[a]\nx = 1\n\n\n\nz = 3\n[b]\ny = 2\n");
}

TEST_F(ConfigWriter, IncludesArePlacedAndIncludedFilesRewritten) {
    dir_.write("inc.conf", "; inc comment\nk=1\n");
    dir_.write("empty.conf", "");
    dir_.write("x.conf", "[g]\na=1\n#include inc.conf ; why\nb=2\n; before try\n#tryinclude empty.conf\n; tail\n");
    auto r = load("x.conf", dir_.options(true));
    ASSERT_EQ(r.status, load_status::ok);
    auto files = render(r.data, "x.conf", dir_.options(true), at());
    ASSERT_EQ(files.size(), 3u);
    EXPECT_EQ(body_of(files[0].text),
              "[g]\na = 1\n#include \"inc.conf\" ; why\nb = 2\n; before try\n#tryinclude \"empty.conf\"\n; tail\n");
    EXPECT_EQ(files[1].text, header("x.conf", dir_.file("inc.conf")) + "; inc comment\nk = 1\n");
    EXPECT_EQ(files[2].path, dir_.file("empty.conf"));
    EXPECT_EQ(files[2].text, header("x.conf", dir_.file("empty.conf")));
}

TEST_F(ConfigWriter, IncludeBeforeFirstSection) {
    dir_.write("inc.conf", "[i]\nk=1\n");
    EXPECT_EQ(render_main("#include inc.conf\n\n[g]\n"), "#include \"inc.conf\"\n\n[g]\n");
}

TEST_F(ConfigWriter, CommentOnlyIncludedFileKeepsItsComments) {
    dir_.write("inc.conf", "; nothing here yet\n");
    dir_.write("x.conf", "[g]\n#include inc.conf\n");
    auto r = load("x.conf", dir_.options(true));
    auto files = render(r.data, "x.conf", dir_.options(true), at());
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[1].text, header("x.conf", dir_.file("inc.conf")) + "; nothing here yet\n");
}

TEST_F(ConfigWriter, GlobIncludeRewritesEachMatchW13) {
    dir_.write("inc/a.conf", "ka=1\n");
    dir_.write("inc/b.conf", "kb=1\n");
    dir_.write("x.conf", "[g]\n#include inc/*.conf\n");
    std::string main = round_trip("x.conf");
    EXPECT_EQ(body_of(main), "[g]\n#include \"inc/*.conf\"\n");
    EXPECT_EQ(dir_.read("inc/a.conf"), header("x.conf", dir_.file("inc/a.conf")) + "ka = 1\n");
    EXPECT_EQ(dir_.read("inc/b.conf"), header("x.conf", dir_.file("inc/b.conf")) + "kb = 1\n");
    EXPECT_FALSE(dir_.exists("inc/*.conf"));
    // A second save does not duplicate anything.
    round_trip("x.conf");
    EXPECT_EQ(dir_.read("inc/a.conf"), header("x.conf", dir_.file("inc/a.conf")) + "ka = 1\n");
}

TEST_F(ConfigWriter, RepeatedIncludeIsSavedUnderRenamedName) {
    dir_.write("inc.conf", "k=1\n");
    dir_.write("x.conf", "[g]\n#include inc.conf\n#include inc.conf\n");
    std::string main = round_trip("x.conf");
    EXPECT_EQ(body_of(main), "[g]\n#include \"inc.conf\"\n#include \"inc.conf~~1\"\n");
    EXPECT_EQ(dir_.read("inc.conf~~1"), header("x.conf", dir_.file("inc.conf~~1")) + "k = 1\n");
    log_.clear();
    // Re-reading the saved files gives the same effective configuration, with no duplicate warning.
    auto again = load("x.conf", dir_.options());
    EXPECT_EQ(vars_of(*again.data.find_section("g")), (strings{"k=1", "k=1"}));
    EXPECT_EQ(log_.problems(), 0u) << log_.dump();
}

TEST_F(ConfigWriter, ExecOutputIsNeverWritten) {
    dir_.write("x.conf", "[g]\na=1\n#exec \"/bin/echo j=2\"\nb=3\n");
    load_options o = dir_.options(true);
    o.exec_includes = true;
    auto r = load("x.conf", o);
    ASSERT_EQ(r.status, load_status::ok) << log_.dump();
    EXPECT_EQ(r.data.value("g", "j"), "2");
    auto files = render(r.data, "x.conf", o, at());
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(body_of(files[0].text), "[g]\na = 1\n#exec \"/bin/echo j=2\"\nb = 3\n");
}

TEST_F(ConfigWriter, ModelWithoutCommentsStillWrites) {
    dir_.write("x.conf", "; c\n[g]\nk=1 ; c\n");
    auto r = load("x.conf", dir_.options(false));
    auto files = render(r.data, "x.conf", dir_.options(false), at());
    // Without recorded comment lines the lost line 1 becomes a gap line.
    EXPECT_EQ(body_of(files.at(0).text), "\n[g]\nk = 1\n");
}

TEST_F(ConfigWriter, EmptyModelWritesHeaderOnly) {
    model m;
    auto files = render(m, "new.conf", dir_.options(), at());
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0].text, header("new.conf", dir_.file("new.conf")));
}

// ---- save(): files on disk -------------------------------------------------------------------------------

TEST_F(ConfigWriter, SaveReplacesAtomicallyAndKeepsMode) {
    dir_.write("x.conf", "[g]\nk=1\n");
    ::chmod(dir_.file("x.conf").c_str(), 0640);
    struct stat before {};
    ::stat(dir_.file("x.conf").c_str(), &before);
    round_trip("x.conf");
    struct stat after {};
    ::stat(dir_.file("x.conf").c_str(), &after);
    EXPECT_EQ(after.st_mode & 07777, 0640u);
    EXPECT_NE(before.st_ino, after.st_ino); // a new file was renamed over the old one
    for (auto& e : std::filesystem::directory_iterator(dir_.path()))
        EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << e.path();
}

TEST_F(ConfigWriter, SaveFollowsSymlinks) {
    dir_.write("real.conf", "[g]\nk=1\n");
    std::filesystem::create_symlink(dir_.file("real.conf"), dir_.file("x.conf"));
    round_trip("x.conf");
    EXPECT_TRUE(std::filesystem::is_symlink(dir_.file("x.conf")));
    EXPECT_EQ(dir_.read("real.conf"), header("x.conf", dir_.file("x.conf")) + "[g]\nk = 1\n");
}

TEST_F(ConfigWriter, NewFileGetsUmaskMode) {
    model m;
    section s;
    s.name = "n";
    m.sections.push_back(s);
    mode_t old = ::umask(027);
    auto st = save(m, "brand.conf", dir_.options(), at());
    ::umask(old);
    ASSERT_EQ(st, save_status::ok);
    struct stat info {};
    ::stat(dir_.file("brand.conf").c_str(), &info);
    EXPECT_EQ(info.st_mode & 0777, 0640u);
    EXPECT_EQ(dir_.read("brand.conf"), header("brand.conf", dir_.file("brand.conf")) + "[n]\n");
}

TEST_F(ConfigWriter, UnwritableIncludedFileFailsBeforeTouchingAnything) {
    dir_.write("inc.conf", "k=1\n");
    dir_.write("x.conf", "[g]\n#include inc.conf\n");
    auto r = load("x.conf", dir_.options(true));
    ASSERT_EQ(r.status, load_status::ok);
    // The included file turns into something that cannot be written (works for root too).
    std::filesystem::remove(dir_.file("inc.conf"));
    std::filesystem::create_directory(dir_.file("inc.conf"));
    std::string main_before = dir_.read("x.conf");
    EXPECT_EQ(save(r.data, "x.conf", dir_.options(true), at()), save_status::write_failed);
    EXPECT_TRUE(log_.has(log_level::error, "Unable to write " + dir_.file("inc.conf") + " (Is a directory)"));
    EXPECT_EQ(dir_.read("x.conf"), main_before);
    for (auto& e : std::filesystem::directory_iterator(dir_.path()))
        EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << e.path();
}

TEST_F(ConfigWriter, MissingDirectoryFails) {
    dir_.write("x.conf", "[g]\n");
    auto r = load("x.conf", dir_.options(true));
    section s;
    s.name = "elsewhere";
    s.file = dir_.file("nodir/y.conf");
    s.line = 1;
    r.data.sections.push_back(s);
    r.data.files.push_back({s.file, false, {}});
    std::string before = dir_.read("x.conf");
    EXPECT_EQ(save(r.data, "x.conf", dir_.options(true), at()), save_status::write_failed);
    EXPECT_TRUE(log_.has(log_level::error,
                         "Unable to write to directory " + dir_.file("nodir") + " (No such file or directory)"));
    EXPECT_EQ(dir_.read("x.conf"), before);
}

} // namespace
} // namespace ahttp::config
