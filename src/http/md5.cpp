// MD5 for HTTP Digest, through OpenSSL's EVP interface (a well-kept implementation, not our own).
#include "http/md5.hpp"

#include <openssl/evp.h>

namespace ahttp::http::detail {

std::array<std::uint8_t, 16> md5(std::string_view data) noexcept {
    std::array<std::uint8_t, 16> out{};
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_md5(), nullptr);
    return out;
}

std::string md5_hex(std::string_view data) {
    static constexpr char digits[] = "0123456789abcdef";
    auto raw = md5(data);
    std::string hex;
    hex.reserve(32);
    for (std::uint8_t b : raw) {
        hex.push_back(digits[b >> 4]);
        hex.push_back(digits[b & 15]);
    }
    return hex;
}

} // namespace ahttp::http::detail
