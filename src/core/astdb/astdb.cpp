// SQLite-backed astdb (spec 00 §6).
#include "core/astdb/astdb.hpp"

#include "ahttp/log.hpp"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>

namespace ahttp {
namespace {

// Asterisk waits for a busy file rather than failing at once; one second keeps a locked file from stalling
// callers for long while still riding out a short external read (e.g. the sqlite3 shell).
constexpr int busy_timeout_ms = 1000;
constexpr auto commit_interval = std::chrono::seconds(1);

// One prepared statement, finalised on scope exit.
class statement {
  public:
    statement(::sqlite3* db, std::string_view sql) {
        rc_ = ::sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
    }
    ~statement() { ::sqlite3_finalize(stmt_); }
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;

    bool ok() const noexcept { return rc_ == SQLITE_OK && stmt_; }

    // Binds as TEXT with an explicit length; an empty view must not bind NULL.
    bool bind(int index, std::string_view text) {
        return ::sqlite3_bind_text64(stmt_, index, text.empty() ? "" : text.data(), text.size(), SQLITE_TRANSIENT,
                                     SQLITE_UTF8) == SQLITE_OK;
    }
    int step() { return ::sqlite3_step(stmt_); }

    std::string column(int index) {
        const auto* text = reinterpret_cast<const char*>(::sqlite3_column_text(stmt_, index));
        return text ? std::string(text, static_cast<std::size_t>(::sqlite3_column_bytes(stmt_, index))) : std::string();
    }

  private:
    ::sqlite3_stmt* stmt_ = nullptr;
    int rc_ = SQLITE_ERROR;
};

std::string full_key(std::string_view family, std::string_view key) {
    std::string k;
    k.reserve(family.size() + key.size() + 2);
    k.append("/").append(family).append("/").append(key);
    return k;
}

// `/family[/keytree]`; empty for the whole database; nullopt for a keytree without family (an error).
std::optional<std::string> tree_prefix(std::string_view family, std::string_view keytree) {
    if (family.empty())
        return keytree.empty() ? std::optional<std::string>(std::string()) : std::nullopt;
    std::string p = "/";
    p.append(family);
    if (!keytree.empty())
        p.append("/").append(keytree);
    return p;
}

// The old Berkeley DB file cannot be read; tell the operator before an empty SQLite file hides the problem.
void explain_berkeley_db(const std::string& base, const std::string& path) {
    std::error_code ec;
    if (std::filesystem::exists(path, ec) || !std::filesystem::exists(base, ec) ||
        std::filesystem::is_directory(base, ec))
        return;
    AHTTP_ERROR("The Asterisk database '{}' does not exist, but '{}' does.", path, base);
    AHTTP_ERROR("'{}' looks like an old Berkeley DB astdb, a format this server does not read.", base);
    AHTTP_ERROR("Its entries are NOT available. To keep them, stop the server, convert the file to");
    AHTTP_ERROR("SQLite (for example with Asterisk's astdb2sqlite3 utility) and start the server again.");
    AHTTP_ERROR("Continuing with a new, empty database at '{}'.", path);
}

const char* errmsg(::sqlite3* db) {
    return db ? ::sqlite3_errmsg(db) : "out of memory";
}

} // namespace

astdb::~astdb() {
    close();
}

bool astdb::open(const std::string& base) {
    close();
    const std::string path = base + ".sqlite3";
    explain_berkeley_db(base, path);

    ::sqlite3* db = nullptr;
    int rc = ::sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc == SQLITE_OK) {
        ::sqlite3_busy_timeout(db, busy_timeout_ms);
        rc = ::sqlite3_exec(db, "CREATE TABLE IF NOT EXISTS astdb(key TEXT, value TEXT, PRIMARY KEY(key))", nullptr,
                            nullptr, nullptr);
    }
    if (rc != SQLITE_OK) {
        AHTTP_WARNING("Unable to open Asterisk database '{}': {}", path, errmsg(db));
        ::sqlite3_close(db);
        std::lock_guard lock(mutex_);
        path_ = path;
        return false;
    }

    std::lock_guard lock(mutex_);
    db_ = db;
    path_ = path;
    in_transaction_ = false;
    stop_ = false;
    sync_thread_ = std::thread([this] { sync_loop(); });
    return true;
}

void astdb::close() {
    std::thread thread;
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
        thread = std::move(sync_thread_);
    }
    wake_.notify_all();
    if (thread.joinable())
        thread.join();

    std::lock_guard lock(mutex_);
    if (db_) {
        commit_locked();
        if (::sqlite3_close(db_) != SQLITE_OK)
            AHTTP_WARNING("Unable to close Asterisk database '{}': {}", path_, errmsg(db_));
        db_ = nullptr;
    }
    in_transaction_ = false;
}

bool astdb::is_open() const {
    std::lock_guard lock(mutex_);
    return db_ != nullptr;
}

std::string astdb::path() const {
    std::lock_guard lock(mutex_);
    return path_;
}

// Commits whatever is pending, then rests a second so that commits happen at most once per second.
void astdb::sync_loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return in_transaction_ || stop_; });
        if (stop_)
            return;
        commit_locked();
        wake_.wait_for(lock, commit_interval, [this] { return stop_; });
    }
}

