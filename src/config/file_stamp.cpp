// The "changed since last load" test of spec 00 §1.10.
#include "ahttp/config.hpp"

#include <sys/stat.h>

namespace ahttp::config {

bool changed(const load_result& previous) {
    if (previous.always_changed)
        return true;
    for (const auto& stamp : previous.stamps) {
        struct stat st {};
        bool exists = ::stat(stamp.path.c_str(), &st) == 0;
        if (stamp.size < 0) {
            if (exists)
                return true; // a missing plain name appeared
            continue;
        }
        if (!exists)
            return true;
        std::int64_t mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
        if (static_cast<std::int64_t>(st.st_size) != stamp.size || mtime_ns != stamp.mtime_ns)
            return true;
    }
    return false;
}

} // namespace ahttp::config
