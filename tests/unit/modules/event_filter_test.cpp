// Event filters of spec 02 §4.5 (incl. checks 35 and 36 at the parse/evaluation level).
#include "manager/event_filter.hpp"

#include <gtest/gtest.h>

namespace ahttp::manager {
namespace {

const std::string user_keep = "Event: UserEvent\r\nPrivilege: user,all\r\nUserEvent: Keep\r\n\r\n";
const std::string user_drop = "Event: UserEvent\r\nPrivilege: user,all\r\nUserEvent: Drop\r\n\r\n";
const std::string newchannel = "Event: Newchannel\r\nPrivilege: call,all\r\nChannel: Local/100@x-0001;1\r\n"
                               "Uniqueid: 1.1\r\n\r\n";
const std::string pjsip = "Event: Newchannel\r\nPrivilege: call,all\r\nChannel: PJSIP/alice-0001\r\n\r\n";

event_filter must_parse(std::string_view criteria, std::string_view value) {
    auto r = parse_advanced_filter(criteria, value);
    EXPECT_EQ(r.error, filter_error::none) << criteria << " = " << value << ": " << r.message;
    return r.filter;
}

filter_error error_of(std::string_view criteria, std::string_view value) {
    return parse_advanced_filter(criteria, value).error;
}

TEST(PosixRegex, CompileSearchMove) {
    posix_regex re("a+b|^x");
    ASSERT_TRUE(re.valid());
    EXPECT_TRUE(re.search("zzaab"));
    EXPECT_TRUE(re.search("xyz"));
    EXPECT_FALSE(re.search("yx"));
    posix_regex moved(std::move(re));
    EXPECT_TRUE(moved.search("ab"));
    posix_regex other("q");
    other = std::move(moved);
    EXPECT_TRUE(other.search("ab"));

    posix_regex bad("(");
    EXPECT_FALSE(bad.valid());
    EXPECT_FALSE(bad.error().empty());
    EXPECT_FALSE(bad.search("("));
}

TEST(LegacyFilter, SearchesWholeEventText) {
    auto r = parse_legacy_filter("Event: UserEvent"); // check 35's first filter
    ASSERT_EQ(r.error, filter_error::none);
    EXPECT_FALSE(r.filter.exclude);
    EXPECT_TRUE(r.filter.matches(user_keep));
    EXPECT_FALSE(r.filter.matches(newchannel));
    // Privilege lines and CRLFs are part of the text.
    EXPECT_TRUE(parse_legacy_filter("Privilege: call").filter.matches(newchannel));
    EXPECT_TRUE(parse_legacy_filter("Newchannel\r\nPrivilege").filter.matches(newchannel));
    EXPECT_TRUE(parse_legacy_filter("Channel: (Local|SIP)/").filter.matches(newchannel));
    EXPECT_FALSE(parse_legacy_filter("Channel: (Local|SIP)/").filter.matches(pjsip));
}

TEST(LegacyFilter, BangExcludesAndErrors) {
    auto r = parse_legacy_filter("!Newchannel");
    ASSERT_EQ(r.error, filter_error::none);
    EXPECT_TRUE(r.filter.exclude);
    EXPECT_EQ(r.filter.pattern, "Newchannel");
    EXPECT_TRUE(r.filter.matches(newchannel));

    EXPECT_EQ(parse_legacy_filter("").error, filter_error::format);
    EXPECT_EQ(parse_legacy_filter("!").error, filter_error::format);
    EXPECT_EQ(parse_legacy_filter("(").error, filter_error::compile); // check 35: "Filter did not compile"
    EXPECT_FALSE(parse_legacy_filter("(").message.empty());
}

TEST(AdvancedFilter, SpecExamples) {
    auto name_only = must_parse("name(Newchannel)", "");
    EXPECT_FALSE(name_only.exclude);
    EXPECT_EQ(name_only.method, filter_method::none);
    EXPECT_TRUE(name_only.matches(newchannel));
    EXPECT_FALSE(name_only.matches(user_keep));

    auto local = must_parse("action(exclude),header(Channel),method(starts_with)", "Local/");
    EXPECT_TRUE(local.exclude);
    EXPECT_TRUE(local.matches(newchannel));
    EXPECT_FALSE(local.matches(pjsip));
    EXPECT_FALSE(local.matches(user_keep));
}

TEST(AdvancedFilter, Check36NameHeaderExact) {
    auto f = must_parse("name(UserEvent),header(UserEvent),method(exact)", "Keep");
    EXPECT_TRUE(f.matches(user_keep));
    EXPECT_FALSE(f.matches(user_drop));
    EXPECT_FALSE(f.matches("Event: UserEvent\r\nUserEvent: Keeper\r\n\r\n"));
}

TEST(AdvancedFilter, NameIsExactAndCaseSensitive) {
    auto f = must_parse("name(UserEvent)", "");
    EXPECT_FALSE(f.matches("Event: userevent\r\n\r\n"));
    EXPECT_FALSE(f.matches("Event: UserEvents\r\n\r\n"));
    EXPECT_TRUE(f.matches("Event:   UserEvent\r\n\r\n"));
}

TEST(AdvancedFilter, HeaderRules) {
    // Trailing ':' optional; header name exact and case-sensitive; leading blanks of the value skipped.
    auto colon = must_parse("header(Channel:),method(exact)", "PJSIP/alice-0001");
    EXPECT_TRUE(colon.matches(pjsip));
    auto lower = must_parse("header(channel),method(contains)", "alice");
    EXPECT_FALSE(lower.matches(pjsip));
    auto prefix = must_parse("header(Chan),method(contains)", "alice");
    EXPECT_FALSE(prefix.matches(pjsip));
    auto blanks = must_parse("header(X),method(exact)", "v");
    EXPECT_TRUE(blanks.matches("Event: E\r\nX: \t v\r\n\r\n"));

    // Any of several lines may match; empty values are ignored.
    auto multi = must_parse("header(Var),method(ends_with)", "=1");
    EXPECT_TRUE(multi.matches("Event: E\r\nVar: a=0\r\nVar: b=1\r\n\r\n"));
    EXPECT_FALSE(multi.matches("Event: E\r\nVar: a=0\r\n\r\n"));
    auto present = must_parse("header(Var)", "");
    EXPECT_TRUE(present.matches("Event: E\r\nVar: x\r\n\r\n"));
    EXPECT_FALSE(present.matches("Event: E\r\nVar: \r\n\r\n"));
    EXPECT_FALSE(present.matches("Event: E\r\n\r\n"));

    auto re = must_parse("header(Channel),method(regex)", "^(Local|PJSIP)/");
    EXPECT_TRUE(re.matches(pjsip));
    EXPECT_TRUE(re.matches(newchannel));
    EXPECT_FALSE(re.matches("Event: E\r\nOther: PJSIP/x\r\n\r\n"));
}

TEST(AdvancedFilter, MethodsWithoutHeaderUseWholeText) {
    EXPECT_TRUE(must_parse("method(contains)", "UserEvent: Keep").matches(user_keep));
    EXPECT_TRUE(must_parse("method(starts_with)", "Event: UserEvent").matches(user_keep));
    EXPECT_TRUE(must_parse("method(regex)", "Keep\r\n").matches(user_keep));
    EXPECT_TRUE(must_parse("method(exact)", user_keep).matches(user_keep));
}

TEST(AdvancedFilter, ActionOverridesBang) {
    EXPECT_TRUE(must_parse("name(E),method(contains)", "!x").exclude);
    EXPECT_EQ(must_parse("name(E),method(contains)", "!x").pattern, "x");
    EXPECT_FALSE(must_parse("action(include),name(E),method(contains)", "!x").exclude);
    EXPECT_TRUE(must_parse("method(contains),action(exclude)", "x").exclude);
    EXPECT_TRUE(must_parse("name(E)", "!").exclude); // `!` with no pattern and method none
}

TEST(AdvancedFilter, FormatErrors) {
    EXPECT_EQ(error_of("name(UserEvent),method(bogus)", "x"), filter_error::format); // check 35
    EXPECT_EQ(error_of("name(UserEvent", ""), filter_error::format);                 // not ending in ')'
    EXPECT_EQ(error_of("name(A),", ""), filter_error::format);
    EXPECT_EQ(error_of("bogus(x)", ""), filter_error::format);
    EXPECT_EQ(error_of("name", ""), filter_error::format);
    EXPECT_EQ(error_of("action(maybe),name(A)", ""), filter_error::format);
    EXPECT_EQ(error_of("name()", ""), filter_error::format);
    EXPECT_EQ(error_of("header()", ""), filter_error::format);
    EXPECT_EQ(error_of("header(:)", ""), filter_error::format);
    EXPECT_EQ(error_of("name(A),method()", ""), filter_error::format);
    EXPECT_EQ(error_of("", ""), filter_error::format); // no option at all
    EXPECT_EQ(error_of("name(A),name(B)", ""), filter_error::format);
    EXPECT_EQ(error_of("name(A),method(exact)", ""), filter_error::format); // method needs a pattern
    EXPECT_EQ(error_of("name(A),method(exact)", "!"), filter_error::format);
    EXPECT_EQ(error_of("name(A)", "x"), filter_error::format); // none with a pattern
    EXPECT_EQ(error_of("name(A),method(none)", "x"), filter_error::format);
    EXPECT_EQ(error_of("method(none)", ""), filter_error::format); // none needs name or header
    EXPECT_EQ(error_of("action(exclude)", ""), filter_error::format);
    EXPECT_EQ(error_of("method(regex)", "("), filter_error::compile);
    EXPECT_EQ(error_of("name(A),method(regex)", "a{"), filter_error::compile);
}

TEST(FilterLine, KeyForms) {
    auto legacy = parse_filter_line("eventfilter", "!Newchannel");
    ASSERT_EQ(legacy.error, filter_error::none);
    EXPECT_EQ(legacy.filter.method, filter_method::regex);
    EXPECT_TRUE(legacy.filter.exclude);

    auto advanced = parse_filter_line("EventFilter(name(Newchannel))", "");
    ASSERT_EQ(advanced.error, filter_error::none);
    EXPECT_EQ(advanced.filter.event_name, "Newchannel");

    EXPECT_EQ(parse_filter_line("eventfilter(name(A)", "").error, filter_error::format);
    EXPECT_EQ(parse_filter_line("eventfilter()", "").error, filter_error::format);
    EXPECT_EQ(parse_filter_line("eventfilterx", "a").error, filter_error::format);
    EXPECT_EQ(parse_filter_line("filter", "a").error, filter_error::format);
}

TEST(FilterSet, Evaluation) {
    filter_set none;
    EXPECT_TRUE(none.empty());
    EXPECT_TRUE(none.allows(user_keep));

    filter_set includes;
    includes.add(must_parse("name(UserEvent)", ""));
    includes.add(must_parse("name(Hangup)", ""));
    EXPECT_FALSE(includes.empty());
    EXPECT_TRUE(includes.allows(user_keep));
    EXPECT_FALSE(includes.allows(newchannel));

    filter_set excludes;
    excludes.add(parse_legacy_filter("!Drop").filter);
    EXPECT_EQ(excludes.excludes().size(), 1u);
    EXPECT_TRUE(excludes.allows(user_keep));
    EXPECT_TRUE(excludes.allows(newchannel));
    EXPECT_FALSE(excludes.allows(user_drop));

    filter_set both;
    both.add(must_parse("name(UserEvent)", ""));
    both.add(parse_legacy_filter("!Drop").filter);
    EXPECT_EQ(both.includes().size(), 1u);
    EXPECT_TRUE(both.allows(user_keep));
    EXPECT_FALSE(both.allows(user_drop));
    EXPECT_FALSE(both.allows(newchannel));
}

TEST(FilterSet, CopiesShareCompiledRegex) {
    filter_set a;
    a.add(parse_legacy_filter("Keep").filter);
    filter_set b = a;
    EXPECT_EQ(a.includes()[0].regex, b.includes()[0].regex);
    EXPECT_TRUE(b.allows(user_keep));
    EXPECT_FALSE(b.allows(user_drop));
}

} // namespace
} // namespace ahttp::manager
