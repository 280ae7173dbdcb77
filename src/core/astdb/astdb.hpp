// The Asterisk database (spec 00 §6): a key/value store in SQLite, shared by the CLI `database` commands,
// AMI DB* actions and any component that persists state.
//
// Entries live in table `astdb(key TEXT, value TEXT, PRIMARY KEY(key))` of `<base>.sqlite3`, the same file
// Asterisk uses. A full key is `/<family>/<key>`; family and key may contain `/`.
//
// Writes are collected in an open transaction that a background thread commits at most once per second
// after a change (the first change after a quiet second is committed at once). A crash may therefore lose
// up to about one second of writes; close() and the destructor commit everything.
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

struct sqlite3;

namespace ahttp {

class astdb {
  public:
    /// Full key (`/family/key`) and value.
    using entry = std::pair<std::string, std::string>;

    astdb() = default;
    ~astdb(); ///< close()
    astdb(const astdb&) = delete;
    astdb& operator=(const astdb&) = delete;

    /// Opens (creating if needed) `<base>.sqlite3`, e.g. base `/var/lib/asterisk/astdb`, creates the table
    /// and starts the commit thread. When `<base>.sqlite3` is missing but a file `<base>` exists (an old
    /// Berkeley DB), [ERROR] lines explain that it needs converting, then an empty SQLite database is created.
    /// On failure logs [WARNING] `Unable to open Asterisk database '<path>': <sqlite message>` and returns
    /// false (the object stays closed). An open database is closed (committed) first.
    /// open() and close() must not run concurrently with each other; every other call is thread-safe and
    /// may run concurrently with them.
    bool open(const std::string& base);

    /// Stops the commit thread, commits pending writes and closes the file. Harmless when closed.
    void close();

    bool is_open() const;
    /// The SQLite file path of the last open() (`<base>.sqlite3`); empty before.
    std::string path() const;

    /// Commits the pending transaction now. True when nothing was pending or the commit succeeded; on
    /// failure (e.g. the file is locked by another process for longer than 1 s) logs a [WARNING], keeps the
    /// writes pending for the next attempt and returns false.
    bool commit_pending();

    /// Stores `value` under `/family/key` (replacing any value). False when closed or on an SQL error
    /// ([WARNING] logged).
    bool put(std::string_view family, std::string_view key, std::string_view value);

    /// The value at exactly `/family/key` (case-sensitive); nullopt when absent or closed.
    std::optional<std::string> get(std::string_view family, std::string_view key);

    /// Removes `/family/key`. True when an entry was removed; when none existed logs [WARNING]
    /// `AstDB key /<family>/<key> does not exist` and returns false. False when closed.
    bool del(std::string_view family, std::string_view key);

    /// Removes the tree of `family` (and `keytree`, if not empty): the entry whose full key is exactly
    /// `/family[/keytree]` and every entry whose key starts with `/family[/keytree]/`. Matching is byte-exact
    /// and case-sensitive (no LIKE wildcards: spec 00 §9 W9 fix). Empty family and keytree = the whole
    /// database. Returns the number of entries removed; -1 when closed, on an SQL error, or for a keytree
    /// without family.
    int deltree(std::string_view family, std::string_view keytree = {});

    /// The entries of the same tree as deltree(), ordered by full key in byte order. Empty when closed, on
    /// an SQL error, or for a keytree without family.
    std::vector<entry> gettree(std::string_view family, std::string_view keytree = {});

    /// Entries of any family whose full key ends with `/<key>` (byte-exact, case-sensitive), ordered by full
    /// key. Empty when closed or `key` is empty.
    std::vector<entry> showkey(std::string_view key);

  private:
    void sync_loop();
    bool begin_locked();
    bool commit_locked();
    std::vector<entry> select_tree_locked(const std::string& prefix);

    mutable std::mutex mutex_; // guards every member below and all use of db_
    std::condition_variable wake_;
    ::sqlite3* db_ = nullptr;
    std::string path_;
    bool in_transaction_ = false; // a write opened a transaction that is not committed yet
    bool stop_ = false;
    std::thread sync_thread_;
};

} // namespace ahttp
