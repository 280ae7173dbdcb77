// HTTP Digest verification of one request (spec 02 §3.2, §3.3), shared by /amanager, /arawman, /amxml and the
// `ami` WebSocket handshake: the same header checks, the same nonce bookkeeping, the same 401/403 answers.
#pragma once

#include "ahttp/server.hpp"
#include "manager/manager_config.hpp"
#include "manager/runtime.hpp"

#include <memory>

namespace ahttp::manager {

struct digest_auth_result {
    /// The digest session (authenticated, in use once: the caller must release() it); nullptr when refused.
    std::shared_ptr<session> sess;
    /// When refused: the 401 challenge or the 403 page was already sent through the exchange; this is the
    /// handler's close flag (1 after the 403).
    int rc = 0;
};

/// Verifies the request's `Authorization: Digest` header against `settings` (user, ACL, secret, request URI)
/// and runs the nonce ↔ session bookkeeping of §3.3 (fresh nonce, nc replay, stale rotation).
digest_auth_result authenticate_digest(exchange& ex, const std::shared_ptr<runtime>& rt,
                                       const manager_settings& settings);

} // namespace ahttp::manager
