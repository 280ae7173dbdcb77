#include "config/line_reader.hpp"

#include "ahttp/config.hpp"
#include "test_support.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace ahttp::config::detail {
namespace {

struct got {
    std::string content;
    bool too_long;
    bool lf;
};

std::vector<got> all_lines(line_reader& r) {
    std::vector<got> out;
    line_reader::line ln;
    while (r.next(ln))
        out.push_back({std::string(ln.content), ln.too_long, ln.ended_with_lf});
    return out;
}

std::vector<got> from_text(std::string_view text, std::size_t max = max_line_bytes) {
    line_reader r(text, max);
    return all_lines(r);
}

std::vector<got> from_file(const std::string& text, std::size_t max = max_line_bytes) {
    testing::temp_dir dir;
    dir.write("f", text);
    int fd = ::open(dir.file("f").c_str(), O_RDONLY);
    line_reader r(fd, max);
    auto out = all_lines(r);
    ::close(fd);
    return out;
}

TEST(ConfigLineReader, SplitsAtLfOnly) {
    for (auto lines : {from_text("a\r\nb\n\nc"), from_file("a\r\nb\n\nc")}) {
        ASSERT_EQ(lines.size(), 4u);
        EXPECT_EQ(lines[0].content, "a\r");
        EXPECT_EQ(lines[1].content, "b");
        EXPECT_EQ(lines[2].content, "");
        EXPECT_EQ(lines[3].content, "c");
        EXPECT_FALSE(lines[3].lf);
        EXPECT_TRUE(lines[2].lf);
    }
}

TEST(ConfigLineReader, EmptyInputHasNoLines) {
    EXPECT_TRUE(from_text("").empty());
    EXPECT_TRUE(from_file("").empty());
    EXPECT_EQ(from_text("\n").size(), 1u);
}

TEST(ConfigLineReader, KeepsNulBytes) {
    auto lines = from_text(std::string_view("a\0b\n", 4));
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].content, std::string("a\0b", 3));
}

TEST(ConfigLineReader, LimitIs8190ContentBytes) {
    std::string ok(8190, 'x'), bad(8191, 'y');
    for (auto lines : {from_text(ok + "\n" + bad + "\nz\n"), from_file(ok + "\n" + bad + "\nz\n")}) {
        ASSERT_EQ(lines.size(), 3u);
        EXPECT_FALSE(lines[0].too_long);
        EXPECT_EQ(lines[0].content.size(), 8190u);
        EXPECT_TRUE(lines[1].too_long);
        EXPECT_EQ(lines[1].content, std::string(32, 'y'));
        EXPECT_EQ(lines[2].content, "z");
    }
}

TEST(ConfigLineReader, FinalLineWithoutLfOf8191IsTooLong) {
    for (auto lines : {from_text(std::string(8191, 'q')), from_file(std::string(8191, 'q'))}) {
        ASSERT_EQ(lines.size(), 1u);
        EXPECT_TRUE(lines[0].too_long);
        EXPECT_FALSE(lines[0].lf);
    }
    auto exact = from_file(std::string(8190, 'q'));
    ASSERT_EQ(exact.size(), 1u);
    EXPECT_FALSE(exact[0].too_long);
}

TEST(ConfigLineReader, HugeLineSpanningManyChunks) {
    std::string text = "a=1\n" + std::string(3 * 1024 * 1024 + 17, 'x') + "\nb=2\n";
    for (auto lines : {from_text(text), from_file(text)}) {
        ASSERT_EQ(lines.size(), 3u);
        EXPECT_EQ(lines[0].content, "a=1");
        EXPECT_TRUE(lines[1].too_long);
        EXPECT_EQ(lines[2].content, "b=2");
    }
}

TEST(ConfigLineReader, LinesAcrossChunkBoundaries) {
    // Lines of varying length so that LFs land on and around the 64 KiB read boundaries.
    std::string text;
    std::vector<std::string> expect;
    for (int i = 0; text.size() < 300 * 1024; ++i) {
        std::string line(static_cast<std::size_t>(i * 37 % 8190), static_cast<char>('a' + i % 26));
        expect.push_back(line);
        text += line + "\n";
    }
    auto lines = from_file(text);
    ASSERT_EQ(lines.size(), expect.size());
    for (std::size_t i = 0; i < expect.size(); ++i)
        EXPECT_EQ(lines[i].content, expect[i]) << i;
}

TEST(ConfigLineReader, TooLongHeadIsShortForSmallLimits) {
    auto lines = from_text("abcdef\n", 3);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_TRUE(lines[0].too_long);
    EXPECT_EQ(lines[0].content, "abcdef");
}

} // namespace
} // namespace ahttp::config::detail
