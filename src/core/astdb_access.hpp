// Publishing the daemon's astdb through include/ahttp/astdb.hpp (core only).
#pragma once

namespace ahttp {

class astdb;

/// Makes `db` the database behind ahttp::database (nullptr withdraws it). Withdrawing waits for calls in
/// progress, so the caller may close `db` right after. The daemon publishes its open database at start and
/// withdraws it before closing it.
void set_process_astdb(astdb* db);

} // namespace ahttp
