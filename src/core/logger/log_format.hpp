// Line formats of spec 00 §7.2 (console) and §7.3 (file, plain, json, syslog), and the date of `dateformat`.
// Pure functions: no I/O, no clock, so every byte can be unit-tested.
#pragma once

#include "ahttp/log.hpp"

#include <ctime>
#include <string>
#include <string_view>

namespace ahttp::logging {

enum class formatter_kind { standard, plain, json };

/// logger.conf spelling of a formatter: "default", "plain", "json".
const char* formatter_name(formatter_kind kind) noexcept;

/// A record as the writer thread sees it: the caller's clock reading and thread id are captured at emission.
struct log_entry {
    log_record record;
    std::timespec when{};
    long tid = 0;
};

/// What a line needs besides the entry.
struct line_context {
    std::string_view date;       ///< format_date() of the entry's time
    std::string_view level_name; ///< "WARNING", or a custom level's name
    std::string_view callid;     ///< "[C-%08x]" or empty (records carry no call id yet, so always empty)
    std::string_view hostname;   ///< json only
    bool timestamp = false;      ///< console verbose lines get "[<date>] " (asterisk.conf timestamp / -T)
};

/// strftime of local time with `format`, where `%<n>q` inserts the first n digits of the fractional second
/// (`%q` alone = 3 digits; n above 9 pads with zeros) and `%%` stays a literal percent. Never throws on odd
/// formats: unknown conversions are left to strftime. An empty format gives "".
std::string format_date(std::string_view format, const std::timespec& when);

/// Console prefix of a verbose sub-level: 0 none, 1 " ", 2 "  == ", 3 "    -- ", 4..9 (sub-level + 3) SP + "> ";
/// above 9 counts as 9, below 0 as 0.
std::string_view verbose_prefix(int sublevel) noexcept;

/// Removes ANSI CSI sequences (ESC '[' ... final byte) and lone ESC bytes: files never get colour codes.
std::string strip_ansi(std::string_view text);

/// Console line, default formatter. Verbose: ["[<date>] "] + prefix on every line + message. Others:
/// `[<date>] <LEVEL>[<tid>]<callid>: <file>:<line> <function>: <message>`, a missing file, line or function
/// omitted with its separator. Always ends with exactly one added LF unless the message already ends in LF.
std::string format_console(const log_entry& entry, const line_context& ctx);

/// File line, default formatter: `[<date>] <LEVEL>[<tid>]<callid> <file>: <message>` (verbose included, never
/// prefixed; without a file name: `[<date>] <LEVEL>[<tid>]<callid>: <message>`). Colour codes stripped.
std::string format_file(const log_entry& entry, const line_context& ctx);

/// `plain` formatter (files and console): `[<date>] <LEVEL>[<tid>]<callid>: <file>:<line> <function>: <message>`
/// for every level, verbose included and unprefixed. Colour codes stripped.
std::string format_plain(const log_entry& entry, const line_context& ctx);

/// `json` formatter: one object per line with hostname, timestamp, identifiers {lwp, callid} and logmsg
/// {location {filename, function, line}, level, message}. Strings escaped per RFC 8259 (bytes >= 0x80 are
/// passed through, so valid UTF-8 stays valid).
std::string format_json(const log_entry& entry, const line_context& ctx);

/// Syslog text (no date, no LF): `<LEVEL>[<tid>]<callid>: <file>:<line> in <function>: <message>`.
std::string format_syslog(const log_entry& entry, const line_context& ctx);

/// The line of `kind` for a file (`to_console` false) or a console channel.
std::string format_line(formatter_kind kind, bool to_console, const log_entry& entry, const line_context& ctx);

} // namespace ahttp::logging
