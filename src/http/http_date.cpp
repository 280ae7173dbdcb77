// RFC 1123 dates for Date / Last-Modified headers (spec 01 §4.1), locale-independent.
#include "ahttp/http_util.hpp"

#include <fmt/format.h>

namespace ahttp::http {

std::string http_date(std::time_t t) {
    static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::tm tm{};
    if (!::gmtime_r(&t, &tm)) {
        const std::time_t epoch = 0; // a year beyond struct tm: the epoch beats an invalid header
        ::gmtime_r(&epoch, &tm);
    }
    return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", days[tm.tm_wday % 7], tm.tm_mday,
                       months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

} // namespace ahttp::http
