// http.conf `[general]`, redirects and path restrictions (spec 01 §1), parsed into an immutable snapshot.
#pragma once

#include "ahttp/config.hpp"
#include "ahttp/acl.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace ahttp::core {

// Asterisk's defaults.
inline constexpr std::uint16_t default_bindport = 8088;
inline constexpr std::uint16_t default_tls_port = 8089;
inline constexpr int default_sessionlimit = 100;         // DEFAULT_SESSION_LIMIT
inline constexpr int default_session_inactivity = 30000; // ms
inline constexpr int default_session_keep_alive = 15000; // ms
inline constexpr std::size_t max_servername_bytes = 127;
inline constexpr std::size_t max_prefix_bytes = 79; // including the leading '/'
inline constexpr const char* default_certfile = "asterisk.pem";
inline constexpr const char* default_tls_ciphers =
    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:DHE-DSS-AES128-GCM-SHA256:kEDH+AESGCM:"
    "ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES128-SHA:"
    "ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA:ECDHE-ECDSA-AES256-SHA:"
    "DHE-RSA-AES128-SHA256:DHE-RSA-AES128-SHA:DHE-DSS-AES128-SHA256:DHE-RSA-AES256-SHA256:DHE-DSS-AES256-SHA:"
    "DHE-RSA-AES256-SHA:AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:AES256-SHA256:AES128-SHA:AES256-SHA:"
    "AES:CAMELLIA:DES-CBC3-SHA:!aNULL:!eNULL:!EXPORT:!DES:!RC4:!MD5:!PSK:!aECDH:!EDH-DSS-DES-CBC3-SHA:"
    "!EDH-RSA-DES-CBC3-SHA:!KRB5-DES-CBC3-SHA";

struct redirect_rule {
    std::string from;
    std::string to;
};

struct restriction {
    std::string path;
    std::vector<acl_list> acls; ///< the inline list first (if it has rules), then named ACLs
};

struct tls_settings {
    bool enabled = false;
    std::string bindaddr; ///< validated numeric "addr[:port]" or ""
    std::string certfile = default_certfile;
    std::string privatekey;
    std::string cipher = default_tls_ciphers;
    bool server_cipher_order = true;
    bool disable_v1 = true;
    bool disable_v11 = false;
    bool disable_v12 = false;
};

struct http_settings {
    bool enabled = false;
    bool has_bindaddr = false;
    std::string bindaddr;                      ///< host part as written ("" when absent)
    std::uint16_t bindport = default_bindport; ///< bindport, or the port inside bindaddr
    std::string servername;                    ///< "" suppresses Server: and <address>
    std::string prefix;                        ///< "" or "/value"
    int sessionlimit = default_sessionlimit;
    int session_inactivity = default_session_inactivity;
    int session_keep_alive = default_session_keep_alive;
    std::vector<redirect_rule> redirects; ///< in match order: longest `from` first, later duplicates first
    std::vector<restriction> restrictions;
    tls_settings tls;
};

/// The default servername, "Asterisk/<version>".
std::string default_servername();

/// Applies http.conf to defaults, logging the warnings of spec 01 §1 with their exact texts.
/// `named_acls` come from acl.conf (may be null).
http_settings parse_http_settings(const config::model& conf, const config::model* acl_conf);

/// Splits "host", "host:port", "[v6]:port", "v6literal" into host and optional port. False when malformed.
bool split_host_port(std::string_view text, std::string& host, int& port);

} // namespace ahttp::core
