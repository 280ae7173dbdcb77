// Telephony actions (spec 02 §6.6) in their error forms: there are no channel drivers, dialplan or channels,
// so every action ends in one error block — after the same parameter and permission checks Asterisk makes,
// in the same order — except Originate with Async=true (ack, then a failed OriginateResponse event) and the
// Hangup /regex/ form (an empty list).
#include "ahttp/config.hpp"
#include "manager/action_registry.hpp"
#include "manager/dispatch.hpp"
#include "manager/event_filter.hpp"
#include "manager/list_output.hpp"
#include "manager/permissions.hpp"
#include "manager/text_util.hpp"

#include <array>
#include <cctype>
#include <fmt/format.h>

namespace ahttp::manager {
namespace {

/// Longest ChannelId / OtherChannelId Originate accepts (Asterisk's public uniqueid limit).
constexpr std::size_t max_channel_id_length = 150;
/// Index of the AGI argument in Queue's comma-separated Data (queue, options, URL, announce, timeout, AGI).
constexpr std::size_t queue_agi_argument = 5;

std::uint32_t write_perm(const action_call& c) {
    return c.rt->sessions.with_lock([&] { return c.sess->write_perm; });
}

// C `sscanf("%d")` acceptance: optional blanks, optional sign, at least one digit (trailing text ignored).
bool scans_as_int(std::string_view v) {
    std::size_t i = 0;
    while (i < v.size() && std::isspace(static_cast<unsigned char>(v[i])))
        ++i;
    if (i < v.size() && (v[i] == '+' || v[i] == '-'))
        ++i;
    return i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]));
}

// C `atoi`: the leading integer, 0 when there is none (saturating instead of overflowing).
long long leading_int(std::string_view v) {
    std::size_t i = 0;
    while (i < v.size() && std::isspace(static_cast<unsigned char>(v[i])))
        ++i;
    bool negative = i < v.size() && v[i] == '-';
    if (i < v.size() && (v[i] == '+' || v[i] == '-'))
        ++i;
    long long n = 0;
    for (; i < v.size() && std::isdigit(static_cast<unsigned char>(v[i])); ++i)
        n = std::min<long long>(n * 10 + (v[i] - '0'), 1LL << 40);
    return negative ? -n : n;
}

bool icontains(std::string_view text, std::string_view word) {
    auto lower = [](char ch) { return static_cast<char>(std::tolower(static_cast<unsigned char>(ch))); };
    if (word.size() > text.size())
        return false;
    for (std::size_t i = 0; i + word.size() <= text.size(); ++i) {
        std::size_t j = 0;
        while (j < word.size() && lower(text[i + j]) == lower(word[j]))
            ++j;
        if (j == word.size())
            return true;
    }
    return false;
}

// Application arguments split on commas outside double quotes and parentheses (as Asterisk's app parser).
std::vector<std::string_view> split_app_args(std::string_view data) {
    std::vector<std::string_view> args;
    int depth = 0;
    bool quoted = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i < data.size(); ++i) {
        char ch = data[i];
        if (ch == '"')
            quoted = !quoted;
        else if (!quoted && ch == '(')
            ++depth;
        else if (!quoted && ch == ')' && depth > 0)
            --depth;
        else if (!quoted && depth == 0 && ch == ',') {
            args.push_back(data.substr(start, i - start));
            start = i + 1;
        }
    }
    args.push_back(data.substr(start));
    return args;
}

// AST-2011-006, AST-2012-004, AST-2012-012, GHSA-c4cg-9275-6w44: applications and functions that reach a shell,
// the filesystem, the astdb or a reload need `system` write; Queue's AGI argument needs `agi` or `system`.
bool originate_blacklisted(std::string_view app, std::string_view data, std::uint32_t write) {
    if (write & perm_system)
        return false;
    static constexpr std::array<std::string_view, 8> apps = {"agi",        "dbdeltree", "exec",   "externalivr",
                                                             "mixmonitor", "originate", "reload", "system"};
    static constexpr std::array<std::string_view, 7> functions = {"CURL", "DB",       "EVAL", "FILE",
                                                                  "ODBC", "REALTIME", "SHELL"};
    for (auto a : apps)
        if (icontains(app, a))
            return true;
    for (auto f : functions)
        if (data.find(f) != std::string_view::npos)
            return true;
    if (icontains(app, "queue") && (write & perm_agi) == 0) {
        auto args = split_app_args(data);
        if (args.size() > queue_agi_argument && !args[queue_agi_argument].empty())
            return true;
    }
    return false;
}

