#include "config/exec_include.hpp"

#include "ahttp/config.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

namespace ahttp::config {
namespace {

using testing::log_capture;
using testing::temp_dir;
using testing::vars_of;
using strings = std::vector<std::string>;

std::string slurp_and_remove(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ::unlink(path.c_str());
    return text;
}

TEST(ConfigExecCommand, CapturesStdoutInPrivateTempFile) {
    log_capture log;
    std::string path = detail::run_exec_command("printf 'a=1\\nb=2\\n'");
    ASSERT_FALSE(path.empty());
    EXPECT_EQ(path.rfind("/tmp/ahttp-exec.", 0), 0u);
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(slurp_and_remove(path), "a=1\nb=2\n");
    EXPECT_EQ(log.problems(), 0u) << log.dump();
}

TEST(ConfigExecCommand, StderrExitCodeAndEmptyOutputAreLogged) {
    log_capture log;
    std::string cmd = "echo oops >&2; echo second >&2; exit 3";
    std::string path = detail::run_exec_command(cmd);
    ASSERT_FALSE(path.empty());
    EXPECT_EQ(slurp_and_remove(path), "");
    EXPECT_TRUE(log.has(log_level::error, "#exec <" + cmd + ">: oops"));
    EXPECT_TRUE(log.has(log_level::error, "#exec <" + cmd + ">: second"));
    EXPECT_TRUE(log.has(log_level::error, "#exec <" + cmd + ">: Exited with return value 3"));
    EXPECT_TRUE(log.has(log_level::warning, "#exec <" + cmd + ">: The program generated no usable output."));
}

TEST(ConfigExecCommand, TrueHasNoOutput) {
    log_capture log;
    std::string path = detail::run_exec_command("/bin/true");
    slurp_and_remove(path);
    EXPECT_TRUE(log.has(log_level::warning, "#exec </bin/true>: The program generated no usable output."));
}

TEST(ConfigExecCommand, TooLongCommand) {
    log_capture log;
    std::string cmd = "echo " + std::string(2000, 'x');
    EXPECT_EQ(detail::run_exec_command(cmd), "");
    EXPECT_TRUE(log.has(log_level::error, "Failed to construct command string to execute " + cmd + "."));
}

TEST(ConfigExecCommand, StdinIsDevNull) {
    log_capture log;
    std::string path = detail::run_exec_command("cat; echo done=1");
    EXPECT_EQ(slurp_and_remove(path), "done=1\n");
}

class ConfigExecInclude : public ::testing::Test {
  protected:
    load_options options() {
        load_options o = dir_.options(true);
        o.exec_includes = true;
        return o;
    }
    temp_dir dir_;
    log_capture log_;
};

TEST_F(ConfigExecInclude, OutputIsParsedInCurrentSectionAndMarked) {
    dir_.write("x.conf", "[g]\n#exec \"printf 'k=1\\n[h]\\nz=2\\n'\"\nafter=3\n");
    auto r = load("x.conf", options());
    ASSERT_EQ(r.status, load_status::ok) << log_.dump();
    EXPECT_EQ(vars_of(*r.data.find_section("g")), (strings{"k=1", "after=3"}));
    EXPECT_EQ(r.data.value("h", "z"), "2");
    ASSERT_EQ(r.data.includes.size(), 1u);
    EXPECT_EQ(r.data.includes[0].kind, include_kind::exec);
    EXPECT_EQ(r.data.includes[0].argument, "printf 'k=1\\n[h]\\nz=2\\n'");
    ASSERT_EQ(r.data.files.size(), 2u);
    EXPECT_TRUE(r.data.files[1].from_exec);
    EXPECT_EQ(r.data.find_section("g")->variables[0].file, r.data.files[1].path);
    EXPECT_FALSE(std::filesystem::exists(r.data.files[1].path)); // deleted after parsing
    EXPECT_TRUE(r.always_changed);
    EXPECT_EQ(r.stamps.size(), 1u); // the temporary file is not stamped
}

TEST_F(ConfigExecInclude, ErrorInOutputInvalidates) {
    dir_.write("x.conf", "[g]\n#exec /bin/echo [broken\n");
    auto r = load("x.conf", options());
    EXPECT_EQ(r.status, load_status::invalid);
    EXPECT_TRUE(log_.contains("parse error: no closing ']', line 1 of /tmp/ahttp-exec."));
}

TEST_F(ConfigExecInclude, TooLongCommandInvalidates) {
    dir_.write("x.conf", "[g]\n#exec echo " + std::string(1200, 'y') + "\n");
    auto r = load("x.conf", options());
    EXPECT_EQ(r.status, load_status::invalid);
    EXPECT_TRUE(log_.contains("Failed to construct command string to execute echo yyy"));
}

TEST_F(ConfigExecInclude, FailingCommandIsNotFatal) {
    dir_.write("x.conf", "[g]\n#exec /bin/false\nk=1\n");
    auto r = load("x.conf", options());
    ASSERT_EQ(r.status, load_status::ok);
    EXPECT_EQ(r.data.value("g", "k"), "1");
    EXPECT_TRUE(log_.has(log_level::error, "#exec </bin/false>: Exited with return value 1"));
}

} // namespace
} // namespace ahttp::config
