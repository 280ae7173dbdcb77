// Helpers for the config tests: a private etc_dir and a log capture.
#pragma once

#include "ahttp/config.hpp"
#include "ahttp/log.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <string>
#include <vector>

namespace ahttp::config::testing {

/// A fresh directory under /tmp, removed with everything in it at the end of the test.
class temp_dir {
  public:
    temp_dir() {
        char tmpl[] = "/tmp/ahttp-config-test-XXXXXX";
        const char* made = ::mkdtemp(tmpl);
        if (!made)
            throw std::runtime_error("mkdtemp failed");
        path_ = made;
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ec);
        std::filesystem::remove_all(path_, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;

    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

    /// Writes `content` to `name` (relative to the directory), creating parent folders.
    void write(const std::string& name, std::string_view content) const {
        std::filesystem::path p = file(name);
        std::filesystem::create_directories(p.parent_path());
        std::ofstream out(p, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
    }

    std::string read(const std::string& name) const {
        std::ifstream in(file(name), std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }

    bool exists(const std::string& name) const { return std::filesystem::exists(file(name)); }

    load_options options(bool with_comments = false) const {
        load_options o;
        o.etc_dir = path_;
        o.with_comments = with_comments;
        return o;
    }

  private:
    std::string path_;
};

/// Collects every log record while alive; restores the previous backend afterwards.
class log_capture {
  public:
    log_capture() {
        previous_ = set_log_backend([this](const log_record& r) {
            std::lock_guard lock(mutex_);
            records_.push_back(r);
        });
    }
    ~log_capture() { set_log_backend(std::move(previous_)); }
    log_capture(const log_capture&) = delete;
    log_capture& operator=(const log_capture&) = delete;

    std::vector<log_record> records() const {
        std::lock_guard lock(mutex_);
        return records_;
    }
    /// True when some record's message contains `text`.
    bool contains(std::string_view text) const { return count(text) > 0; }
    std::size_t count(std::string_view text) const {
        std::size_t n = 0;
        for (const auto& r : records())
            n += r.message.find(text) != std::string::npos;
        return n;
    }
    /// Records at `level` or above warning, i.e. what an operator would see as a problem.
    std::size_t problems() const {
        std::size_t n = 0;
        for (const auto& r : records())
            n += r.level == log_level::warning || r.level == log_level::error;
        return n;
    }
    bool has(log_level level, std::string_view exact) const {
        for (const auto& r : records())
            if (r.level == level && r.message == exact)
                return true;
        return false;
    }
    std::string dump() const {
        std::string out;
        for (const auto& r : records())
            out += std::string(log_level_name(r.level)) + ": " + r.message + "\n";
        return out;
    }
    void clear() {
        std::lock_guard lock(mutex_);
        records_.clear();
    }

  private:
    mutable std::mutex mutex_;
    std::vector<log_record> records_;
    log_backend previous_;
};

/// A variable created in memory (file "", line 0), as AMI UpdateConfig would add it.
inline variable make_var(std::string name, std::string value, bool inherited = false) {
    variable v;
    v.name = std::move(name);
    v.value = std::move(value);
    v.inherited = inherited;
    return v;
}

inline section make_section(std::string name, bool is_template, std::vector<variable> vars) {
    section s;
    s.name = std::move(name);
    s.is_template = is_template;
    s.variables = std::move(vars);
    return s;
}

/// "name=value" pairs of a section in order, with " (o)" / " (i)" flags, for compact assertions.
inline std::vector<std::string> vars_of(const section& s) {
    std::vector<std::string> out;
    for (const auto& v : s.variables)
        out.push_back(v.name + "=" + v.value + (v.object ? " (o)" : "") + (v.inherited ? " (i)" : ""));
    return out;
}

} // namespace ahttp::config::testing