struct caller_id {
    std::string name;
    std::string number;
};

// `"Name" <number>`, `Name <number>`, a bare number or a bare name; the number loses its `-.() ` formatting.
caller_id parse_caller_id(std::string_view text) {
    caller_id id;
    auto open = text.find('<');
    auto close = open == std::string_view::npos ? open : text.find('>', open);
    std::string_view name = text, number;
    if (close != std::string_view::npos) {
        number = text.substr(open + 1, close - open - 1);
        name = trim(text.substr(0, open));
    } else if (!text.empty() && text.find_first_not_of("0123456789*#+-(). ") == std::string_view::npos &&
               text.find_first_of("0123456789") != std::string_view::npos) {
        number = text;
        name = {};
    }
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
        name = name.substr(1, name.size() - 2);
    id.name = std::string(name);
    for (char ch : number)
        if (std::string_view("-.() ").find(ch) == std::string_view::npos)
            id.number += ch;
    return id;
}

std::string_view or_unknown(std::string_view v) {
    return v.empty() ? std::string_view("<unknown>") : v;
}

bool originate(const std::shared_ptr<action_call>& c) {
    const message& m = c->msg;
    std::string_view channel = m.get("Channel");
    std::string_view priority = m.get("Priority");
    std::string_view timeout = m.get("Timeout");
    std::string_view app = m.get("Application");
    std::string_view data = m.get("Data");
    std::string_view exten = m.get("Exten");
    std::string_view context = m.get("Context");
    std::string_view channel_id = m.get("ChannelId");
    if (channel.empty())
        c->out.error("Channel not specified");
    else if (!priority.empty() && !scans_as_int(priority))
        c->out.error("Invalid priority"); // a label, and there is no dialplan to find it in
    else if (!timeout.empty() && !scans_as_int(timeout))
        c->out.error("Invalid timeout");
    else if (channel.find('/') == std::string_view::npos)
        c->out.error("Invalid channel");
    else if (channel_id.size() > max_channel_id_length || m.get("OtherChannelId").size() > max_channel_id_length)
        c->out.error(fmt::format("Uniqueid length exceeds maximum of {}\n", max_channel_id_length)); // [QUIRK] \n
    else if (!app.empty() && originate_blacklisted(app, data, write_perm(*c)))
        c->out.error("Originate Access Forbidden: app or data blacklisted");
    else if (app.empty() && (exten.empty() || context.empty() || priority.empty()))
        c->out.error("Originate with 'Exten' requires 'Context' and 'Priority'");
    else if (app.empty())
        c->out.error("Extension does not exist."); // no dialplan
    else if (!config::is_true(m.get("Async")))
        c->out.error("Originate failed"); // no channel driver for any technology
    else {
        c->out.ack("Originate successfully queued");
        // The call fails at once; its outcome is reported the way Asterisk reports a failed async originate.
        caller_id cid = parse_caller_id(m.get("CallerID"));
        std::string fields = action_id_line(c->out);
        fields += fmt::format("Response: Failure\r\nChannel: {}\r\n", channel);
        if (!app.empty())
            fields += fmt::format("Application: {}\r\nData: {}\r\n", app, data);
        else
            fields += fmt::format("Context: {}\r\nExten: {}\r\n", context, exten);
        fields += fmt::format("Reason: 0\r\nUniqueid: {}\r\nCallerIDNum: {}\r\nCallerIDName: {}\r\n",
                              or_unknown(channel_id), or_unknown(cid.number), or_unknown(cid.name));
        publish_event(perm_call, "OriginateResponse", fields);
    }
    return true;
}

