// Precompiled header for the core: the heavy Boost.Asio/OpenSSL headers, parsed once per build.
#pragma once
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <fmt/format.h>
#include <memory>
#include <string>
#include <utility>
#include <vector>
