#include "core/uri_registry.hpp"

#include <gtest/gtest.h>

using namespace ahttp;
using namespace ahttp::core;

namespace {

uri_handler handler(std::string uri, bool subtree, std::string description = "d") {
    return uri_handler{std::move(uri), std::move(description), subtree, false, "test", [](exchange&) { return 0; }};
}

std::string served_by(std::string_view path) {
    auto m = match_uri(*current_uri_table(), path);
    return m ? m->entry->handler.uri + "|" + std::string(m->remainder) : "none";
}

} // namespace

TEST(uri_registry, subtree_and_exact_dispatch) {
    auto a = register_uri(handler("a", true));
    auto ab = register_uri(handler("a/b", false));
    EXPECT_EQ(served_by("a/b/c"), "a|b/c");
    EXPECT_EQ(served_by("a/b"), "a/b|");
    EXPECT_EQ(served_by("A/B"), "a/b|");
    EXPECT_EQ(served_by("a"), "a|");
    EXPECT_EQ(served_by("a/"), "a|");
    EXPECT_EQ(served_by("ax"), "none");
}

TEST(uri_registry, exact_handler_rejects_tail) {
    auto s = register_uri(handler("httpstatus", false));
    EXPECT_EQ(served_by("httpstatus"), "httpstatus|");
    EXPECT_EQ(served_by("httpstatus/"), "httpstatus|");
    EXPECT_EQ(served_by("httpstatus/extra"), "none");
}

TEST(uri_registry, newest_identical_uri_shadows_and_unregister_restores) {
    auto first = register_uri(handler("dup", false, "first"));
    {
        auto second = register_uri(handler("dup", false, "second"));
        auto m = match_uri(*current_uri_table(), "dup");
        ASSERT_TRUE(m);
        EXPECT_EQ(m->entry->handler.description, "second");
    }
    auto m = match_uri(*current_uri_table(), "dup");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->entry->handler.description, "first");
}

TEST(uri_registry, longest_first_order_and_unregister_all) {
    auto s = register_uri(handler("static", true));
    auto l = register_uri(handler("longer/uri", false));
    const auto& t = current_uri_table();
    ASSERT_GE(t->entries.size(), 2u);
    EXPECT_EQ(t->entries.front()->handler.uri, "longer/uri");
    unregister_uri_all("test");
    EXPECT_TRUE(current_uri_table()->entries.empty());
}
