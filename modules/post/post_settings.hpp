// What res_http_post reads from http.conf (spec 04 §1): the [post_mappings] entries and the upload size cap.
#pragma once

#include "ahttp/config.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ahttp::post {

/// Default cap on one upload's body (Content-Length): 1 GiB. Asterisk has none (spec 04 §5 weakness 2).
inline constexpr std::uint64_t default_upload_max_bytes = 1ull << 30;

/// One `<uri> = <directory>` line, both exactly as written.
struct mapping {
    std::string uri;
    std::string directory;
};

struct settings {
    std::vector<mapping> mappings;                             ///< in file order (later entries shadow earlier)
    std::uint64_t upload_max_bytes = default_upload_max_bytes; ///< 0 = no limit
};

/// Reads [post_mappings] (every non-template section of that name, in order) and [general] `uploadmaxsize`
/// (bytes, optionally with a K, M or G suffix, powers of 1024; 0 = no limit). An invalid size logs a warning
/// and keeps the default. Entries with an empty key or value are skipped with a warning.
settings read_settings(const config::model& http_conf);

/// Parses an `uploadmaxsize` value; nullopt when it is not `<digits>[K|M|G]` or overflows 64 bits.
std::optional<std::uint64_t> parse_size(std::string_view text);

} // namespace ahttp::post
