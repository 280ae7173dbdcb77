// Builds the HTTPS server's OpenSSL context from http.conf tls* options (spec 01 §7).
#pragma once

#include "core/http_settings.hpp"

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>

namespace ahttp::core {

struct tls_material {
    std::shared_ptr<boost::asio::ssl::context> context;
    std::string fingerprint; ///< SHA-1 over cert/key contents, cipher string and flags: changes => rebuild
};

/// Loads certificate chain, key (from privatekey or the cert file), companion _ecc/_dsa pairs, cipher list
/// and protocol flags. Logs the errors of spec 01 §7.2-§7.3 and returns a null context on failure.
tls_material build_tls_context(const tls_settings& s);

/// The fingerprint alone (reads the files), to decide whether a reload must rebuild the context.
std::string tls_fingerprint(const tls_settings& s);

} // namespace ahttp::core
