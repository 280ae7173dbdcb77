// Request parameters of the manager URIs (spec 02 §1.2): the query for GET/HEAD, only a form body for POST.
#pragma once

#include "ahttp/http_types.hpp"
#include "ahttp/server.hpp"

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

} // namespace ahttp::manager
