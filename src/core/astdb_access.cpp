// ahttp::database forwards to the published astdb under a shared lock: many calls run at once (astdb is
// thread-safe), and withdrawing the database waits until none is using it.
#include "core/astdb_access.hpp"

#include "ahttp/astdb.hpp"
#include "core/astdb/astdb.hpp"

#include <mutex>
#include <shared_mutex>

namespace ahttp {
namespace {

std::shared_mutex db_mutex;
astdb* the_db = nullptr;

template <class F, class R> R with_db(R fallback, F&& fn) {
    std::shared_lock lock(db_mutex);
    if (!the_db || !the_db->is_open())
        return fallback;
    return fn(*the_db);
}

} // namespace

void set_process_astdb(astdb* db) {
    std::unique_lock lock(db_mutex);
    the_db = db;
}

namespace database {

bool available() {
    return with_db(false, [](astdb&) { return true; });
}

bool put(std::string_view family, std::string_view key, std::string_view value) {
    return with_db(false, [&](astdb& db) { return db.put(family, key, value); });
}

std::optional<std::string> get(std::string_view family, std::string_view key) {
    return with_db(std::optional<std::string>{}, [&](astdb& db) { return db.get(family, key); });
}

bool del(std::string_view family, std::string_view key) {
    return with_db(false, [&](astdb& db) { return db.del(family, key); });
}

int deltree(std::string_view family, std::string_view keytree) {
    return with_db(-1, [&](astdb& db) { return db.deltree(family, keytree); });
}

std::vector<entry> gettree(std::string_view family, std::string_view keytree) {
    return with_db(std::vector<entry>{}, [&](astdb& db) { return db.gettree(family, keytree); });
}

} // namespace database
} // namespace ahttp