bool hangup(const std::shared_ptr<action_call>& c) {
    std::string_view channel = c->msg.get("Channel");
    if (channel.empty()) {
        c->out.error("No channel specified");
        return true;
    }
    if (channel.front() != '/') {
        c->out.error("No such channel");
        return true;
    }
    if (channel.size() < 2 || channel.back() != '/') {
        c->out.error("Regex format invalid, Channel param should be /regex/");
        return true;
    }
    posix_regex re(channel.substr(1, channel.size() - 2));
    if (!re.valid()) {
        c->out.error(fmt::format("Regex compile failed on: {}", channel));
        return true;
    }
    list_start(c->out, "Channels hung up will follow");
    list_complete(c->out, "ChannelsHungupListComplete", 0); // no channel to match
    return true;
}

bool absolute_timeout(const std::shared_ptr<action_call>& c) {
    if (c->msg.get("Channel").empty())
        c->out.error("No channel specified");
    else if (leading_int(c->msg.get("Timeout")) <= 0)
        c->out.error("No timeout specified");
    else
        c->out.error("No such channel");
    return true;
}

bool redirect(const std::shared_ptr<action_call>& c) {
    std::string_view channel = c->msg.get("Channel");
    std::string_view priority = c->msg.get("Priority");
    if (channel.empty())
        c->out.error("Channel not specified");
    else if (c->msg.get("Context").empty())
        c->out.error("Context not specified");
    else if (!priority.empty() && !scans_as_int(priority))
        c->out.error("Invalid priority");
    else
        c->out.error(fmt::format("Channel does not exist: {}", channel));
    return true;
}

bool atxfer(const std::shared_ptr<action_call>& c) {
    if (c->msg.get("Channel").empty())
        c->out.error("No channel specified");
    else
        c->out.error("Channel specified does not exist");
    return true;
}

bool channel_specified_does_not_exist(const std::shared_ptr<action_call>& c) {
    c->out.error("Channel specified does not exist");
    return true;
}

bool send_text(const std::shared_ptr<action_call>& c) {
    if (c->msg.get("Channel").empty())
        c->out.error("No channel specified");
    else if (c->msg.get("Message").empty())
        c->out.error("No Message specified");
    else
        c->out.error("No such channel");
    return true;
}

bool aoc_message(const std::shared_ptr<action_call>& c) {
    if (c->msg.get("Channel").empty() && c->msg.get("ChannelPrefix").empty())
        c->out.error("Channel and PartialChannel are not specified. Specify at least one of these.");
    else
        c->out.error("No such channel");
    return true;
}

bool core_show_channel_map(const std::shared_ptr<action_call>& c) {
    if (c->msg.get("Channel").empty())
        c->out.error("CoreShowChannelMap requires a channel.\n"); // [QUIRK] stray \n, as Asterisk
    else
        c->out.error("Could not get channel snapshot\n");
    return true;
}

} // namespace

std::vector<action_registration> register_telephony_actions() {
    std::vector<action_registration> r;
    r.push_back(
        register_builtin("Originate", "Originate a call (no channel drivers here).", perm_originate, originate));
    r.push_back(register_builtin("Hangup", "Hang up a channel or the channels matching /regex/.",
                                 perm_system | perm_call, hangup));
    r.push_back(register_builtin("AbsoluteTimeout", "Set an absolute timeout on a channel.", perm_system | perm_call,
                                 absolute_timeout));
    r.push_back(register_builtin("Redirect", "Redirect a channel to a dialplan location.", perm_call, redirect));
    r.push_back(register_builtin("Atxfer", "Start an attended transfer.", perm_call, atxfer));
    r.push_back(
        register_builtin("CancelAtxfer", "Cancel an attended transfer.", perm_call, channel_specified_does_not_exist));
    r.push_back(
        register_builtin("BlindTransfer", "Blind transfer a channel.", perm_call, channel_specified_does_not_exist));
    r.push_back(register_builtin("SendText", "Send a text message to a channel.", perm_call, send_text));
    r.push_back(
        register_builtin("AOCMessage", "Send an advice of charge message to a channel.", perm_aoc, aoc_message));
    r.push_back(register_builtin("CoreShowChannelMap", "List the channels connected to a channel.",
                                 perm_system | perm_reporting, core_show_channel_map));
    return r;
}

} // namespace ahttp::manager
