#include "config/line_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace ahttp::config::detail {
namespace {

constexpr std::size_t chunk_bytes = 64 * 1024;
constexpr std::size_t head_bytes = 32; // what the "too long" warning quotes

} // namespace

line_reader::line_reader(std::string_view text, std::size_t max_bytes)
    : max_bytes_(max_bytes), data_(text), eof_(true) {}

line_reader::line_reader(int fd, std::size_t max_bytes) : fd_(fd), max_bytes_(max_bytes) {}

bool line_reader::fill() {
    if (eof_)
        return false;
    // Drop consumed bytes first so the buffer never grows beyond one line plus one chunk.
    buffer_.erase(0, pos_);
    pos_ = 0;
    std::size_t old = buffer_.size();
    buffer_.resize(old + chunk_bytes);
    ssize_t n;
    do {
        n = ::read(fd_, buffer_.data() + old, chunk_bytes);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) {
        if (n < 0)
            read_error_ = errno;
        eof_ = true;
        buffer_.resize(old);
        data_ = buffer_;
        return false;
    }
    buffer_.resize(old + static_cast<std::size_t>(n));
    data_ = buffer_;
    return true;
}

bool line_reader::next(line& out) {
    std::size_t scanned = pos_; // LF search resumes where it stopped: no rescanning of a growing line
    bool skipping = false;      // inside a too-long line: bytes are dropped until its LF
    for (;;) {
        const char* base = data_.data();
        const void* lf = scanned < data_.size() ? std::memchr(base + scanned, '\n', data_.size() - scanned) : nullptr;
        if (lf) {
            std::size_t end = static_cast<std::size_t>(static_cast<const char*>(lf) - base);
            if (!skipping && end - pos_ > max_bytes_) {
                long_head_.assign(base + pos_, std::min(head_bytes, end - pos_));
                skipping = true;
            }
            if (skipping) {
                out = {long_head_, true, true};
            } else {
                out = {data_.substr(pos_, end - pos_), false, true};
            }
            pos_ = end + 1;
            return true;
        }
        if (!skipping && data_.size() - pos_ > max_bytes_) {
            long_head_.assign(base + pos_, std::min(head_bytes, data_.size() - pos_));
            skipping = true;
        }
        if (skipping) {
            pos_ = data_.size(); // discard what was read of the long line
        }
        scanned = data_.size();
        std::size_t consumed_before = pos_;
        if (!fill()) {
            if (skipping) {
                out = {long_head_, true, false};
                pos_ = data_.size();
                return true;
            }
            if (pos_ < data_.size()) {
                out = {data_.substr(pos_), false, false};
                pos_ = data_.size();
                return true;
            }
            return false;
        }
        // fill() moved the unconsumed bytes to the front of the buffer.
        scanned -= consumed_before;
    }
}

} // namespace ahttp::config::detail
