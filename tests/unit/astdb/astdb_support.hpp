// Shared helpers for the astdb tests: a temporary directory, a log capture and a second SQLite connection.
#pragma once

#include "ahttp/log.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace astdb_test {

class temp_dir {
  public:
    temp_dir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "ahttp-astdb-XXXXXX").string();
        if (!::mkdtemp(pattern.data()))
            throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;

    std::string str(std::string_view name) const { return (path_ / name).string(); }
    void write(std::string_view name, std::string_view text) const {
        std::ofstream(path_ / name, std::ios::binary) << text;
    }

  private:
    std::filesystem::path path_;
};

// Records every log record while alive.
class log_capture {
  public:
    log_capture() {
        previous_ = ahttp::set_log_backend([this](const ahttp::log_record& r) {
            std::lock_guard lock(mutex_);
            records_.push_back(r);
        });
    }
    ~log_capture() { ahttp::set_log_backend(std::move(previous_)); }

    bool has(ahttp::log_level level, std::string_view message) const {
        std::lock_guard lock(mutex_);
        return std::any_of(records_.begin(), records_.end(),
                           [&](const ahttp::log_record& r) { return r.level == level && r.message == message; });
    }
    std::size_t count(ahttp::log_level level) const {
        std::lock_guard lock(mutex_);
        return static_cast<std::size_t>(std::count_if(records_.begin(), records_.end(),
                                                      [&](const ahttp::log_record& r) { return r.level == level; }));
    }

  private:
    mutable std::mutex mutex_;
    std::vector<ahttp::log_record> records_;
    ahttp::log_backend previous_;
};

// `select key,value from astdb order by key` through an independent connection, rows as `key|value` like
// the sqlite3 shell prints them; "<error>" when the file cannot be read.
inline std::vector<std::string> rows_seen_by_other_connection(const std::string& path) {
    std::vector<std::string> rows;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        return {"<error>"};
    }
    sqlite3_busy_timeout(db, 2000);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "select key,value from astdb order by key", -1, &st, nullptr) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW)
            rows.push_back(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))) + "|" +
                           reinterpret_cast<const char*>(sqlite3_column_text(st, 1)));
    } else {
        rows.push_back("<error>");
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rows;
}

} // namespace astdb_test
