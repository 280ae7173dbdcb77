// Request parameters of the manager URIs (spec 02 §1.2): the query for GET/HEAD, only a form body for POST.
#pragma once

#include "ahttp/http_types.hpp"
#include "ahttp/manager.hpp"
#include "ahttp/server.hpp"

#include <memory>
#include <optional>

namespace ahttp::manager {

enum class params_status { ok, too_big, io_error };

struct params_result {
    params_status status = params_status::ok;
    http::field_list params; ///< decoded, in request order, at most max_request_lines
};

/// Reads the parameters of `ex`. A body error is reported, not answered: the caller sends the error page.
params_result collect_params(exchange& ex);

/// Answers a body error per §1.2.2 (413 `Body too large` / 400 `Error parsing request body`) and returns the
/// handler's close flag.
int answer_params_error(exchange& ex, params_status status);

/// Answers methods other than GET/HEAD/POST with the 501 page and returns true; false for those three.
bool reject_method(exchange& ex);

class runtime;
struct action_call;
struct manager_settings;

/// What every entry point starts from.
struct entry_request {
    std::shared_ptr<runtime> rt;
    http::field_list params; ///< as collected (the converters read ajaxdest/ajaxobjtype from them)
    message msg;             ///< the same parameters as AMI header lines
};

/// The common start of the six entry points: 404 once the module is unloaded, 501 for other methods, then
/// the parameters, read before any session exists so that a body error (413/400) leaves none behind
/// ([FIX] §10.3). nullopt when a response was already sent; `rc` then holds the handler's return value.
std::optional<entry_request> begin_entry(exchange& ex, int& rc);

/// The action call both HTTP transports build: runtime, settings, `msg`, a writer carrying its ActionID, and the
/// request's endpoints (formatted only if a security event needs them). The caller adds the session and `done`.
std::shared_ptr<action_call> make_http_call(exchange& ex, std::shared_ptr<runtime> rt,
                                            std::shared_ptr<const manager_settings> settings, message msg);

} // namespace ahttp::manager