bool astdb::begin_locked() {
    // SQLite rolls a transaction back by itself after some errors (e.g. disk full); trust its state.
    if (!::sqlite3_get_autocommit(db_)) {
        in_transaction_ = true;
        return true;
    }
    if (::sqlite3_exec(db_, "BEGIN TRANSACTION", nullptr, nullptr, nullptr) != SQLITE_OK) {
        AHTTP_WARNING("Unable to begin an Asterisk database transaction: {}", errmsg(db_));
        return false;
    }
    in_transaction_ = true;
    wake_.notify_one();
    return true;
}

bool astdb::commit_locked() {
    if (!db_ || ::sqlite3_get_autocommit(db_)) {
        in_transaction_ = false;
        return true;
    }
    // A failed COMMIT (typically SQLITE_BUSY) leaves the transaction open, so the next attempt retries it.
    if (::sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
        AHTTP_WARNING("Unable to commit Asterisk database '{}': {}", path_, errmsg(db_));
        return false;
    }
    in_transaction_ = false;
    return true;
}

bool astdb::commit_pending() {
    std::lock_guard lock(mutex_);
    return commit_locked();
}

bool astdb::put(std::string_view family, std::string_view key, std::string_view value) {
    std::lock_guard lock(mutex_);
    if (!db_ || !begin_locked())
        return false;
    statement st(db_, "INSERT OR REPLACE INTO astdb (key, value) VALUES (?, ?)");
    if (!st.ok() || !st.bind(1, full_key(family, key)) || !st.bind(2, value) || st.step() != SQLITE_DONE) {
        AHTTP_WARNING("Unable to store AstDB key /{}/{}: {}", family, key, errmsg(db_));
        return false;
    }
    return true;
}

std::optional<std::string> astdb::get(std::string_view family, std::string_view key) {
    std::lock_guard lock(mutex_);
    if (!db_)
        return std::nullopt;
    statement st(db_, "SELECT value FROM astdb WHERE key = ?");
    if (!st.ok() || !st.bind(1, full_key(family, key)))
        return std::nullopt;
    const int rc = st.step();
    if (rc == SQLITE_ROW)
        return st.column(0);
    if (rc != SQLITE_DONE)
        AHTTP_WARNING("Unable to read AstDB key /{}/{}: {}", family, key, errmsg(db_));
    return std::nullopt;
}

bool astdb::del(std::string_view family, std::string_view key) {
    std::lock_guard lock(mutex_);
    if (!db_ || !begin_locked())
        return false;
    statement st(db_, "DELETE FROM astdb WHERE key = ?");
    if (!st.ok() || !st.bind(1, full_key(family, key)) || st.step() != SQLITE_DONE) {
        AHTTP_WARNING("Unable to delete AstDB key /{}/{}: {}", family, key, errmsg(db_));
        return false;
    }
    if (::sqlite3_changes(db_) == 0) {
        AHTTP_WARNING("AstDB key /{}/{} does not exist", family, key);
        return false;
    }
    return true;
}

// Range bounds instead of LIKE: `/p/` <= key < `/p0` ('0' follows '/') selects exactly the keys below
// `/p`, byte-exact and case-sensitive, and still uses the primary key index.
int astdb::deltree(std::string_view family, std::string_view keytree) {
    const auto prefix = tree_prefix(family, keytree);
    std::lock_guard lock(mutex_);
    if (!prefix || !db_ || !begin_locked())
        return -1;
    statement st(db_, prefix->empty() ? "DELETE FROM astdb"
                                      : "DELETE FROM astdb WHERE key = ?1 OR (key >= ?2 AND key < ?3)");
    bool ok = st.ok();
    if (ok && !prefix->empty())
        ok = st.bind(1, *prefix) && st.bind(2, *prefix + "/") && st.bind(3, *prefix + "0");
    if (!ok || st.step() != SQLITE_DONE) {
        AHTTP_WARNING("Unable to delete AstDB tree '{}': {}", *prefix, errmsg(db_));
        return -1;
    }
    return ::sqlite3_changes(db_);
}

std::vector<astdb::entry> astdb::select_tree_locked(const std::string& prefix) {
    std::vector<entry> out;
    statement st(db_, prefix.empty()
                          ? "SELECT key, value FROM astdb ORDER BY key"
                          : "SELECT key, value FROM astdb WHERE key = ?1 OR (key >= ?2 AND key < ?3) ORDER BY key");
    bool ok = st.ok();
    if (ok && !prefix.empty())
        ok = st.bind(1, prefix) && st.bind(2, prefix + "/") && st.bind(3, prefix + "0");
    int rc = SQLITE_ERROR;
    while (ok && (rc = st.step()) == SQLITE_ROW)
        out.emplace_back(st.column(0), st.column(1));
    if (rc != SQLITE_DONE) {
        AHTTP_WARNING("Unable to read AstDB tree '{}': {}", prefix, errmsg(db_));
        out.clear();
    }
    return out;
}

std::vector<astdb::entry> astdb::gettree(std::string_view family, std::string_view keytree) {
    const auto prefix = tree_prefix(family, keytree);
    std::lock_guard lock(mutex_);
    if (!prefix || !db_)
        return {};
    return select_tree_locked(*prefix);
}

std::vector<astdb::entry> astdb::showkey(std::string_view key) {
    if (key.empty())
        return {};
    std::string suffix = "/";
    suffix.append(key);
    std::lock_guard lock(mutex_);
    if (!db_)
        return {};
    // Suffix matching cannot use the index anyway, so filter in C++ for byte-exact semantics.
    std::vector<entry> all = select_tree_locked({});
    std::erase_if(all, [&](const entry& e) { return !e.first.ends_with(suffix); });
    return all;
}

} // namespace ahttp
