#include "core/logger/log_format.hpp"

#include <fmt/format.h>

#include <array>

namespace ahttp::logging {
namespace {

void end_line(std::string& out) {
    if (out.empty() || out.back() != '\n')
        out.push_back('\n');
}

// "<file>:<line> <function>" with absent parts dropped together with their separators.
std::string location(const log_record& r, const char* between_line_and_function) {
    std::string loc = r.file ? r.file : "";
    if (!loc.empty() && r.line > 0)
        loc += fmt::format(":{}", r.line);
    if (r.function && *r.function) {
        if (!loc.empty())
            loc += between_line_and_function;
        loc += r.function;
    }
    return loc;
}

// "<LEVEL>[<tid>]<callid>: <location>: <message>", the shape shared by console, plain and syslog lines.
std::string located_body(const log_entry& e, const line_context& ctx, const char* between) {
    std::string loc = location(e.record, between);
    if (loc.empty())
        return fmt::format("{}[{}]{}: {}", ctx.level_name, e.tid, ctx.callid, e.record.message);
    return fmt::format("{}[{}]{}: {}: {}", ctx.level_name, e.tid, ctx.callid, loc, e.record.message);
}

void json_string(std::string& out, std::string_view s) {
    out.push_back('"');
    for (unsigned char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            if (c < 0x20)
                out += fmt::format("\\u{:04x}", c);
            else
                out.push_back(static_cast<char>(c));
        }
    }
    out.push_back('"');
}

} // namespace

const char* formatter_name(formatter_kind kind) noexcept {
    switch (kind) {
    case formatter_kind::standard:
        return "default";
    case formatter_kind::plain:
        return "plain";
    case formatter_kind::json:
        return "json";
    }
    return "default";
}

std::string format_date(std::string_view format, const std::timespec& when) {
    // Expand %<n>q first; everything else is strftime's business.
    std::string expanded;
    expanded.reserve(format.size() + 8);
    for (std::size_t i = 0; i < format.size(); ++i) {
        char c = format[i];
        if (c != '%' || i + 1 >= format.size()) {
            expanded.push_back(c);
            continue;
        }
        std::size_t j = i + 1;
        while (j < format.size() && format[j] >= '0' && format[j] <= '9' && j - i <= 2)
            ++j;
        if (j < format.size() && format[j] == 'q') {
            int digits = j == i + 1 ? 3 : std::stoi(std::string(format.substr(i + 1, j - i - 1)));
            auto fraction = fmt::format("{:09d}", when.tv_nsec % 1000000000L);
            for (int d = 0; d < digits; ++d)
                expanded.push_back(d < 9 ? fraction[d] : '0');
            i = j;
            continue;
        }
        // Keep "%%" together so the second '%' cannot start a %q.
        expanded.push_back('%');
        if (format[i + 1] == '%') {
            expanded.push_back('%');
            ++i;
        }
    }
    if (expanded.empty())
        return {};
    std::tm tm{};
    std::time_t seconds = when.tv_sec;
    localtime_r(&seconds, &tm);
    // strftime returns 0 both for "too small" and for an empty result: grow a few times, then give up.
    std::string out(expanded.size() * 4 + 64, '\0');
    for (int attempt = 0; attempt < 4; ++attempt) {
        std::size_t n = std::strftime(out.data(), out.size(), expanded.c_str(), &tm);
        if (n > 0) {
            out.resize(n);
            return out;
        }
        out.resize(out.size() * 4);
    }
    return {};
}

std::string_view verbose_prefix(int sublevel) noexcept {
    static constexpr std::array<std::string_view, 10> prefixes = {
        "",           " ",           "  == ",        "    -- ",       "       > ",
        "        > ", "         > ", "          > ", "           > ", "            > ",
    };
    if (sublevel < 0)
        sublevel = 0;
    if (sublevel > 9)
        sublevel = 9;
    return prefixes[static_cast<std::size_t>(sublevel)];
}

std::string strip_ansi(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\x1b') {
            out.push_back(text[i]);
            continue;
        }
        if (i + 1 < text.size() && text[i + 1] == '[') {
            std::size_t j = i + 2;
            while (j < text.size() && !(text[j] >= 0x40 && text[j] <= 0x7e))
                ++j;
            i = j; // skips the final byte too (or runs off the end of a truncated sequence)
        }
    }
    return out;
}

std::string format_console(const log_entry& e, const line_context& ctx) {
    std::string out;
    if (e.record.level == log_level::verbose) {
        if (ctx.timestamp)
            out = fmt::format("[{}] ", ctx.date);
        std::string_view prefix = verbose_prefix(e.record.sublevel);
        std::string_view msg = e.record.message;
        // The prefix goes in front of every line; a final LF does not open a new line.
        std::size_t start = 0;
        while (start < msg.size()) {
            std::size_t nl = msg.find('\n', start);
            std::size_t end = nl == std::string_view::npos ? msg.size() : nl + 1;
            out += prefix;
            out += msg.substr(start, end - start);
            start = end;
        }
        if (msg.empty())
            out += prefix;
    } else {
        out = fmt::format("[{}] {}", ctx.date, located_body(e, ctx, " "));
    }
    end_line(out);
    return out;
}

std::string format_file(const log_entry& e, const line_context& ctx) {
    std::string out;
    const char* file = e.record.file ? e.record.file : "";
    if (*file)
        out = fmt::format("[{}] {}[{}]{} {}: {}", ctx.date, ctx.level_name, e.tid, ctx.callid, file,
                          strip_ansi(e.record.message));
    else
        out =
            fmt::format("[{}] {}[{}]{}: {}", ctx.date, ctx.level_name, e.tid, ctx.callid, strip_ansi(e.record.message));
    end_line(out);
    return out;
}

std::string format_plain(const log_entry& e, const line_context& ctx) {
    std::string out = strip_ansi(fmt::format("[{}] {}", ctx.date, located_body(e, ctx, " ")));
    end_line(out);
    return out;
}

std::string format_json(const log_entry& e, const line_context& ctx) {
    std::string out = "{\"hostname\":";
    json_string(out, ctx.hostname);
    out += ",\"timestamp\":";
    json_string(out, ctx.date);
    out += fmt::format(",\"identifiers\":{{\"lwp\":{},\"callid\":", e.tid);
    json_string(out, ctx.callid);
    out += "},\"logmsg\":{\"location\":{\"filename\":";
    json_string(out, e.record.file ? e.record.file : "");
    out += ",\"function\":";
    json_string(out, e.record.function ? e.record.function : "");
    out += fmt::format(",\"line\":{}}},\"level\":", e.record.line);
    json_string(out, ctx.level_name);
    out += ",\"message\":";
    std::string_view msg = e.record.message;
    while (!msg.empty() && msg.back() == '\n')
        msg.remove_suffix(1);
    json_string(out, strip_ansi(msg));
    out += "}}\n";
    return out;
}

std::string format_syslog(const log_entry& e, const line_context& ctx) {
    std::string out = strip_ansi(located_body(e, ctx, " in "));
    while (!out.empty() && out.back() == '\n')
        out.pop_back();
    return out;
}

std::string format_line(formatter_kind kind, bool to_console, const log_entry& entry, const line_context& ctx) {
    switch (kind) {
    case formatter_kind::plain:
        return format_plain(entry, ctx);
    case formatter_kind::json:
        return format_json(entry, ctx);
    case formatter_kind::standard:
        break;
    }
    return to_console ? format_console(entry, ctx) : format_file(entry, ctx);
}

} // namespace ahttp::logging
