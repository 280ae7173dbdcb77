// Uptime span text of `core show uptime` (spec 00 §5.3).
#include "ahttp/cli.hpp"

namespace ahttp::cli {

std::string format_timespan(long long seconds) {
    struct unit {
        long long length;
        const char* name;
    };
    static constexpr long long minute = 60, hour = 60 * minute, day = 24 * hour, week = 7 * day, year = 365 * day;
    static constexpr unit units[] = {{year, "year"}, {week, "week"}, {day, "day"}, {hour, "hour"}, {minute, "minute"}};

    long long rest = seconds < 0 ? 0 : seconds;
    std::string out;
    for (const unit& u : units) {
        // Strictly greater: exactly one unit is printed in the next smaller unit ("60 seconds", "24 hours").
        if (rest > u.length) {
            const long long n = rest / u.length;
            rest -= n * u.length;
            // The comma goes only where something follows, i.e. when seconds remain.
            out += fmt::format("{} {}{}{}", n, u.name, n == 1 ? "" : "s", rest ? ", " : "");
        }
    }
    if (rest > 0 || out.empty())
        out += fmt::format("{} second{}", rest, rest == 1 ? "" : "s");
    return out;
}

} // namespace ahttp::cli
