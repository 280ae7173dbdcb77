// Version and build facts (the shape of `core show version`, spec 00 §5.3).
#pragma once

#define AHTTP_VERSION_STRING "ahttpd-" AHTTP_VERSION

namespace ahttp::core {
inline constexpr const char* version = AHTTP_VERSION_STRING;
// Filled in at configure time (generated build_facts.cpp), so a rebuild does not recompile the core.
extern const char* const build_user;
extern const char* const build_host;
extern const char* const build_machine;
extern const char* const build_os;
extern const char* const build_date; // "YYYY-MM-DD hh:mm:ss UTC"
} // namespace ahttp::core
