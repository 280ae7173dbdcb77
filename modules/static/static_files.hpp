// Serves <astdatadir>/static-http/ with the checks, MIME table and validators of spec 01 §6.
#pragma once

#include "ahttp/server.hpp"

#include <string>
#include <string_view>

namespace ahttp::static_files {

/// Longest accepted "<datadir>/static-http/<path>" (the reference's 1024-byte buffer).
inline constexpr std::size_t max_path_bytes = 1024;

/// True when the decoded path must be refused before touching the filesystem (§6 checks 1-3, plus NUL and
/// ".." segments).
bool refused_path(std::string_view path);

class server {
public:
    explicit server(std::string datadir) : datadir_(std::move(datadir)) {}
    int handle(exchange& ex);

private:
    std::string datadir_;
};

} // namespace ahttp::static_files
