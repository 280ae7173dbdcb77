// The Date header value, formatted at most once per second per thread (it is on every response).
#pragma once

#include "ahttp/http_util.hpp"

#include <ctime>
#include <string>

namespace ahttp::core {

inline const std::string& cached_http_date() {
    thread_local std::time_t last = 0;
    thread_local std::string text;
    std::time_t now = std::time(nullptr);
    if (now != last) {
        last = now;
        text = http::http_date(now);
    }
    return text;
}

} // namespace ahttp::core
